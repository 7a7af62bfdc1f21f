// How cost reads in the tree: "$0.012" per call and per sum, "no price" when
// a call's model is unknown (never $0), with a tooltip link to the setting.
import * as vscode from 'vscode';
import { formatUsd, hasCost } from '../model/pricing';
import type { CostSummary, SpanCost } from '../model/types';
import { pricingSettingLink } from '../services/pricingSetting';

export function spanCostText(cost: SpanCost | undefined): string {
  if (!cost) return '';
  return cost.usd !== undefined ? formatUsd(cost.usd) : vscode.l10n.t('no price');
}

/** "$0.42", "$0.42 + 2 unpriced", "no price"; '' when no LLM call was seen. */
export function costSummaryText(cost: CostSummary | undefined): string {
  if (!hasCost(cost)) return '';
  if (cost.pricedCalls === 0) return vscode.l10n.t('no price');
  return cost.unpricedCalls ? vscode.l10n.t('{0} + {1} unpriced', formatUsd(cost.usd), cost.unpricedCalls) : formatUsd(cost.usd);
}

/** Appends the cost lines to a tooltip; the "no price" line links to `spanInspector.pricing`. */
export function appendCostTooltip(md: vscode.MarkdownString, cost: SpanCost | CostSummary | undefined): void {
  if (!cost) return;
  md.isTrusted = { enabledCommands: ['workbench.action.openSettings'] };
  if ('pricedCalls' in cost) {
    if (!hasCost(cost)) return;
    md.appendText(`${vscode.l10n.t('Cost')}: ${costSummaryText(cost)} (${vscode.l10n.t('{0} priced LLM calls', cost.pricedCalls)})\n\n`);
    if (cost.unpricedModels.length) {
      md.appendText(`${vscode.l10n.t('No price for')}: ${cost.unpricedModels.join(', ')} — `);
      md.appendMarkdown(`[${vscode.l10n.t('set prices')}](${pricingSettingLink()})\n\n`);
    }
    return;
  }
  if (cost.usd !== undefined) {
    const since = cost.price?.since ? `, ${vscode.l10n.t('price of {0}', cost.price.since)}` : '';
    md.appendText(`${vscode.l10n.t('Cost')}: ${formatUsd(cost.usd)} (${cost.price?.model ?? ''}${since})\n\n`);
    return;
  }
  const why = cost.reason === 'noModel' ? vscode.l10n.t('no model id') : cost.reason === 'noUsage' ? vscode.l10n.t('no token counts') : vscode.l10n.t('unknown model {0}', cost.model ?? '');
  md.appendText(`${vscode.l10n.t('Cost')}: ${vscode.l10n.t('no price')} (${why}) — `);
  md.appendMarkdown(`[${vscode.l10n.t('set prices')}](${pricingSettingLink()})\n\n`);
}
