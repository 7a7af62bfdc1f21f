// Registers the navigation commands: Go to Prompt Source, Find Session,
// Reveal in Tree, Copy Span/Session id and ARN, Export Session, and the
// read-only prompt template documents with their "Save to workspace…".
//
// Every command takes a tree node, a `{backendId, sessionId, spanKey}` from the
// panel, a PanelTarget, or nothing (palette: the active panel's span).
import * as vscode from 'vscode';
import type { PanelManager } from '../panel/panelManager';
import type { BackendService } from '../services/backendService';
import type { SessionCache } from '../services/loadedSession';
import type { TreeNode } from '../views/nodes';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { BackendError } from '../backends/errors';
import { copyArn, copySessionId, copySpanId, exportSession, type ExportOptions } from './actions';
import type { NavigationDeps } from './context';
import { findSession, rememberRecent } from './findSession';
import { goToPromptSource } from './goToSource';
import { PROMPT_SCHEME, PromptDocuments, savePromptToWorkspace } from './promptDocuments';
import { followPanelSelection, revealInTree } from './reveal';
import { showBackendError } from './ui';

export { PROMPT_SCHEME } from './promptDocuments';

export function registerNavigation(deps: {
  context: vscode.ExtensionContext;
  backends: BackendService;
  sessions: SessionCache;
  tree: SessionsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  panels: PanelManager;
  log: vscode.LogOutputChannel;
}): vscode.Disposable[] {
  const nav: NavigationDeps = deps;
  const docs = new PromptDocuments(deps.backends);
  // Failures a user can hit are BackendErrors with next steps; anything else is logged with its stack.
  const cmd = (id: string, title: string, run: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        deps.log.error(`${id} failed: ${err instanceof BackendError ? err.message : ((err as Error).stack ?? String(err))}`);
        void showBackendError(vscode.l10n.t('{0} failed:', title), err);
        return undefined;
      }
    });
  return [
    docs,
    vscode.workspace.registerTextDocumentContentProvider(PROMPT_SCHEME, docs),
    cmd('spanInspector.goToPromptSource', vscode.l10n.t('Go to Prompt Source'), (arg) => goToPromptSource(nav, docs, arg)),
    cmd('spanInspector.savePromptTemplate', vscode.l10n.t('Save Prompt Template'), (arg, to) => savePromptToWorkspace(arg, to)),
    cmd('spanInspector.findSession', vscode.l10n.t('Find Session'), (query) => findSession(nav, query)),
    cmd('spanInspector.revealInTree', vscode.l10n.t('Reveal in Tree'), (arg) => revealInTree(nav, arg)),
    cmd('spanInspector.copySpanId', vscode.l10n.t('Copy Span Id'), (arg) => copySpanId(nav, arg)),
    cmd('spanInspector.copySessionId', vscode.l10n.t('Copy Session Id'), (arg) => copySessionId(nav, arg)),
    cmd('spanInspector.copyArn', vscode.l10n.t('Copy ARN'), (arg, kind) => copyArn(nav, arg, kind)),
    cmd('spanInspector.exportSession', vscode.l10n.t('Export Session'), (arg, options) => exportSession(nav, arg, exportOptions(options))),
    followPanelSelection(nav),
    // Recent = every session opened, from the tree, a panel or a lookup.
    deps.panels.onDidOpenSession(({ backendId, session }) => void rememberRecent(deps.context, backendId, session)),
  ];
}

/** Menus pass the multi-selection array as the second argument; only a plain options object counts. */
function exportOptions(v: unknown): ExportOptions {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as ExportOptions) : {};
}
