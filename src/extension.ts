// Activation only wires services, views and commands together; every
// disposable goes into context.subscriptions.
import * as vscode from 'vscode';
import { registerCodeStats } from './codeStats/register';
import { registerCompare } from './compare/commands';
import { registerCopy } from './copy/commands';
import { registerLmTool } from './copy/lmTool';
import { registerTraceEditor } from './documents/traceEditor';
import { registerCapture } from './views/captureController';
import { noTarget, resolveTarget } from './navigation/context';
import { registerNavigation } from './navigation/register';
import { PanelManager } from './panel/panelManager';
import { registerSessionsTable } from './panel/sessionsTable';
import { BackendService } from './services/backendService';
import { SessionCache } from './services/loadedSession';
import { PricingSetting } from './services/pricingSetting';
import type { TreeNode } from './views/nodes';
import { SessionsTreeProvider } from './views/sessionsTreeProvider';
import { registerSetupCommands } from './views/setupCommands';
import { registerTreeCommands } from './views/treeCommands';
import { registerTreeFilter } from './views/treeFilter';
import { registerCommand } from './views/registerCommand';
import { Commands } from './common/commands';

export interface SpanInspectorApi {
  readonly backends: BackendService;
  readonly sessions: SessionCache;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly panels: PanelManager;
}

export function activate(context: vscode.ExtensionContext): SpanInspectorApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Span Inspector', { log: true });
  const backends = new BackendService(context.secrets, log, context.globalStorageUri.fsPath);
  const pricing = new PricingSetting(log);
  const sessions = new SessionCache((id) => backends.get(id), log, () => pricing.current);
  const tree = new SessionsTreeProvider(backends, sessions);
  const treeView = vscode.window.createTreeView('spanInspector.sessions', { treeDataProvider: tree, showCollapseAll: true });
  const panels = new PanelManager(context, sessions, backends, log);
  context.subscriptions.push(log, backends, sessions, tree, treeView, panels);
  context.subscriptions.push(pricing, pricing.onDidChange(() => (sessions.reprice(), tree.refresh())));

  const deps = { context, backends, sessions, tree, treeView, panels, log };
  context.subscriptions.push(
    ...registerTreeCommands(tree),
    ...registerSetupCommands(context, backends),
    registerCommand(log, Commands.openSpan, vscode.l10n.t('Open Span'), async (arg?: unknown) => {
      const target = await resolveTarget(deps, arg);
      return target ? panels.openSpan(target) : noTarget(log, Commands.openSpan, arg);
    }),
    registerCommand(log, Commands.openSession, vscode.l10n.t('Open Session Timeline'), async (arg?: unknown) => {
      const target = await resolveTarget(deps, arg);
      return target ? panels.openSession({ ...target, spanKey: undefined }) : noTarget(log, Commands.openSession, arg);
    }),
    registerCommand(log, Commands.pinPanel, vscode.l10n.t('Keep Panel Open'), () => panels.pin()),
    ...registerNavigation(deps),
    ...registerCapture(context, backends, log),
    ...registerCompare(deps),
    ...registerCopy(deps),
    ...registerLmTool(deps),
    ...registerTraceEditor({ backends, sessions, panels, log }),
    ...registerCodeStats({ backends, sessions, tree, log }),
    ...registerSessionsTable(context, backends, sessions, log),
    ...registerTreeFilter(context, tree, treeView),
  );

  log.info(`Span Inspector activated in ${Date.now() - started} ms`);
  return { backends, sessions, tree, treeView, panels };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
