// "Open settings" for one backend: opens the settings file that holds its
// entry (workspace folder, workspace or user settings.json) with the cursor on
// that entry, instead of always the user settings.
import * as vscode from 'vscode';
import { BACKENDS_KEY, findBackendEntry, scopeOfEntry } from './settingsEntry';

export async function openBackendSettings(backendId?: unknown, index?: unknown): Promise<void> {
  const id = typeof backendId === 'string' ? backendId : undefined;
  const inspected = vscode.workspace.getConfiguration().inspect<unknown[]>(BACKENDS_KEY);
  const scope = id ? scopeOfEntry(inspected, id) : inspected?.workspaceFolderValue !== undefined ? 'workspaceFolder' : inspected?.workspaceValue !== undefined ? 'workspace' : 'user';
  const folder = vscode.workspace.workspaceFolders?.[0];
  let uri: vscode.Uri | undefined;
  if (scope === 'workspaceFolder' && folder) uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  else if (scope === 'workspace') uri = vscode.workspace.workspaceFile ?? (folder ? vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json') : undefined);
  let editor: vscode.TextEditor | undefined;
  if (uri) {
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  } else {
    // User settings.json has no API path: the workbench command opens it.
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    editor = vscode.window.activeTextEditor;
  }
  if (!editor) return;
  const text = editor.document.getText();
  const range = findBackendEntry(text, id, typeof index === 'number' ? index : undefined);
  if (!range) return;
  const start = editor.document.positionAt(range.offset);
  const end = editor.document.positionAt(range.offset + range.length);
  editor.selection = new vscode.Selection(start, start);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.AtTop);
}
