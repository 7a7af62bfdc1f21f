// Keeps trace stats in step with the sessions loaded or captured in this
// window: one StatsIndex per session, fed only the spans that are new since
// the last look, rebuilt for that session alone when it is reloaded, and
// merged into the index the providers read. Captured sessions are loaded as
// they arrive. Listeners hear about changes at most every DEBOUNCE_MS.
import * as vscode from 'vscode';
import { CAPTURE_BACKEND_ID } from '../backends/types';
import type { SpanNode } from '../model/tree';
import type { Target } from '../common/target';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { mergeIndexes, StatsIndex } from './aggregate';
import { agentRef, type SourceRef } from './definitions';
import { Disposable } from '../common/disposable';

const DEBOUNCE_MS = 400;
/** Longest a scheduled refresh holds the extension host; the rest of a large session follows on the next turn. */
const SLICE_MS = 12;
const POLL_MS = 2000;
/** Ancestors looked at to find the agent a span runs in. */
const MAX_AGENT_HOPS = 64;

interface Seen {
  forest: unknown;
  consumed: number;
  index: StatsIndex<Target>;
  sub: vscode.Disposable;
}

export class LiveStats extends Disposable {
  index = new StatsIndex<Target>();
  /** Bumped whenever the index changes (caches key on it). */
  generation = 0;
  private readonly seen = new Map<LoadedSession, Seen>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  /** Spans were counted by a refresh that ran out of time: the index is merged when one finishes. */
  private unmerged = false;

  constructor(
    private readonly backends: BackendService,
    private readonly sessions: SessionCache,
    tree: SessionsTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Sessions are created by the tree, the panel and commands: the tree repaints whenever one loads.
    super();
    this._register(tree.onDidChangeTreeData(() => this.schedule()));
    this._register(
      backends.onDidChangeData((c) => {
        if (c.backendId === CAPTURE_BACKEND_ID && c.sessionId) void this.loadCaptured(c.sessionId);
        this.schedule();
      }),
    );
    this._register(backends.onDidChangeBackends(() => this.schedule()));
    // SessionCache has no "created" event and commands load sessions the tree never shows:
    // look for new ones every POLL_MS (a walk over a handful of map entries).
    const poll = setInterval(() => {
      for (const b of this.backends.list()) {
        for (const l of this.sessions.forBackend(b.id)) {
          if (!this.seen.has(l)) return this.schedule();
        }
      }
    }, POLL_MS);
    this._register({ dispose: () => clearInterval(poll) });
  }

  /** A captured session counts even if nobody opened it; later changes reload it through the tree. */
  private async loadCaptured(sessionId: string): Promise<void> {
    if (this.sessions.peek(CAPTURE_BACKEND_ID, sessionId)) return;
    try {
      const session = await (await this.backends.get(CAPTURE_BACKEND_ID)).getSession(sessionId);
      if (session && !this.sessions.peek(CAPTURE_BACKEND_ID, sessionId)) await this.sessions.get(CAPTURE_BACKEND_ID, session).ensureLoaded();
    } catch (err) {
      this.log.debug(`Trace stats: captured session ${sessionId} not loaded: ${(err as Error).message}`);
    }
    this.schedule();
  }

  schedule(delayMs = DEBOUNCE_MS): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh(SLICE_MS);
    }, delayMs);
  }

  /**
   * Brings the index up to date; returns whether it changed. With a budget it
   * stops after about `budgetMs` (a 100,000-span session takes ~0.4 s) and
   * continues on the next turn.
   */
  refresh(budgetMs = Infinity): boolean {
    const deadline = performance.now() + budgetMs;
    const live = new Set<LoadedSession>();
    for (const b of this.backends.list()) for (const l of this.sessions.forBackend(b.id)) live.add(l);
    let changed = false;
    for (const [l, s] of this.seen) {
      if (!live.has(l)) {
        s.sub.dispose();
        this.seen.delete(l);
        changed = true;
      }
    }
    let unfinished = false;
    for (const l of live) {
      let s = this.seen.get(l);
      if (!s) this.seen.set(l, (s = { forest: l.forest, consumed: 0, index: new StatsIndex(), sub: l.onDidUpdate(() => this.schedule()) }));
      if (s.forest !== l.forest) {
        // Reloaded: its forest was replaced, count it again from scratch.
        s.forest = l.forest;
        s.consumed = 0;
        s.index = new StatsIndex();
        changed = true;
      }
      for (const node of l.forest.nodesFrom(s.consumed)) {
        s.index.add(node.span, { backendId: l.backendId, session: l.session, spanKey: node.key }, agentOf(node));
        changed = true;
        if (++s.consumed % 256 === 0 && performance.now() > deadline) {
          unfinished = true;
          break;
        }
      }
      if (unfinished) break;
    }
    if (unfinished) {
      this.unmerged ||= changed;
      this.schedule(0);
      return changed;
    }
    if (changed || this.unmerged) {
      this.unmerged = false;
      this.index = mergeIndexes([...this.seen.values()].map((s) => s.index));
      this.generation++;
      this.changed.fire();
    }
    return changed;
  }

  override dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.seen.values()) s.sub.dispose();
    super.dispose();
  }
}

function agentOf(node: SpanNode): SourceRef | undefined {
  let n = node.parent;
  for (let i = 0; n && i < MAX_AGENT_HOPS; i++, n = n.parent) {
    if (n.span.kind === 'agent') return agentRef(n.span);
  }
  return undefined;
}
