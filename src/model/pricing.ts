// What an LLM call cost: the span's model id is matched the way providers
// spell it (Bedrock ARNs and inference profiles, dated and versioned
// suffixes, path prefixes) against the user's `spanInspector.pricing`
// entries first, then the bundled table. A model with no price is reported
// as such ("no price"), never as $0.
import { INPUT_INCLUDES_CACHE, PRICE_TABLE, PRICE_TABLE_VERSION, type PriceEntry } from './priceTable';
import type { CostSummary, Span, SpanCost } from './types';

export type { CostSummary, SpanCost } from './types';

/** One `spanInspector.pricing` entry. Prices are USD per million tokens. */
export interface PriceOverride {
  /** A model id or deployment name as spans spell it; `*` and `?` are wildcards. */
  model: string;
  /** Price it as this table model (Azure deployment names, fine-tunes, proxies). */
  as?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  /** Whether reported input tokens include cached ones (default: as the provider of `as`, else true). */
  inputIncludesCache?: boolean;
  since?: string;
}

export interface ResolvedPrice {
  /** The table model or the setting's `model` that priced it. */
  model: string;
  source: 'table' | 'setting';
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  inputIncludesCache: boolean;
  since?: string;
}

const MAX_UNPRICED_MODELS = 20;
const MILLION = 1_000_000;

/**
 * Spellings of one model id from the most to the least specific; the first
 * one with a price wins, so a dated id in the table beats its undated family.
 */
export function modelCandidates(id: string): string[] {
  const out: string[] = [];
  const push = (v: string) => {
    if (v && out[out.length - 1] !== v) out.push(v);
  };
  let m = id.trim().toLowerCase();
  push(m);
  // Bedrock ARNs: foundation-model/…, inference-profile/…, provisioned-model/…
  const arn = /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:[\w-]+\/(.+)$/.exec(m);
  if (arn) push((m = arn[1]));
  // Path-like spellings: models/gemini-…, openai/gpt-…, projects/…/models/…
  if (m.includes('/')) push((m = m.slice(m.lastIndexOf('/') + 1)));
  // Cross-region inference profiles (us.anthropic.…, eu.amazon.…, global.…).
  push((m = m.replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, '')));
  // Bedrock provider prefix.
  push((m = m.replace(/^(anthropic|amazon|mistral|google|openai|meta|cohere)\./, '')));
  // Bedrock version suffix (-v1:0, -v2), Vertex @date, dated suffixes.
  push((m = m.replace(/@\d{8}$/, '').replace(/-v\d+(:\d+)?$/, '').replace(/:\d+$/, '')));
  push((m = m.replace(/-\d{8}$/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '')));
  // Aliases and revisions: -latest, Mistral's -2411, Gemini's -001.
  push((m = m.replace(/-latest$/, '').replace(/-\d{4}$/, '').replace(/-0\d\d$/, '')));
  push((m = m.replace(/-preview(-\d\d-\d\d)?$/, '').replace(/-exp(-\d\d-\d\d)?$/, '')));
  // claude-3.5-haiku → claude-3-5-haiku
  if (m.startsWith('claude')) push(m.replace(/(\d)\.(\d)/g, '$1-$2'));
  return out;
}

function globRegExp(pattern: string): RegExp {
  const body = pattern
    .trim()
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function isPrice(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export class Pricer {
  /** Problems with the setting's entries, for the log. */
  readonly problems: string[] = [];
  private readonly table = new Map<string, PriceEntry>();
  private readonly overrides: { test: RegExp; entry: PriceOverride }[] = [];
  private readonly memo = new Map<string, ResolvedPrice | null>();
  /** One `SpanCost.price` per price entry, shared by every span it priced (a million spans held a copy each). */
  private readonly refs = new Map<string, NonNullable<SpanCost['price']>>();

  constructor(overrides: readonly unknown[] = [], table: readonly PriceEntry[] = PRICE_TABLE) {
    for (const e of table) {
      this.table.set(e.model, e);
      for (const a of e.aliases ?? []) this.table.set(a, e);
    }
    overrides.forEach((raw, i) => {
      const o = raw as PriceOverride;
      if (!o || typeof o !== 'object' || typeof o.model !== 'string' || !o.model.trim()) {
        this.problems.push(`spanInspector.pricing[${i}]: needs a "model" string.`);
        return;
      }
      if (o.as === undefined && (!isPrice(o.input) || !isPrice(o.output))) {
        this.problems.push(`spanInspector.pricing[${i}] (${o.model}): needs "input" and "output" prices per million tokens, or "as" naming a priced model.`);
        return;
      }
      if (o.as !== undefined && (typeof o.as !== 'string' || !this.tableLookup(o.as))) {
        this.problems.push(`spanInspector.pricing[${i}] (${o.model}): "as": "${String(o.as)}" is not a model in the price table.`);
        return;
      }
      this.overrides.push({ test: globRegExp(o.model), entry: o });
    });
  }

  /** The price of a model id as a span spells it, or undefined when none is known. */
  lookup(modelId: string): ResolvedPrice | undefined {
    const hit = this.memo.get(modelId);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.resolve(modelId);
    if (this.memo.size > 5000) this.memo.clear();
    this.memo.set(modelId, found ?? null);
    return found;
  }

  private resolve(modelId: string): ResolvedPrice | undefined {
    const candidates = modelCandidates(modelId);
    for (const { test, entry } of this.overrides) {
      if (candidates.some((c) => test.test(c))) return this.fromOverride(entry);
    }
    return this.tableLookup(modelId);
  }

  private tableLookup(modelId: string): ResolvedPrice | undefined {
    for (const c of modelCandidates(modelId)) {
      const e = this.table.get(c);
      if (e) return { ...priceOf(e), model: e.model, source: 'table', inputIncludesCache: INPUT_INCLUDES_CACHE[e.provider], since: e.since };
    }
    return undefined;
  }

  private fromOverride(o: PriceOverride): ResolvedPrice {
    const base = o.as !== undefined ? this.tableLookup(o.as) : undefined;
    const pick = (k: 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'reasoning') => (isPrice(o[k]) ? o[k] : base?.[k]);
    return {
      model: o.model,
      source: 'setting',
      input: pick('input') ?? 0,
      output: pick('output') ?? 0,
      cacheRead: pick('cacheRead'),
      cacheWrite: pick('cacheWrite'),
      reasoning: pick('reasoning'),
      inputIncludesCache: typeof o.inputIncludesCache === 'boolean' ? o.inputIncludesCache : (base?.inputIncludesCache ?? !/claude|nova|anthropic|amazon/i.test(o.model)),
      since: typeof o.since === 'string' ? o.since : base?.since,
    };
  }

  /** The cost of an LLM span; undefined for spans that are not LLM calls. */
  spanCost(span: Span): SpanCost | undefined {
    if (span.kind !== 'llm') return undefined;
    const ids = [span.model?.response, span.model?.request].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (!ids.length) return { currency: 'USD', reason: 'noModel' };
    let price: ResolvedPrice | undefined;
    let model = ids[0];
    for (const id of ids) {
      price = this.lookup(id);
      if (price) {
        model = id;
        break;
      }
    }
    if (!price) return { currency: 'USD', model, reason: 'unknownModel' };
    const usd = callCost(span, price);
    const refKey = `${price.source}\0${price.model}\0${price.since ?? ''}`;
    let priceRef = this.refs.get(refKey);
    if (!priceRef) {
      priceRef = { model: price.model, source: price.source, ...(price.since ? { since: price.since } : {}) };
      this.refs.set(refKey, priceRef);
    }
    if (usd === undefined) return { currency: 'USD', model, price: priceRef, reason: 'noUsage' };
    return { currency: 'USD', usd, model, price: priceRef };
  }
}

function priceOf(e: PriceEntry): Omit<ResolvedPrice, 'model' | 'source' | 'inputIncludesCache'> {
  return { input: e.input, output: e.output, cacheRead: e.cacheRead, cacheWrite: e.cacheWrite, reasoning: e.reasoning };
}

const REASONING_KEYS = ['gen_ai.usage.reasoning_tokens', 'gen_ai.usage.output_tokens_details.reasoning_tokens', 'llm.token_count.completion_details.reasoning', 'reasoning_tokens'];

/** Reasoning tokens when a producer recorded them (they are part of output tokens). */
function reasoningTokens(span: Span): number | undefined {
  for (const k of REASONING_KEYS) {
    const v = span.attributes?.[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return undefined;
}

/** USD of one call, or undefined when the span has no input/output split. */
export function callCost(span: Span, p: ResolvedPrice): number | undefined {
  const u = span.usage;
  if (!u) return undefined;
  const cacheRead = nonNeg(u.cacheRead);
  const cacheWrite = nonNeg(u.cacheWrite);
  let input = u.input;
  let output = u.output;
  if (input === undefined && output === undefined) return undefined;
  if (input === undefined && u.total !== undefined && output !== undefined) input = Math.max(0, u.total - output);
  if (output === undefined && u.total !== undefined && input !== undefined) output = Math.max(0, u.total - input);
  const uncached = p.inputIncludesCache ? Math.max(0, nonNeg(input) - cacheRead - cacheWrite) : nonNeg(input);
  const out = nonNeg(output);
  const reasoning = p.reasoning !== undefined ? Math.min(out, reasoningTokens(span) ?? 0) : 0;
  const micro =
    uncached * p.input +
    cacheRead * (p.cacheRead ?? p.input) +
    cacheWrite * (p.cacheWrite ?? p.input) +
    (out - reasoning) * p.output +
    reasoning * (p.reasoning ?? p.output);
  return micro / MILLION;
}

function nonNeg(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

export function emptyCost(): CostSummary {
  return { currency: 'USD', usd: 0, pricedCalls: 0, unpricedCalls: 0, unpricedModels: [], priceTable: PRICE_TABLE_VERSION };
}

/** Adds one span's cost (or a whole summary) into `into`. */
export function addCost(into: CostSummary, cost: SpanCost | CostSummary | undefined): CostSummary {
  if (!cost) return into;
  if ('pricedCalls' in cost) {
    into.usd += cost.usd;
    into.pricedCalls += cost.pricedCalls;
    into.unpricedCalls += cost.unpricedCalls;
    for (const m of cost.unpricedModels) noteUnpriced(into, m);
    return into;
  }
  if (cost.usd !== undefined) {
    into.usd += cost.usd;
    into.pricedCalls++;
  } else {
    into.unpricedCalls++;
    if (cost.model) noteUnpriced(into, cost.model);
  }
  return into;
}

function noteUnpriced(into: CostSummary, model: string): void {
  if (into.unpricedModels.length < MAX_UNPRICED_MODELS && !into.unpricedModels.includes(model)) into.unpricedModels.push(model);
}

/** Sums `span.cost` over spans (set by `priceSpans`). */
export function sumCosts(spans: Iterable<Span>): CostSummary {
  const total = emptyCost();
  for (const s of spans) addCost(total, s.cost);
  return total;
}

/** Sets `cost` on every LLM span (and clears it elsewhere); returns the total. */
export function priceSpans(spans: Iterable<Span>, pricer: Pricer): CostSummary {
  const total = emptyCost();
  for (const s of spans) {
    const c = pricer.spanCost(s);
    if (c) s.cost = c;
    else delete s.cost;
    addCost(total, c);
  }
  return total;
}

/** "$1.23", "$0.045", "$0.0012": enough digits to tell small calls apart. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '';
  if (usd === 0) return '$0.00';
  const a = Math.abs(usd);
  if (a >= 1) return `$${usd.toFixed(2)}`;
  if (a >= 0.01) return `$${usd.toFixed(3)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

/** Whether a summary has anything to show (it counted LLM calls). */
export function hasCost(c: CostSummary | undefined): c is CostSummary {
  return !!c && c.pricedCalls + c.unpricedCalls > 0;
}
