// Keeps the StatsIndex in step with the sessions loaded in this window:
// spans are added as they stream in (only what is new since the last look),
// the index is rebuilt when a session is reloaded or forgotten, and
// listeners hear about it at most every DEBOUNCE_MS.
import * as vscode from 'vscode';
import type { SpanNode } from '../model/tree';
import type { PanelTarget } from '../panel/panelManager';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import type { SessionsTreeProvider } from '../views/sessionsTreeProvider';
import { StatsIndex } from './aggregate';
import { agentRef, type SourceRef } from './definitions';

const DEBOUNCE_MS = 400;
/** Ancestors looked at to find the agent a span runs in. */
const MAX_AGENT_HOPS = 64;

interface Seen {
  forest: unknown;
  consumed: number;
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
  ) {
    // Sessions are created by the tree, the panel and commands: the tree repaints whenever one loads.
    this.subs.push(
      tree.onDidChangeTreeData(() => this.schedule()),
      backends.onDidChangeData(() => this.schedule()),
      backends.onDidChangeBackends(() => this.schedule()),
    );
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
    let rebuild = false;
    for (const [l, s] of this.seen) {
      if (!live.has(l) || s.forest !== l.forest) rebuild = true;
    }
    if (rebuild) {
      for (const s of this.seen.values()) s.sub.dispose();
      this.seen.clear();
      this.index = new StatsIndex<PanelTarget>();
    }
    let added = 0;
    for (const l of live) {
      let s = this.seen.get(l);
      if (!s) this.seen.set(l, (s = { forest: l.forest, consumed: 0, sub: l.onDidUpdate(() => this.schedule()) }));
      for (const node of l.forest.nodesFrom(s.consumed)) {
        this.index.add(node.span, { backendId: l.backendId, session: l.session, spanKey: node.key }, agentOf(node));
        added++;
      }
      s.consumed = l.forest.size;
    }
    if (added || rebuild) {
      this.generation++;
      this.changed.fire();
      return true;
    }
    return false;
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
