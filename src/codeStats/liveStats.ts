// Keeps trace stats in step with the sessions loaded or captured in this
// window: one StatsIndex per session, fed only the spans that are new since
// the last look, rebuilt for that session alone when it is reloaded, and
// merged into the index the providers read. Captured sessions are loaded as
// they arrive. Listeners hear about changes at most every DEBOUNCE_MS.
import * as vscode from 'vscode';
import type { SpanNode } from '../model/tree';
import type { PanelTarget } from '../panel/panelManager';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { mergeIndexes, StatsIndex } from './aggregate';
import { agentRef, type SourceRef } from './definitions';

const DEBOUNCE_MS = 400;
const POLL_MS = 2000;
/** Ancestors looked at to find the agent a span runs in. */
const MAX_AGENT_HOPS = 64;
/** The live receiver's backend (src/backends/store/storeBackend.ts). */
const CAPTURE_BACKEND = 'capture';

interface Seen {
  forest: unknown;
  consumed: number;
  index: StatsIndex<PanelTarget>;
  sub: vscode.Disposable;
}

export class LiveStats implements vscode.Disposable {
  index = new StatsIndex<PanelTarget>();
  /** Bumped whenever the index changes (caches key on it). */
  generation = 0;
  private readonly seen = new Map<LoadedSession, Seen>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly backends: BackendService,
    private readonly sessions: SessionCache,
    tree: SessionsTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Sessions are created by the tree, the panel and commands: the tree repaints whenever one loads.
    this.subs.push(
      tree.onDidChangeTreeData(() => this.schedule()),
      backends.onDidChangeData((c) => {
        if (c.backendId === CAPTURE_BACKEND && c.sessionId) void this.loadCaptured(c.sessionId);
        this.schedule();
      }),
      backends.onDidChangeBackends(() => this.schedule()),
    );
    // SessionCache has no "created" event and commands load sessions the tree never shows:
    // look for new ones every POLL_MS (a walk over a handful of map entries).
    const poll = setInterval(() => {
      for (const b of this.backends.list()) {
        for (const l of this.sessions.forBackend(b.id)) {
          if (!this.seen.has(l)) return this.schedule();
        }
      }
    }, POLL_MS);
    this.subs.push({ dispose: () => clearInterval(poll) });
  }

  /** A captured session counts even if nobody opened it; later changes reload it through the tree. */
  private async loadCaptured(sessionId: string): Promise<void> {
    if (this.sessions.peek(CAPTURE_BACKEND, sessionId)) return;
    try {
      const session = await (await this.backends.get(CAPTURE_BACKEND)).getSession(sessionId);
      if (session && !this.sessions.peek(CAPTURE_BACKEND, sessionId)) await this.sessions.get(CAPTURE_BACKEND, session).ensureLoaded();
    } catch (err) {
      this.log.debug(`Trace stats: captured session ${sessionId} not loaded: ${(err as Error).message}`);
    }
    this.schedule();
  }

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, DEBOUNCE_MS);
  }

  /** Brings the index up to date now; returns whether it changed. */
  refresh(): boolean {
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
      }
      s.consumed = l.forest.size;
    }
    if (changed) {
      this.index = mergeIndexes([...this.seen.values()].map((s) => s.index));
      this.generation++;
      this.changed.fire();
    }
    return changed;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.seen.values()) s.sub.dispose();
    this.subs.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function agentOf(node: SpanNode): SourceRef | undefined {
  let n = node.parent;
  for (let i = 0; n && i < MAX_AGENT_HOPS; i++, n = n.parent) {
    if (n.span.kind === 'agent') return agentRef(n.span);
  }
  return undefined;
}
