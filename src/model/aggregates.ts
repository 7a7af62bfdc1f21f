// Summaries per agent, tool, model and prompt over any set of spans (one
// session, the sessions of a table, a backend): calls, p50/p95 latency,
// tokens, cost, error rate and guardrail blocks. Linear in the spans; agents
// are found by walking parent links iteratively with memoization (chains may
// be 100k deep).
import { spanDuration, totalTokens } from './format';
import { addCost, emptyCost } from './pricing';
import type { AggregateDimension, CostSummary, Span } from './types';

export type { AggregateDimension } from './types';
const AGGREGATE_DIMENSIONS: readonly AggregateDimension[] = ['agent', 'tool', 'model', 'prompt'];

export interface AggregateRow {
  dimension: AggregateDimension;
  key: string;
  /** Agent runs, tool calls, LLM calls, or calls made with the prompt. */
  calls: number;
  errors: number;
  /** errors / calls, 0..1 */
  errorRate: number;
  p50Ms?: number;
  p95Ms?: number;
  /** Tokens of the LLM calls counted here (for an agent: the calls made inside its runs). */
  tokens: number;
  cost: CostSummary;
  /** Guardrail assessments that blocked, on the spans counted here. */
  guardrailBlocks: number;
}

interface Acc {
  calls: number;
  errors: number;
  durations: number[];
  tokens: number;
  cost: CostSummary;
  blocks: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

function isError(s: Span): boolean {
  return s.status === 'error' || s.status === 'timeout';
}

function blocks(s: Span): number {
  let n = 0;
  for (const g of Array.isArray(s.guardrails) ? s.guardrails : []) if (g && g.action === 'blocked') n++;
  return n;
}

function agentName(s: Span): string | undefined {
  const a = s.agent?.name ?? s.agent?.id;
  if (a) return a;
  return s.kind === 'agent' ? s.name : undefined;
}

function promptName(s: Span): string | undefined {
  const p = s.prompt;
  if (!p) return undefined;
  const name = p.name ?? p.id ?? p.arn;
  if (!name) return undefined;
  return p.version !== undefined ? `${name} v${p.version}` : name;
}

function modelName(s: Span): string | undefined {
  return s.model?.response ?? s.model?.request;
}

/**
 * The agent each span ran under: its own agent, else its nearest ancestor's.
 * Iterative, memoized per span id, and safe against parent cycles.
 */
export function agentsOf(spans: readonly Span[]): Map<Span, string | undefined> {
  const byId = new Map<string, Span>();
  for (const s of spans) if (!byId.has(s.id)) byId.set(s.id, s);
  const out = new Map<Span, string | undefined>();
  const chain: Span[] = [];
  const onChain = new Set<Span>();
  for (const start of spans) {
    if (out.has(start)) continue;
    let cur: Span | undefined = start;
    while (cur && !out.has(cur) && !onChain.has(cur)) {
      const own = agentName(cur);
      if (own !== undefined) {
        out.set(cur, own);
        break;
      }
      chain.push(cur);
      onChain.add(cur);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
    const found = cur && out.has(cur) ? out.get(cur) : undefined;
    for (const s of chain) out.set(s, found);
    chain.length = 0;
    onChain.clear();
  }
  return out;
}

export function aggregate(spans: readonly Span[]): AggregateRow[] {
  const accs = new Map<string, Acc>();
  const acc = (dim: AggregateDimension, key: string): Acc => {
    const id = `${dim}\u0000${key}`;
    let a = accs.get(id);
    if (!a) accs.set(id, (a = { calls: 0, errors: 0, durations: [], tokens: 0, cost: emptyCost(), blocks: 0 }));
    return a;
  };
  const count = (a: Acc, s: Span) => {
    a.calls++;
    if (isError(s)) a.errors++;
    const d = spanDuration(s);
    if (d !== undefined && Number.isFinite(d) && d >= 0) a.durations.push(d);
  };
  const agents = agentsOf(spans);
  for (const s of spans) {
    const tokens = s.kind === 'llm' ? (totalTokens(s.usage) ?? 0) : 0;
    const b = blocks(s);
    const agent = agents.get(s);
    if (agent !== undefined) {
      const a = acc('agent', agent);
      if (s.kind === 'agent') count(a, s);
      a.tokens += tokens;
      addCost(a.cost, s.cost);
      a.blocks += b;
    }
    if (s.kind === 'tool' || s.tool) {
      const a = acc('tool', s.tool?.name || s.name);
      count(a, s);
      a.blocks += b;
    }
    const model = s.kind === 'llm' ? modelName(s) : undefined;
    if (s.kind === 'llm') {
      const a = acc('model', model ?? '(no model id)');
      count(a, s);
      a.tokens += tokens;
      addCost(a.cost, s.cost);
      a.blocks += b;
    }
    const prompt = promptName(s);
    if (prompt !== undefined) {
      const a = acc('prompt', prompt);
      count(a, s);
      a.tokens += tokens;
      addCost(a.cost, s.cost);
      a.blocks += b;
    }
  }
  const rows: AggregateRow[] = [];
  for (const [id, a] of accs) {
    const [dimension, key] = id.split('\u0000') as [AggregateDimension, string];
    a.durations.sort((x, y) => x - y);
    rows.push({
      dimension,
      key,
      calls: a.calls,
      errors: a.errors,
      errorRate: a.calls ? a.errors / a.calls : 0,
      p50Ms: percentile(a.durations, 50),
      p95Ms: percentile(a.durations, 95),
      tokens: a.tokens,
      cost: a.cost,
      guardrailBlocks: a.blocks,
    });
  }
  const order = (d: AggregateDimension) => AGGREGATE_DIMENSIONS.indexOf(d);
  return rows.sort((x, y) => order(x.dimension) - order(y.dimension) || y.calls - x.calls || x.key.localeCompare(y.key));
}
