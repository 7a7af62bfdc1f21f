// Cost as the panel shows it: the host formats, the webview only displays
// (it imports model types, not model code).
import { formatUsd, hasCost } from '../model/pricing';
import type { CostSummary, SpanCost } from '../model/types';
import type { CostInfo } from '../protocol';

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
