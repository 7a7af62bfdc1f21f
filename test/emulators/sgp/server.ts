// A local stand-in for SGP's spans API (FORMATS.md §2): `POST /v5/spans/search`
// plus the writes the scale-gp-beta client sends (create, batch, upsert), for
// unit tests, the demo and UI tests. It checks the headers, validates filters
// (422 like FastAPI), filters, sorts and pages with `starting_after` (or an
// opaque `next_cursor`), and can inject faults: 429 bursts with Retry-After,
// 5xx, connection resets, truncated JSON, slow answers, partial results and
// a cursor that repeats. Binds 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SgpSpanRecord } from '../../../src/backends/sgp/client';
import { FIXTURE_ACCOUNT_ID, loadFixtureSpans, shiftToNow } from './fixtures';

export const SGP_EMULATOR_API_KEY = 'sgp-emulator-key';

export interface SgpEmulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** The only accepted `x-api-key` (default SGP_EMULATOR_API_KEY). */
  apiKey?: string;
  /** The only accepted `x-selected-account-id` (default "acct-demo", the fixtures' account). */
  accountId?: string;
  /** When set, `x-project-id` must equal it. */
  projectId?: string;
  /** Spans to serve instead of the fixtures (add more later with addSpans). */
  spans?: SgpSpanRecord[];
  /** Serve the fixture spans (default: true unless `spans` is given). */
  fixtures?: boolean;
  /** Move fixture timestamps so the newest starts 10 minutes ago (default true). */
  shiftToNow?: boolean;
  /** Send opaque `next_cursor` tokens instead of relying on last-item ids (default false). */
  nextCursor?: boolean;
  /** Delay added to every answer, ms. */
  latencyMs?: number;
}

/** A scripted failure. Faults run in order; each fires `times` times (default 1) after letting `skip` requests through. */
export type SgpFault = { times?: number; skip?: number } & (
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'partial' }
  /** Ignore starting_after and serve the first page again: the cursor repeats. */
  | { kind: 'repeatCursor' }
);

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  accountId?: string;
  projectId?: string;
  /** Whether x-api-key matched (the key itself is not recorded). */
  apiKeyOk: boolean;
  status: number;
}

export interface SgpEmulator {
  url: string;
  port: number;
  apiKey: string;
  accountId: string;
  requests: RecordedRequest[];
  addSpans(spans: SgpSpanRecord[]): void;
  inject(...faults: SgpFault[]): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const FILTER_KEYS = new Set([
  'trace_ids', 'span_ids', 'parent_ids', 'parents_only', 'group_id', 'names', 'statuses', 'types', 'search_texts',
  'extra_metadata', 'excluded_span_ids', 'excluded_trace_ids', 'application_variant_ids',
  'min_duration_ms', 'max_duration_ms',
  // scale-gp-beta 0.7 SpanSearchParams: (trace_id, span_id) pairs, Agentex metadata, observability ids.
  'spans', 'excluded_spans', 'acp_types', 'agentex_agent_ids', 'agentex_agent_names', 'obs_span_ids', 'obs_trace_ids', 'assessment_types',
]);
const STRING_LISTS = [
  'trace_ids', 'span_ids', 'parent_ids', 'names', 'statuses', 'types', 'search_texts', 'excluded_span_ids', 'excluded_trace_ids', 'application_variant_ids',
  'acp_types', 'agentex_agent_ids', 'agentex_agent_names', 'obs_span_ids', 'obs_trace_ids', 'assessment_types',
];
/** Agentex filters and the metadata key each one matches. */
const AGENTEX_FILTERS: [string, string][] = [['agentex_agent_names', '__agent_name__'], ['agentex_agent_ids', '__agent_id__'], ['acp_types', '__acp_type__']];
const STATUSES = new Set(['SUCCESS', 'ERROR', 'CANCELED']);
const TYPES = new Set([
  'TEXT_INPUT', 'TEXT_OUTPUT', 'COMPLETION_INPUT', 'COMPLETION', 'KB_RETRIEVAL', 'KB_INPUT', 'RERANKING', 'EXTERNAL_ENDPOINT',
  'PROMPT_ENGINEERING', 'DOCUMENT_INPUT', 'MAP_REDUCE', 'DOCUMENT_SEARCH', 'DOCUMENT_PROMPT', 'CUSTOM', 'CODE_EXECUTION',
  'DATA_MANIPULATION', 'EVALUATION', 'FILE_RETRIEVAL', 'KB_ADD_CHUNK', 'KB_MANAGEMENT', 'GUARDRAIL', 'OUTPUT_GUARDRAIL', 'TRACER', 'AGENT_TRACER',
  'AGENT_WORKFLOW', 'STANDALONE',
]);
const SORT_BY = new Set(['start_timestamp', 'duration_ms', 'input_tokens', 'output_tokens']);

type Filters = Record<string, unknown>;
interface Issue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** One stored span with precomputed sort keys. */
interface Row {
  rec: SgpSpanRecord;
  start: number;
  duration: number;
  text?: string;
}

export async function startSgpEmulator(options: SgpEmulatorOptions = {}): Promise<SgpEmulator> {
  const apiKey = options.apiKey ?? SGP_EMULATOR_API_KEY;
  const accountId = options.accountId ?? FIXTURE_ACCOUNT_ID;
  const rows: Row[] = [];
  const byTrace = new Map<string, Row[]>();
  // SGP's tracing service keys spans by (trace_id, id): the same id may live in two traces.
  const byKey = new Map<string, Row>();
  const byId = new Map<string, Row[]>();
  const byGroup = new Map<string, Row[]>();
  // Sorted results per query shape, so paging a 50,000-span trace costs one sort, not fifty.
  const resultCache = new Map<string, { rows: Row[]; pos: Map<string, number> }>();
  const faults: SgpFault[] = [];
  const requests: RecordedRequest[] = [];

  /** Stores spans; a span with a (trace_id, id) already stored replaces it. */
  function addSpans(spans: SgpSpanRecord[]): void {
    for (const rec of spans) {
      const start = Date.parse(rec.start_timestamp ?? '');
      const end = Date.parse(rec.end_timestamp ?? '');
      const times = { start: Number.isNaN(start) ? 0 : start, duration: Number.isNaN(end) || Number.isNaN(start) ? -1 : end - start };
      const key = spanKey(rec);
      const old = byKey.get(key);
      if (old) {
        if (old.rec.group_id !== rec.group_id) {
          if (old.rec.group_id) byGroup.set(old.rec.group_id, (byGroup.get(old.rec.group_id) ?? []).filter((r) => r !== old));
          if (rec.group_id) push(byGroup, rec.group_id, old);
        }
        Object.assign(old, { rec, text: undefined }, times);
        continue;
      }
      const row: Row = { rec, ...times };
      rows.push(row);
      byKey.set(key, row);
      push(byId, rec.id, row);
      push(byTrace, rec.trace_id ?? '', row);
      if (rec.group_id) push(byGroup, rec.group_id, row);
    }
    resultCache.clear();
  }

  /**
   * The write API the scale-gp-beta client calls: POST /v5/spans (create),
   * POST /v5/spans/batch (insert) and PUT /v5/spans/batch (upsert: for a
   * repeated (trace_id, id) a completed span is kept over an in-progress one,
   * otherwise the later one wins). Validation follows the SDK's SpanCreateParam.
   */
  function write(method: string, pathname: string, body: unknown): { status: number; body: unknown } {
    const single = pathname === '/v5/spans';
    if (single ? method !== 'POST' : method !== 'POST' && method !== 'PUT') return { status: 405, body: { detail: 'Method Not Allowed' } };
    const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const items = single ? [o] : Array.isArray(o?.items) ? (o.items as unknown[]) : undefined;
    if (!items) return { status: 422, body: { detail: [{ loc: ['body', 'items'], msg: 'Field required', type: 'missing' }] } };
    if (items.length > 1000) return { status: 422, body: { detail: [{ loc: ['body', 'items'], msg: 'List should have at most 1000 items', type: 'too_long' }] } };
    const issues: Issue[] = [];
    const recs = items.map((item, i) => createRecord(item, single ? ['body'] : ['body', 'items', i], issues));
    if (issues.length) return { status: 422, body: { detail: issues } };
    const upsert = method === 'PUT';
    const batchKeys = new Map<string, SgpSpanRecord>();
    for (const rec of recs as SgpSpanRecord[]) {
      const key = spanKey(rec);
      if (!upsert && (byKey.has(key) || batchKeys.has(key))) return { status: 409, body: { detail: `A span with id ${rec.id} already exists in trace ${rec.trace_id}.` } };
      const parent = rec.parent_id;
      if (parent && !byKey.has(`${rec.trace_id}\u0000${parent}`) && !recs.some((r) => r?.id === parent && r.trace_id === rec.trace_id) && (byId.get(parent) ?? []).length) {
        return { status: 409, body: { detail: `Parent span ${parent} belongs to another trace than ${rec.trace_id}.` } };
      }
      const prev = batchKeys.get(key) ?? byKey.get(key)?.rec;
      // A completed span is not replaced by an in-progress one.
      if (upsert && prev && prev.end_timestamp && !rec.end_timestamp) continue;
      batchKeys.set(key, rec);
    }
    addSpans([...batchKeys.values()]);
    const stored = (recs as SgpSpanRecord[]).map((r) => byKey.get(spanKey(r))!.rec);
    return { status: 200, body: single ? stored[0] : { items: stored, object: 'list' } };
  }

  function createRecord(item: unknown, loc: (string | number)[], issues: Issue[]): SgpSpanRecord | undefined {
    const o = item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const bad = (k: string, msg: string, type: string) => issues.push({ loc: [...loc, k], msg, type });
    if (!o) {
      issues.push({ loc, msg: 'Input should be a valid dictionary', type: 'dict_type' });
      return undefined;
    }
    for (const k of ['name', 'start_timestamp', 'trace_id']) if (typeof o[k] !== 'string') bad(k, o[k] === undefined ? 'Field required' : 'Input should be a valid string', o[k] === undefined ? 'missing' : 'string_type');
    for (const k of ['id', 'parent_id', 'group_id', 'application_interaction_id', 'application_variant_id', 'obs_span_id', 'obs_trace_id', 'end_timestamp']) {
      if (o[k] !== undefined && o[k] !== null && typeof o[k] !== 'string') bad(k, 'Input should be a valid string', 'string_type');
    }
    for (const k of ['input', 'output', 'metadata', 'expected']) {
      if (o[k] !== undefined && o[k] !== null && (typeof o[k] !== 'object' || Array.isArray(o[k]))) bad(k, 'Input should be a valid dictionary', 'dict_type');
    }
    if (o.status !== undefined && o.status !== null && !STATUSES.has(o.status as string)) bad('status', "Input should be 'SUCCESS', 'ERROR' or 'CANCELED'", 'enum');
    if (o.type !== undefined && o.type !== null && !TYPES.has(o.type as string)) bad('type', 'Input should be a valid span type', 'enum');
    for (const k of ['id', 'group_id']) if (typeof o[k] === 'string' && (o[k] as string).length > 256) bad(k, 'String should have at most 256 characters', 'string_too_long');
    const start = Date.parse(String(o.start_timestamp));
    if (typeof o.start_timestamp === 'string' && Number.isNaN(start)) bad('start_timestamp', 'Input should be a valid datetime', 'datetime_parsing');
    if (typeof o.end_timestamp === 'string' && Date.parse(o.end_timestamp) < start) bad('end_timestamp', 'end_timestamp must not precede start_timestamp', 'value_error');
    const known = new Set(['name', 'start_timestamp', 'trace_id', 'id', 'parent_id', 'group_id', 'application_interaction_id', 'application_variant_id', 'obs_span_id', 'obs_trace_id', 'end_timestamp', 'input', 'output', 'metadata', 'expected', 'status', 'type']);
    for (const k of Object.keys(o)) if (!known.has(k)) bad(k, 'Extra inputs are not permitted', 'extra_forbidden');
    const rec: SgpSpanRecord = { id: typeof o.id === 'string' ? o.id : randomUUID(), account_id: accountId, object: 'span', created_by: { id: 'emulator-user', type: 'user', object: 'identity' } };
    for (const k of known) if (k !== 'id' && o[k] !== undefined && o[k] !== null) rec[k] = o[k];
    return rec;
  }

  const useFixtures = options.fixtures ?? options.spans === undefined;
  if (useFixtures) {
    const fx = loadFixtureSpans();
    addSpans(options.shiftToNow === false ? fx : shiftToNow(fx));
  }
  if (options.spans) addSpans(options.spans);

  function query(filters: Filters, sortBy: string, order: string, fromTs?: number, toTs?: number): { rows: Row[]; pos: Map<string, number> } {
    const key = JSON.stringify([filters, sortBy, order, fromTs, toTs]);
    const hit = resultCache.get(key);
    if (hit) return hit;
    let candidates: Iterable<Row> = rows;
    if (Array.isArray(filters.trace_ids)) candidates = (filters.trace_ids as string[]).flatMap((t) => byTrace.get(t) ?? []);
    else if (Array.isArray(filters.span_ids)) candidates = (filters.span_ids as string[]).flatMap((s) => byId.get(s) ?? []);
    else if (typeof filters.group_id === 'string') candidates = byGroup.get(filters.group_id) ?? [];
    const set = (k: string) => (Array.isArray(filters[k]) ? new Set(filters[k] as string[]) : undefined);
    const traceIds = set('trace_ids'), spanIds = set('span_ids'), parentIds = set('parent_ids'), names = set('names');
    const statuses = set('statuses'), types = set('types'), exSpans = set('excluded_span_ids'), exTraces = set('excluded_trace_ids');
    const variants = set('application_variant_ids');
    const obsSpans = set('obs_span_ids'), obsTraces = set('obs_trace_ids');
    // No assessments are stored here, so an assessment filter matches nothing.
    const assessed = Array.isArray(filters.assessment_types) && filters.assessment_types.length > 0;
    const pairs = (k: string) => (Array.isArray(filters[k]) ? new Set((filters[k] as { trace_id: string; span_id: string }[]).map((p) => `${p.trace_id}\u0000${p.span_id}`)) : undefined);
    const onlyPairs = pairs('spans'), exPairs = pairs('excluded_spans');
    const agentex = AGENTEX_FILTERS.map(([k, meta]) => [set(k), meta] as const).filter(([v]) => v);
    const terms = Array.isArray(filters.search_texts) ? (filters.search_texts as string[]).map((t) => t.toLowerCase()) : undefined;
    const extra = filters.extra_metadata as Record<string, unknown> | undefined;
    const minD = filters.min_duration_ms as number | undefined, maxD = filters.max_duration_ms as number | undefined;
    const out: Row[] = [];
    for (const row of candidates) {
      const r = row.rec;
      if (traceIds && !traceIds.has(r.trace_id ?? '')) continue;
      if (spanIds && !spanIds.has(r.id)) continue;
      if (parentIds && !parentIds.has(r.parent_id ?? '')) continue;
      if (filters.parents_only === true && r.parent_id) continue;
      if (typeof filters.group_id === 'string' && r.group_id !== filters.group_id) continue;
      if (names && !names.has(r.name ?? '')) continue;
      if (statuses && !statuses.has(r.status ?? '')) continue;
      if (types && !types.has(r.type ?? '')) continue;
      if (exSpans?.has(r.id) || exTraces?.has(r.trace_id ?? '')) continue;
      if (variants && !variants.has(r.application_variant_id ?? '')) continue;
      if (assessed || (onlyPairs && !onlyPairs.has(spanKey(r))) || exPairs?.has(spanKey(r))) continue;
      if ((obsSpans && !obsSpans.has(String(r.obs_span_id ?? ''))) || (obsTraces && !obsTraces.has(String(r.obs_trace_id ?? '')))) continue;
      if (agentex.some(([v, meta]) => !v!.has(String(((r.metadata ?? {}) as Record<string, unknown>)[meta] ?? '')))) continue;
      if (fromTs !== undefined && row.start < fromTs) continue;
      if (toTs !== undefined && row.start > toTs) continue;
      if (minD !== undefined && row.duration < minD) continue;
      if (maxD !== undefined && row.duration > maxD) continue;
      if (extra) {
        const meta = (r.metadata ?? {}) as Record<string, unknown>;
        if (!Object.entries(extra).every(([k, v]) => meta[k] === v)) continue;
      }
      if (terms) {
        row.text ??= `${r.name ?? ''}\n${JSON.stringify(r.input ?? '')}\n${JSON.stringify(r.output ?? '')}\n${JSON.stringify(r.metadata ?? '')}`.toLowerCase();
        if (!terms.every((t) => row.text!.includes(t))) continue;
      }
      out.push(row);
    }
    const keyOf = (row: Row): number | undefined =>
      sortBy === 'duration_ms' ? (row.duration >= 0 ? row.duration : undefined)
        : sortBy === 'input_tokens' ? numOrUndef(row.rec.input_tokens)
          : sortBy === 'output_tokens' ? numOrUndef(row.rec.output_tokens)
            : row.start;
    const dir = order === 'asc' ? 1 : -1;
    out.sort((a, b) => {
      const ka = keyOf(a), kb = keyOf(b);
      if (ka !== kb) {
        if (ka === undefined) return 1; // missing values last in both orders
        if (kb === undefined) return -1;
        return (ka - kb) * dir;
      }
      return a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : 0;
    });
    // A cursor names a span id only; when two traces share it, resume after the first (repeat rather than skip).
    const pos = new Map<string, number>();
    out.forEach((r, i) => pos.has(r.rec.id) || pos.set(r.rec.id, i));
    const result = { rows: out, pos };
    if (resultCache.size > 64) resultCache.clear();
    resultCache.set(key, result);
    return result;
  }

  function search(q: URLSearchParams, filters: Filters, ignoreCursor: boolean): { status: number; body: unknown } {
    const issues = validate(q, filters);
    if (issues.length) return { status: 422, body: { detail: issues } };
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    const result = query(filters, q.get('sort_by') ?? 'start_timestamp', q.get('sort_order') ?? 'desc', isoParam(q, 'from_ts'), isoParam(q, 'to_ts'));
    let from = 0;
    let to: number;
    const after = ignoreCursor ? null : q.get('starting_after');
    const before = ignoreCursor ? null : q.get('ending_before');
    if (after) {
      const p = result.pos.get(fromCursor(after));
      if (p === undefined) return { status: 422, body: { detail: [{ loc: ['query', 'starting_after'], msg: 'No span with this id in the search results.', type: 'value_error' }] } };
      from = p + 1;
    }
    if (before) {
      const p = result.pos.get(fromCursor(before));
      if (p === undefined) return { status: 422, body: { detail: [{ loc: ['query', 'ending_before'], msg: 'No span with this id in the search results.', type: 'value_error' }] } };
      to = p;
      from = Math.max(0, to - limit);
    } else {
      to = Math.min(result.rows.length, from + limit);
    }
    const items = result.rows.slice(from, to).map((r) => r.rec);
    const hasMore = before ? from > 0 : to < result.rows.length;
    // Keyset search does not count: SGP sends total 0 whatever the match count.
    const body: Record<string, unknown> = { items, has_more: hasMore, total: 0 };
    if (options.nextCursor && hasMore && items.length) body.next_cursor = toCursor(items[items.length - 1].id);
    return { status: 200, body };
  }

  function nextFault(): SgpFault | undefined {
    const f = faults[0];
    if (!f) return undefined;
    if ((f.skip ?? 0) > 0) {
      f.skip = (f.skip ?? 0) - 1;
      return undefined;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.shift();
    return f;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      accountId: header(req, 'x-selected-account-id'),
      projectId: header(req, 'x-project-id'),
      apiKeyOk: header(req, 'x-api-key') === apiKey,
      status: 0,
    };
    requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      if (res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    if (options.latencyMs) await delay(options.latencyMs);
    const writing = url.pathname === '/v5/spans' || url.pathname === '/v5/spans/batch';
    if (url.pathname !== '/v5/spans/search' && !writing) return send(404, { detail: 'Not Found' });
    if (writing) {
      if (header(req, 'x-api-key') !== apiKey) return send(401, { detail: 'Invalid API key.' });
      if (rec.accountId !== accountId) return send(403, { detail: 'The x-selected-account-id header is required.' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw || 'null');
      } catch {
        return send(422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
      }
      rec.body = parsed;
      const result = write(req.method ?? '', url.pathname, parsed);
      return send(result.status, result.body);
    }
    if (req.method !== 'POST') return send(405, { detail: 'Method Not Allowed' });

    // Infrastructure faults come before auth, as a proxy or load balancer would.
    const fault = nextFault();
    if (fault?.kind === 'reset') {
      rec.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      return send(fault.status, fault.body ?? { detail: http.STATUS_CODES[fault.status] ?? 'Error' }, headers);
    }
    if (fault?.kind === 'slow') await delay(fault.delayMs);

    const key = header(req, 'x-api-key');
    if (!key) return send(401, { detail: 'Missing x-api-key header.' });
    if (key !== apiKey) return send(401, { detail: 'Invalid API key.' });
    if (rec.accountId !== accountId) {
      return send(403, { detail: rec.accountId ? `You do not have access to account ${rec.accountId}.` : 'The x-selected-account-id header is required.' });
    }
    if (options.projectId && rec.projectId !== options.projectId) {
      return send(403, { detail: `You do not have access to project ${rec.projectId ?? '(none)'}.` });
    }
    let filters: unknown = {};
    if (raw.trim()) {
      try {
        filters = JSON.parse(raw);
      } catch {
        return send(422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
      }
    }
    rec.body = filters;
    if (!filters || typeof filters !== 'object' || Array.isArray(filters)) {
      return send(422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
    }
    const result = search(url.searchParams, filters as Filters, fault?.kind === 'repeatCursor');
    if (fault?.kind === 'partial' && result.status === 200) (result.body as Record<string, unknown>).search_status = 'partial';
    if (fault?.kind === 'truncate' && result.status === 200) {
      const text = JSON.stringify(result.body);
      const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      rec.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(cut) });
      res.end(cut);
      return;
    }
    send(result.status, result.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    apiKey,
    accountId,
    requests,
    addSpans,
    inject: (...f: SgpFault[]) => faults.push(...f.map((x) => ({ ...x }))),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function validate(q: URLSearchParams, f: Filters): Issue[] {
  const issues: Issue[] = [];
  const bad = (loc: (string | number)[], msg: string, type = 'value_error') => issues.push({ loc, msg, type });
  if (q.has('limit')) {
    const n = Number(q.get('limit'));
    if (!Number.isInteger(n) || n < 1 || n > 1000) bad(['query', 'limit'], 'Input should be an integer from 1 to 1000');
  }
  if (q.has('sort_by') && !SORT_BY.has(q.get('sort_by')!)) bad(['query', 'sort_by'], `Input should be one of ${[...SORT_BY].join(', ')}`, 'enum');
  if (q.has('sort_order') && !['asc', 'desc'].includes(q.get('sort_order')!)) bad(['query', 'sort_order'], "Input should be 'asc' or 'desc'", 'enum');
  for (const k of ['from_ts', 'to_ts']) {
    if (q.has(k) && Number.isNaN(Date.parse(q.get(k)!))) bad(['query', k], 'Input should be a valid datetime', 'datetime_parsing');
  }
  if (q.has('starting_after') && q.has('ending_before')) bad(['query'], 'Use starting_after or ending_before, not both');
  if (q.has('allow_partial_results') && !['true', 'false'].includes(q.get('allow_partial_results')!)) bad(['query', 'allow_partial_results'], 'Input should be a valid boolean', 'bool_parsing');
  for (const k of ['spans', 'excluded_spans']) {
    const v = f[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) bad(['body', k], 'Input should be a valid list', 'list_type');
    else v.forEach((p, i) => (!p || typeof p !== 'object' || typeof (p as Record<string, unknown>).trace_id !== 'string' || typeof (p as Record<string, unknown>).span_id !== 'string') && bad(['body', k, i], 'Input should be {trace_id, span_id}', 'model_type'));
  }
  for (const k of Object.keys(f)) {
    if (!FILTER_KEYS.has(k)) bad(['body', k], 'Extra inputs are not permitted', 'extra_forbidden');
  }
  for (const k of STRING_LISTS) {
    const v = f[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) bad(['body', k], 'Input should be a valid list', 'list_type');
    else v.forEach((x, i) => typeof x !== 'string' && bad(['body', k, i], 'Input should be a valid string', 'string_type'));
  }
  if (Array.isArray(f.search_texts) && f.search_texts.length > 10) bad(['body', 'search_texts'], 'List should have at most 10 items', 'too_long');
  if (Array.isArray(f.statuses)) f.statuses.forEach((s, i) => !STATUSES.has(s as string) && bad(['body', 'statuses', i], "Input should be 'SUCCESS', 'ERROR' or 'CANCELED'", 'enum'));
  if (Array.isArray(f.types)) f.types.forEach((s, i) => !TYPES.has(s as string) && bad(['body', 'types', i], 'Input should be a valid span type', 'enum'));
  if (f.parents_only !== undefined && f.parents_only !== null && typeof f.parents_only !== 'boolean') bad(['body', 'parents_only'], 'Input should be a valid boolean', 'bool_type');
  if (f.group_id !== undefined && f.group_id !== null && typeof f.group_id !== 'string') bad(['body', 'group_id'], 'Input should be a valid string', 'string_type');
  if (f.extra_metadata !== undefined && (typeof f.extra_metadata !== 'object' || Array.isArray(f.extra_metadata) || f.extra_metadata === null)) {
    bad(['body', 'extra_metadata'], 'Input should be a valid dictionary', 'dict_type');
  }
  for (const k of ['min_duration_ms', 'max_duration_ms']) {
    if (f[k] !== undefined && typeof f[k] !== 'number') bad(['body', k], 'Input should be a valid number', 'float_type');
  }
  return issues;
}

function isoParam(q: URLSearchParams, k: string): number | undefined {
  const v = q.get(k);
  return v ? Date.parse(v) : undefined;
}

/** Opaque `next_cursor` tokens; plain ids are accepted too. */
function toCursor(id: string): string {
  return `cur_${Buffer.from(id).toString('base64url')}`;
}

function fromCursor(c: string): string {
  return c.startsWith('cur_') ? Buffer.from(c.slice(4), 'base64url').toString('utf8') : c;
}

function spanKey(rec: Pick<SgpSpanRecord, 'trace_id' | 'id'>): string {
  return `${rec.trace_id ?? ''}\u0000${rec.id}`;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function numOrUndef(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
