// The waterfall (Gantt) of a session's spans: a virtualized tree grid. Only
// the rows inside the viewport exist in the DOM (a fixed pool, repositioned on
// scroll), so 100,000 spans scroll as smoothly as 100. Bars are placed with
// percentages of the session's time range; colours come from the theme.
import { FIRST_ROWS_MARK, type SpanRow } from '../src/protocol';
import { h, icon } from './dom';
import { formatDuration, kindIcon } from './renderable';
import { t } from './strings';
import { TimelineBar } from './timelineBar';
import type { Lane } from './traceLanes';
import { scrollToReveal, SpanTreeModel, timeTicks, visibleRange, type RowNode } from './virtual';

export const ROW_HEIGHT = 22;
/** Indentation stops growing here; deeper rows show their depth as a number. */
const MAX_INDENT = 32;

export interface WaterfallHandlers {
  /** Click or Enter on a row. */
  open(key: string): void;
  /** The number of visible rows changed. */
  resized?(): void;
  /** The timeline's "Only …" chip showed every span again. */
  onlyCleared?(): void;
  /** The first rows were drawn. */
  drewRows?(): void;
}

export class Waterfall {
  readonly el: HTMLElement;
  readonly model = new SpanTreeModel();
  private readonly collapsed = new Set<string>();
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly headLabel: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private frame = 0;
  private drewRows = false;
  /** Widths of the head's axis and of a row's track (a trace band's axis), in pixels, kept by `resize`. */
  private axisWidth = 0;
  private trackWidth = 0;
  private readonly resize = new ResizeObserver(() => {
    // Layout is fresh when observers run: reading here costs nothing extra.
    this.axisWidth = this.axis.clientWidth;
    const shown = this.pool.find((r) => !r.hidden);
    if (shown) this.trackWidth = (shown.children[1] as HTMLElement).clientWidth;
    this.schedule(false);
  });
  private dirty = true;
  /** The keyboard cursor (highlighted row). */
  cursor: string | undefined;
  /** The span open in the detail view. */
  selected: string | undefined;
  private matches = new Set<string>();
  /** Kind/status filters, zoom, idle folding, minimap (timelineBar.ts). */
  readonly timeline = new TimelineBar({
    changed: (structure) => {
      this.pool.forEach((r) => (r.dataset.version = ''));
      this.axis.dataset.version = '';
      this.schedule(structure);
    },
    onlyCleared: () => this.handlers.onlyCleared?.(),
  });

  constructor(private readonly handlers: WaterfallHandlers) {
    this.axis = h('div', { class: 'wf-axis', attrs: { 'aria-hidden': 'true' } });
    this.headLabel = h('div', { class: 'wf-head-label', testid: 'axis-label' }, t('spanColumn'));
    this.spacer = h('div', { class: 'wf-spacer' });
    this.layer = h('div', { class: 'wf-layer' });
    this.empty = h('div', { class: 'wf-empty muted' }, t('noSpansYet'));
    this.scroller = h(
      'div',
      { class: 'wf-scroller', role: 'tree', tabIndex: 0, attrs: { 'aria-label': t('spansTreeLabel') } },
      this.spacer,
      this.layer,
    );
    this.el = h('div', { class: 'waterfall', testid: 'waterfall' }, this.timeline.el, h('div', { class: 'wf-head' }, this.headLabel, this.axis), this.scroller, this.empty);
    this.scroller.addEventListener('scroll', () => this.schedule(false));
    this.resize.observe(this.scroller);
    this.resize.observe(this.axis);
    this.layer.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.timeline.attachWheel(this.el, () => this.axis.getBoundingClientRect());
    this.timeline.attachDrag(this.axis);
  }

  // ---------------------------------------------------------------- data

  applyRows(rows: SpanRow[], reset: boolean): void {
    if (reset) {
      this.model.clear();
      this.pool.forEach((r) => (r.dataset.key = ''));
    }
    this.model.apply(rows);
    this.schedule(true);
  }

  setMatches(keys: string[]): void {
    this.matches = new Set(keys);
    this.pool.forEach((r) => (r.dataset.version = ''));
    this.schedule(false);
  }

  /** Expands the row's ancestors, scrolls it into view, moves the cursor there. */
  reveal(key: string, select: boolean): void {
    let changed = false;
    for (const a of this.model.ancestors(key)) changed = this.collapsed.delete(a) || changed;
    if (changed || this.dirty) this.reflatten();
    this.cursor = key;
    if (select) this.selected = key;
    const i = this.model.indexOf(key);
    if (i >= 0) this.scroller.scrollTop = scrollToReveal(i, this.scroller.scrollTop, this.scroller.clientHeight - ROW_HEIGHT, ROW_HEIGHT);
    this.pool.forEach((r) => (r.dataset.version = ''));
    this.schedule(false);
  }

  /** Marks the span open in the detail view (undefined: none, the session view). */
  setSelected(key: string | undefined): void {
    if (key === this.selected) return;
    this.selected = key;
    this.pool.forEach((r) => (r.dataset.version = ''));
    this.schedule(false);
  }

  /** Height that shows every row (for sizing the pane of small sessions). */
  get contentHeight(): number {
    return this.model.flat.length * ROW_HEIGHT + 24 + (this.timeline.el.offsetHeight || 30);
  }

  focus(): void {
    this.scroller.focus();
  }

  // ---------------------------------------------------------------- rendering

  private schedule(structure: boolean): void {
    this.dirty ||= structure;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private reflatten(): void {
    const before = this.model.flat.length;
    this.model.flatten(this.collapsed);
    this.model.flat = this.timeline.apply(this.model);
    this.dirty = false;
    this.spacer.style.height = `${this.model.flat.length * ROW_HEIGHT}px`;
    this.pool.forEach((r) => (r.dataset.version = ''));
    if (before !== this.model.flat.length) this.handlers.resized?.();
  }

  /**
   * One frame. Layout is read once, first (scroll position and height; the
   * widths come from the ResizeObserver): a read after the rows are written
   * would lay the page out again within the frame.
   */
  private render(): void {
    this.frame = 0;
    if (this.dirty) this.reflatten();
    const flat = this.model.flat;
    const scrollTop = this.scroller.scrollTop;
    const { first, last } = visibleRange(scrollTop, this.scroller.clientHeight, ROW_HEIGHT, flat.length);
    this.empty.hidden = flat.length > 0;
    while (this.pool.length < last - first) {
      const row = this.makeRow();
      if (!this.pool.length) this.resize.observe(row.children[1]);
      this.pool.push(row);
      this.layer.appendChild(row);
    }
    const min = this.model.minTime;
    const max = this.model.maxTime;
    const n = this.pool.length;
    for (let j = 0; j < n; j++) {
      const row = this.pool[j];
      // Row j shows the visible index ≡ j (mod n): scrolling by k rows refills k rows, not all of them.
      const i = first + ((((j - first) % n) + n) % n);
      if (i >= last) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      const y = `translateY(${i * ROW_HEIGHT}px)`;
      if (row.style.transform !== y) row.style.transform = y;
      this.fillRow(row, flat[i], min, max);
    }
    // With one axis per trace, the header shows the axis of the trace at the top of the view.
    const top = flat[Math.min(flat.length - 1, Math.floor(scrollTop / ROW_HEIGHT))];
    const lane = top ? this.timeline.laneOf(top) : undefined;
    const label = lane ? t('traceOf', lane.ordinal, this.timeline.laneCount) : t('spanColumn');
    if (this.headLabel.textContent !== label) this.headLabel.textContent = label;
    this.drawAxis(this.axis, this.axisWidth, lane ? lane.min : min, lane ? lane.max : max, lane);
    // For the benchmark (bench/workbench.ts): when this webview first drew rows.
    if (flat.length && !this.drewRows) {
      this.drewRows = true;
      performance.mark(FIRST_ROWS_MARK);
      this.handlers.drewRows?.();
    }
  }

  private makeRow(): HTMLElement {
    const twisty = h('span', { class: 'wf-twisty codicon' });
    const kind = h('span', { class: 'wf-kind codicon' });
    const name = h('span', { class: 'wf-name' });
    const depth = h('span', { class: 'wf-depth muted' });
    const err = icon('error', t('error'));
    err.classList.add('wf-error');
    const clock = icon('warning', t('timingProblem'));
    clock.classList.add('wf-timing');
    clock.dataset.testid = 'row-timing';
    const label = h('div', { class: 'wf-label' }, twisty, kind, depth, name, err, clock);
    const bar = h('div', { class: 'wf-bar' });
    const dur = h('span', { class: 'wf-dur' });
    const bandAxis = h('div', { class: 'wf-band-axis' });
    const track = h('div', { class: 'wf-track' }, bar, dur, bandAxis);
    return h('div', { class: 'wf-row', role: 'treeitem', testid: 'waterfall-row' }, label, track);
  }

  private fillRow(row: HTMLElement, node: RowNode, min: number, max: number): void {
    if (node.band) {
      this.fillBand(row, node, node.band);
      return;
    }
    const selected = node.key === this.selected;
    const cursor = node.key === this.cursor;
    const match = this.matches.has(node.key);
    const collapsed = this.collapsed.has(node.key);
    // Skip rows that already show this exact state (scrolling by a few pixels re-uses most rows).
    const version = `${node.key}|${node.name}|${node.status}|${node.start}|${node.end}|${node.timing ?? ''}|${node.children.length > 0}|${collapsed}|${selected}|${cursor}|${match}|${node.depth}|${min}|${max}|${this.timeline.version}`;
    if (row.dataset.version === version) return;
    row.dataset.version = version;
    row.dataset.testid = 'waterfall-row';
    row.dataset.key = node.key;
    row.dataset.kind = node.kind;
    row.dataset.status = node.status;
    row.setAttribute('aria-level', String(node.depth + 1));
    row.setAttribute('aria-selected', String(selected));
    if (node.children.length) row.setAttribute('aria-expanded', String(!collapsed));
    else row.removeAttribute('aria-expanded');
    row.className = `wf-row kind-${node.kind}${node.status === 'error' || node.status === 'timeout' ? ' failed' : ''}${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}${match ? ' match' : ''}${this.timeline.isCritical(node.key) ? ' critical' : ''}`;

    const [label, track] = row.children as unknown as [HTMLElement, HTMLElement];
    const [twisty, kind, depth, name, err, clock] = label.children as unknown as HTMLElement[];
    // Never indent past the label column minus room for the icon, depth and name (deep chains kept their names off-screen).
    label.style.paddingLeft = `min(${Math.min(node.depth, MAX_INDENT) * 12 + 4}px, calc(var(--wf-label) - 140px))`;
    twisty.className = `wf-twisty codicon ${node.children.length ? (collapsed ? 'codicon-chevron-right' : 'codicon-chevron-down') : 'codicon-blank'}`;
    kind.className = `wf-kind codicon codicon-${kindIcon(node.kind)}`;
    depth.textContent = node.depth > MAX_INDENT ? `${node.depth}` : '';
    name.textContent = node.name;
    name.title = `${node.name} (${node.kind}, ${node.status})`;
    err.hidden = !(node.status === 'error' || node.status === 'timeout');
    clock.hidden = !node.timing;
    clock.title = node.timing ?? '';
    if (node.timing) name.title += ` — ${node.timing}`;

    const [bar, dur, bandAxis] = track.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    bandAxis.hidden = true;
    dur.hidden = false;
    const g = this.timeline.geometry(node, min, max);
    bar.hidden = !g;
    if (g) {
      bar.style.left = `${g.left * 100}%`;
      bar.style.width = g.open ? '' : `max(2px, ${g.width * 100}%)`;
      bar.classList.toggle('open', g.open);
      dur.style.left = `calc(${(g.left + g.width) * 100}% + 4px)`;
    }
    dur.textContent = node.end >= 0 && node.start >= 0 ? formatDuration(node.end - node.start) : '';
  }

  /** A band row: the trace's name, start and duration, and its own axis in the track. */
  private fillBand(row: HTMLElement, node: RowNode, lane: Lane): void {
    const version = `band|${node.key}|${lane.name}|${lane.min}|${lane.max}|${this.timeline.version}`;
    const [label, track] = row.children as unknown as [HTMLElement, HTMLElement];
    const [bar, dur, bandAxis] = track.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    // The axis also depends on the track's width: let drawAxis check its own cache.
    bandAxis.hidden = false;
    this.drawAxis(bandAxis, this.trackWidth, lane.min, lane.max, lane);
    if (row.dataset.version === version) return;
    row.dataset.version = version;
    row.dataset.testid = 'trace-band';
    row.dataset.key = node.key;
    delete row.dataset.kind;
    delete row.dataset.status;
    row.className = 'wf-row wf-band';
    row.setAttribute('aria-level', '1');
    row.setAttribute('aria-selected', 'false');
    row.removeAttribute('aria-expanded');
    label.style.paddingLeft = '4px';
    const [twisty, kind, depth, name, err, clock] = label.children as unknown as HTMLElement[];
    twisty.className = 'wf-twisty codicon codicon-blank';
    kind.className = 'wf-kind codicon codicon-pulse';
    depth.textContent = '';
    const when = Number.isFinite(lane.min) ? new Date(lane.min).toLocaleTimeString() : '';
    const took = lane.max > lane.min ? formatDuration(lane.max - lane.min) : '';
    name.textContent = t('traceBand', lane.ordinal, lane.name);
    name.title = [t('traceOf', lane.ordinal, this.timeline.laneCount), lane.trace, when, took, t('spansCount', lane.spans.toLocaleString())].filter(Boolean).join(' · ');
    err.hidden = true;
    clock.hidden = true;
    bar.hidden = true;
    dur.hidden = true;
  }

  /** Ticks of an axis from `min` to `max` (a lane's or the session's) into `el`. */
  private drawAxis(el: HTMLElement, width: number, min: number, max: number, lane?: Lane): void {
    if (this.timeline.renderAxis(el, width, min, max, lane)) return;
    const total = Number.isFinite(min) && Number.isFinite(max) ? max - min : 0;
    const key = `${width}|${total}|${min}`;
    if (el.dataset.version === key) return;
    el.dataset.version = key;
    el.replaceChildren();
    if (!(total > 0) || width <= 0) return;
    for (const t of timeTicks(total, Math.max(1, Math.floor(width / 90)))) {
      // Ticks are round numbers: "5m", not "5m 0s".
      const tick = h('span', { class: 'wf-tick' }, t === 0 ? '0' : formatDuration(t).replace(/ 0[sm]$/, ''));
      tick.style.left = `${(t / total) * 100}%`;
      el.appendChild(tick);
    }
  }

  // ---------------------------------------------------------------- interaction

  private onClick(e: MouseEvent): void {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.wf-row');
    const key = row?.dataset.key;
    if (!key || row.classList.contains('wf-band')) return;
    if ((e.target as HTMLElement).classList.contains('wf-twisty')) {
      this.toggle(key);
      return;
    }
    this.cursor = key;
    this.handlers.open(key);
  }

  toggle(key: string, expand?: boolean): void {
    const node = this.model.get(key);
    if (!node || !node.children.length) return;
    const isCollapsed = this.collapsed.has(key);
    const want = expand ?? isCollapsed;
    if (want === isCollapsed) {
      if (want) this.collapsed.delete(key);
      else this.collapsed.add(key);
      this.schedule(true);
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (this.dirty) this.reflatten();
    const flat = this.model.flat;
    if (!flat.length) return;
    if (this.timeline.onKey(e)) {
      e.preventDefault();
      return;
    }
    let i = this.cursor ? this.model.indexOf(this.cursor) : -1;
    const node = i >= 0 ? flat[i] : undefined;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        i = Math.min(flat.length - 1, i + 1);
        break;
      case 'ArrowUp':
        i = Math.max(0, i - 1);
        break;
      case 'PageDown':
        i = Math.min(flat.length - 1, i + page);
        break;
      case 'PageUp':
        i = Math.max(0, i - page);
        break;
      case 'Home':
        i = 0;
        break;
      case 'End':
        i = flat.length - 1;
        break;
      case 'ArrowRight':
        if (node?.children.length) {
          if (this.collapsed.has(node.key)) {
            this.toggle(node.key, true);
          } else {
            i++;
          }
        }
        break;
      case 'ArrowLeft':
        if (node?.children.length && !this.collapsed.has(node.key)) {
          this.toggle(node.key, false);
        } else if (node?.parent) {
          i = this.model.indexOf(node.parent.key);
        }
        break;
      case 'Enter':
      case ' ':
        if (node) this.handlers.open(node.key);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (this.dirty) this.reflatten();
    const list = this.model.flat;
    // Band rows are not spans: step over them in the direction of travel.
    const dir = e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home' ? -1 : 1;
    i = Math.max(0, Math.min(list.length - 1, i));
    while (list[i]?.band && list[i + dir]) i += dir;
    while (list[i]?.band && list[i - dir]) i -= dir;
    const target = list[i];
    if (target && !target.band) this.reveal(target.key, false);
  }
}
