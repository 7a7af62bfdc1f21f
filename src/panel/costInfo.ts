// Cost as the panel shows it: the host formats, the webview only displays
// (it imports model types, not model code).
import type { AggregateRow } from '../model/aggregates';
import { formatUsd, hasCost } from '../model/pricing';
import type { CostSummary, SpanCost } from '../model/types';
import type { AggregateView, CostInfo } from '../protocol';

export function summaryInfo(cost: CostSummary | undefined): CostInfo | undefined {
  if (!hasCost(cost)) return undefined;
  const priced = `${cost.pricedCalls} priced LLM call${cost.pricedCalls === 1 ? '' : 's'} (price table ${cost.priceTable})`;
  const missing = cost.unpricedCalls ? `; no price for ${cost.unpricedCalls} call${cost.unpricedCalls === 1 ? '' : 's'}${cost.unpricedModels.length ? ` (${cost.unpricedModels.join(', ')})` : ''}` : '';
  const text = cost.pricedCalls === 0 ? 'no price' : cost.unpricedCalls ? `${formatUsd(cost.usd)} + ${cost.unpricedCalls} unpriced` : formatUsd(cost.usd);
  return { text, unpriced: cost.unpricedCalls > 0, detail: priced + missing };
}

export function spanCostInfo(cost: SpanCost | undefined): CostInfo | undefined {
  if (!cost) return undefined;
  if (cost.usd !== undefined) {
    const p = cost.price;
    const from = p ? ` — ${p.source === 'setting' ? 'spanInspector.pricing' : 'price table'} entry ${p.model}${p.since ? `, price of ${p.since}` : ''}` : '';
    return { text: formatUsd(cost.usd), unpriced: false, detail: `${cost.model ?? ''}${from}` };
  }
  const why = cost.reason === 'noModel' ? 'the span names no model' : cost.reason === 'noUsage' ? 'the span has no input/output token counts' : `no price for model ${cost.model ?? ''}`;
  return { text: 'no price', unpriced: true, detail: why };
}

export function aggregateView(r: AggregateRow): AggregateView {
  const v: AggregateView = {
    dimension: r.dimension,
    key: r.key,
    calls: r.calls,
    errors: r.errors,
    errorRate: r.errorRate,
    tokens: r.tokens,
    guardrailBlocks: r.guardrailBlocks,
  };
  if (r.p50Ms !== undefined) v.p50Ms = r.p50Ms;
  if (r.p95Ms !== undefined) v.p95Ms = r.p95Ms;
  if (r.cost.pricedCalls) v.usd = r.cost.usd;
  const cost = summaryInfo(r.cost);
  if (cost) v.cost = cost;
  return v;
}
