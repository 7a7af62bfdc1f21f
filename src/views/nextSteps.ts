// One map from a BackendError's next step to its label and command, used by the
// tree's error rows and by error notifications alike (so "Open settings"
// opens the same place from both).
import * as vscode from 'vscode';
import { toBackendError, type NextStep } from '../backends/errors';
import { Commands } from '../common/commands';

/** What a step's command needs to know: the backend it is about, and how to retry. */
export interface StepContext {
  backendId?: string;
  retry?: vscode.Command;
}

const NEXT_STEPS: Record<NextStep, { label: () => string; command: (c: StepContext) => vscode.Command | undefined }> = {
  retry: { label: () => vscode.l10n.t('Retry'), command: (c) => c.retry },
  signIn: { label: () => vscode.l10n.t('Sign in'), command: (c) => ({ title: stepLabel('signIn'), command: Commands.showSignInHelp, arguments: c.retry?.arguments }) },
  setApiKey: { label: () => vscode.l10n.t('Set API key'), command: () => ({ title: stepLabel('setApiKey'), command: Commands.setApiKey }) },
  openSettings: {
    label: () => vscode.l10n.t('Open settings'),
    command: (c) => ({ title: stepLabel('openSettings'), command: Commands.openBackendSettings, arguments: c.backendId ? [c.backendId] : [] }),
  },
  openLog: { label: () => vscode.l10n.t('Show log'), command: () => ({ title: stepLabel('openLog'), command: Commands.showLog }) },
};

export function stepLabel(step: string): string {
  return (NEXT_STEPS[step as NextStep] ?? NEXT_STEPS.openLog).label();
}

/** The command a step runs; `undefined` for Retry without a retry command. */
export function nextStepCommand(step: string, context: StepContext): vscode.Command | undefined {
  return (NEXT_STEPS[step as NextStep] ?? NEXT_STEPS.openLog).command(context);
}

export function runStep(command: vscode.Command): Thenable<unknown> {
  return vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
}

/**
 * Shows a BackendError with its next steps as buttons; `retry` runs when Retry
 * is chosen; `backendId` (when known) lets "Open settings" go to that entry.
 */
export async function showBackendError(prefix: string, err: unknown, retry?: () => unknown, backendId?: string): Promise<void> {
  const e = toBackendError(err);
  if (e.code === 'cancelled') return;
  const actions = new Map<string, () => unknown>();
  for (const step of e.nextSteps) {
    if (step === 'retry') {
      if (retry) actions.set(stepLabel(step), retry);
      continue;
    }
    const command = nextStepCommand(step, { backendId });
    if (command) actions.set(stepLabel(step), () => runStep(command));
  }
  const choice = await vscode.window.showErrorMessage(`${prefix} ${e.message}`, ...actions.keys());
  if (choice) await actions.get(choice)?.();
}
