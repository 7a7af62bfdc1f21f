// A Backend over a CaptureStore, so the tree, the panel and the CLI show
// captured sessions like any other backend. Also used by the openaiAgents and
// otlp file backends, which fill an in-memory store from files.
import { BackendError, throwIfAborted } from '../errors';
import { CAPTURE_BACKEND_ID, type Backend, type BackendChange, type Disposable, type ListOptions, type LoadOptions, type SessionPage, type SpanPage } from '../types';
import type { BackendType, Session, Span } from '../../model/types';
import type { CaptureStore } from './captureStore';
import { pairToolCalls } from '../../model/toolPairs';

/** Spans per yielded page: small enough that the tree fills progressively. */
export const PAGE_SIZE = 1000;

export interface StoreBackendOptions {
  id?: string;
  label?: string;
  type?: BackendType;
  /** Where the data is, for "not found" messages. */
  where?: string;
}

export class StoreBackend implements Backend {
  readonly id: string;
  readonly label: string;
  readonly type: BackendType;

  constructor(readonly store: CaptureStore, protected readonly options: StoreBackendOptions = {}) {
    this.id = options.id ?? CAPTURE_BACKEND_ID;
    this.label = options.label ?? 'Live capture';
    // BackendType has no 'capture' member; captured data is OTLP or OpenAI-shaped.
    this.type = options.type ?? 'otlp';
  }

  /** Called before every read (file backends catch up with appended lines here). */
  protected async beforeRead(): Promise<void> {
    // nothing to do for the live store
  }

  /** Problems to show beside the session list (e.g. malformed lines in a file). */
  protected warnings(): string[] {
    return [];
  }

  async listSessions(options: ListOptions = {}): Promise<SessionPage> {
    await this.beforeRead();
    throwIfAborted(options.signal);
    const all = this.store.listSessions(this.id);
    let start = options.cursor ? Number(options.cursor) : 0;
    if (!Number.isInteger(start) || start < 0) start = 0;
    const limit = options.limit && options.limit > 0 ? options.limit : all.length;
    const end = Math.min(all.length, start + limit);
    const warnings = this.warnings();
    return {
      sessions: all.slice(start, end),
      cursor: end < all.length ? String(end) : undefined,
      warnings: warnings.length ? warnings : undefined,
    };
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    await this.beforeRead();
    return this.store.getSession(sessionId, this.id);
  }

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    await this.beforeRead();
    const stored = this.store.getSpans(sessionId);
    if (!stored) throw this.notFound(sessionId);
    const spans = pairToolCalls(stored);
    let start = options.resumeFrom ? Number(options.resumeFrom) : 0;
    if (!Number.isInteger(start) || start < 0) start = 0;
    do {
      throwIfAborted(options.signal);
      const end = Math.min(spans.length, start + PAGE_SIZE);
      yield { spans: spans.slice(start, end), cursor: end < spans.length ? String(end) : undefined };
      start = end;
    } while (start < spans.length);
  }

  /** The span's record, read again from its line of the file or the capture log when it is not held. */
  async rawRecord(span: Span): Promise<unknown> {
    const stored = this.store.storedSpan(span) ?? span;
    return (await this.store.rawRecords([stored])).get(stored);
  }

  protected notFound(sessionId: string): BackendError {
    return new BackendError('notFound', `${this.label}: no session "${sessionId}"${this.options.where ? ` in ${this.options.where}` : ''}. It may have been cleared or dropped to stay under the memory limit.`, {
      nextSteps: ['retry'],
    });
  }

  async resolveSession(query: string): Promise<Session[]> {
    await this.beforeRead();
    const q = query.trim();
    if (!q) return [];
    const exactId = this.store.sessionOf(q);
    const exact = exactId !== undefined ? [this.store.getSession(exactId, this.id)!] : [];
    const lower = q.toLowerCase();
    const named = this.store.listSessions(this.id).filter((s) => s.id !== exactId && (s.name ?? '').toLowerCase().includes(lower));
    return [...exact, ...named];
  }

  onDidChange(listener: (change: BackendChange) => void): Disposable {
    return this.store.onDidChange((c) => listener(c.sessionId === undefined ? {} : { sessionId: c.sessionId }));
  }

  dispose(): void {
    // the store belongs to whoever created it
  }
}

/** The "Live capture" backend (id `capture`) over the receiver's store. */
export function createCaptureBackend(store: CaptureStore, options: StoreBackendOptions = {}): StoreBackend {
  return new StoreBackend(store, { id: CAPTURE_BACKEND_ID, label: 'Live capture', ...options });
}
