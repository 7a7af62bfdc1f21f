// The `phoenix` backend: Arize Phoenix's REST API (/v1).
//
// Sessions. A project's Phoenix sessions come first (`session:<session_id>`,
// newest first), then its traces that belong to no session (`trace:<id>`).
// Spans come from /spans/otlpv1 (OTLP, decoded by the shared OpenInference /
// GenAI decoders) with Phoenix's cursor; each page's span annotations and
// evaluation scores ride along on `Span.annotations`.
import { StringPool } from '../../model/intern';
import type { Annotation, Session, Span } from '../../model/types';
import { BackendError, throwIfAborted } from '../errors';
import { decodeCursor, encodeCursor, JsonClient, retryOptions, storeToken } from '../http/jsonClient';
import { decodeOtlpJson, type DecodedOtlpSpan } from '../otlp/decode';
import { summarizeTraces, toSpans, type TraceSummary } from '../otlp/traceSummary';
import type { Backend, BackendConfig, BackendContext, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { parsePhoenixConfig, PHOENIX_MAX_LIMIT } from './config';
import { isoToMs, otlpv1ToRequest, toAnnotation, type PhoenixPage, type PhoenixSession, type PhoenixSpanAnnotation, type PhoenixTrace } from './map';

export const SESSION_PREFIX = 'session:';
export const TRACE_PREFIX = 'trace:';
/** Trace ids per span request: keeps the query string well under server limits. */
const TRACE_BATCH = 50;
/** Span ids per annotation request (the server allows 1000, the URL would not). */
const ANNOTATION_BATCH = 200;
const MAX_LISTINGS = 16;

interface ListCursor {
  l: string;
  /** sessions, then traces without a session */
  m: 's' | 't';
  c?: string;
}

interface LoadCursor {
  /** trace batch index */
  b: number;
  /** Phoenix cursor within the batch */
  c?: string;
}

interface Listing {
  /** Traces shown inside a session: skipped when the lone traces are listed. */
  sessionTraces: Set<string>;
}

export function createPhoenixBackend(config: BackendConfig, context: BackendContext): Backend {
  return new PhoenixBackend(config, context);
}

export function parseSessionRef(id: string): { kind: 'session' | 'trace' | 'raw'; id: string } {
  const s = id.trim();
  if (s.startsWith(SESSION_PREFIX) && s.length > SESSION_PREFIX.length) return { kind: 'session', id: s.slice(SESSION_PREFIX.length) };
  if (s.startsWith(TRACE_PREFIX) && s.length > TRACE_PREFIX.length) return { kind: 'trace', id: s.slice(TRACE_PREFIX.length).toLowerCase() };
  return { kind: 'raw', id: s };
}

class PhoenixBackend implements Backend {
  readonly id: string;
  readonly type = 'phoenix' as const;
  readonly label: string;
  private readonly client: JsonClient;
  private readonly project: string;
  private readonly pageSize: number;
  private readonly annotations: boolean;
  private readonly known = new Map<string, Session>();
  private readonly listings = new Map<string, Listing>();
  private listingSeq = 0;

  constructor(config: BackendConfig, context: BackendContext) {
    this.id = config.id;
    const settings = parsePhoenixConfig(config);
    this.project = settings.project;
    this.pageSize = settings.pageSize;
    this.annotations = settings.annotations;
    this.label = typeof config.label === 'string' && config.label ? config.label : `Phoenix ${this.project}`;
    this.client = new JsonClient({
      who: `Phoenix backend "${this.id}"`,
      tag: `[phoenix:${this.id}]`,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      ...retryOptions(config),
      log: context.log,
      getToken: () => storeToken((n) => context.getSecret(n), 'phoenix', this.id, 'PHOENIX_API_KEY'),
      tokenHint: '"Span Inspector: Set API Key…" (or the PHOENIX_API_KEY environment variable)',
    });
  }

  private get projectPath(): string {
    return `/v1/projects/${encodeURIComponent(this.project)}`;
  }

  // ---------------------------------------------------------------- sessions

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const limit = Math.max(1, Math.min(PHOENIX_MAX_LIMIT, Math.floor(options.limit ?? 50)));
    let cursor: ListCursor = { l: `${Date.now().toString(36)}.${++this.listingSeq}`, m: 's' };
    if (options.cursor) {
      const c = decodeCursor<ListCursor>(options.cursor);
      if (!c || typeof c.l !== 'string' || (c.m !== 's' && c.m !== 't')) {
        throw new BackendError('badData', `Phoenix backend "${this.id}": the session list position is not valid any more. Refresh the list.`, { nextSteps: ['retry'] });
      }
      cursor = c;
    }
    const listing = this.listing(cursor.l);
    if (cursor.m === 's') {
      const page = await this.getPage<PhoenixSession>(this.client.url(`${this.projectPath}/sessions`, { order: 'desc', limit, cursor: cursor.c }), options.signal);
      const sessions = (page.data ?? []).filter((s) => typeof s.session_id === 'string' && s.session_id);
      const roots = await this.rootNames(sessions.map((s) => s.traces?.[0]?.trace_id).filter((t): t is string => !!t), options.signal);
      const out = sessions.map((s) => {
        for (const t of s.traces ?? []) if (t.trace_id) listing.sessionTraces.add(t.trace_id);
        return this.remember(this.fromPhoenixSession(s, roots));
      });
      if (page.next_cursor) return { sessions: out, cursor: encodeCursor({ ...cursor, c: page.next_cursor } satisfies ListCursor) };
      const traces: ListCursor = { l: cursor.l, m: 't' };
      // Sessions done: fill the rest of this page with the traces in no session.
      if (out.length >= limit) return { sessions: out, cursor: encodeCursor(traces) };
      const rest = await this.loneTraces(listing, traces, limit - out.length, options.signal);
      return { sessions: [...out, ...rest.sessions], cursor: rest.cursor };
    }
    return this.loneTraces(listing, cursor, limit, options.signal);
  }

  private async loneTraces(listing: Listing, cursor: ListCursor, limit: number, signal?: AbortSignal): Promise<SessionPage> {
    const page = await this.getPage<PhoenixTrace>(this.client.url(`${this.projectPath}/traces`, { order: 'desc', sort: 'start_time', limit, cursor: cursor.c }), signal);
    const lone = (page.data ?? []).filter((t) => typeof t.trace_id === 'string' && t.trace_id && !listing.sessionTraces.has(t.trace_id));
    const roots = await this.rootNames(lone.map((t) => t.trace_id as string), signal);
    const out = lone.map((t) => this.remember(this.fromTrace(t, roots.get(t.trace_id as string))));
    return { sessions: out, cursor: page.next_cursor ? encodeCursor({ ...cursor, c: page.next_cursor } satisfies ListCursor) : undefined };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    return this.known.get(sessionId) ?? (await this.resolveSession(sessionId, signal))[0];
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const ref = parseSessionRef(query);
    if (!ref.id) return [];
    if (ref.kind === 'session') return [await this.sessionById(ref.id, signal)].filter((s): s is Session => !!s);
    if (ref.kind === 'trace') return [await this.sessionOfTrace(ref.id, signal)].filter((s): s is Session => !!s);
    // A raw query may be a trace id or a session id: ask both.
    const out: Session[] = [];
    if (/^[0-9a-fA-F]{32}$/.test(ref.id)) {
      const s = await this.sessionOfTrace(ref.id.toLowerCase(), signal);
      if (s) out.push(s);
    }
    const s = await this.sessionById(ref.id, signal);
    if (s && !out.some((o) => o.id === s.id)) out.push(s);
    return out;
  }

  // ------------------------------------------------------------------- spans

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const { signal } = options;
    const ref = parseSessionRef(sessionId);
    let sid: string;
    let traceIds: string[];
    if (ref.kind === 'trace') {
      sid = TRACE_PREFIX + ref.id;
      traceIds = [ref.id];
    } else {
      // Re-read the session: traces added since the listing are included.
      const s = ref.kind === 'session' ? await this.sessionById(ref.id, signal) : await this.getSession(sessionId, signal);
      if (!s) throw new BackendError('notFound', `Phoenix backend "${this.id}": no session or trace "${ref.id}" in project "${this.project}". It may have been deleted; refresh the list.`, { nextSteps: ['retry', 'openSettings'] });
      sid = s.id;
      traceIds = traceIdsOf(s);
    }
    const batches: string[][] = [];
    for (let i = 0; i < traceIds.length; i += TRACE_BATCH) batches.push(traceIds.slice(i, i + TRACE_BATCH));
    let start: LoadCursor = { b: 0 };
    if (options.resumeFrom) {
      const c = decodeCursor<LoadCursor>(options.resumeFrom);
      if (!c || !Number.isInteger(c.b) || c.b < 0 || c.b > batches.length || (c.c !== undefined && typeof c.c !== 'string')) {
        throw new BackendError('badData', `Phoenix backend "${this.id}": the resume position for ${sid} is not valid. Reload the session.`, { nextSteps: ['retry'] });
      }
      start = c;
    }
    const pool = new StringPool();
    let delivered = 0;
    for (let b = start.b; b < batches.length; b++) {
      let pc = b === start.b ? start.c : undefined;
      const used = new Set<string>();
      for (;;) {
        throwIfAborted(signal);
        const page = await this.getPage<unknown>(this.client.url(`${this.projectPath}/spans/otlpv1`, { trace_id: batches[b], limit: this.pageSize, cursor: pc }), signal);
        const doc = pool.internDeep(otlpv1ToRequest(page.data ?? []));
        const decoded = decodeOtlpJson(doc);
        const spans = toSpans(decoded.spans, sid);
        if (this.annotations && spans.length) await this.attachAnnotations(spans, signal);
        delivered += spans.length;
        const next = page.next_cursor || undefined;
        if (next && used.has(next)) {
          throw new BackendError('badData', `Phoenix backend "${this.id}": the server returned a page position it had already returned, so paging stopped. What was loaded is shown; retry later.`, { nextSteps: ['retry', 'openLog'] });
        }
        if (next) used.add(next);
        if (delivered === 0 && !next && b === batches.length - 1 && !options.resumeFrom) {
          throw new BackendError('notFound', `Phoenix backend "${this.id}": no spans for ${sid} in project "${this.project}". It may have been deleted; refresh the list.`, { nextSteps: ['retry'] });
        }
        const cursor: LoadCursor | undefined = next ? { b, c: next } : b + 1 < batches.length ? { b: b + 1 } : undefined;
        const warnings = decoded.rejected ? [`${decoded.rejected} span(s) could not be read: ${decoded.errors.join(' ')}`] : undefined;
        yield { spans, cursor: cursor ? encodeCursor(cursor) : undefined, warnings };
        if (!next) break;
        pc = next;
      }
    }
  }

  dispose(): void {
    this.known.clear();
    this.listings.clear();
  }

  // ----------------------------------------------------------------- helpers

  private async getPage<T>(url: URL, signal?: AbortSignal): Promise<PhoenixPage<T>> {
    const r = await this.client.get<PhoenixPage<T>>(url, signal);
    const body = r.body;
    if (!body || typeof body !== 'object' || (body.data !== undefined && !Array.isArray(body.data))) {
      throw new BackendError('badData', `Phoenix backend "${this.id}": ${url.pathname} did not answer with a page ({"data": […]}). Is "baseUrl" a Phoenix server?`, { nextSteps: ['openSettings', 'retry'] });
    }
    return body;
  }

  /** Root span names of traces, for session names (one request per page of sessions). */
  private async rootNames(traceIds: string[], signal?: AbortSignal): Promise<Map<string, TraceSummary>> {
    const out = new Map<string, TraceSummary>();
    for (let i = 0; i < traceIds.length; i += TRACE_BATCH) {
      const batch = traceIds.slice(i, i + TRACE_BATCH);
      const page = await this.getPage<unknown>(this.client.url(`${this.projectPath}/spans/otlpv1`, { trace_id: batch, parent_id: 'null', limit: PHOENIX_MAX_LIMIT }), signal);
      for (const [k, v] of summarizeTraces(decodeOtlpJson(otlpv1ToRequest(page.data ?? [])).spans)) out.set(k, v);
    }
    return out;
  }

  private async attachAnnotations(spans: Span[], signal?: AbortSignal): Promise<void> {
    const bySpan = new Map<string, Span>();
    for (const s of spans) bySpan.set(s.id, s);
    const ids = [...bySpan.keys()];
    for (let i = 0; i < ids.length; i += ANNOTATION_BATCH) {
      let cursor: string | undefined;
      do {
        const url = this.client.url(`${this.projectPath}/span_annotations`, { span_ids: ids.slice(i, i + ANNOTATION_BATCH), limit: 1000, cursor });
        const r = await this.client.get<PhoenixPage<PhoenixSpanAnnotation>>(url, signal, [404]);
        // 404: "none of the span ids exist", i.e. spans deleted meanwhile: no annotations.
        if (r.status === 404) break;
        for (const a of Array.isArray(r.body?.data) ? r.body.data : []) {
          const span = typeof a?.span_id === 'string' ? bySpan.get(a.span_id) : undefined;
          if (span) (span.annotations ??= []).push(toAnnotation(a));
        }
        cursor = r.body?.next_cursor || undefined;
      } while (cursor);
    }
    for (const s of spans) s.annotations?.sort((a: Annotation, b: Annotation) => a.name.localeCompare(b.name));
  }

  private async sessionById(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const r = await this.client.get<{ data?: PhoenixSession; detail?: unknown }>(this.client.url(`/v1/sessions/${encodeURIComponent(sessionId)}`), signal, [404]);
    if (r.status === 404 || !r.body?.data) return undefined;
    const s = r.body.data;
    const roots = await this.rootNames([s.traces?.[0]?.trace_id].filter((t): t is string => !!t), signal);
    return this.remember(this.fromPhoenixSession(s, roots));
  }

  /** A trace as its session: the Phoenix session that holds it, else the trace alone. */
  private async sessionOfTrace(traceId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const page = await this.getPage<unknown>(this.client.url(`${this.projectPath}/spans/otlpv1`, { trace_id: traceId, limit: PHOENIX_MAX_LIMIT }), signal);
    const decoded: DecodedOtlpSpan[] = decodeOtlpJson(otlpv1ToRequest(page.data ?? [])).spans;
    const t = summarizeTraces(decoded).get(traceId);
    if (!t) return undefined;
    if (t.sessionId) {
      const s = await this.sessionById(t.sessionId, signal);
      if (s && traceIdsOf(s).includes(traceId)) return s;
    }
    return this.remember(this.fromTrace({ trace_id: traceId }, t));
  }

  private fromPhoenixSession(s: PhoenixSession, roots: Map<string, TraceSummary>): Session {
    const traces = (s.traces ?? []).filter((t) => typeof t.trace_id === 'string' && t.trace_id);
    const first = traces[0]?.trace_id ? roots.get(traces[0].trace_id) : undefined;
    const attributes: Record<string, unknown> = {
      'phoenix.sessionId': s.session_id,
      'phoenix.id': s.id,
      'phoenix.traceIds': traces.map((t) => t.trace_id),
      'phoenix.traceCount': traces.length,
    };
    if (typeof s.token_count_total === 'number') attributes['phoenix.tokenCountTotal'] = s.token_count_total;
    return {
      backendId: this.id,
      id: SESSION_PREFIX + s.session_id,
      name: first?.rootName ? `${first.rootName} (${s.session_id})` : String(s.session_id),
      startTime: isoToMs(s.start_time),
      endTime: isoToMs(s.end_time),
      status: first?.status === 'error' ? 'error' : undefined,
      attributes,
    };
  }

  private fromTrace(t: PhoenixTrace, root: TraceSummary | undefined): Session {
    const id = String(t.trace_id);
    return {
      backendId: this.id,
      id: TRACE_PREFIX + id,
      name: root?.rootName ?? id,
      startTime: isoToMs(t.start_time) ?? root?.startTime,
      endTime: isoToMs(t.end_time) ?? root?.endTime,
      status: root?.status === 'error' ? 'error' : undefined,
      attributes: { 'phoenix.traceIds': [id], 'phoenix.traceCount': 1 },
    };
  }

  private remember(s: Session): Session {
    this.known.set(s.id, s);
    return s;
  }

  private listing(id: string): Listing {
    let l = this.listings.get(id);
    if (!l) {
      l = { sessionTraces: new Set() };
      this.listings.set(id, l);
      if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value as string);
    }
    return l;
  }
}

function traceIdsOf(session: Session): string[] {
  const ids = session.attributes?.['phoenix.traceIds'];
  return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
}
