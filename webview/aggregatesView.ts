// The panel's Summary: per agent, tool, model and prompt, a table (calls,
// p50/p95 latency, tokens, cost, error rate, guardrail blocks) and a bar
// chart of what people compare at a glance (cost, else p95 latency).
// Chart.js draws on canvas and needs no eval or inline styles, so it runs
// under the panel's CSP.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { AggregateDimension } from '../src/model/types';
import type { AggregateView } from '../src/protocol';
import { costView } from './cost';
import { h, post } from './dom';
import { formatDuration, formatInt } from './renderable';
import { t } from './strings';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const TITLES = { agent: 'agents', tool: 'tools', model: 'models', prompt: 'prompts' } as const satisfies Record<AggregateDimension, string>;
const ORDER: AggregateDimension[] = ['agent', 'tool', 'model', 'prompt'];
/** Rows per table; the rest is counted. */
const MAX_ROWS = 200;
/** Bars per chart. */
const MAX_BARS = 10;

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export class AggregatesView {
  readonly el = h('div', { class: 'aggregates', testid: 'aggregates' });
  private charts: Chart[] = [];
  private requested = false;
  private complete = false;

  get isComplete(): boolean {
    return this.requested && this.complete;
  }

  reload(): void {
    this.requested = true;
    if (!this.el.childElementCount) this.el.replaceChildren(h('div', { class: 'empty muted' }, t('summarizing')));
    post({ type: 'requestAggregates' });
  }

  onRows(rows: AggregateView[], complete: boolean): void {
    this.complete = complete;
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    const sections: HTMLElement[] = [];
    for (const dim of ORDER) {
      const list = rows.filter((r) => r.dimension === dim);
      if (list.length) sections.push(this.section(dim, list));
    }
    this.el.replaceChildren(
      h('div', { class: 'aggregates-note muted' }, complete ? t('overAllSpans') : t('stillLoading')),
      ...(sections.length ? sections : [h('div', { class: 'empty muted', testid: 'aggregates-empty' }, t('noAggregates'))]),
    );
  }

  private section(dim: AggregateDimension, list: AggregateView[]): HTMLElement {
    const head = [t('name'), t('calls'), t('p50'), t('p95'), t('tokens'), t('cost'), t('errors'), t('guardrailBlocks')];
    const table = h(
      'table',
      { class: 'aggregates-table', testid: `aggregates-${dim}` },
      h('thead', {}, h('tr', {}, ...head.map((label, i) => h('th', { class: i ? 'num' : undefined, attrs: { scope: 'col' } }, label)))),
      h(
        'tbody',
        {},
        ...list.slice(0, MAX_ROWS).map((r) =>
          h(
            'tr',
            { data: { key: r.key } },
            h('td', { class: 'ellipsis', title: r.key }, r.key),
            h('td', { class: 'num' }, formatInt(r.calls)),
            h('td', { class: 'num' }, formatDuration(r.p50Ms)),
            h('td', { class: 'num' }, formatDuration(r.p95Ms)),
            h('td', { class: 'num' }, r.tokens ? formatInt(r.tokens) : ''),
            h('td', { class: 'num' }, r.cost ? costView(r.cost, 'aggregate-cost') : ''),
            h('td', { class: 'num' }, r.errors ? `${formatInt(r.errors)} (${Math.round(r.errorRate * 100)}%)` : '0'),
            h('td', { class: 'num' }, r.guardrailBlocks ? formatInt(r.guardrailBlocks) : ''),
          ),
        ),
      ),
    );
    const more = list.length > MAX_ROWS ? h('div', { class: 'muted' }, t('moreNotShown', formatInt(list.length - MAX_ROWS))) : undefined;
    return h('section', { class: 'aggregates-section' }, h('h3', {}, t(TITLES[dim])), this.chart(dim, list), table, more);
  }

  /** Cost per entry when anything was priced, else p95 latency; nothing for a single entry. */
  private chart(dim: AggregateDimension, list: AggregateView[]): HTMLElement | undefined {
    const byCost = list.some((r) => r.usd);
    const value = (r: AggregateView) => (byCost ? (r.usd ?? 0) : (r.p95Ms ?? 0));
    const top = [...list].filter((r) => value(r) > 0).sort((a, b) => value(b) - value(a)).slice(0, MAX_BARS);
    if (top.length < 2) return undefined;
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `${t(TITLES[dim])}: ${byCost ? t('costUsd') : t('p95LatencyMs')}` } });
    const box = h('div', { class: 'aggregates-chart', testid: `aggregates-chart-${dim}` }, canvas);
    box.style.height = `${40 + top.length * 22}px`;
    const fg = themeColor('--vscode-foreground', '#888');
    const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.3)');
    this.charts.push(
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: top.map((r) => (r.key.length > 40 ? `${r.key.slice(0, 39)}…` : r.key)),
          datasets: [
            {
              label: byCost ? t('costUsd') : t('p95LatencyMs'),
              data: top.map(value),
              backgroundColor: themeColor(byCost ? '--vscode-charts-green' : '--vscode-charts-blue', '#3794ff'),
            },
          ],
        },
        options: {
          indexAxis: 'y',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            tooltip: { callbacks: { label: (c) => (byCost ? `$${Number(c.raw).toPrecision(3)}` : formatDuration(Number(c.raw))) } },
          },
          scales: {
            x: { ticks: { color: fg, callback: (v) => (Number(v) === 0 ? '0' : byCost ? `$${v}` : formatDuration(Number(v))) }, grid: { color: grid } },
            y: { ticks: { color: fg }, grid: { display: false } },
          },
        },
      }),
    );
    return box;
  }
}
