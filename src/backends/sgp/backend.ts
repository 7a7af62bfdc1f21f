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
import type { Session, Span } from '../../model/types';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendConfig, BackendContext, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { encodeCursor, storeToken } from '../http/jsonClient';
import { listPosition, Listings, resumePosition } from '../http/paging';
import { SGP_MAX_LIMIT, SgpClient, type SgpSearchFilters, type SgpSearchPage, type SgpSearchQuery } from './client';
import { parseSgpConfig } from './config';
import { foldRoot, GROUP_PREFIX, parseSessionId, rootSession, sessionIdOfRoot, sgpToSpan, TRACE_PREFIX } from './map';

/** Roots per page of a group, so trace ids per `trace_ids` filter: keeps request bodies and server-side IN lists modest. */
const TRACE_BATCH = 100;
/** Upper bound of root pages read to summarize a group (its session row; loading reads them all). */
const MAX_ROOT_PAGES = 50;

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
  /** starting_after of the group's root page whose traces are loading (none: the first page) */
  r?: string;
  /** starting_after within those traces' spans */
  a?: string;
}

interface LoadTarget {
  sessionId: string;
  traceId?: string;
  groupId?: string;
}

interface TraceBatch {
  traceIds: string[];
  /** The root page's position (starting_after), for resume cursors. */
  at?: string;
  /** The next root page's position. */
  next?: string;
  last: boolean;
}

export function createSgpBackend(config: BackendConfig, context: BackendContext): Backend {
  return new SgpBackend(config, context);
}

class SgpBackend implements Backend {
  readonly id: string;
  readonly type = 'sgp' as const;
  readonly label: string;
  /** Who is talking, in messages. */
  private readonly who: string;
  private readonly client: SgpClient;
  private readonly accountId: string;
  private readonly lookbackDays: number;
  private readonly pageSize: number;
  private readonly known = new Map<string, Session>();
  /** Listings remembered for de-duplicating groups that span several pages. */
  private readonly listings = new Listings<Listing>(() => ({ seen: new Map() }));

  constructor(config: BackendConfig, context: BackendContext) {
    this.id = config.id;
    this.who = `SGP backend "${this.id}"`;
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
    const cursor = options.cursor ? listPosition<ListCursor>(this.who, options.cursor, (c) => typeof c.a === 'string' && typeof c.l === 'string') : undefined;
    const listingId = cursor?.l ?? this.listings.newId();
    const fromTs = cursor ? cursor.f : this.lookbackDays > 0 ? new Date(Date.now() - this.lookbackDays * 86_400_000).toISOString() : undefined;
    const listing = this.listings.get(listingId, () => ({ fromTs, seen: new Map() }));

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
      const session = rootSession(this.id, sid, root);
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
    let start: LoadCursor = {};
    if (options.resumeFrom) {
      start = resumePosition<LoadCursor>(this.who, `session ${target.sessionId}`, options.resumeFrom, (c) => (c.r === undefined || typeof c.r === 'string') && (c.a === undefined || typeof c.a === 'string'));
    }

    // Spans already delivered, by (trace_id, id): servers that overlap pages must
    // not produce duplicates, but SGP keys spans by trace and id, so the same id
    // in two traces of a group is two spans.
    const delivered = new Set<string>();
    const ids = new SpanIdSpace();
    // Repeated transcript text (every LLM call resends the conversation) is stored once.
    const pool = new StringPool();
    let after = start.a; // within the first batch only
    for await (const batch of this.traceBatches(target, start.r, signal)) {
      if (!batch.traceIds.length) {
        yield { spans: [] }; // the last root page held only traces already loaded
        continue;
      }
      const query: SgpSearchQuery = { limit: this.pageSize, sort_by: 'start_timestamp', sort_order: 'asc' };
      for await (const { page, next } of this.walk(query, { trace_ids: batch.traceIds }, signal, after)) {
        const spans = [];
        for (const rec of page.items) {
          const key = `${rec.trace_id ?? ''}\u0000${rec.id}`;
          if (delivered.has(key)) continue;
          delivered.add(key);
          spans.push(ids.place(sgpToSpan(pool.internDeep(rec), target.sessionId)));
        }
        if (delivered.size === 0 && !options.resumeFrom && !next && batch.last) {
          throw new BackendError('notFound', `SGP backend "${this.id}": no spans found for session ${target.sessionId} in account "${this.accountId}". It may have been deleted; refresh the session list.`, { nextSteps: ['retry'] });
        }
        // `page.total` is not a span count: keyset search always sends 0.
        const warnings = pageWarnings(page, next);
        const cursor: LoadCursor | undefined = next !== undefined ? { r: batch.at, a: next } : !batch.last ? { r: batch.next } : undefined;
        yield { spans, cursor: cursor ? encodeCursor(cursor) : undefined, warnings };
      }
      after = undefined;
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

  /** The trace or group a session id names. */
  private async target(sessionId: string, signal?: AbortSignal): Promise<LoadTarget> {
    let ref = parseSessionId(sessionId);
    if (ref.kind === 'raw') {
      const found = (await this.resolveSession(ref.id, signal))[0];
      if (!found) {
        throw new BackendError('notFound', `SGP backend "${this.id}": no trace, span or group "${ref.id}" in account "${this.accountId}".`, { nextSteps: ['openSettings', 'retry'] });
      }
      ref = parseSessionId(found.id);
    }
    return ref.kind === 'trace' ? { sessionId: TRACE_PREFIX + ref.id, traceId: ref.id } : { sessionId: GROUP_PREFIX + ref.id, groupId: ref.id };
  }

  /**
   * The traces whose spans make up the session, a batch at a time: a group's
   * roots are read one page per batch, oldest first, as its spans load, so the
   * first spans do not wait for every root (and traces added since the listing
   * are included).
   */
  private async *traceBatches(target: LoadTarget, from: string | undefined, signal?: AbortSignal): AsyncGenerator<TraceBatch> {
    if (target.traceId !== undefined) {
      yield { traceIds: [target.traceId], last: true };
      return;
    }
    const seen = new Set<string>();
    const query: SgpSearchQuery = { limit: TRACE_BATCH, sort_by: 'start_timestamp', sort_order: 'asc' };
    let at = from;
    let any = false;
    for await (const { page, next } of this.walk(query, { group_id: target.groupId, parents_only: true }, signal, from)) {
      const traceIds: string[] = [];
      for (const root of page.items) {
        const t = root.trace_id;
        if (typeof t === 'string' && t && !seen.has(t)) {
          seen.add(t);
          traceIds.push(t);
        }
      }
      if (!any && !traceIds.length && next === undefined && from === undefined) {
        throw new BackendError('notFound', `SGP backend "${this.id}": no traces in group "${target.groupId}" in account "${this.accountId}". It may have been deleted; refresh the session list.`, { nextSteps: ['retry'] });
      }
      any ||= traceIds.length > 0;
      if (traceIds.length || next === undefined) yield { traceIds, at, next, last: next === undefined };
      at = next;
    }
  }

  /** A group session from all of its root spans. */
  private async fetchGroupSession(groupId: string, signal?: AbortSignal): Promise<Session | undefined> {
    let session: Session | undefined;
    let pages = 0;
    // Newest first, so the session is named after its newest trace, as in the list.
    const query: SgpSearchQuery = { limit: SGP_MAX_LIMIT, sort_by: 'start_timestamp', sort_order: 'desc' };
    for await (const { page } of this.walk(query, { group_id: groupId, parents_only: true }, signal)) {
      for (const root of page.items) {
        if (!session) session = rootSession(this.id, GROUP_PREFIX + groupId, root);
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
      return (await this.fetchGroupSession(root.group_id, signal)) ?? rootSession(this.id, sessionIdOfRoot(root), root);
    }
    const sid = TRACE_PREFIX + traceId;
    const session = rootSession(this.id, sid, root);
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
      else out.set(sid, this.known.get(sid) ?? rootSession(this.id, sid, root));
    }
    return [...out.values()];
  }
}

// ---------------------------------------------------------------------------

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
