// Filter Sessions: the sessions table's filters for the tree, typed in one
// line (sessionTable.ts parseFilterQuery). The active filter shows in the
// view's description and is kept in workspaceState.
import * as vscode from 'vscode';
import { describeFilters, isEmptyFilter, parseFilterQuery, type SessionFilters } from '../model/sessionTable';
import type { TreeNode } from './nodes';
import type { SessionsTreeProvider } from './sessionsTreeProvider';
import { Commands } from '../common/commands';
import { registerCommand } from './registerCommand';

const STATE_KEY = 'spanInspector.treeFilter';

export function registerTreeFilter(context: vscode.ExtensionContext, tree: SessionsTreeProvider, treeView: vscode.TreeView<TreeNode>): vscode.Disposable[] {
  const apply = (f: SessionFilters | undefined) => {
    const on = !isEmptyFilter(f);
    tree.filter = on ? f : undefined;
    const text = on ? vscode.l10n.t('Filter: {0}', describeFilters(f!)) : undefined;
    treeView.description = text;
    // A view alone in its container shows no description in some hosts: say it above the tree too.
    treeView.message = text;
    void vscode.commands.executeCommand('setContext', 'spanInspector.filtered', on);
    void context.workspaceState.update(STATE_KEY, on ? f : undefined);
    tree.refresh();
  };
  apply(context.workspaceState.get<SessionFilters>(STATE_KEY));
  return [
    registerCommand(tree.backends.log, Commands.filterSessions, vscode.l10n.t('Filter Sessions'), async (query?: unknown) => {
      const text =
        typeof query === 'string'
          ? query
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Filter Sessions'),
              value: tree.filter ? describeFilters(tree.filter) : '',
              prompt: vscode.l10n.t('Words match names and ids; also errors, backend:ID, agent:NAME, model:NAME, cost>0.01, duration>60s, since:2025-10-01, until:2025-10-31. Empty clears.'),
            });
      if (text === undefined) return;
      apply(parseFilterQuery(text));
    }),
    registerCommand(tree.backends.log, Commands.clearSessionsFilter, vscode.l10n.t('Clear Sessions Filter'), () => apply(undefined)),
  ];
}
