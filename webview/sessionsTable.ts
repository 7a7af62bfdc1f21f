// Entry of the sessions table's webview bundle (dist/sessionsTable.js). The
// host filters and sorts; this page draws only the rows in view (a fixed row
// height, a spacer, a small pool of row elements), sends filter/sort changes
// and asks for the details of the rows it shows.
import type { SessionColumn, SessionFilters, SessionTableRow } from '../src/model/sessionTable';
import type { TableHostMessage, TableRowAction, TableState, TableStrings } from '../src/protocol';
import { h, icon, postTable as send } from './dom';
import { formatDuration, formatInt, formatTime } from './renderable';
import { setStrings, t } from './strings';
import { visibleRange } from './virtual';

const ROW_HEIGHT = 26;

const COLUMNS: { id: SessionColumn; title: keyof TableStrings; cls?: string }[] = [
  { id: 'start', title: 'colStart' },
  { id: 'name', title: 'colSession' },
  { id: 'backend', title: 'colBackend' },
  { id: 'duration', title: 'colDuration', cls: 'num' },
  { id: 'spans', title: 'colSpans', cls: 'num' },
  { id: 'errors', title: 'colErrors', cls: 'num' },
  { id: 'llmCalls', title: 'colLlmCalls', cls: 'num' },
  { id: 'tokens', title: 'colTokens', cls: 'num' },
  { id: 'cost', title: 'colCost', cls: 'num' },
  { id: 'agents', title: 'colAgents' },
  { id: 'models', title: 'colModels' },
  { id: 'status', title: 'colStatus' },
];

function cell(r: SessionTableRow, c: SessionColumn): string {
  const pending = r.detailed ? '' : '…';
  switch (c) {
    case 'start': return r.start !== undefined ? formatTime(r.start) : '';
    case 'name': return r.name;
    case 'backend': return r.backendLabel;
    case 'duration': return formatDuration(r.durationMs);
    case 'spans': return formatInt(r.spans);
    case 'errors': return r.errors !== undefined ? formatInt(r.errors) : pending;
    case 'llmCalls': return r.llmCalls !== undefined ? formatInt(r.llmCalls) : pending;
    case 'tokens': return r.tokens !== undefined ? formatInt(r.tokens) : pending;
    case 'cost': return r.costText ?? (r.detailed ? '' : pending);
    case 'agents': return r.agents.join(', ') || (r.detailed ? '' : pending);
    case 'models': return r.models.join(', ') || (r.detailed ? '' : pending);
    case 'status': return r.status ?? '';
  }
}

class TableApp {
  private state: TableState = { filters: {}, sort: { column: 'start', desc: true } };
  private rows: SessionTableRow[] = [];
  private canCompare = false;
  private readonly root = document.getElementById('app')!;
  private readonly status = h('div', { class: 'st-status muted', testid: 'table-status', role: 'status' });
  private readonly header = h('div', { class: 'st-row st-head', testid: 'table-head', role: 'row' });
  private readonly scroller = h('div', { class: 'st-scroller', testid: 'table-scroller', tabIndex: 0 });
  private readonly spacer = h('div', { class: 'st-spacer' });
  private readonly pool: HTMLElement[] = [];
  private readonly inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  /** Built on the first `init`, which brings the localized strings. */
  private backendSelect!: HTMLSelectElement;
  private built = false;
  private detailsAsked = new Set<string>();
  private timer = 0;

  start(): void {
    window.addEventListener('message', (e: MessageEvent<TableHostMessage>) => this.onMessage(e.data));
    send({ type: 'ready' });
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    this.backendSelect = h('select', { testid: 'filter-backend', attrs: { 'aria-label': t('backend') } });
    const text = (key: keyof SessionFilters, placeholder: string, type = 'text') => {
      const el = h('input', { testid: `filter-${key}`, attrs: { type, placeholder, 'aria-label': placeholder } });
      el.addEventListener('input', () => this.changed());
      this.inputs[key] = el;
      return el;
    };
    const errors = h('input', { testid: 'filter-errorsOnly', attrs: { type: 'checkbox', 'aria-label': t('errorsOnly') } });
    errors.addEventListener('change', () => this.changed());
    this.inputs.errorsOnly = errors;
    this.backendSelect.addEventListener('change', () => this.changed());
    this.inputs.backend = this.backendSelect;
    const filters = h(
      'div',
      { class: 'st-filters', testid: 'table-filters' },
      icon('filter'),
      text('text', t('searchTable')),
      h('label', {}, errors, ` ${t('errorsOnly')}`),
      this.backendSelect,
      text('agent', t('agent')),
      text('model', t('model')),
      text('minCost', t('minCost'), 'number'),
      text('minDurationMs', t('minDuration'), 'number'),
      h('label', {}, `${t('from')} `, text('from', t('from'), 'datetime-local')),
      h('label', {}, `${t('to')} `, text('to', t('to'), 'datetime-local')),
    );
    for (const c of COLUMNS) {
      const b = h('button', { class: `st-cell st-col-${c.id} ${c.cls ?? ''}`, testid: `sort-${c.id}`, role: 'columnheader', title: t('sortBy', t(c.title)) }, t(c.title));
      b.addEventListener('click', () => {
        const s = this.state.sort;
        this.state.sort = s.column === c.id ? { column: c.id, desc: !s.desc } : { column: c.id, desc: c.id === 'start' || c.cls === 'num' };
        this.save();
      });
      this.header.appendChild(b);
    }
    this.header.appendChild(h('div', { class: 'st-cell st-actions' }, ''));
    this.scroller.appendChild(this.spacer);
    this.scroller.addEventListener('scroll', () => this.render());
    window.addEventListener('resize', () => this.render());
    this.root.replaceChildren(h('div', { class: 'st-top' }, filters, this.status), h('div', { class: 'st-table', role: 'table', attrs: { 'aria-label': t('sessions') } }, this.header, this.scroller));
  }

  private onMessage(m: TableHostMessage): void {
    if (!m || typeof m !== 'object') return;
    if (m.type === 'init') {
      setStrings(m.strings);
      this.build();
      this.state = { filters: { ...m.state.filters }, sort: { ...m.state.sort } };
      this.canCompare = m.canCompare;
      this.backendSelect.replaceChildren(h('option', { attrs: { value: '' } }, t('allBackends')), ...m.backends.map((b) => h('option', { attrs: { value: b.id } }, b.label)));
      this.fillInputs();
      this.markSort();
    } else if (m.type === 'rows' && this.built) {
      this.rows = m.rows;
      const parts = [t('sessionsOf', formatInt(m.rows.length), formatInt(m.total))];
      if (m.listing.length) parts.push(t('listing', m.listing.join(', ')));
      this.status.replaceChildren(parts.join(' · '), ...m.errors.map((e) => h('div', { class: 'st-error', testid: 'table-error' }, icon('error'), ' ', e)));
      this.spacer.style.height = `${m.rows.length * ROW_HEIGHT}px`;
      this.render();
    }
  }

  private fillInputs(): void {
    const f = this.state.filters;
    const local = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    (this.inputs.text as HTMLInputElement).value = f.text ?? '';
    (this.inputs.errorsOnly as HTMLInputElement).checked = !!f.errorsOnly;
    this.backendSelect.value = f.backend ?? '';
    (this.inputs.agent as HTMLInputElement).value = f.agent ?? '';
    (this.inputs.model as HTMLInputElement).value = f.model ?? '';
    (this.inputs.minCost as HTMLInputElement).value = f.minCost !== undefined ? String(f.minCost) : '';
    (this.inputs.minDurationMs as HTMLInputElement).value = f.minDurationMs !== undefined ? String(f.minDurationMs / 1000) : '';
    (this.inputs.from as HTMLInputElement).value = local(f.from);
    (this.inputs.to as HTMLInputElement).value = local(f.to);
  }

  private readFilters(): SessionFilters {
    const v = (k: string) => (this.inputs[k] as HTMLInputElement).value.trim();
    const num = (k: string) => (v(k) !== '' && Number.isFinite(Number(v(k))) ? Number(v(k)) : undefined);
    const date = (k: string) => (v(k) ? new Date(v(k)).getTime() : undefined);
    const f: SessionFilters = {};
    if (v('text')) f.text = v('text');
    if ((this.inputs.errorsOnly as HTMLInputElement).checked) f.errorsOnly = true;
    if (this.backendSelect.value) f.backend = this.backendSelect.value;
    if (v('agent')) f.agent = v('agent');
    if (v('model')) f.model = v('model');
    if (num('minCost') !== undefined) f.minCost = num('minCost');
    if (num('minDurationMs') !== undefined) f.minDurationMs = num('minDurationMs')! * 1000;
    const from = date('from');
    const to = date('to');
    if (from !== undefined && Number.isFinite(from)) f.from = from;
    if (to !== undefined && Number.isFinite(to)) f.to = to;
    return f;
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.state.filters = this.readFilters();
      this.save();
    }, 200);
  }

  private save(): void {
    this.markSort();
    send({ type: 'setState', state: this.state });
  }

  private markSort(): void {
    for (const el of Array.from(this.header.children) as HTMLElement[]) {
      const id = el.dataset.testid?.replace(/^sort-/, '');
      const on = id === this.state.sort.column;
      el.setAttribute('aria-sort', on ? (this.state.sort.desc ? 'descending' : 'ascending') : 'none');
      el.classList.toggle('sorted', on);
      el.dataset.dir = on ? (this.state.sort.desc ? 'desc' : 'asc') : '';
    }
  }

  private render(): void {
    const range = visibleRange(this.scroller.scrollTop, this.scroller.clientHeight || 400, ROW_HEIGHT, this.rows.length);
    const count = range.last - range.first;
    while (this.pool.length < count) {
      const el = h('div', { class: 'st-row', testid: 'session-row', role: 'row' });
      el.addEventListener('dblclick', () => this.action('open', el.dataset.key));
      this.pool.push(el);
      this.scroller.appendChild(el);
    }
    const want: string[] = [];
    this.pool.forEach((el, i) => {
      const r = this.rows[range.first + i];
      if (i >= count || !r) {
        el.hidden = true;
        return;
      }
      el.hidden = false;
      el.style.top = `${(range.first + i) * ROW_HEIGHT}px`;
      if (el.dataset.key === r.key && el.dataset.rev === this.rev(r)) return;
      el.dataset.key = r.key;
      el.dataset.rev = this.rev(r);
      el.dataset.status = r.status ?? '';
      el.replaceChildren(
        ...COLUMNS.map((c) => {
          const value = cell(r, c.id);
          return h('div', { class: `st-cell st-col-${c.id} ${c.cls ?? ''}${c.id === 'cost' && r.costUnpriced ? ' unpriced' : ''}`, title: value, data: { col: c.id } }, value);
        }),
        h('div', { class: 'st-cell st-actions' }, this.button('open', 'go-to-file', t('open'), r.key), this.canCompare ? this.button('compare', 'diff', t('compare'), r.key) : undefined, this.button('export', 'export', t('export'), r.key)),
      );
      if (!r.detailed && !this.detailsAsked.has(r.key)) want.push(r.key);
    });
    if (want.length) {
      want.forEach((k) => this.detailsAsked.add(k));
      send({ type: 'details', keys: want });
    }
  }

  private rev(r: SessionTableRow): string {
    return `${r.detailed ? 1 : 0}|${r.spans ?? ''}|${r.costText ?? ''}|${r.name}|${r.status ?? ''}|${this.canCompare ? 1 : 0}`;
  }

  private button(action: TableRowAction, iconName: string, label: string, key: string): HTMLElement {
    const b = h('button', { class: 'st-action', testid: `row-${action}`, title: label, attrs: { 'aria-label': label } }, icon(iconName));
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      this.action(action, key);
    });
    return b;
  }

  private action(action: TableRowAction, key: string | undefined): void {
    if (key) send({ type: 'rowAction', action, key });
  }
}

new TableApp().start();
