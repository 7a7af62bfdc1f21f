// Commands that act on tree nodes: refresh, paging, retry, cancel.
import * as vscode from 'vscode';
import { BackendNode, SessionNode, type TreeNode } from './nodes';
import type { SessionsTreeProvider } from './sessionsTreeProvider';
import { Commands } from '../common/commands';
import { registerCommand } from './registerCommand';

export function registerTreeCommands(tree: SessionsTreeProvider): vscode.Disposable[] {
  const log = tree.backends.log;
  return [
    registerCommand(log, Commands.refresh, vscode.l10n.t('Refresh'), () => tree.hardRefresh()),
    registerCommand(log, Commands.loadMore, vscode.l10n.t('Load More'), async (node: BackendNode) => {
      await vscode.window.withProgress({ location: { viewId: 'spanInspector.sessions' } }, () => node.loadPage());
      tree.refresh(node);
    }),
    registerCommand(log, Commands.showMore, vscode.l10n.t('Show More'), (parent: TreeNode) => {
      tree.showMore(parent.id);
      tree.refresh(parent);
    }),
    registerCommand(log, Commands.retry, vscode.l10n.t('Retry'), async (node?: TreeNode) => {
      if (node instanceof BackendNode) {
        tree.backends.reset(node.entry.id);
        await node.loadPage();
        tree.refresh(node);
      } else if (node instanceof SessionNode) {
        // Continues from the last page that arrived: what loaded stays.
        void node.loaded.retry();
        tree.refresh(node);
      } else {
        tree.hardRefresh();
      }
    }),
    registerCommand(log, Commands.cancelLoading, vscode.l10n.t('Stop Loading'), (node?: SessionNode) => {
      node?.loaded.cancel();
    }),
  ];
}
