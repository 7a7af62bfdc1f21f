// "Find Session": look a session up by id, ARN or name across every
// configured backend. The id format decides which backends are asked first
// (ids.ts); each backend's resolveSession runs in parallel and can be
// aborted when the user keeps typing. Every session already listed in the
// tree, opened or recent is matched locally by part of its name as well
// (sessionMatch.ts), so what the tree shows is always found.
import * as vscode from 'vscode';
import { toBackendError } from '../backends/errors';
import type { Session } from '../model/types';
import { stripPrefixes } from '../views/errorText';
import { formatWhen, spansLabel } from '../views/labels';
import { classifyQuery, routeQuery, type ClassifiedQuery, type RoutableBackend } from './ids';
import { liveRecent, pushRecent, readRecent, type RecentSession } from './recent';
import type { NavigationDeps } from './context';
import { matchSessions, type Candidate } from './sessionMatch';
import { plain } from './ui';
import { nextStepCommand, runStep } from '../views/nextSteps';

const RECENT_KEY = 'spanInspector.recentSessions';
const DEBOUNCE_MS = 250;

export interface FoundSession {
  backendId: string;
  session: Session;
  /** The session id (or ARN) equals the query. */
  exact: boolean;
}

export interface LookupResult {
  query: ClassifiedQuery;
  found: FoundSession[];
  /** Backend ids that were asked. */
  asked: string[];
  failures: { backendId: string; message: string }[];
  /** Why a session ARN could not be routed (no matching qconnect backend). */
  note?: string;
  /** How many listed, opened and recent sessions were matched locally. */
  localCount: number;
}

/** Sessions the user can already see: opened (richest objects) first, then listed in the tree, then recent. */
export function localCandidates(deps: NavigationDeps): Candidate[] {
  const out: Candidate[] = [];
  for (const e of deps.backends.list()) {
    for (const loaded of deps.sessions.forBackend(e.id)) out.push({ backendId: e.id, session: loaded.session });
    for (const session of deps.tree.backendNode(e.id)?.sessions() ?? []) out.push({ backendId: e.id, session });
  }
  for (const r of recentSessions(deps)) out.push({ backendId: r.backendId, session: r.session });
  return out;
}

function routable(deps: NavigationDeps): RoutableBackend[] {
  return deps.backends
    .list()
    .filter((e) => !e.configError)
    .map((e) => ({
      id: e.id,
      type: e.config?.type,
      region: typeof e.config?.region === 'string' ? e.config.region : undefined,
      assistantId: typeof e.config?.assistantId === 'string' ? e.config.assistantId : undefined,
    }));
}

function isExact(q: ClassifiedQuery, s: Session): boolean {
  const arn = s.attributes?.sessionArn;
  return s.id === q.id || s.id === q.text || (typeof arn === 'string' && arn === q.text);
}

/**
 * Asks the routed backends in parallel; `onUpdate` sees results as each
 * backend answers. Exact id matches come first, then backend order, then
 * newest first.
 */
export async function lookupSessions(deps: NavigationDeps, text: string, signal: AbortSignal, onUpdate?: (found: FoundSession[]) => void): Promise<LookupResult> {
  const query = classifyQuery(text);
  const route = routeQuery(query, routable(deps));
  const candidates = localCandidates(deps);
  const result: LookupResult = { query, found: [], asked: [], failures: [], note: route.note, localCount: new Set(candidates.map((c) => `${c.backendId}\u0000${c.session.id}`)).size };
  const order = new Map<string, number>();
  const seen = new Set<string>();
  for (const m of matchSessions(candidates, text)) {
    seen.add(`${m.backendId}\u0000${m.session.id}`);
    result.found.push({ backendId: m.backendId, session: m.session, exact: m.exact });
  }
  const local = result.found.length;
  const sort = () =>
    result.found.sort(
      (a, b) => Number(b.exact) - Number(a.exact) || (order.get(a.backendId) ?? 0) - (order.get(b.backendId) ?? 0) || (b.session.startTime ?? 0) - (a.session.startTime ?? 0),
    );
  const ask = async (b: RoutableBackend) => {
    result.asked.push(b.id);
    try {
      const backend = await deps.backends.get(b.id);
      const sessions = await backend.resolveSession(query.id, signal);
      if (signal.aborted) return;
      for (const s of sessions) {
        const key = `${b.id}\u0000${s.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.found.push({ backendId: b.id, session: s, exact: isExact(query, s) });
      }
      sort();
      onUpdate?.([...result.found]);
    } catch (err) {
      const e = toBackendError(err);
      if (e.code !== 'cancelled' && !signal.aborted) {
        result.failures.push({ backendId: b.id, message: e.message });
        deps.log.warn(`[${b.id}] resolveSession failed: ${e.message}`);
      }
    }
  };
  route.first.forEach((b, i) => order.set(b.id, i));
  route.rest.forEach((b, i) => order.set(b.id, route.first.length + i));
  await Promise.all(route.first.map(ask));
  if (result.found.length === local && route.rest.length && !signal.aborted) {
    await Promise.all(route.rest.map(ask));
  }
  return result;
}

/** `No session with id "X" in backends a, b, c.` plus why (unrouted ARN, failures). */
export function missMessage(result: LookupResult): string {
  const asked = result.asked.length ? result.asked.join(', ') : vscode.l10n.t('(none configured)');
  let message = vscode.l10n.t('No session with id "{0}" in backends {1}.', result.query.text, asked);
  if (result.note) message += ` ${result.note}`;
  for (const f of result.failures) {
    message += ` ${vscode.l10n.t('Backend "{0}" failed: {1}', f.backendId, f.message)}`;
  }
  return message;
}

/** Shows the miss with the "Open settings" next step (the backends' settings entry). */
export async function showMiss(message: string): Promise<void> {
  const open = nextStepCommand('openSettings', {});
  const choice = await vscode.window.showWarningMessage(message, ...(open ? [open.title] : []));
  if (open && choice === open.title) await runStep(open);
}

/** Every session the user opens (tree, panel, lookup) goes to the front of Recent. */
export function rememberRecent(context: vscode.ExtensionContext, backendId: string, session: Session): Thenable<void> {
  return context.globalState.update(RECENT_KEY, pushRecent(readRecent(context.globalState.get(RECENT_KEY)), backendId, session, Date.now()));
}

export function recentSessions(deps: NavigationDeps): RecentSession[] {
  const live = new Set(deps.backends.list().map((e) => e.id));
  return liveRecent(readRecent(deps.context.globalState.get(RECENT_KEY)), live);
}

/** Reveals the session in the tree (focused, expanded), opens it in the panel and remembers it. */
export async function openFound(deps: NavigationDeps, found: FoundSession): Promise<void> {
  await rememberRecent(deps.context, found.backendId, found.session);
  const backendNode = deps.tree.backendNode(found.backendId);
  // A session the tree or a panel already has is the richer object (recent entries keep only a few fields).
  const known = deps.sessions.peek(found.backendId, found.session.id)?.session ?? backendNode?.sessions().find((s) => s.id === found.session.id);
  const listed = !!backendNode?.sessions().some((s) => s.id === found.session.id);
  const session = known ?? found.session;
  const node = deps.tree.sessionNode(found.backendId, session);
  if (node) {
    if (!listed && backendNode) deps.tree.refresh(backendNode);
    const reveal = () => deps.treeView.reveal(node, { select: true, focus: true, expand: true });
    try {
      await reveal();
    } catch {
      // The tree may still be applying the refresh that added the session: try once more.
      await new Promise((r) => setTimeout(r, 300));
      await Promise.resolve(reveal()).catch((err) => deps.log.warn(`Could not reveal session ${found.session.id} in the tree: ${(err as Error).message}`));
    }
  }
  await deps.panels.openSession({ backendId: found.backendId, session });
}

interface SessionItem extends vscode.QuickPickItem {
  found?: FoundSession;
}

function item(deps: NavigationDeps, f: FoundSession, icon: string): SessionItem {
  const s = f.session;
  const backend = deps.backends.entry(f.backendId)?.label ?? f.backendId;
  const bits = [s.id];
  if (s.startTime) bits.push(formatWhen(s.startTime));
  if (s.spanCount !== undefined) bits.push(spansLabel(s.spanCount));
  return { label: `$(${icon}) ${plain(s.name || s.id)}`, description: plain(backend), detail: plain(bits.join(' · ')), found: f };
}

/** What the command returns: the opened session, or the message shown for a miss. */
export interface FindSessionResult {
  found?: FoundSession;
  miss?: string;
}

/**
 * With a query (command argument, e.g. from a script or a link): look it up
 * and open the best match, let the user choose among several, or report a
 * miss. Without: the interactive quick pick.
 */
export async function findSession(deps: NavigationDeps, query?: unknown): Promise<FindSessionResult> {
  const text = typeof query === 'string' ? query : query && typeof query === 'object' && typeof (query as { query?: unknown }).query === 'string' ? (query as { query: string }).query : undefined;
  const result = text?.trim() ? await findHeadless(deps, text) : await findInteractive(deps);
  if (result.found) await openFound(deps, result.found);
  return result;
}

async function findHeadless(deps: NavigationDeps, text: string): Promise<FindSessionResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking up session "{0}"…', text.trim()), cancellable: true },
    (_p, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return lookupSessions(deps, text, abort.signal);
    },
  );
  const { found } = result;
  if (!found.length) {
    const miss = missMessage(result);
    void showMiss(miss);
    return { miss };
  }
  if (found.length === 1 || (found[0].exact && !found[1].exact)) return { found: found[0] };
  const chosen = await vscode.window.showQuickPick(found.map((f) => item(deps, f, f.exact ? 'target' : 'list-tree')), {
    title: vscode.l10n.t('Sessions matching "{0}"', result.query.text),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return { found: chosen?.found };
}

/** The picker row for a miss: what was searched, and what failed. */
function missItems(deps: NavigationDeps, result: LookupResult): SessionItem[] {
  const label = (id: string) => deps.backends.entry(id)?.label ?? id;
  const searched = result.asked.length ? result.asked.map(label).join(', ') : vscode.l10n.t('no backend (none configured)');
  const items: SessionItem[] = [
    {
      label: `$(search-stop) ${vscode.l10n.t('No session matches "{0}"', plain(result.query.text))}`,
      detail: plain(vscode.l10n.t('Searched {0}, and the {1} sessions listed or opened.', searched, result.localCount)),
      alwaysShow: true,
    },
  ];
  if (result.note) items.push({ label: `$(info) ${plain(result.note)}`, alwaysShow: true });
  for (const f of result.failures) {
    items.push({ label: `$(warning) ${vscode.l10n.t('{0} failed', plain(label(f.backendId)))}`, detail: plain(stripPrefixes(f.message)), alwaysShow: true });
  }
  return items;
}

function findInteractive(deps: NavigationDeps): Promise<FindSessionResult> {
  const qp = vscode.window.createQuickPick<SessionItem>();
  qp.title = vscode.l10n.t('Find Session');
  qp.placeholder = vscode.l10n.t('Session or trace id, Q Connect session ARN, or part of a session name');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const recent = recentSessions(deps).map((r) => item(deps, { backendId: r.backendId, session: r.session, exact: false }, 'history'));
  const recentBlock = (): SessionItem[] => (recent.length ? [{ label: vscode.l10n.t('Recent'), kind: vscode.QuickPickItemKind.Separator }, ...recent] : []);
  qp.items = recentBlock();

  let abort: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let seq = 0;
  let pending: Promise<LookupResult | undefined> = Promise.resolve(undefined);
  let last: { found: FoundSession[]; miss?: LookupResult } = { found: [] };

  const render = (mine: number) => {
    if (mine !== seq) return;
    // alwaysShow: an ARN or id does not fuzzy-match a session's label.
    const results = last.found.map((f) => ({ ...item(deps, f, f.exact ? 'target' : 'list-tree'), alwaysShow: true }));
    const head: SessionItem[] = results.length ? [{ label: vscode.l10n.t('Matches'), kind: vscode.QuickPickItemKind.Separator }, ...results] : last.miss ? missItems(deps, last.miss) : [];
    qp.items = [...head, ...recentBlock()];
  };
  /** Local matches show at once, while the backends are asked. */
  const showLocal = (text: string, mine: number) => {
    const local = matchSessions(localCandidates(deps), text).map((m) => ({ backendId: m.backendId, session: m.session, exact: m.exact }));
    const known = new Set(last.found.map((f) => `${f.backendId}\u0000${f.session.id}`));
    last = { found: [...last.found, ...local.filter((m) => !known.has(`${m.backendId}\u0000${m.session.id}`))] };
    render(mine);
  };

  const search = (value: string) => {
    abort?.abort();
    clearTimeout(timer);
    const text = value.trim();
    const mine = ++seq;
    last = { found: [] };
    if (text.length < 2) {
      qp.busy = false;
      qp.items = recentBlock();
      pending = Promise.resolve(undefined);
      return;
    }
    showLocal(text, mine);
    const controller = new AbortController();
    abort = controller;
    qp.busy = true;
    pending = new Promise<LookupResult | undefined>((resolve) => {
      timer = setTimeout(() => {
        const show = (found: FoundSession[]) => {
          last = { found };
          render(mine);
        };
        lookupSessions(deps, text, controller.signal, show).then(
          (r) => {
            if (mine === seq) {
              last = { found: r.found, miss: r.found.length ? undefined : r };
              render(mine);
              qp.busy = false;
            }
            resolve(r);
          },
          () => resolve(undefined),
        );
      }, DEBOUNCE_MS);
      controller.signal.addEventListener('abort', () => resolve(undefined));
    });
  };

  // Backends not listed yet are listed now, so their sessions' names can match (and Q Connect names fill in).
  for (const e of deps.backends.list()) {
    const node = deps.tree.backendNode(e.id);
    if (node && !e.configError && !node.listedOnce) void node.loadPage().then(() => deps.tree.refresh(node));
  }
  let relisted: NodeJS.Timeout | undefined;
  const treeSub = deps.tree.onDidChangeTreeData(() => {
    clearTimeout(relisted);
    relisted = setTimeout(() => {
      const text = qp.value.trim();
      if (text.length >= 2) showLocal(text, seq);
    }, 150);
  });

  return new Promise<FindSessionResult>((resolve) => {
    let settled = false;
    const finish = (r: FindSessionResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
      qp.hide();
    };
    qp.onDidChangeValue(search);
    qp.onDidAccept(async () => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen?.found) {
        finish({ found: chosen.found });
        return;
      }
      if (!qp.value.trim()) return;
      // Enter before the results arrived: wait for them.
      qp.busy = true;
      const result = await pending;
      if (!result || settled) return;
      qp.busy = false;
      if (result.found.length === 1) finish({ found: result.found[0] });
      // None: the picker says so and what was searched; several: the user picks one.
    });
    qp.onDidHide(() => {
      abort?.abort();
      clearTimeout(timer);
      clearTimeout(relisted);
      treeSub.dispose();
      finish({});
      qp.dispose();
    });
    qp.show();
  });
}
