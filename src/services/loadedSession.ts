// One session's spans as they stream in, shared by the tree and the panel.
// Pages are linked into a ForestBuilder as they arrive; listeners are told at
// most every UPDATE_MS so a 100k-span load does not repaint 1,000 times. A
// failure keeps what loaded, and Retry resumes from the last page's cursor.
import * as vscode from 'vscode';
import { BackendError, isCancelled, toBackendError } from '../backends/errors';
import type { Backend } from '../backends/types';
import { addCost, emptyCost, Pricer, type CostSummary } from '../model/pricing';
import { getRaw } from '../model/raw';
import { ForestBuilder } from '../model/tree';
import { Signal } from '../common/signal';
import { TimeSlice } from '../common/timeSlice';
import type { Session, Span } from '../model/types';

const UPDATE_MS = 150;
/** Longest a hold (see holdAfter) keeps the load waiting. */
const HOLD_MAX_MS = 3_000;
/** Longest stretch of linking pages before the event loop gets a turn. */
const LOAD_SLICE_MS = 16;

export type LoadState = 'idle' | 'loading' | 'done' | 'error' | 'cancelled';

export class LoadedSession implements vscode.Disposable {
  forest = new ForestBuilder();
  state: LoadState = 'idle';
  error: BackendError | undefined;
  warnings: string[] = [];
  /** Spans and errors per trace id, in arrival order; the tree shows runs when there are several. */
  readonly traces = new Map<string, { spans: number; errors: number; cost: CostSummary }>();
  /** LLM cost of the spans loaded so far (also set as `session.cost`). */
  cost: CostSummary = emptyCost();
  private cursor: string | undefined;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly updated = new vscode.EventEmitter<LoadedSession>();
  /** Fires (throttled) while spans arrive and when loading ends. */
  readonly onDidUpdate = this.updated.event;
  /** Counts updates, so what is derived from the spans can tell whether to derive it again. */
  revision = 0;
  /** Time the first page arrived, for progress reporting and the benchmark. */
  firstPageAt: number | undefined;
  /** Span counts the load waits at (holdAfter), until each hold is released. */
  private readonly holds = new Set<{ spans: number }>();
  private readonly released = new Signal();

  constructor(
    readonly backendId: string,
    public session: Session,
    private readonly getBackend: () => Promise<Backend>,
    private readonly log: vscode.LogOutputChannel,
    private readonly pricer: () => Pricer = defaultPricer,
  ) {}

  get spanCount(): number {
    return this.forest.size;
  }

  /**
   * The span's original wire record: kept beside it (model/raw), or read
   * again from the backend. Undefined when there is none; a failed read is
   * logged and also gives undefined (the Raw tab then shows the normalized span).
   */
  async rawRecord(span: Span): Promise<unknown> {
    const held = getRaw(span);
    if (held !== undefined) return held;
    try {
      const backend = await this.getBackend();
      return await backend.rawRecord?.(span);
    } catch (err) {
      this.log.warn(`[${this.backendId}] could not read the original record of span ${span.id}: ${toBackendError(err).message}`);
      return undefined;
    }
  }

  /**
   * Keeps the load from going past `spans` spans until the hold is disposed
   * (at most `maxMs`). A panel that is opening holds it: its webview
   * starts ~0.35 s sooner on a 2-core machine without a load beside it, and
   * the first rows are waiting when it says `ready`.
   */
  holdAfter(spans: number, maxMs = HOLD_MAX_MS): vscode.Disposable {
    const hold = { spans };
    this.holds.add(hold);
    const release = () => {
      clearTimeout(timer);
      if (this.holds.delete(hold)) this.released.fire();
    };
    const timer = setTimeout(release, maxMs);
    return { dispose: release };
  }

  private held(): boolean {
    for (const h of this.holds) if (this.forest.size >= h.spans) return true;
    return false;
  }

  /** Starts loading if not loaded yet; resolves when loading ends (any outcome). */
  ensureLoaded(): Promise<void> {
    if (this.state === 'idle') {
      return this.start(undefined);
    }
    return this.running ?? Promise.resolve();
  }

  /** Continues after a failure from the last page received. */
  retry(): Promise<void> {
    if (this.state === 'loading') {
      return this.running ?? Promise.resolve();
    }
    return this.start(this.cursor);
  }

  /** Loads everything again (live sources changed); swaps the forest only when done so the tree does not flicker. */
  reload(): Promise<void> {
    this.cancel();
    const fresh = new LoadedSession(this.backendId, this.session, this.getBackend, this.log, this.pricer);
    return fresh.ensureLoaded().then(() => {
      if (fresh.state === 'done') {
        this.forest = fresh.forest;
        this.warnings = fresh.warnings;
        this.traces.clear();
        fresh.traces.forEach((v, k) => this.traces.set(k, v));
        this.cost = fresh.cost;
        this.session.cost = this.cost;
        this.state = 'done';
        this.error = undefined;
        this.cursor = undefined;
      } else if (fresh.error) {
        this.error = fresh.error;
        this.state = 'error';
      }
      fresh.dispose();
      this.fire();
    });
  }

  cancel(): void {
    this.abort?.abort();
    this.released.fire(); // a held load sees the abort
  }

  spans(): Span[] {
    const out: Span[] = [];
    for (const { node } of this.forest.walk()) {
      out.push(node.span);
    }
    return out;
  }

  private traceStats(s: Span): { spans: number; errors: number; cost: CostSummary } {
    const key = s.traceId ?? '';
    let t = this.traces.get(key);
    if (!t) this.traces.set(key, (t = { spans: 0, errors: 0, cost: emptyCost() }));
    return t;
  }

  private price(s: Span, pricer: Pricer, t: { cost: CostSummary }): void {
    const c = pricer.spanCost(s);
    if (c) s.cost = c;
    else delete s.cost;
    addCost(this.cost, c);
    addCost(t.cost, c);
  }

  /** Prices the loaded spans again (the pricing setting changed). */
  reprice(): void {
    const pricer = this.pricer();
    this.cost = emptyCost();
    for (const t of this.traces.values()) t.cost = emptyCost();
    for (const { node } of this.forest.walk()) this.price(node.span, pricer, this.traceStats(node.span));
    if (this.state !== 'idle') this.session.cost = this.cost;
    this.fire();
  }

  private start(from: string | undefined): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.state = 'loading';
    this.error = undefined;
    this.fire();
    this.running = this.run(from, abort.signal).finally(() => {
      this.running = undefined;
      this.flush();
    });
    return this.running;
  }

  private async run(from: string | undefined, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    try {
      const backend = await this.getBackend();
      // Pages already in memory (a parsed file) arrive without a turn of the event
      // loop: without slices the panel's `ready`, update timers and other extensions wait for the whole load.
      const slice = new TimeSlice(LOAD_SLICE_MS);
      for await (const page of backend.loadSpans(this.session.id, { resumeFrom: from, signal })) {
        if (signal.aborted) {
          break;
        }
        this.firstPageAt ??= Date.now();
        this.forest.add(page.spans);
        const pricer = this.pricer();
        for (const s of page.spans) {
          const t = this.traceStats(s);
          t.spans++;
          if (s.status === 'error' || s.status === 'timeout') t.errors++;
          this.price(s, pricer, t);
        }
        this.session.cost = this.cost;
        if (page.warnings) this.warnings.push(...page.warnings);
        this.cursor = page.cursor ?? this.cursor;
        this.schedule();
        while (this.held() && !signal.aborted) await this.released.next();
        await slice.pause();
      }
      this.state = signal.aborted ? 'cancelled' : 'done';
      this.log.info(`[${this.backendId}] session ${this.session.id}: ${this.forest.size} spans in ${Date.now() - started} ms`);
    } catch (err) {
      if (isCancelled(err) || signal.aborted) {
        this.state = 'cancelled';
        return;
      }
      this.error = toBackendError(err);
      this.state = 'error';
      this.log.error(`[${this.backendId}] session ${this.session.id} failed after ${this.forest.size} spans: ${this.error.message}${this.error.detail ? ` (${this.error.detail})` : ''}`);
    }
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), UPDATE_MS);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fire();
  }

  private fire(): void {
    this.revision++;
    this.updated.fire(this);
  }

  dispose(): void {
    this.cancel();
    clearTimeout(this.timer);
    this.updated.dispose();
  }
}

/** One LoadedSession per (backend, session): the tree and every panel share it. */
export class SessionCache implements vscode.Disposable {
  private readonly sessions = new Map<string, LoadedSession>();

  constructor(
    private readonly getBackend: (backendId: string) => Promise<Backend>,
    private readonly log: vscode.LogOutputChannel,
    private readonly pricer: () => Pricer = defaultPricer,
  ) {}

  get(backendId: string, session: Session): LoadedSession {
    const key = `${backendId}\u0000${session.id}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = new LoadedSession(backendId, session, () => this.getBackend(backendId), this.log, this.pricer);
      this.sessions.set(key, s);
    } else if (session.name && !s.session.name) {
      s.session = session;
    }
    return s;
  }

  peek(backendId: string, sessionId: string): LoadedSession | undefined {
    return this.sessions.get(`${backendId}\u0000${sessionId}`);
  }

  /** The sessions of one backend that have been opened. */
  forBackend(backendId: string): LoadedSession[] {
    return [...this.sessions.values()].filter((s) => s.backendId === backendId);
  }

  /** Prices every loaded session again (the pricing setting changed). */
  reprice(): void {
    for (const s of this.sessions.values()) s.reprice();
  }

  /** LLM cost over a backend's opened sessions; undefined when none of them had LLM calls. */
  backendCost(backendId: string): { sessions: number; cost: CostSummary } | undefined {
    const cost = emptyCost();
    let sessions = 0;
    for (const s of this.forBackend(backendId)) {
      if (s.state === 'idle') continue;
      sessions++;
      addCost(cost, s.cost);
    }
    return cost.pricedCalls + cost.unpricedCalls > 0 ? { sessions, cost } : undefined;
  }

  /** Forgets a backend's sessions (settings changed, refresh). */
  clear(backendId?: string): void {
    for (const [key, s] of this.sessions) {
      if (!backendId || s.backendId === backendId) {
        s.dispose();
        this.sessions.delete(key);
      }
    }
  }

  dispose(): void {
    this.clear();
  }
}

let bundled: Pricer | undefined;
/** The bundled price table alone, when no pricing setting is wired (tests, CLI-like uses). */
function defaultPricer(): Pricer {
  return (bundled ??= new Pricer());
}
