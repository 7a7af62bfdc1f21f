// The sessions table's rows, filters and sorting, pure so the host computes
// them (the webview only draws the visible rows) and unit tests check them.
import { totalTokens } from './format';
import { formatUsd, hasCost, sumCosts } from './pricing';
import type { Session, Span, SpanStatus } from './types';

export interface SessionTableRow {
  /** `backendId \0 sessionId` */
  key: string;
  backendId: string;
  backendLabel: string;
  sessionId: string;
  name: string;
  start?: number;
  durationMs?: number;
  spans?: number;
  status?: SpanStatus;
  /** Known once the session's spans are loaded. */
  detailed: boolean;
  errors?: number;
  llmCalls?: number;
  tokens?: number;
  usd?: number;
  costText?: string;
  costUnpriced?: boolean;
  agents: string[];
  models: string[];
}

export type SessionColumn = 'start' | 'duration' | 'spans' | 'errors' | 'llmCalls' | 'tokens' | 'cost' | 'agents' | 'models' | 'status' | 'name' | 'backend';

export const SESSION_COLUMNS: readonly SessionColumn[] = ['start', 'name', 'backend', 'duration', 'spans', 'errors', 'llmCalls', 'tokens', 'cost', 'agents', 'models', 'status'];

export interface SessionFilters {
  text?: string;
  errorsOnly?: boolean;
  backend?: string;
  agent?: string;
  model?: string;
  minCost?: number;
  minDurationMs?: number;
  /** epoch ms */
  from?: number;
  to?: number;
}

export interface SessionSort {
  column: SessionColumn;
  desc: boolean;
}

const MAX_NAMES = 20;

/** One row from a listed session and, when loaded, its spans. */
export function sessionRow(backendId: string, backendLabel: string, session: Session, spans?: readonly Span[]): SessionTableRow {
  const row: SessionTableRow = {
    key: `${backendId}\u0000${session.id}`,
    backendId,
    backendLabel,
    sessionId: session.id,
    name: session.name || session.id,
    detailed: false,
    agents: [],
    models: [],
  };
  if (session.startTime !== undefined) row.start = session.startTime;
  if (session.startTime !== undefined && session.endTime !== undefined) row.durationMs = session.endTime - session.startTime;
  if (session.spanCount !== undefined) row.spans = session.spanCount;
  if (session.status) row.status = session.status;
  if (!spans) return row;
  row.detailed = true;
  row.spans = spans.length;
  let errors = 0;
  let llm = 0;
  let tokens = 0;
  let start = Infinity;
  let end = -Infinity;
  const agents = new Set<string>();
  const models = new Set<string>();
  for (const s of spans) {
    if (s.status === 'error' || s.status === 'timeout') errors++;
    if (s.kind === 'llm') {
      llm++;
      tokens += totalTokens(s.usage) ?? 0;
      const m = s.model?.response ?? s.model?.request;
      if (m && models.size < MAX_NAMES) models.add(m);
    }
    const a = s.agent?.name ?? (s.kind === 'agent' ? s.name : undefined);
    if (a && agents.size < MAX_NAMES) agents.add(a);
    if (Number.isFinite(s.startTime)) start = Math.min(start, s.startTime);
    const e = s.endTime ?? s.startTime;
    if (Number.isFinite(e)) end = Math.max(end, e);
  }
  Object.assign(row, { errors, llmCalls: llm, tokens, agents: [...agents], models: [...models] });
  if (row.start === undefined && Number.isFinite(start)) row.start = start;
  if (row.durationMs === undefined && Number.isFinite(start) && Number.isFinite(end)) row.durationMs = end - start;
  if (!row.status) row.status = errors ? 'error' : 'ok';
  const cost = sumCosts(spans);
  if (hasCost(cost)) {
    if (cost.pricedCalls) row.usd = cost.usd;
    row.costText = cost.pricedCalls === 0 ? 'no price' : cost.unpricedCalls ? `${formatUsd(cost.usd)} + ${cost.unpricedCalls} unpriced` : formatUsd(cost.usd);
    row.costUnpriced = cost.unpricedCalls > 0;
  }
  return row;
}

export function matchesFilters(r: SessionTableRow, f: SessionFilters): boolean {
  if (f.errorsOnly && !((r.errors ?? 0) > 0 || r.status === 'error' || r.status === 'timeout')) return false;
  if (f.backend && r.backendId !== f.backend) return false;
  if (f.agent && !r.agents.some((a) => a.toLowerCase().includes(f.agent!.toLowerCase()))) return false;
  if (f.model && !r.models.some((m) => m.toLowerCase().includes(f.model!.toLowerCase()))) return false;
  if (f.minCost !== undefined && !((r.usd ?? -1) >= f.minCost)) return false;
  if (f.minDurationMs !== undefined && !((r.durationMs ?? -1) >= f.minDurationMs)) return false;
  if (f.from !== undefined && !((r.start ?? -Infinity) >= f.from)) return false;
  if (f.to !== undefined && !((r.start ?? Infinity) <= f.to)) return false;
  if (f.text) {
    const q = f.text.toLowerCase();
    const hay = [r.name, r.sessionId, r.backendLabel, ...r.agents, ...r.models].join('\n').toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

const STATUS_ORDER: Record<string, number> = { error: 0, timeout: 1, cancelled: 2, unset: 3, ok: 4 };

function sortValue(r: SessionTableRow, c: SessionColumn): number | string | undefined {
  switch (c) {
    case 'start': return r.start;
    case 'name': return r.name.toLowerCase();
    case 'backend': return r.backendLabel.toLowerCase();
    case 'duration': return r.durationMs;
    case 'spans': return r.spans;
    case 'errors': return r.errors;
    case 'llmCalls': return r.llmCalls;
    case 'tokens': return r.tokens;
    case 'cost': return r.usd;
    case 'agents': return r.agents.join(', ').toLowerCase() || undefined;
    case 'models': return r.models.join(', ').toLowerCase() || undefined;
    case 'status': return r.status ? STATUS_ORDER[r.status] : undefined;
  }
}

/** Filters then sorts (stable); rows without a value sort last either way. */
export function tableView(rows: readonly SessionTableRow[], f: SessionFilters, sort: SessionSort): SessionTableRow[] {
  const out = rows.filter((r) => matchesFilters(r, f));
  const dir = sort.desc ? -1 : 1;
  return out
    .map((r, i) => ({ r, i, v: sortValue(r, sort.column) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return c * dir || a.i - b.i;
    })
    .map((x) => x.r);
}

/**
 * The tree's filter, typed in one line: words are text, plus `errors`,
 * `backend:ID`, `agent:NAME`, `model:NAME`, `cost>0.01`, `duration>60s`
 * (ms, s, m, h), `since:2025-10-01`, `until:2025-10-31`.
 */
export function parseFilterQuery(query: string): SessionFilters {
  const f: SessionFilters = {};
  const words: string[] = [];
  for (const w of query.trim().split(/\s+/).filter(Boolean)) {
    const kv = /^(backend|agent|model|since|until):(.+)$/i.exec(w);
    const cmp = /^(cost|duration)[>≥]=?([\d.]+)(ms|s|m|h)?$/i.exec(w);
    if (/^(errors?|failed)$/i.test(w)) f.errorsOnly = true;
    else if (kv) {
      const k = kv[1].toLowerCase();
      const v = kv[2];
      if (k === 'backend') f.backend = v;
      else if (k === 'agent') f.agent = v;
      else if (k === 'model') f.model = v;
      else {
        const t = Date.parse(v);
        if (Number.isFinite(t)) {
          if (k === 'since') f.from = t;
          else f.to = t;
        } else words.push(w);
      }
    } else if (cmp && Number.isFinite(Number(cmp[2]))) {
      const n = Number(cmp[2]);
      if (cmp[1].toLowerCase() === 'cost') f.minCost = n;
      else f.minDurationMs = n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(cmp[3] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h']);
    } else words.push(w);
  }
  if (words.length) f.text = words.join(' ');
  return f;
}

/** The filter as the view's description shows it (and the query that gives it back). */
export function describeFilters(f: SessionFilters): string {
  const parts: string[] = [];
  if (f.text) parts.push(f.text);
  if (f.errorsOnly) parts.push('errors');
  if (f.backend) parts.push(`backend:${f.backend}`);
  if (f.agent) parts.push(`agent:${f.agent}`);
  if (f.model) parts.push(`model:${f.model}`);
  if (f.minCost !== undefined) parts.push(`cost>${f.minCost}`);
  if (f.minDurationMs !== undefined) parts.push(`duration>${f.minDurationMs / 1000}s`);
  if (f.from !== undefined) parts.push(`since:${new Date(f.from).toISOString().slice(0, 10)}`);
  if (f.to !== undefined) parts.push(`until:${new Date(f.to).toISOString().slice(0, 10)}`);
  return parts.join(' ');
}

export function isEmptyFilter(f: SessionFilters | undefined): boolean {
  return !f || Object.keys(f).length === 0;
}
