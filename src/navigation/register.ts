// Registers the navigation commands: Go to Prompt Source, Find Session,
// Reveal in Tree, Copy Span/Session id and ARN, Export Session, and the
// read-only prompt template documents with their "Save to workspace…".
//
// Every command takes a tree node, a `{backendId, sessionId, spanKey}` from the
// panel, a Target, or nothing (palette: the active panel's span).
import * as vscode from 'vscode';
import type { PanelManager } from '../panel/panelManager';
import type { BackendService } from '../services/backendService';
import type { SessionCache } from '../services/loadedSession';
import type { TreeNode } from '../views/nodes';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { copyArn, copySessionId, copySpanId, exportSession, type ExportOptions } from './actions';
import type { NavigationDeps } from './context';
import { findSession, rememberRecent } from './findSession';
import { goToPromptSource } from './goToSource';
import { PROMPT_SCHEME, PromptDocuments, savePromptToWorkspace } from './promptDocuments';
import { followPanelSelection, revealInTree } from './reveal';
import { Commands, type CommandId } from '../common/commands';
import { registerCommand } from '../views/registerCommand';

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
  const cmd = (id: CommandId, title: string, run: (...args: unknown[]) => unknown) => registerCommand(deps.log, id, title, run);
  return [
    docs,
    vscode.workspace.registerTextDocumentContentProvider(PROMPT_SCHEME, docs),
    cmd(Commands.goToPromptSource, vscode.l10n.t('Go to Prompt Source'), (arg) => goToPromptSource(nav, docs, arg)),
    cmd(Commands.savePromptTemplate, vscode.l10n.t('Save Prompt Template'), (arg, to) => savePromptToWorkspace(arg, to)),
    cmd(Commands.findSession, vscode.l10n.t('Find Session'), (query) => findSession(nav, query)),
    cmd(Commands.revealInTree, vscode.l10n.t('Reveal in Tree'), (arg) => revealInTree(nav, arg)),
    cmd(Commands.copySpanId, vscode.l10n.t('Copy Span Id'), (arg) => copySpanId(nav, arg)),
    cmd(Commands.copySessionId, vscode.l10n.t('Copy Session Id'), (arg) => copySessionId(nav, arg)),
    cmd(Commands.copyArn, vscode.l10n.t('Copy ARN'), (arg, kind) => copyArn(nav, arg, kind)),
    cmd(Commands.exportSession, vscode.l10n.t('Export Session'), (arg, options) => exportSession(nav, arg, exportOptions(options))),
    followPanelSelection(nav),
    // Recent = every session opened, from the tree, a panel or a lookup.
    deps.panels.onDidOpenSession(({ backendId, session }) => void rememberRecent(deps.context, backendId, session)),
  ];
}

/** Menus pass the multi-selection array as the second argument; only a plain options object counts. */
function exportOptions(v: unknown): ExportOptions {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as ExportOptions) : {};
}
