// What the navigation commands share: their dependencies, and turning a
// command argument (tree node, panel message, nothing) into a target.
import * as vscode from 'vscode';
import type { Target } from '../common/target';
import type { Session, Span } from '../model/types';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import { SessionNode, SpanTreeNode, TraceNode, type TreeNode } from '../views/nodes';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';


/** What the webview sends with a command: ids only. */
export interface IdTarget {
  backendId: string;
  sessionId: string;
  spanKey?: string;
}

/** The part of PanelManager navigation uses (structural, so tests and the real panel both fit). */
export interface NavigationPanels {
  openSpan(target: Target): unknown;
  openSession(target: Target): unknown;
  activeTarget(): Target | undefined;
  /** The user opened a span in a panel. */
  readonly onDidSelectSpan: vscode.Event<IdTarget>;
}

export interface NavigationDeps {
  context: vscode.ExtensionContext;
  backends: BackendService;
  sessions: SessionCache;
  tree: SessionsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  panels: NavigationPanels;
  log: vscode.LogOutputChannel;
}

export type CommandArg = TreeNode | Target | IdTarget | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object';
}

/** The target an argument names without asking a backend: a tree node, or a `{backendId, session, spanKey}`. */
export function targetOf(arg: unknown): Target | undefined {
  if (arg instanceof SpanTreeNode) {
    return { backendId: arg.sessionNode.backendId, session: arg.sessionNode.session, spanKey: arg.node.key };
  }
  if (arg instanceof SessionNode) {
    return { backendId: arg.backendId, session: arg.session };
  }
  if (arg instanceof TraceNode) {
    return { backendId: arg.sessionNode.backendId, session: arg.sessionNode.session };
  }
  if (isObject(arg) && typeof arg.backendId === 'string' && isObject(arg.session) && typeof arg.session.id === 'string') {
    return { backendId: arg.backendId, session: arg.session as unknown as Session, spanKey: typeof arg.spanKey === 'string' ? arg.spanKey : undefined };
  }
  return undefined;
}

/**
 * The target of a command: what `targetOf` reads, a `{backendId, sessionId, spanKey}`
 * from the panel, or (palette) the active panel's span.
 */
export async function resolveTarget(deps: NavigationDeps, arg: unknown): Promise<Target | undefined> {
  const direct = targetOf(arg);
  if (direct) return direct;
  if (isObject(arg) && typeof arg.backendId === 'string' && typeof arg.sessionId === 'string') {
    const session = await findSessionById(deps, arg.backendId, arg.sessionId);
    return { backendId: arg.backendId, session, spanKey: typeof arg.spanKey === 'string' ? arg.spanKey : undefined };
  }
  // Palette (or a keybinding): the span shown in the active panel, else the tree's selection.
  const active = deps.panels.activeTarget();
  if (active) return active;
  const selected = deps.treeView.selection[0];
  return selected && selected !== arg ? resolveTarget(deps, selected) : undefined;
}

/** The Session object for an id: already loaded, listed in the tree, or asked of the backend. */
async function findSessionById(deps: NavigationDeps, backendId: string, sessionId: string): Promise<Session> {
  const loaded = deps.sessions.peek(backendId, sessionId);
  if (loaded) return loaded.session;
  const listed = deps.tree.backendNode(backendId)?.sessions().find((s) => s.id === sessionId);
  if (listed) return listed;
  try {
    const backend = await deps.backends.get(backendId);
    const found = await backend.getSession(sessionId);
    if (found) return found;
  } catch (err) {
    deps.log.warn(`[${backendId}] getSession ${sessionId}: ${(err as Error).message}`);
  }
  return { backendId, id: sessionId };
}

/**
 * Waits until `spanKey` is in the session's forest (spans stream in), or
 * loading ends without it. Resumes a failed or cancelled load once.
 */
export async function waitForSpan(loaded: LoadedSession, spanKey: string, token?: vscode.CancellationToken): Promise<boolean> {
  if (loaded.forest.get(spanKey)) return true;
  if (loaded.state === 'error' || loaded.state === 'cancelled') {
    void loaded.retry();
  }
  return new Promise<boolean>((resolve) => {
    let done = false;
    const subs: vscode.Disposable[] = [];
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      subs.forEach((d) => d.dispose());
      resolve(ok);
    };
    const check = () => {
      if (loaded.forest.get(spanKey)) finish(true);
      else if (loaded.state !== 'loading' && loaded.state !== 'idle') finish(false);
    };
    subs.push(loaded.onDidUpdate(check));
    if (token) subs.push(token.onCancellationRequested(() => finish(false)));
    void loaded.ensureLoaded().then(check, () => finish(false));
  });
}

/** The span of a target, loading its session if needed. */
export async function spanOf(deps: NavigationDeps, target: Target, token?: vscode.CancellationToken): Promise<Span | undefined> {
  if (!target.spanKey) return undefined;
  const loaded = deps.sessions.get(target.backendId, target.session);
  if (!(await waitForSpan(loaded, target.spanKey, token))) return undefined;
  return loaded.forest.get(target.spanKey)?.span;
}

/** The message when a command has no span to act on. */
export function needSpanMessage(): string {
  return vscode.l10n.t('Select a span in the Span Inspector tree or open one in the panel first.');
}

export function needSessionMessage(): string {
  return vscode.l10n.t('Select a session in the Span Inspector tree or open one in the panel first.');
}

/**
 * What a session command does without a session: says so, and logs what it
 * was given (a tree row whose element VS Code could no longer resolve arrives
 * as undefined), instead of doing nothing.
 */
export function noTarget(log: vscode.LogOutputChannel, command: string, arg: unknown): undefined {
  log.debug(`${command}: no session to act on (argument: ${arg === undefined ? 'none' : typeof arg})`);
  void vscode.window.showInformationMessage(needSessionMessage());
  return undefined;
}
