// The `sgp` backend: Scale GenAI Platform v5 spans via POST /v5/spans/search.
//
// Sessions. SGP links spans into traces (`trace_id`) and traces into groups
// (`group_id`, e.g. one conversation). A normalized Session is
//   - `group:<group_id>`  all spans of every trace in that group, or
//   - `trace:<trace_id>`  one trace that has no group.
// Lookups (getSession, loadSpans, resolveSession) also accept raw trace, span
// and group ids. The tree view adds a per-trace level when a session's spans
// carry several trace ids, so a group shows as group → traces → spans.
import { StringPool } from '../../model/intern';
import type { Session, Span, SpanStatus } from '../../model/types';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendConfig, BackendContext, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { decodeCursor, encodeCursor, storeToken } from '../http/jsonClient';
import { SGP_MAX_LIMIT, SgpClient, type SgpSearchFilters, type SgpSearchPage, type SgpSearchQuery, type SgpSpanRecord } from './client';
import { parseSgpConfig } from './config';
import { mapStatus, sgpToSpan } from './map';

export const GROUP_PREFIX = 'group:';
export const TRACE_PREFIX = 'trace:';

/** Trace ids per `trace_ids` filter: keeps request bodies and server-side IN lists modest. */
const TRACE_BATCH = 100;
/** Upper bound of pages followed when collecting a group's traces. */
const MAX_ROOT_PAGES = 50;
/** Listings remembered for de-duplicating groups that span several pages. */
const MAX_LISTINGS = 16;

type SessionRef = { kind: 'group' | 'trace'; id: string } | { kind: 'raw'; id: string };

export function parseSessionId(sessionId: string): SessionRef {
  const s = sessionId.trim();
  if (s.startsWith(GROUP_PREFIX) && s.length > GROUP_PREFIX.length) return { kind: 'group', id: s.slice(GROUP_PREFIX.length) };
  if (s.startsWith(TRACE_PREFIX) && s.length > TRACE_PREFIX.length) return { kind: 'trace', id: s.slice(TRACE_PREFIX.length) };
  return { kind: 'raw', id: s };
}

/** The session a root span belongs to. */
export function sessionIdOfRoot(root: Pick<SgpSpanRecord, 'group_id' | 'trace_id' | 'id'>): string {
  return typeof root.group_id === 'string' && root.group_id ? GROUP_PREFIX + root.group_id : TRACE_PREFIX + (root.trace_id ?? root.id);
}

interface Listing {
  fromTs?: string;
  /** Sessions already returned by this listing, by id: later roots of a group update them in place. */
  seen: Map<string, Session>;
}

interface ListCursor {
  /** listing id */
  l: string;
  /** starting_after for the next request */
  a: string;
  f?: string;
}

interface LoadCursor {
  /** trace batch index */
  b: number;
  /** starting_after within the batch */
  a?: string;
}

export function createSgpBackend(config: BackendConfig, context: BackendContext): Backend {
  return new SgpBackend(config, context);
}

class SgpBackend implements Backend {
  readonly id: string;
  readonly type = 'sgp' as const;
  readonly label: string;
  private readonly client: SgpClient;
  private readonly accountId: string;
  private readonly lookbackDays: number;
  private readonly pageSize: number;
  private readonly known = new Map<string, Session>();
  private readonly listings = new Map<string, Listing>();
  private listingSeq = 0;

  constructor(config: BackendConfig, private readonly context: BackendContext) {
    this.id = config.id;
    const settings = parseSgpConfig(config);
    this.accountId = settings.accountId;
    this.lookbackDays = settings.lookbackDays;
    this.pageSize = settings.pageSize;
    this.label = typeof config.label === 'string' && config.label ? config.label : `SGP ${this.accountId}`;
    const backendId = this.id;
    this.client = new SgpClient({
      backendId,
      baseUrl: settings.baseUrl,
      accountId: this.accountId,
      projectId: settings.projectId,
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
      log: context.log,
      getApiKey: () => storeToken((n) => context.getSecret(n), 'sgp', backendId, 'SGP_API_KEY'),
    });
  }

  // -------------------------------------------------------------------------
  // Sessions

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const limit = clampLimit(options.limit ?? 50);
    const cursor = options.cursor ? decodeCursor<ListCursor>(options.cursor) : undefined;
    if (options.cursor && (!cursor || typeof cursor.a !== 'string' || typeof cursor.l !== 'string')) {
      throw new BackendError('badData', `SGP backend "${this.id}": the session list position is not valid any more. Refresh the list.`, { nextSteps: ['retry'] });
    }
    const listingId = cursor?.l ?? `${Date.now().toString(36)}.${++this.listingSeq}`;
    const fromTs = cursor ? cursor.f : this.lookbackDays > 0 ? new Date(Date.now() - this.lookbackDays * 86_400_000).toISOString() : undefined;
    const listing = this.listing(listingId, fromTs);

    const page = await this.client.searchSpans(
      { limit, sort_by: 'start_timestamp', sort_order: 'desc', from_ts: fromTs, starting_after: cursor?.a },
      { parents_only: true },
      options.signal,
    );
    const sessions: Session[] = [];
    for (const root of page.items) {
      const sid = sessionIdOfRoot(root);
      const existing = listing.seen.get(sid);
      if (existing) {
        // A group's older trace on a later page: widen the session we already showed.
        foldRoot(existing, root);
        continue;
      }
      const session = newSession(this.id, sid, root);
      listing.seen.set(sid, session);
      this.known.set(sid, session);
      sessions.push(session);
    }
    const next = nextCursor(page);
    const warnings: string[] = [];
    if (page.search_status === 'partial') {
      warnings.push('SGP returned partial search results, so some sessions may be missing. Retry, or set a shorter "lookbackDays" for this backend.');
    }
    if (page.has_more && !next) {
      warnings.push('SGP reported more sessions but sent no way to fetch them; the list may be incomplete.');
    }
    if (next && next === cursor?.a) {
      throw this.loopError('session list');
    }
    return {
      sessions,
      cursor: next ? encodeCursor<ListCursor>({ l: listingId, a: next, f: fromTs }) : undefined,
      warnings: warnings.length ? warnings : undefined,
    };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const ref = parseSessionId(sessionId);
    if (ref.kind !== 'raw') {
      const cached = this.known.get(`${ref.kind}:${ref.id}`);
      if (cached) return cached;
    }
    if (ref.kind === 'group') return this.fetchGroupSession(ref.id, signal);
    if (ref.kind === 'trace') return this.fetchTraceSession(ref.id, signal);
    return (await this.resolveSession(ref.id, signal))[0];
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const q = query.trim();
    if (!q) return [];
    const ref = parseSessionId(q);
    if (ref.kind !== 'raw') {
      const s = ref.kind === 'group' ? await this.fetchGroupSession(ref.id, signal) : await this.fetchTraceSession(ref.id, signal);
      return s ? [s] : [];
    }
    // The query may be a trace id, a span id, a group id or a root span's name: ask all at once.
    const lookups = await Promise.allSettled([
      this.fetchTraceSession(q, signal),
      this.sessionOfSpan(q, signal),
      this.fetchGroupSession(q, signal),
      this.sessionsNamed(q, signal),
    ]);
    const out: Session[] = [];
    const ids = new Set<string>();
    let failure: BackendError | undefined;
    for (const r of lookups) {
      if (r.status === 'rejected') {
        const e = r.reason;
        // A 422 only means "not an id of that kind" (e.g. a server that wants UUIDs).
        if (!(e instanceof BackendError && (e.code === 'config' || e.code === 'notFound'))) failure ??= e instanceof BackendError ? e : new BackendError('server', String(e));
        continue;
      }
      for (const s of [r.value].flat()) {
        if (s && !ids.has(s.id)) {
          ids.add(s.id);
          out.push(s);
        }
      }
    }
    if (failure && (out.length === 0 || failure.code === 'cancelled')) throw failure;
    return out;
  }

  // -------------------------------------------------------------------------
  // Spans

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const { signal } = options;
    const target = await this.target(sessionId, signal);
    const batches: string[][] = [];
    for (let i = 0; i < target.traceIds.length; i += TRACE_BATCH) batches.push(target.traceIds.slice(i, i + TRACE_BATCH));

    let start: LoadCursor = { b: 0 };
    if (options.resumeFrom) {
      const c = decodeCursor<LoadCursor>(options.resumeFrom);
      if (!c || !Number.isInteger(c.b) || c.b < 0 || c.b > batches.length || (c.a !== undefined && typeof c.a !== 'string')) {
        throw new BackendError('badData', `SGP backend "${this.id}": the resume position for session ${target.sessionId} is not valid. Reload the session.`, { nextSteps: ['retry'] });
      }
      start = c;
    }

    // Spans already delivered, by (trace_id, id): servers that overlap pages must
    // not produce duplicates, but SGP keys spans by trace and id, so the same id
    // in two traces of a group is two spans.
    const delivered = new Set<string>();
    const ids = new SpanIdSpace();
    // Repeated transcript text (every LLM call resends the conversation) is stored once.
    const pool = new StringPool();
    for (let b = start.b; b < batches.length; b++) {
      const after = b === start.b ? start.a : undefined;
      const query: SgpSearchQuery = { limit: this.pageSize, sort_by: 'start_timestamp', sort_order: 'asc' };
      for await (const { page, next } of this.walk(query, { trace_ids: batches[b] }, signal, after)) {
        const spans = [];
        for (const rec of page.items) {
          const key = `${rec.trace_id ?? ''}\u0000${rec.id}`;
          if (delivered.has(key)) continue;
          delivered.add(key);
          spans.push(ids.place(sgpToSpan(pool.internDeep(rec), target.sessionId)));
        }
        if (delivered.size === 0 && !options.resumeFrom && !next && b === batches.length - 1) {
          throw new BackendError('notFound', `SGP backend "${this.id}": no spans found for session ${target.sessionId} in account "${this.accountId}". It may have been deleted; refresh the session list.`, { nextSteps: ['retry'] });
        }
        // `page.total` is not a span count: keyset search always sends 0.
        const warnings = pageWarnings(page, next);
        const cursor = next !== undefined ? { b, a: next } : b + 1 < batches.length ? { b: b + 1 } : undefined;
        yield { spans, cursor: cursor ? encodeCursor(cursor) : undefined, warnings };
      }
    }
  }

  dispose(): void {
    this.known.clear();
    this.listings.clear();
  }

  // -------------------------------------------------------------------------
  // Helpers

  /** Follows a search's pages from `after`, detecting cursors that repeat. */
  private async *walk(query: SgpSearchQuery, filters: SgpSearchFilters, signal: AbortSignal | undefined, after?: string): AsyncGenerator<{ page: SgpSearchPage; next?: string }> {
    const used = new Set<string>();
    let cursor = after;
    for (;;) {
      throwIfAborted(signal);
      if (cursor !== undefined) used.add(cursor);
      const page = await this.client.searchSpans({ ...query, starting_after: cursor }, filters, signal);
      const next = nextCursor(page);
      if (next !== undefined && used.has(next)) {
        throw this.loopError('span search');
      }
      yield { page, next };
      if (next === undefined) return;
      cursor = next;
    }
  }

  private loopError(what: string): BackendError {
    return new BackendError(
      'badData',
      `SGP backend "${this.id}": the server returned a page position it had already returned (${what}), so paging stopped to avoid an endless loop. What was loaded so far is shown; retry later.`,
      { nextSteps: ['retry', 'openLog'] },
    );
  }

  /** Which traces a session's spans live in. */
  private async target(sessionId: string, signal?: AbortSignal): Promise<{ sessionId: string; traceIds: string[] }> {
    let ref = parseSessionId(sessionId);
    if (ref.kind === 'raw') {
      const found = (await this.resolveSession(ref.id, signal))[0];
      if (!found) {
        throw new BackendError('notFound', `SGP backend "${this.id}": no trace, span or group "${ref.id}" in account "${this.accountId}".`, { nextSteps: ['openSettings', 'retry'] });
      }
      ref = parseSessionId(found.id);
    }
    if (ref.kind === 'trace') return { sessionId: TRACE_PREFIX + ref.id, traceIds: [ref.id] };
    const sid = GROUP_PREFIX + ref.id;
    // Re-read the group's roots: traces added since the listing are included.
    const session = await this.fetchGroupSession(ref.id, signal);
    const traceIds = new Set<string>([...traceIdsOf(this.known.get(sid)), ...traceIdsOf(session)]);
    if (traceIds.size === 0) {
      throw new BackendError('notFound', `SGP backend "${this.id}": no traces in group "${ref.id}" in account "${this.accountId}". It may have been deleted; refresh the session list.`, { nextSteps: ['retry'] });
    }
    // Sorted, so a resume cursor's batch index means the same traces next time.
    return { sessionId: sid, traceIds: [...traceIds].sort() };
  }

  /** A group session from all of its root spans. */
  private async fetchGroupSession(groupId: string, signal?: AbortSignal): Promise<Session | undefined> {
    let session: Session | undefined;
    let pages = 0;
    // Newest first, so the session is named after its newest trace, as in the list.
    const query: SgpSearchQuery = { limit: SGP_MAX_LIMIT, sort_by: 'start_timestamp', sort_order: 'desc' };
    for await (const { page } of this.walk(query, { group_id: groupId, parents_only: true }, signal)) {
      for (const root of page.items) {
        if (!session) session = newSession(this.id, GROUP_PREFIX + groupId, root);
        else foldRoot(session, root);
      }
      if (++pages >= MAX_ROOT_PAGES) break;
    }
    if (session) this.known.set(session.id, session);
    return session;
  }

  /** The session a trace belongs to: its group's when the root names one. */
  private async fetchTraceSession(traceId: string, signal?: AbortSignal): Promise<Session | undefined> {
    let page = await this.client.searchSpans({ limit: 10, sort_by: 'start_timestamp', sort_order: 'asc' }, { trace_ids: [traceId], parents_only: true }, signal);
    if (page.items.length === 0) {
      // No root (yet): any span of the trace still makes it a session.
      page = await this.client.searchSpans({ limit: 1, sort_by: 'start_timestamp', sort_order: 'asc' }, { trace_ids: [traceId] }, signal);
    }
    const root = page.items[0];
    if (!root) return undefined;
    if (root.group_id) {
      return (await this.fetchGroupSession(root.group_id, signal)) ?? newSession(this.id, sessionIdOfRoot(root), root);
    }
    const sid = TRACE_PREFIX + traceId;
    const session = newSession(this.id, sid, root);
    for (const r of page.items.slice(1)) foldRoot(session, r);
    this.known.set(sid, session);
    return session;
  }

  private async sessionOfSpan(spanId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const page = await this.client.searchSpans({ limit: 1 }, { span_ids: [spanId] }, signal);
    const span = page.items[0];
    if (!span || !span.trace_id) return undefined;
    if (span.group_id) return this.fetchGroupSession(span.group_id, signal);
    return this.fetchTraceSession(span.trace_id, signal);
  }

  private async sessionsNamed(name: string, signal?: AbortSignal): Promise<Session[]> {
    const page = await this.client.searchSpans({ limit: 20, sort_by: 'start_timestamp', sort_order: 'desc' }, { names: [name], parents_only: true }, signal);
    const out = new Map<string, Session>();
    for (const root of page.items) {
      const sid = sessionIdOfRoot(root);
      const s = out.get(sid);
      if (s) foldRoot(s, root);
      else out.set(sid, this.known.get(sid) ?? newSession(this.id, sid, root));
    }
    return [...out.values()];
  }

  private listing(id: string, fromTs: string | undefined): Listing {
    let l = this.listings.get(id);
    if (!l) {
      l = { fromTs, seen: new Map() };
      this.listings.set(id, l);
      if (this.listings.size > MAX_LISTINGS) this.listings.delete(this.listings.keys().next().value as string);
    }
    return l;
  }
}

// ---------------------------------------------------------------------------

function newSession(backendId: string, id: string, root: SgpSpanRecord): Session {
  const meta = root.metadata && typeof root.metadata === 'object' ? (root.metadata as Record<string, unknown>) : {};
  const agent = typeof meta.__agent_name__ === 'string' && meta.__agent_name__ ? meta.__agent_name__ : undefined;
  const rootName = typeof root.name === 'string' && root.name ? root.name : undefined;
  const attributes: Record<string, unknown> = {};
  if (id.startsWith(GROUP_PREFIX)) attributes['sgp.groupId'] = id.slice(GROUP_PREFIX.length);
  if (agent) attributes['sgp.agentName'] = agent;
  const session: Session = {
    backendId,
    id,
    name: agent && rootName && agent !== rootName ? `${agent}: ${rootName}` : agent ?? rootName ?? id,
    attributes,
  };
  foldRoot(session, root);
  return session;
}

const SEVERITY: Record<SpanStatus, number> = { unset: 0, ok: 1, cancelled: 2, timeout: 3, error: 4 };

/** Adds a root span (one trace) to a session: time range, trace list, worst status. */
function foldRoot(session: Session, root: SgpSpanRecord): void {
  const start = root.start_timestamp ? Date.parse(root.start_timestamp) : NaN;
  const end = root.end_timestamp ? Date.parse(root.end_timestamp) : NaN;
  if (!Number.isNaN(start) && (session.startTime === undefined || start < session.startTime)) session.startTime = start;
  if (!Number.isNaN(end) && (session.endTime === undefined || end > session.endTime)) session.endTime = end;
  const status = mapStatus(root.status);
  if (session.status === undefined || SEVERITY[status] > SEVERITY[session.status]) session.status = status;
  const attrs = (session.attributes ??= {});
  const ids = (attrs['sgp.traceIds'] as string[] | undefined) ?? [];
  if (root.trace_id && !ids.includes(root.trace_id)) ids.push(root.trace_id);
  attrs['sgp.traceIds'] = ids;
  attrs['sgp.traceCount'] = ids.length;
}

function traceIdsOf(session: Session | undefined): string[] {
  const ids = session?.attributes?.['sgp.traceIds'];
  return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
}

/** The next page's `starting_after`: the server's cursor when it sends one, else the last item's id. */
function nextCursor(page: SgpSearchPage): string | undefined {
  if (!page.has_more) return undefined;
  return page.next_cursor ?? page.items[page.items.length - 1]?.id;
}

function pageWarnings(page: SgpSearchPage, next: string | undefined): string[] | undefined {
  const w: string[] = [];
  if (page.search_status === 'partial') w.push('SGP returned partial search results for this page, so some spans may be missing. Reload the session to try again.');
  if (page.has_more && next === undefined) w.push('SGP reported more spans but sent an empty page; the session may be incomplete. Reload it to try again.');
  return w.length ? w : undefined;
}

function clampLimit(n: number): number {
  return Math.max(1, Math.min(SGP_MAX_LIMIT, Math.floor(Number.isFinite(n) ? n : 50)));
}

/**
 * Span ids unique within a session: the first trace to use an id keeps it, a
 * later trace reusing it gets `<trace_id>/<id>` for that span and for its
 * children's parent links.
 */
class SpanIdSpace {
  private readonly owner = new Map<string, string>();

  place(span: Span): Span {
    const trace = span.traceId ?? '';
    const own = this.owner.get(span.id);
    if (own === undefined) this.owner.set(span.id, trace);
    else if (own !== trace) {
      span.attributes['sgp.id'] = span.id;
      span.id = `${trace}/${span.id}`;
    }
    if (span.parentId !== undefined) {
      const parentOwner = this.owner.get(span.parentId);
      if (parentOwner !== undefined && parentOwner !== trace) span.parentId = `${trace}/${span.parentId}`;
    }
    return span;
  }
}
