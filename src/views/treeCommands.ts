// Commands that act on tree nodes: refresh, paging, retry, cancel.
import * as vscode from 'vscode';
import { BackendNode, SessionNode, type TreeNode } from './nodes';
import type { SessionsTreeProvider } from './sessionsTreeProvider';

export function registerTreeCommands(tree: SessionsTreeProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('spanInspector.refresh', () => tree.hardRefresh()),
    vscode.commands.registerCommand('spanInspector.loadMore', async (node: BackendNode) => {
      await vscode.window.withProgress({ location: { viewId: 'spanInspector.sessions' } }, () => node.loadPage());
      tree.refresh(node);
    }),
    vscode.commands.registerCommand('spanInspector.showMore', (parent: TreeNode) => {
      tree.showMore(parent.id);
      tree.refresh(parent);
    }),
    vscode.commands.registerCommand('spanInspector.retry', async (node?: TreeNode) => {
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
    vscode.commands.registerCommand('spanInspector.cancelLoading', (node?: SessionNode) => {
      node?.loaded.cancel();
    }),
  ];
}
