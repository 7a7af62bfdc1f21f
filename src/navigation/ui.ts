// Small UI helpers shared by the navigation commands.
import * as vscode from 'vscode';

/** Opens the Settings editor filtered to one setting. */
export function openSetting(id: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', id);
}

/** Quick pick labels support `$(icon)` syntax: neutralize it in text that comes from files or spans. */
export function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
