// The in-memory home of captured spans: sessions → spans, fed by the live
// capture receiver (src/capture, which adds persistence) and by the JSONL/OTLP
// file backends (./fileSource), which reuse it in memory only.
//
// Spans arrive out of order: OpenAI SDK spans are sent when they END (children
// first) and the trace record, which names the conversation (group_id), may
// come before, after or never. So every trace starts in a session named after
// itself and is moved into its conversation's session when that becomes
// known. Tree building is not done here: views feed spans to ForestBuilder,
// which links children that arrived before their parents.
import { CAPTURE_BACKEND_ID, type Logger } from '../types';
import { sessionIdOf, otelToSpan } from '../otel/span';
import { decodeOtlpJson, OtlpFormatError } from '../otlp/decode';
import { decodeOtlpLogsJson } from '../otlp/logs';
import { applyGenAiEvents, type GenAiEvent } from '../otel/genaiEvents';
import { isSpanItem, isTraceItem, openAiSpanToSpan, traceSessionId, type OpenAiTraceItem } from '../openai/map';
import { StringPool } from '../../model/intern';
import { getRaw, setRaw } from '../../model/raw';
import type { Session, Span, SpanStatus } from '../../model/types';
import type { IDisposable } from '../../common/disposable';
import { Emitter } from '../../common/emitter';

/** `otlp-logs`: an OTLP logs request (GenAI content events joined to their spans). */
export type RecordKind = 'openai' | 'otlp' | 'otlp-logs';

/** One accepted request, as a persistence log stores and replays it. */
export interface PersistedRecord {
  at: number;
  kind: RecordKind;
  body: unknown;
}

/**
 * Where an accepted body can be read again: a line of a JSON Lines file or of
 * the capture log. Spans keep this instead of their wire record (which would
 * double a session's memory); the Raw tab and native exports read it.
 */
export interface BodyRef {
  /** The body as parsed from where it is stored; throws when it is gone (rotated away, file rewritten). */
  read(): Promise<unknown>;
}

/** Where accepted requests are kept across restarts (src/capture/persist.ts writes them to disk). */
export interface StoreLog {
  /** Where the records are, for messages. */
  readonly dir: string;
  readonly totalBytes: number;
  load(onRecord: (record: PersistedRecord, ref: BodyRef) => void): Promise<{ badLines: number }>;
  /** Queues one record; returns where it can be read again. */
  append(kind: RecordKind, at: number, body: unknown, bodyText?: string): BodyRef;
  flush(): Promise<void>;
  clear(): Promise<void>;
}

export type CaptureSource = Exclude<RecordKind, 'otlp-logs'>;

export interface CaptureStoreOptions {
  /** The persisted log to replay on open and append to; no persistence when absent. */
  persistence?: StoreLog;
  /** Memory cap: total spans kept; least recently updated sessions are evicted beyond it. Default 200,000. */
  maxSpans?: number;
  log?: Logger;
}

export interface IngestResult {
  /** Spans accepted. */
  spans: number;
  /** Trace records (OpenAI) or distinct trace ids (OTLP) seen. */
  traces: number;
  /** Log records accepted (OTLP logs requests). */
  logs?: number;
  /** Items/spans that could not be used. */
  rejected: number;
  /** Short reasons for the rejections (never span content). */
  errors: string[];
  /** Sessions that changed. */
  sessionIds: string[];
}

export interface StoreChange {
  /** The session whose spans changed; absent when the list of sessions changed. */
  sessionId?: string;
}

export interface StoreStats {
  sessions: number;
  spans: number;
  /** Sessions and spans dropped to stay under `maxSpans` since start (or the last clear). */
  evictedSessions: number;
  evictedSpans: number;
  /** Bytes of the capture log on disk (0 without persistence). */
  diskBytes: number;
}

/** Where an OTLP span came from, for re-exporting it in OTLP form. */
export interface OtlpOrigin {
  resource?: Record<string, unknown>;
  scope?: Record<string, unknown>;
}

/** A span's wire record, by where its body is stored and its place among the body's records. */
interface RawRef {
  ref: BodyRef;
  kind: CaptureSource;
  index: number;
}

interface Entry {
  id: string;
  source: CaptureSource;
  name?: string;
  /** The name came from an OpenAI trace's workflow_name (wins over span names). */
  namedByTrace: boolean;
  /** Start of the root span that gave the session its name (until a trace record names it). */
  nameStart: number;
  spans: Map<string, Span>;
  traces: Map<string, OpenAiTraceItem | undefined>;
  startTime?: number;
  endTime?: number;
  errors: number;
}

/** A captured session with everything needed to display or re-export it. */
export interface CapturedSession {
  session: Session;
  source: CaptureSource;
  spans: Span[];
  /** OpenAI trace records received for it (in arrival order). */
  traces: OpenAiTraceItem[];
  /** Resource/scope of OTLP spans. */
  otlpOrigin(span: Span): OtlpOrigin | undefined;
}

const DEFAULT_MAX_SPANS = 200_000;
/** A loaded session has ~4.4 distinct strings per span (its ids, names and text). */
const POOL_STRINGS_PER_SPAN = 10;
/** Spans whose log events are kept for joining (events may come before their span, or never meet one). */
const MAX_LOGGED_SPANS = 50_000;
type LogSlot = 'input' | 'output' | 'system';

export class CaptureStore {
  /** Insertion order is recency: an updated session is moved to the end. */
  private readonly sessions = new Map<string, Entry>();
  /** traceId → session holding its spans. */
  private readonly traceSession = new Map<string, string>();
  /** Traces whose session comes from a group/conversation id (not just the trace itself). */
  private readonly explicit = new Set<string>();
  private readonly origins = new WeakMap<Span, OtlpOrigin>();
  /** GenAI log events by span id, oldest first; joined to the span whenever either arrives. */
  private readonly spanLogs = new Map<string, GenAiEvent[]>();
  /** Slots a span got from its log events, refilled when more events arrive. */
  private readonly logFilled = new WeakMap<Span, LogSlot[]>();
  private readonly rawRefs = new WeakMap<Span, RawRef>();
  /** One copy of each repeated long string (prompts and transcripts resent by every LLM call); emptied when sessions are dropped. */
  private pool = new StringPool();
  /** The wire records of the body being ingested, placed once its BodyRef is known. */
  private records: { span: Span; record: unknown; index: number }[] = [];
  /** Inside batch(): change events wait for its end. */
  private batched: { touched: Set<string>; listChanged: boolean } | undefined;
  private readonly changed = new Emitter<StoreChange>();
  /** Per session, who wants each span as it is stored (a stream sends only what is new, not a scan of the session per chunk). */
  private readonly putWatchers = new Map<string, Set<(span: Span) => void>>();
  private spanTotal = 0;
  private evictedSessions = 0;
  private evictedSpans = 0;
  /** The most spans kept in memory (older sessions go first beyond it). */
  readonly maxSpans: number;
  private readonly persist?: StoreLog;
  /** Replaying the log: don't write back what is being read. */
  private replaying = false;

  private constructor(private readonly options: CaptureStoreOptions) {
    this.maxSpans = Math.max(1, options.maxSpans ?? DEFAULT_MAX_SPANS);
    this.persist = options.persistence;
  }

  /** Creates a store and reloads what its persistence log holds. */
  static async open(options: CaptureStoreOptions = {}): Promise<CaptureStore> {
    const store = new CaptureStore(options);
    if (store.persist) {
      store.replaying = true;
      try {
        const { badLines } = await store.persist.load((r, ref) => store.replay(r, ref));
        if (badLines) options.log?.warn(`Capture log: ${badLines} damaged line(s) in ${store.persist.dir} were skipped.`);
      } finally {
        store.replaying = false;
      }
    }
    return store;
  }

  /** An in-memory store (no persistence), e.g. for file backends. */
  static inMemory(options: Omit<CaptureStoreOptions, 'persistence'> = {}): CaptureStore {
    return new CaptureStore(options);
  }

  // ---------------------------------------------------------------- ingest

  /**
   * An OpenAI Agents SDK batch: `{"data":[item…]}` (ingest endpoint) or a bare
   * item/array (JSONL lines). `bodyText` is the received text, for persistence;
   * `ref` where the body can be read again (a file line), when it is stored.
   */
  ingestOpenAi(body: unknown, bodyText?: string, receivedAt = Date.now(), ref?: BodyRef): IngestResult {
    const items = openAiItems(body);
    const result = emptyResult();
    this.records = [];
    if (!items) {
      result.rejected = 1;
      result.errors.push('The body is not an OpenAI tracing batch ({"data":[…]}).');
      return result;
    }
    const touched = new Set<string>();
    let listChanged = false;
    // Trace records first: they decide where this batch's spans go.
    for (const item of items) {
      if (!isTraceItem(item)) continue;
      result.traces++;
      const sid = traceSessionId(item);
      const current = this.traceSession.get(item.id);
      if (current !== undefined && current !== sid && !this.explicit.has(item.id)) {
        this.moveTrace(item.id, sid, 'openai', touched);
        listChanged = true;
      }
      this.traceSession.set(item.id, sid);
      if (sid !== item.id) this.explicit.add(item.id);
      const { entry, created } = this.ensure(sid, 'openai');
      listChanged ||= created;
      entry.traces.set(item.id, item);
      if (typeof item.workflow_name === 'string' && item.workflow_name && !entry.namedByTrace) {
        entry.name = item.workflow_name;
        entry.namedByTrace = true;
        listChanged = true;
      }
      touched.add(sid);
    }
    for (const [index, item] of items.entries()) {
      if (isTraceItem(item)) continue;
      if (!isSpanItem(item)) {
        this.reject(result, isObj(item) && typeof item.object === 'string'
          ? `Items of type "${item.object.slice(0, 40)}" are not tracing items.`
          : 'An item is not a trace or trace.span object with an id.');
        continue;
      }
      let sid = this.traceSession.get(item.trace_id);
      if (sid === undefined) {
        sid = item.trace_id;
        this.traceSession.set(item.trace_id, sid);
      }
      const session = sid;
      const decode = (): Span => this.keep(openAiSpanToSpan(item, session), item, index);
      listChanged = this.addSpan('openai', session, item.trace_id, decode, touched, result) || listChanged;
    }
    this.placeRecords('openai', (result.spans || result.traces) > 0 ? this.record('openai', receivedAt, body, bodyText) ?? ref : undefined);
    return this.finish(result, touched, listChanged);
  }

  /**
   * An OTLP ExportTraceServiceRequest in its JSON form (protobuf bodies are
   * converted first). Throws OtlpFormatError when it is not one at all.
   */
  ingestOtlp(body: unknown, bodyText?: string, receivedAt = Date.now(), ref?: BodyRef): IngestResult {
    const decoded = decodeOtlpJson(body);
    const result = emptyResult();
    this.records = [];
    result.rejected = decoded.rejected;
    result.errors.push(...decoded.errors);
    const touched = new Set<string>();
    let listChanged = false;
    // A conversation id on any span of a trace puts the whole trace in that session.
    const traceIds = new Set<string>();
    const named = new Map<string, string>();
    for (const d of decoded.spans) {
      traceIds.add(d.input.traceId);
      const sid = sessionIdOf(d.input.attributes);
      if (sid && !named.has(d.input.traceId)) named.set(d.input.traceId, sid);
    }
    for (const [traceId, sid] of named) {
      if (this.explicit.has(traceId)) continue; // first conversation id seen for a trace wins
      const current = this.traceSession.get(traceId);
      if (current !== undefined && current !== sid) {
        this.moveTrace(traceId, sid, 'otlp', touched);
        listChanged = true;
      }
      this.traceSession.set(traceId, sid);
      this.explicit.add(traceId);
    }
    result.traces = traceIds.size;
    for (const [index, d] of decoded.spans.entries()) {
      const traceSid = this.traceSession.get(d.input.traceId) ?? d.input.traceId;
      if (!this.traceSession.has(d.input.traceId)) this.traceSession.set(d.input.traceId, traceSid);
      const sid = sessionIdOf(d.input.attributes) ?? traceSid;
      const decode = (): Span => {
        const span = this.keep(otelToSpan(d.input, sid), d.wire, index);
        this.origins.set(span, { resource: d.resource, scope: d.scope });
        this.applyLogs(span);
        return span;
      };
      listChanged = this.addSpan('otlp', sid, d.input.traceId, decode, touched, result) || listChanged;
    }
    this.placeRecords('otlp', result.spans ? this.record('otlp', receivedAt, body, bodyText) ?? ref : undefined);
    return this.finish(result, touched, listChanged);
  }

  /**
   * An OTLP ExportLogsServiceRequest (JSON form). GenAI instrumentations send
   * message content this way; each record is joined to its span by span id,
   * now or when the span arrives. Throws OtlpFormatError when it is not one.
   */
  ingestOtlpLogs(body: unknown, bodyText?: string, receivedAt = Date.now()): IngestResult {
    const decoded = decodeOtlpLogsJson(body);
    const result = emptyResult();
    result.rejected = decoded.rejected;
    result.errors.push(...decoded.errors);
    result.logs = 0;
    const touched = new Set<string>();
    for (const rec of decoded.records) {
      if (!rec.spanId) {
        this.reject(result, 'A log record has no span id: only events of a span are shown.');
        continue;
      }
      const events = this.spanLogs.get(rec.spanId) ?? [];
      this.spanLogs.delete(rec.spanId); // re-insert: most recent last
      const event: GenAiEvent = { attributes: rec.attributes };
      if (rec.eventName) event.name = rec.eventName;
      if (rec.time !== undefined) event.time = rec.time;
      if (rec.body !== undefined) event.body = rec.body;
      events.push(event);
      this.spanLogs.set(rec.spanId, events);
      result.logs++;
      const sid = rec.traceId !== undefined ? this.traceSession.get(rec.traceId) : undefined;
      const span = sid !== undefined ? this.sessions.get(sid)?.spans.get(rec.spanId) : undefined;
      if (span && sid !== undefined) {
        this.applyLogs(span);
        touched.add(sid);
      }
    }
    while (this.spanLogs.size > MAX_LOGGED_SPANS) this.spanLogs.delete(this.spanLogs.keys().next().value as string);
    if (result.logs) this.record('otlp-logs', receivedAt, body, bodyText);
    return this.finish(result, touched, false);
  }

  // ---------------------------------------------------------------- reading

  listSessions(backendId = CAPTURE_BACKEND_ID): Session[] {
    const out: Session[] = [];
    for (const e of this.sessions.values()) out.push(this.toSession(e, backendId));
    return out.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
  }

  getSession(id: string, backendId = CAPTURE_BACKEND_ID): Session | undefined {
    const e = this.sessions.get(id);
    return e && this.toSession(e, backendId);
  }

  /**
   * Tells listeners that a session's spans changed (a reader saw a span replaced after
   * it was shown), or without `id` that the session list did (a listing ended early).
   */
  touch(id?: string): void {
    if (id === undefined) this.emit({});
    else if (this.sessions.has(id)) this.emit({ sessionId: id });
  }

  /**
   * Calls `listener` with each span stored in session `id` from now on (new,
   * sent again, or moved in with its trace), in the order they are stored.
   */
  watchSpans(id: string, listener: (span: Span) => void): IDisposable {
    let set = this.putWatchers.get(id);
    if (!set) this.putWatchers.set(id, (set = new Set()));
    set.add(listener);
    return {
      dispose: () => {
        set.delete(listener);
        if (!set.size && this.putWatchers.get(id) === set) this.putWatchers.delete(id);
      },
    };
  }

  /**
   * Forgets the shared strings: stored spans keep theirs, spans stored later
   * stop sharing with them. A file source calls it when its read ends: the
   * pool's map of a million spans' strings is ~0.2 GB, and a file mostly
   * stops growing once read.
   */
  releasePool(): void {
    this.pool = new StringPool();
  }

  /** The session's spans in arrival order (a snapshot). */
  getSpans(id: string): Span[] | undefined {
    const e = this.sessions.get(id);
    return e && [...e.spans.values()];
  }

  /** The session a trace id (or a span id, or the session id itself) belongs to. */
  sessionOf(id: string): string | undefined {
    if (this.sessions.has(id)) return id;
    const viaTrace = this.traceSession.get(id);
    if (viaTrace !== undefined && this.sessions.has(viaTrace)) return viaTrace;
    for (const e of this.sessions.values()) {
      if (e.spans.has(id)) return e.id;
    }
    return undefined;
  }

  /** The stored span a span handed out stands for (loads hand out copies with tool calls paired). */
  storedSpan(span: Span): Span | undefined {
    const moved = span.traceId !== undefined ? this.traceSession.get(span.traceId) : undefined;
    return this.sessions.get(span.sessionId)?.spans.get(span.id) ?? (moved !== undefined ? this.sessions.get(moved)?.spans.get(span.id) : undefined);
  }

  /**
   * The spans' wire records: held, or read again from where their bodies are
   * stored (each body read and decoded once). Spans whose body is gone are left out.
   */
  async rawRecords(spans: Iterable<Span>): Promise<Map<Span, unknown>> {
    const out = new Map<Span, unknown>();
    const byBody = new Map<BodyRef, { span: Span; raw: RawRef }[]>();
    for (const span of spans) {
      const held = getRaw(span);
      if (held !== undefined) {
        out.set(span, held);
        continue;
      }
      const raw = this.rawRefs.get(span);
      if (!raw) continue;
      const list = byBody.get(raw.ref);
      if (list) list.push({ span, raw });
      else byBody.set(raw.ref, [{ span, raw }]);
    }
    for (const [ref, list] of byBody) {
      let body: unknown;
      try {
        body = await ref.read();
      } catch (err) {
        this.options.log?.warn(`The original record of ${list.length} span(s) could not be read again: ${(err as Error).message}`);
        continue;
      }
      const records = list[0].raw.kind === 'openai' ? openAiItems(body) ?? [] : decodeOtlpJson(body).spans.map((d) => d.wire);
      for (const { span, raw } of list) {
        if (records[raw.index] !== undefined) out.set(span, records[raw.index]);
      }
    }
    return out;
  }

  /**
   * Runs `ingest` (several ingest calls, e.g. one per line of a chunk) with
   * their change events merged into one per session, sent at the end.
   */
  batch<T>(ingest: () => T): T {
    if (this.batched) return ingest();
    const batched = (this.batched = { touched: new Set<string>(), listChanged: false });
    try {
      return ingest();
    } finally {
      this.batched = undefined;
      if (batched.listChanged) this.emit({});
      for (const id of batched.touched) if (this.sessions.has(id)) this.emit({ sessionId: id });
    }
  }

  getCaptured(id: string, backendId = CAPTURE_BACKEND_ID): CapturedSession | undefined {
    const e = this.sessions.get(id);
    if (!e) return undefined;
    return {
      session: this.toSession(e, backendId),
      source: e.source,
      spans: [...e.spans.values()],
      traces: [...e.traces.values()].filter((t): t is OpenAiTraceItem => t !== undefined),
      otlpOrigin: (span) => this.origins.get(span),
    };
  }

  stats(): StoreStats {
    return {
      sessions: this.sessions.size,
      spans: this.spanTotal,
      evictedSessions: this.evictedSessions,
      evictedSpans: this.evictedSpans,
      diskBytes: this.persist?.totalBytes ?? 0,
    };
  }

  onDidChange(listener: (change: StoreChange) => void): { dispose(): void } {
    return this.changed.event(listener);
  }

  /** Resolves when every accepted request is written to disk. */
  async flush(): Promise<void> {
    await this.persist?.flush();
  }

  /** Forgets everything, in memory and on disk. */
  async clear(): Promise<void> {
    this.sessions.clear();
    this.traceSession.clear();
    this.explicit.clear();
    this.spanLogs.clear();
    this.releasePool();
    this.spanTotal = 0;
    this.evictedSessions = 0;
    this.evictedSpans = 0;
    await this.persist?.clear();
    this.emit({});
  }

  async dispose(): Promise<void> {
    await this.flush();
    this.changed.dispose();
  }

  // ---------------------------------------------------------------- internals

  private replay(r: PersistedRecord, ref: BodyRef): void {
    try {
      if (r.kind === 'openai') this.ingestOpenAi(r.body, undefined, r.at, ref);
      else if (r.kind === 'otlp-logs') this.ingestOtlpLogs(r.body, undefined, r.at);
      else this.ingestOtlp(r.body, undefined, r.at, ref);
    } catch (err) {
      if (!(err instanceof OtlpFormatError)) throw err;
    }
  }

  /** Persists an accepted body; returns where it can be read again. */
  private record(kind: RecordKind, at: number, body: unknown, bodyText: string | undefined): BodyRef | undefined {
    return this.persist && !this.replaying ? this.persist.append(kind, at, body, bodyText) : undefined;
  }

  /** Shares the decoded span's long strings and notes its wire record, placed by placeRecords when the body's ingest ends. */
  private keep(span: Span, record: unknown, index: number): Span {
    this.pool.internDeep(span);
    this.records.push({ span, record, index });
    return span;
  }

  /** Where the records of the body just ingested live: behind `ref` when it is stored, else held beside their spans. */
  private placeRecords(kind: CaptureSource, ref: BodyRef | undefined): void {
    for (const { span, record, index } of this.records) {
      if (ref) this.rawRefs.set(span, { ref, kind, index });
      else setRaw(span, record);
    }
    this.records = [];
  }

  /** Fills the span's content slots from its log events (again, when more arrived). */
  private applyLogs(span: Span): void {
    const events = this.spanLogs.get(span.id);
    if (!events) return;
    for (const slot of this.logFilled.get(span) ?? []) delete span[slot];
    const before = { input: span.input, output: span.output, system: span.system };
    const left = applyGenAiEvents(span, events);
    this.logFilled.set(span, (['input', 'output', 'system'] as const).filter((k) => before[k] === undefined && span[k] !== undefined));
    if (left.length) span.attributes['otel.logs'] = left;
    else delete span.attributes['otel.logs'];
  }

  private reject(result: IngestResult, reason: string): void {
    result.rejected++;
    if (!result.errors.includes(reason) && result.errors.length < 10) result.errors.push(reason);
  }

  /**
   * Decodes one span into session `sid`; a span that fails to decode is rejected alone
   * (the rest of the batch still lands). True when the session list changed.
   */
  private addSpan(source: CaptureSource, sid: string, traceId: string, decode: () => Span, touched: Set<string>, result: IngestResult): boolean {
    let span: Span;
    try {
      span = decode();
    } catch (err) {
      this.reject(result, `A span could not be decoded (${(err as Error).name}).`);
      return false;
    }
    const { entry, created } = this.ensure(sid, source);
    if (!entry.traces.has(traceId)) entry.traces.set(traceId, undefined);
    this.put(entry, span);
    touched.add(sid);
    result.spans++;
    return nameFromRoot(entry, span) || created;
  }

  private ensure(id: string, source: CaptureSource): { entry: Entry; created: boolean } {
    let entry = this.sessions.get(id);
    if (entry) {
      // Most recently updated goes last (eviction takes from the front).
      this.sessions.delete(id);
      this.sessions.set(id, entry);
      return { entry, created: false };
    }
    entry = { id, source, namedByTrace: false, nameStart: Infinity, spans: new Map(), traces: new Map(), errors: 0 };
    this.sessions.set(id, entry);
    return { entry, created: true };
  }

  private put(entry: Entry, span: Span): void {
    const old = entry.spans.get(span.id);
    if (old) {
      // Exporters retry: the same span again replaces the earlier copy.
      if (old.status === 'error') entry.errors--;
      entry.spans.delete(span.id);
    } else {
      this.spanTotal++;
    }
    entry.spans.set(span.id, span);
    this.putWatchers.get(entry.id)?.forEach((watch) => watch(span));
    if (span.status === 'error') entry.errors++;
    if (Number.isFinite(span.startTime) && span.startTime > 0) {
      entry.startTime = entry.startTime === undefined ? span.startTime : Math.min(entry.startTime, span.startTime);
    }
    const end = span.endTime ?? span.startTime;
    if (Number.isFinite(end) && end > 0) {
      entry.endTime = entry.endTime === undefined ? end : Math.max(entry.endTime, end);
    }
  }

  /** Moves a trace's spans from the session they were filed under to `to`. */
  private moveTrace(traceId: string, to: string, source: CaptureSource, touched: Set<string>): void {
    const fromId = this.traceSession.get(traceId);
    const from = fromId !== undefined ? this.sessions.get(fromId) : undefined;
    const { entry: target } = this.ensure(to, source);
    if (!from || from === target) return;
    for (const span of [...from.spans.values()]) {
      if (span.traceId !== traceId) continue;
      from.spans.delete(span.id);
      if (span.status === 'error') from.errors--;
      this.spanTotal--;
      span.sessionId = to;
      this.put(target, span);
    }
    target.traces.set(traceId, from.traces.get(traceId) ?? target.traces.get(traceId));
    from.traces.delete(traceId);
    if (from.spans.size === 0 && from.traces.size === 0) {
      this.sessions.delete(from.id);
      touched.delete(from.id);
    } else {
      touched.add(from.id);
    }
    touched.add(to);
  }

  private finish(result: IngestResult, touched: Set<string>, listChanged: boolean): IngestResult {
    listChanged = this.evict(touched) || listChanged;
    result.sessionIds = [...touched].filter((id) => this.sessions.has(id));
    if (this.batched) {
      this.batched.listChanged ||= listChanged;
      for (const id of result.sessionIds) this.batched.touched.add(id);
      return result;
    }
    if (listChanged) this.emit({});
    for (const id of result.sessionIds) this.emit({ sessionId: id });
    return result;
  }

  /** Keeps the span total under the cap; returns whether sessions were removed. */
  private evict(touched: Set<string>): boolean {
    let removed = false;
    while (this.spanTotal > this.maxSpans && this.sessions.size > 1) {
      const [id, oldest] = this.sessions.entries().next().value as [string, Entry];
      this.sessions.delete(id);
      for (const t of oldest.traces.keys()) {
        if (this.traceSession.get(t) === id) {
          this.traceSession.delete(t);
          this.explicit.delete(t);
        }
      }
      this.spanTotal -= oldest.spans.size;
      this.evictedSpans += oldest.spans.size;
      this.evictedSessions++;
      touched.delete(id);
      removed = true;
    }
    if (this.spanTotal > this.maxSpans) {
      // One session alone is over the cap: drop its earliest-received spans.
      const only = this.sessions.values().next().value as Entry;
      for (const [spanId, span] of only.spans) {
        if (this.spanTotal <= this.maxSpans) break;
        only.spans.delete(spanId);
        if (span.status === 'error') only.errors--;
        this.spanTotal--;
        this.evictedSpans++;
      }
      // Past a few strings per kept span, the pool mostly keeps dropped spans' strings alive.
      if (this.pool.size > POOL_STRINGS_PER_SPAN * this.spanTotal) this.releasePool();
    }
    if (removed) {
      // The pool would keep the dropped sessions' strings alive.
      this.releasePool();
      this.options.log?.info(`Live capture is over its limit of ${this.maxSpans} spans: ${this.evictedSessions} older session(s) were dropped from memory.`);
    }
    return removed;
  }

  private toSession(e: Entry, backendId: string): Session {
    const status: SpanStatus = e.errors > 0 ? 'error' : 'ok';
    const traceIds = [...e.traces.keys()];
    const attributes: Record<string, unknown> = { 'capture.source': e.source, traceIds };
    const first = e.traces.values().next().value as OpenAiTraceItem | undefined;
    if (first?.metadata && Object.keys(first.metadata).length) attributes.metadata = first.metadata;
    if (first?.group_id) attributes.group_id = first.group_id;
    const s: Session = { backendId, id: e.id, spanCount: e.spans.size, status, attributes };
    if (e.name !== undefined) s.name = e.name;
    if (e.startTime !== undefined) s.startTime = e.startTime;
    if (e.endTime !== undefined) s.endTime = e.endTime;
    return s;
  }

  private emit(change: StoreChange): void {
    // A listener's failure must not break ingestion (Emitter keeps telling the others).
    this.changed.fire(change);
  }
}

/**
 * Until a trace record names it (OpenAI workflow_name), a session is named
 * after its earliest root span. Returns whether the name changed.
 */
function nameFromRoot(entry: Entry, span: Span): boolean {
  if (span.parentId || entry.namedByTrace || (entry.name !== undefined && span.startTime >= entry.nameStart)) return false;
  entry.name = span.name;
  entry.nameStart = span.startTime;
  return true;
}

/** The items of an OpenAI body: `{"data":[…]}`, an array, or one item; undefined when it is none of them. */
function openAiItems(body: unknown): unknown[] | undefined {
  return Array.isArray(body) ? body : isObj(body) && Array.isArray(body.data) ? body.data : isObj(body) ? [body] : undefined;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function emptyResult(): IngestResult {
  return { spans: 0, traces: 0, rejected: 0, errors: [], sessionIds: [] };
}
