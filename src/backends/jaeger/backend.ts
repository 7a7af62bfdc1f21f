// The `jaeger` backend: Jaeger v2's query API (/api/v3), whose answers are OTLP
// JSON, decoded by the same OTLP → GenAI / OpenInference decoders as the
// local receiver.
//
// Sessions. A trace carrying `gen_ai.conversation.id` / `session.id` on any
// span joins the session `session:<id>`; any other trace is `trace:<id>`.
// The list walks the lookback window newest first, a page of traces at a
// time: each page asks for traces that started before the oldest one of the
// previous page. /api/v3 has no attribute filter over HTTP, so `tags` and
// session-id lookups are applied to the traces of the window as they arrive.
import { StringPool } from '../../model/intern';
import type { Session } from '../../model/types';
import { BackendError, throwIfAborted } from '../errors';
import { decodeCursor, encodeCursor, JsonClient, retryOptions, storeToken } from '../http/jsonClient';
import { decodeOtlpJson, type DecodedOtlpSpan } from '../otlp/decode';
import { matchesTags, summarizeTraces, toSpans, worse, type TraceSummary } from '../otlp/traceSummary';
import type { Backend, BackendConfig, BackendContext, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { parseJaegerConfig } from './config';

export const SESSION_PREFIX = 'session:';
export const TRACE_PREFIX = 'trace:';
/** Spans per page handed to the tree while a big trace loads. */
export const SPAN_CHUNK = 5000;
/** Pages of the window scanned when looking for a session's traces. */
const MAX_SCAN_PAGES = 40;
const SCAN_PAGE = 50;
const MAX_LISTINGS = 16;
/** Narrowest slice of the window tried when Jaeger's answers stay full. */
const MIN_SLICE_MS = 0.004;

const TRACE_ID = /^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{32}$/;

interface ListCursor {
  /** listing id */
  l: string;
  /** window end for the next page, epoch ms */
  m: number;
  /** window start, epoch ms */
  n: number;
  /** width of the last complete slice, ms: the next page starts from twice that */
  w?: number;
}

interface LoadCursor {
  /** trace index in the session's sorted trace list */
  t: number;
  /** spans of that trace already delivered */
  o: number;
}

interface Slice {
  traces: TraceSummary[];
  next?: { m: number; w: number };
}

interface Listing {
  seenTraces: Set<string>;
  sessions: Map<string, Session>;
}

export function createJaegerBackend(config: BackendConfig, context: BackendContext): Backend {
  return new JaegerBackend(config, context);
}

export function parseSessionRef(id: string): { kind: 'session' | 'trace' | 'raw'; id: string } {
  const s = id.trim();
  if (s.startsWith(SESSION_PREFIX) && s.length > SESSION_PREFIX.length) return { kind: 'session', id: s.slice(SESSION_PREFIX.length) };
  if (s.startsWith(TRACE_PREFIX) && s.length > TRACE_PREFIX.length) return { kind: 'trace', id: s.slice(TRACE_PREFIX.length).toLowerCase() };
  return { kind: 'raw', id: s };
}

/** A GET of /api/v3/traces…: the decoded spans, or none when Jaeger says "No traces found". */
async function fetchOtlp(client: JsonClient, url: URL, signal: AbortSignal | undefined, pool?: StringPool): Promise<DecodedOtlpSpan[]> {
  const r = await client.get<{ result?: unknown; error?: { message?: string } }>(url, signal, [404]);
  if (r.status === 404) {
    // The grpc-gateway's "No traces found" is an answer; a 404 page from elsewhere means a wrong baseUrl.
    if (r.body?.error) return [];
    throw new BackendError('notFound', `Jaeger: ${url.origin}${url.pathname} is not a Jaeger query API (HTTP 404). Check "baseUrl": it is the query service, e.g. http://jaeger:16686.`, { nextSteps: ['openSettings', 'retry'] });
  }
  const result = r.body?.result ?? r.body;
  const doc = pool ? pool.internDeep(result) : result;
  return decodeOtlpJson(doc).spans;
}

class JaegerBackend implements Backend {
  readonly id: string;
  readonly type = 'jaeger' as const;
  readonly label: string;
  private readonly client: JsonClient;
  private readonly service?: string;
  private readonly lookbackMs: number;
  private readonly tags: Record<string, string>;
  private readonly pageSize: number;
  private readonly known = new Map<string, Session>();
  private readonly listings = new Map<string, Listing>();
  private listingSeq = 0;

  constructor(config: BackendConfig, context: BackendContext) {
    this.id = config.id;
    const settings = parseJaegerConfig(config);
    this.service = settings.service;
    this.lookbackMs = settings.lookbackMs;
    this.tags = settings.tags;
    this.pageSize = settings.pageSize;
    this.label = typeof config.label === 'string' && config.label ? config.label : `Jaeger ${this.service ?? new URL(settings.baseUrl).host}`;
    this.client = new JsonClient({
      who: `Jaeger backend "${this.id}"`,
      tag: `[jaeger:${this.id}]`,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      ...retryOptions(config),
      log: context.log,
      getToken: () => storeToken((n) => context.getSecret(n), 'jaeger', this.id, 'JAEGER_TOKEN'),
      tokenHint: '"Span Inspector: Set API Key…" (or the JAEGER_TOKEN environment variable)',
    });
  }

  // ---------------------------------------------------------------- sessions

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? this.pageSize)));
    let cursor: ListCursor;
    if (options.cursor) {
      const c = decodeCursor<ListCursor>(options.cursor);
      if (!c || typeof c.l !== 'string' || !Number.isFinite(c.m) || !Number.isFinite(c.n)) {
        throw new BackendError('badData', `Jaeger backend "${this.id}": the session list position is not valid any more. Refresh the list.`, { nextSteps: ['retry'] });
      }
      cursor = c;
    } else {
      const now = Date.now();
      cursor = { l: `${now.toString(36)}.${++this.listingSeq}`, m: now + 60_000, n: now - this.lookbackMs };
    }
    const listing = this.listing(cursor.l);
    const sessions: Session[] = [];
    let at: { m: number; w?: number } | undefined = { m: cursor.m, w: cursor.w };
    // Empty slices of the window are skipped, a few per call, so a page is rarely empty.
    for (let slices = 0; at && sessions.length === 0 && slices < 8; slices++) {
      const slice: Slice = await this.slice(cursor.n, at.m, at.w, limit, options.signal);
      for (const t of slice.traces) {
        if (listing.seenTraces.has(t.traceId)) continue;
        listing.seenTraces.add(t.traceId);
        const sid = t.sessionId ? SESSION_PREFIX + t.sessionId : TRACE_PREFIX + t.traceId;
        const existing = listing.sessions.get(sid);
        if (existing) {
          foldTrace(existing, t); // an older trace of a conversation already listed
          continue;
        }
        const s = this.newSession(sid, t);
        listing.sessions.set(sid, s);
        this.known.set(sid, s);
        sessions.push(s);
      }
      at = slice.next;
    }
    return { sessions, cursor: at ? encodeCursor({ ...cursor, m: at.m, w: at.w } satisfies ListCursor) : undefined };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const cached = this.known.get(sessionId);
    if (cached) return cached;
    return (await this.resolveSession(sessionId, signal))[0];
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const ref = parseSessionRef(query);
    if (!ref.id) return [];
    if (ref.kind === 'session') return [await this.sessionById(ref.id, signal)].filter((s): s is Session => !!s);
    if (ref.kind === 'trace' || TRACE_ID.test(ref.id)) {
      const s = await this.sessionOfTrace(ref.id.toLowerCase(), signal);
      if (s || ref.kind === 'trace') return s ? [s] : [];
    }
    const s = await this.sessionById(ref.id, signal);
    return s ? [s] : [];
  }

  // ------------------------------------------------------------------- spans

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const { signal } = options;
    const session = await this.getSession(sessionId, signal);
    if (!session) {
      throw new BackendError('notFound', `Jaeger backend "${this.id}": no trace or session "${sessionId}" in the last ${formatWindow(this.lookbackMs)}${this.service ? ` of service "${this.service}"` : ''}. It may have aged out of the store; refresh the list.`, { nextSteps: ['retry', 'openSettings'] });
    }
    const traceIds = traceIdsOf(session);
    let start: LoadCursor = { t: 0, o: 0 };
    if (options.resumeFrom) {
      const c = decodeCursor<LoadCursor>(options.resumeFrom);
      if (!c || !Number.isInteger(c.t) || !Number.isInteger(c.o) || c.t < 0 || c.o < 0 || c.t > traceIds.length) {
        throw new BackendError('badData', `Jaeger backend "${this.id}": the resume position for ${session.id} is not valid. Reload the session.`, { nextSteps: ['retry'] });
      }
      start = c;
    }
    const pool = new StringPool();
    for (let t = start.t; t < traceIds.length; t++) {
      throwIfAborted(signal);
      const decoded = await fetchOtlp(this.client, this.client.url(`/api/v3/traces/${encodeURIComponent(traceIds[t])}`), signal, pool);
      const skip = t === start.t ? start.o : 0;
      if (decoded.length === 0 && t === 0 && traceIds.length === 1 && !options.resumeFrom) {
        throw new BackendError('notFound', `Jaeger backend "${this.id}": trace ${traceIds[t]} is not in the store any more (Jaeger answered "No traces found"). Refresh the list.`, { nextSteps: ['retry'] });
      }
      // One response per trace, handed over in chunks so the tree fills in as it goes.
      const chunks = Math.max(1, Math.ceil((decoded.length - skip) / SPAN_CHUNK));
      for (let k = 0; k < chunks; k++) {
        const o = skip + k * SPAN_CHUNK;
        const end = Math.min(decoded.length, o + SPAN_CHUNK);
        const spans = toSpans(decoded.slice(o, end), session.id);
        const cursor: LoadCursor | undefined = end < decoded.length ? { t, o: end } : t + 1 < traceIds.length ? { t: t + 1, o: 0 } : undefined;
        yield { spans, cursor: cursor ? encodeCursor(cursor) : undefined };
      }
    }
  }

  dispose(): void {
    this.known.clear();
    this.listings.clear();
  }

  // ----------------------------------------------------------------- helpers

  /**
   * The newest complete slice [lo, max] of the window [min, max]: Jaeger
   * returns at most `limit` traces per query, chosen by its own order (the
   * memory store: most recently received), so a full answer may skip newer
   * traces. The slice is halved until the answer is not full; every trace in
   * it is then known. Returns its traces newest first and where the next
   * slice ends.
   */
  private async slice(min: number, max: number, width: number | undefined, limit: number, signal: AbortSignal | undefined): Promise<Slice> {
    let w = Math.min(width ?? max - min, max - min);
    for (;;) {
      throwIfAborted(signal);
      const lo = Math.max(min, max - w);
      const decoded = await this.findTraces(lo, max, limit, signal);
      const summaries = summarizeTraces(decoded);
      // A full answer: narrow it, down to a few microseconds (agents start traces that close together).
      if (summaries.size >= limit && max - lo > MIN_SLICE_MS) {
        w = (max - lo) / 2;
        continue;
      }
      const byTrace = new Map<string, DecodedOtlpSpan[]>();
      for (const d of decoded) {
        let list = byTrace.get(d.input.traceId);
        if (!list) byTrace.set(d.input.traceId, (list = []));
        list.push(d);
      }
      const traces = [...summaries.values()].filter((t) => matchesTags(byTrace.get(t.traceId) ?? [], this.tags)).sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
      // A sparse slice: try a wider one next time.
      const next = lo > min ? { m: lo - 0.001, w: summaries.size < limit / 2 ? w * 2 : w } : undefined;
      return { traces, next };
    }
  }

  private async findTraces(min: number, max: number, limit: number, signal: AbortSignal | undefined): Promise<DecodedOtlpSpan[]> {
    const url = this.client.url('/api/v3/traces', {
      'query.service_name': this.service,
      'query.start_time_min': isoMicros(min),
      'query.start_time_max': isoMicros(max),
      'query.num_traces': limit,
    });
    return fetchOtlp(this.client, url, signal);
  }

  /** A trace by id, as its session (the conversation's, when it carries an id). */
  private async sessionOfTrace(traceId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const cached = this.known.get(TRACE_PREFIX + traceId);
    if (cached) return cached;
    const decoded = await fetchOtlp(this.client, this.client.url(`/api/v3/traces/${encodeURIComponent(traceId)}`), signal);
    const t = summarizeTraces(decoded).get(traceId);
    if (!t) return undefined;
    if (t.sessionId) return (await this.sessionById(t.sessionId, signal, t)) ?? this.newSession(SESSION_PREFIX + t.sessionId, t);
    const s = this.newSession(TRACE_PREFIX + traceId, t);
    this.known.set(s.id, s);
    return s;
  }

  /** A conversation's traces, gathered from the lookback window (the API cannot filter by attribute). */
  private async sessionById(sessionId: string, signal: AbortSignal | undefined, seed?: TraceSummary): Promise<Session | undefined> {
    const sid = SESSION_PREFIX + sessionId;
    let session: Session | undefined = seed ? this.newSession(sid, seed) : undefined;
    let at: { m: number; w?: number } | undefined = { m: Date.now() + 60_000 };
    const min = Date.now() - this.lookbackMs;
    for (let page = 0; at && page < MAX_SCAN_PAGES; page++) {
      const slice: Slice = await this.slice(min, at.m, at.w, SCAN_PAGE, signal);
      for (const t of slice.traces) {
        if (t.sessionId !== sessionId) continue;
        if (!session) session = this.newSession(sid, t);
        else foldTrace(session, t);
      }
      at = slice.next;
    }
    if (session) this.known.set(sid, session);
    return session;
  }

  private newSession(id: string, t: TraceSummary): Session {
    const attributes: Record<string, unknown> = { 'jaeger.traceIds': [], 'jaeger.traceCount': 0 };
    if (t.service) attributes['jaeger.service'] = t.service;
    if (id.startsWith(SESSION_PREFIX)) attributes['jaeger.sessionId'] = id.slice(SESSION_PREFIX.length);
    const session: Session = { backendId: this.id, id, name: t.rootName ?? t.traceId, attributes, spanCount: 0 };
    foldTrace(session, t);
    return session;
  }

  private listing(id: string): Listing {
    let l = this.listings.get(id);
    if (!l) {
      l = { seenTraces: new Set(), sessions: new Map() };
      this.listings.set(id, l);
      if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value as string);
    }
    return l;
  }
}

/** Adds a trace to a session: time range, trace list (sorted by start), span count, worst status. */
function foldTrace(session: Session, t: TraceSummary): void {
  if (t.startTime !== undefined && (session.startTime === undefined || t.startTime < session.startTime)) {
    session.startTime = t.startTime;
    if (t.rootName) session.name = t.rootName;
  }
  if (t.endTime !== undefined && (session.endTime === undefined || t.endTime > session.endTime)) session.endTime = t.endTime;
  session.status = worse(session.status, t.status);
  const attrs = (session.attributes ??= {});
  const ids = (attrs['jaeger.traceIds'] as string[] | undefined) ?? [];
  const starts = (attrs['jaeger.traceStarts'] as number[] | undefined) ?? [];
  if (!ids.includes(t.traceId)) {
    // Kept in start order, so a resume cursor's trace index means the same trace next time.
    let i = starts.length;
    while (i > 0 && starts[i - 1] > (t.startTime ?? 0)) i--;
    ids.splice(i, 0, t.traceId);
    starts.splice(i, 0, t.startTime ?? 0);
    session.spanCount = (session.spanCount ?? 0) + t.spanCount;
  }
  attrs['jaeger.traceIds'] = ids;
  attrs['jaeger.traceStarts'] = starts;
  attrs['jaeger.traceCount'] = ids.length;
}

function traceIdsOf(session: Session): string[] {
  const ids = session.attributes?.['jaeger.traceIds'];
  return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
}

/** Epoch ms with a fraction → RFC 3339 with microseconds (the API takes nanoseconds; ms would merge slices). */
export function isoMicros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  return new Date(whole).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

function formatWindow(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3600_000 === 0 ? `${ms / 3600_000} h` : `${Math.round(ms / 60_000)} min`;
}
