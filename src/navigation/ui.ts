// Small UI helpers shared by the navigation commands.
import * as vscode from 'vscode';
import { toBackendError } from '../backends/errors';

/** Opens the Settings editor filtered to one setting. */
export function openSetting(id: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', id);
}

/** Shows a BackendError with its next steps as buttons; `retry` runs when Retry is chosen. */
export async function showBackendError(prefix: string, err: unknown, retry?: () => unknown): Promise<void> {
  const e = toBackendError(err);
  if (e.code === 'cancelled') return;
  const actions = new Map<string, () => unknown>();
  for (const step of e.nextSteps) {
    switch (step) {
      case 'retry':
        if (retry) actions.set(vscode.l10n.t('Retry'), retry);
        break;
      case 'openSettings':
        actions.set(vscode.l10n.t('Open settings'), () => openSetting('spanInspector.backends'));
        break;
      case 'signIn':
        actions.set(vscode.l10n.t('Sign in'), () => vscode.commands.executeCommand('spanInspector.showSignInHelp'));
        break;
      case 'setApiKey':
        actions.set(vscode.l10n.t('Set API key'), () => vscode.commands.executeCommand('spanInspector.setApiKey'));
        break;
      case 'openLog':
        actions.set(vscode.l10n.t('Show log'), () => vscode.commands.executeCommand('spanInspector.showLog'));
        break;
    }
  }
  const choice = await vscode.window.showErrorMessage(`${prefix} ${e.message}`, ...actions.keys());
  if (choice) await actions.get(choice)?.();
}

/** Quick pick labels support `$(icon)` syntax: neutralize it in text that comes from files or spans. */
export function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
