// How the panel shows cost: the host's text, its detail as the tooltip, and
// for "no price" a link to the `spanInspector.pricing` setting (opened by the host).
import type { CostInfo } from '../src/protocol';
import { h, post } from './dom';
import { t } from './strings';

export function costView(cost: CostInfo, testid: string): HTMLElement {
  const el = h('span', { class: `cost${cost.unpriced ? ' unpriced' : ''}`, testid, title: cost.detail }, cost.text);
  if (cost.unpriced) {
    const link = h('a', { class: 'cost-link', testid: `${testid}-settings`, role: 'button', tabIndex: 0, title: t('setPricesTooltip') }, t('setPrices'));
    const open = (e: Event) => {
      e.preventDefault();
      e.stopPropagation();
      post({ type: 'openPricingSettings' });
    };
    link.addEventListener('click', open);
    link.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') open(e);
    });
    el.append(' ', link);
  }
  return el;
}
