// Compare Sessions…, Compare with Previous Run, Compare Spans…, Compare
// Traces…: load both sides (through the shared SessionCache), project them
// and open VS Code's diff editor on the two read-only documents.
//
// Each command takes tree nodes or {backendId, sessionId[, spanKey]} targets;
// a missing second side is asked for with a quick pick.
import * as vscode from 'vscode';
import { formatTimestamp, oneLine } from '../model/format';
import type { Session, Span } from '../model/types';
import { resolveTarget, type NavigationDeps } from '../navigation/context';
import { plain } from '../navigation/ui';
import { registerCommand } from '../views/registerCommand';
import { TraceNode } from '../views/nodes';
import { compareDocuments, type Alignment, type CompareSide } from './align';
import { CompareDocuments, COMPARE_SCHEME } from './documents';
import { Commands, type CommandId } from '../common/commands';
import type { Target } from '../common/target';

export interface CompareResult {
  left: vscode.Uri;
  right: vscode.Uri;
  alignment: Alignment;
}

function sessionLabel(s: Session): string {
  const when = s.startTime ? ` ${formatTimestamp(s.startTime).slice(0, 16)}` : '';
  return `${oneLine(s.name || s.id, 60)}${when}`;
}

/** All spans of a session, loading it if needed. */
async function sessionSpans(deps: NavigationDeps, t: Target): Promise<Span[]> {
  const loaded = deps.sessions.get(t.backendId, t.session);
  await loaded.ensureLoaded();
  if (loaded.state === 'error' && loaded.error) {
    if (!loaded.spanCount) throw loaded.error;
    deps.log.warn(`[${t.backendId}] comparing session ${t.session.id} with ${loaded.spanCount} spans loaded before: ${loaded.error.message}`);
  }
  return loaded.spans();
}

/** A span and its descendants (iterative: chains may be deep). */
function subtree(deps: NavigationDeps, t: Target): Span[] {
  const loaded = deps.sessions.get(t.backendId, t.session);
  const root = t.spanKey ? loaded.forest.get(t.spanKey) : undefined;
  if (!root) return [];
  const out: Span[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n.span);
    stack.push(...loaded.forest.childrenOf(n));
  }
  return out;
}

/** Sessions the window knows: listed in the tree or loaded. */
function knownSessions(deps: NavigationDeps): Target[] {
  const out = new Map<string, Target>();
  for (const b of deps.backends.list()) {
    for (const s of deps.tree.backendNode(b.id)?.sessions() ?? []) out.set(`${b.id}\u0000${s.id}`, { backendId: b.id, session: s });
    for (const l of deps.sessions.forBackend(b.id)) out.set(`${b.id}\u0000${l.session.id}`, { backendId: b.id, session: l.session });
  }
  return [...out.values()];
}

async function pickSession(deps: NavigationDeps, except: Target | undefined, title: string): Promise<Target | undefined> {
  const items = knownSessions(deps)
    .filter((t) => !except || t.backendId !== except.backendId || t.session.id !== except.session.id)
    .sort((a, b) => (b.session.startTime ?? 0) - (a.session.startTime ?? 0))
    .map((t) => ({ label: plain(oneLine(t.session.name || t.session.id, 80)), description: deps.backends.entry(t.backendId)?.label ?? t.backendId, detail: formatTimestamp(t.session.startTime), target: t }));
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a backend in the Sessions view first: there are no sessions to compare with.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true }))?.target;
}

/** What identifies "the same agent or prompt" across sessions. */
function agentKey(s: Session): string {
  const a = s.attributes ?? {};
  const id = a['agno.agent.id'] ?? a['agno.team.id'] ?? a['agno.workflow.id'] ?? a['agent.name'];
  return typeof id === 'string' && id ? `id:${id}` : `name:${s.name ?? ''}`;
}

function traceRange(spans: readonly Span[], traceId: string): Span[] {
  return spans.filter((s) => (s.traceId ?? '') === traceId);
}

function traceStart(spans: readonly Span[]): number {
  let t = Infinity;
  for (const s of spans) if (s.startTime < t) t = s.startTime;
  return t;
}

export function registerCompare(deps: NavigationDeps): vscode.Disposable[] {
  const docs = new CompareDocuments();

  const open = async (a: CompareSide, b: CompareSide): Promise<CompareResult> => {
    const started = Date.now();
    const result = compareDocuments(a, b);
    const [left, right] = docs.add({ label: a.label, text: result.left }, { label: b.label, text: result.right });
    deps.log.info(`Compare: ${a.spans.length} ↔ ${b.spans.length} spans projected in ${Date.now() - started} ms`);
    await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0} ↔ {1}', oneLine(a.label, 40), oneLine(b.label, 40)), { preview: false });
    return { left, right, alignment: result.alignment };
  };

  const progress = <T>(run: () => Promise<T>) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Span Inspector: comparing…') }, run);

  const compareSessions = async (arg?: unknown, other?: unknown): Promise<CompareResult | undefined> => {
    const a = arg ? await resolveTarget(deps, arg) : await pickSession(deps, undefined, vscode.l10n.t('First session to compare'));
    if (!a) return undefined;
    const b = other ? await resolveTarget(deps, other) : await pickSession(deps, a, vscode.l10n.t('Compare "{0}" with…', oneLine(a.session.name || a.session.id, 40)));
    if (!b) return undefined;
    return progress(async () => {
      const [sa, sb] = await Promise.all([sessionSpans(deps, a), sessionSpans(deps, b)]);
      return open({ label: sessionLabel(a.session), spans: sa }, { label: sessionLabel(b.session), spans: sb });
    });
  };

  const compareTraces = async (arg?: unknown, traceA?: unknown, traceB?: unknown): Promise<CompareResult | undefined> => {
    const t = await resolveTarget(deps, arg);
    if (!t) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a session with several runs in the Span Inspector tree first.'));
      return undefined;
    }
    return progress(async () => {
      const spans = await sessionSpans(deps, t);
      const ids = [...new Set(spans.map((s) => s.traceId ?? ''))].sort((x, y) => traceStart(traceRange(spans, x)) - traceStart(traceRange(spans, y)));
      if (ids.length < 2) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Session "{0}" has only one trace.', oneLine(t.session.name || t.session.id, 60)));
        return undefined;
      }
      const label = (id: string) => {
        const list = traceRange(spans, id);
        const root = list.find((s) => !s.parentId) ?? list[0];
        return `${oneLine(root?.name ?? id, 40)} ${formatTimestamp(traceStart(list)).slice(11, 19)}`;
      };
      const pick = async (except: string | undefined, title: string) =>
        (await vscode.window.showQuickPick(ids.filter((id) => id !== except).map((id) => ({ label: plain(label(id)), description: plain(id), id })), { title }))?.id;
      const first = typeof traceA === 'string' ? traceA : arg instanceof TraceNode ? arg.traceId : await pick(undefined, vscode.l10n.t('First trace to compare'));
      if (first === undefined) return undefined;
      const second = typeof traceB === 'string' ? traceB : await pick(first, vscode.l10n.t('Compare with…'));
      if (second === undefined) return undefined;
      return open({ label: label(first), spans: traceRange(spans, first) }, { label: label(second), spans: traceRange(spans, second) });
    });
  };

  const compareSpans = async (arg?: unknown, other?: unknown): Promise<CompareResult | undefined> => {
    const a = await resolveTarget(deps, arg);
    if (!a?.spanKey) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a span in the Span Inspector tree or open one in the panel first.'));
      return undefined;
    }
    const spanA = deps.sessions.get(a.backendId, a.session).forest.get(a.spanKey)?.span;
    let b = other ? await resolveTarget(deps, other) : undefined;
    if (!b && spanA) {
      // Spans of the same kind and name first: the usual question is "what changed in this call?".
      const items: (vscode.QuickPickItem & { target: Target })[] = [];
      for (const l of knownSessions(deps).map((t) => deps.sessions.peek(t.backendId, t.session.id)).filter((l) => !!l)) {
        for (const { node } of l.forest.walk()) {
          if (node.span.kind !== spanA.kind || node.span.name !== spanA.name || (l.session.id === a.session.id && node.key === a.spanKey)) continue;
          items.push({ label: plain(oneLine(node.span.name, 80)), description: plain(oneLine(l.session.name || l.session.id, 50)), detail: formatTimestamp(node.span.startTime), target: { backendId: l.backendId, session: l.session, spanKey: node.key } });
          if (items.length >= 500) break;
        }
      }
      b = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare span "{0}" with…', oneLine(spanA.name, 40)), matchOnDescription: true }))?.target;
    }
    if (!b?.spanKey) return undefined;
    const target = b;
    return progress(async () => {
      await Promise.all([deps.sessions.get(a.backendId, a.session).ensureLoaded(), deps.sessions.get(target.backendId, target.session).ensureLoaded()]);
      const sa = subtree(deps, a);
      const sb = subtree(deps, target);
      return open({ label: oneLine(sa[0]?.name ?? a.spanKey ?? '', 60), spans: sa }, { label: oneLine(sb[0]?.name ?? target.spanKey ?? '', 60), spans: sb });
    });
  };

  const compareWithPrevious = async (arg?: unknown): Promise<CompareResult | undefined> => {
    const t = await resolveTarget(deps, arg);
    if (!t) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select a session in the Span Inspector tree or open one in the panel first.'));
      return undefined;
    }
    if (arg instanceof TraceNode) {
      // A run of a multi-run session: the run before it in the same session.
      const spans = await sessionSpans(deps, t);
      const ids = [...new Set(spans.map((s) => s.traceId ?? ''))].sort((x, y) => traceStart(traceRange(spans, x)) - traceStart(traceRange(spans, y)));
      const i = ids.indexOf(arg.traceId);
      if (i <= 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('This is the first run of the session.'));
        return undefined;
      }
      return compareTraces(t, ids[i - 1], arg.traceId);
    }
    const key = agentKey(t.session);
    const start = t.session.startTime ?? Infinity;
    const previous = knownSessions(deps)
      .filter((o) => o.backendId === t.backendId && o.session.id !== t.session.id && agentKey(o.session) === key && (o.session.startTime ?? -Infinity) < start)
      .sort((x, y) => (y.session.startTime ?? 0) - (x.session.startTime ?? 0))[0];
    if (!previous) {
      // A multi-run session (Agno runs, OpenAI groups): its last run against the one before.
      const spans = await sessionSpans(deps, t);
      const ids = [...new Set(spans.map((s) => s.traceId ?? ''))].sort((x, y) => traceStart(traceRange(spans, x)) - traceStart(traceRange(spans, y)));
      if (ids.length >= 2) return compareTraces(t, ids[ids.length - 2], ids[ids.length - 1]);
      void vscode.window.showInformationMessage(vscode.l10n.t('No earlier session of "{0}" is listed in the Sessions view.', oneLine(t.session.name || t.session.id, 60)));
      return undefined;
    }
    return compareSessions(previous, t);
  };

  const cmd = (id: CommandId, title: string, run: (...args: unknown[]) => Promise<unknown>) => registerCommand(deps.log, id, title, run);

  return [
    docs,
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, docs),
    cmd(Commands.compareSessions, vscode.l10n.t('Compare Sessions'), (a, b) => compareSessions(a, otherOf(a, b))),
    cmd(Commands.compareWithPrevious, vscode.l10n.t('Compare with Previous Run'), (a) => compareWithPrevious(a)),
    cmd(Commands.compareTraces, vscode.l10n.t('Compare Traces'), (a, x, y) => compareTraces(a, x, y)),
    cmd(Commands.compareSpans, vscode.l10n.t('Compare Spans'), (a, b) => compareSpans(a, otherOf(a, b))),
  ];
}

/** Tree menus pass the multi-selection as the second argument: two selected items compare with each other. */
function otherOf(a: unknown, b: unknown): unknown {
  if (!Array.isArray(b)) return b;
  return b.length === 2 ? b.find((x) => x !== a) : undefined;
}
