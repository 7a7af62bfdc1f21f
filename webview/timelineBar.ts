// The waterfall's timeline controls: kind and status filters (with the count
// of spans they hide), zoom and pan (Ctrl/Cmd + wheel, Shift + wheel, drag on
// the axis, + / - / 0 and Shift + arrows on the waterfall), folding of idle
// gaps, and a minimap of the whole session. The waterfall asks it for the
// rows to show, for bar geometry and for the axis; see the hooks in
// waterfall.ts.
import type { SpanKind } from '../src/model/types';
import { criticalPath } from './criticalPath';
import { h, icon, iconButton } from './dom';
import { formatDuration } from './renderable';
import { t } from './strings';
import { TimeScale, TimeWindow } from './timeScale';
import { bandRow, buildLanes, laneScale, placeBar, type Lane, type Lanes } from './traceLanes';
import { barGeometry, timeTicks, type Bar, type RowNode, type SpanTreeModel } from './virtual';

export interface TimelineHandlers {
  /** Something changed: `structure` when the visible rows changed. */
  changed(structure: boolean): void;
  /** The "Only …" chip showed every span again (the graph unmarks its node). */
  onlyCleared?(): void;
}

const KIND_VARS: Partial<Record<SpanKind, string>> = {
  agent: '--vscode-charts-purple',
  llm: '--vscode-charts-blue',
  tool: '--vscode-charts-orange',
  guardrail: '--vscode-charts-yellow',
  retrieval: '--vscode-charts-green',
};

export class TimelineBar {
  readonly el: HTMLElement;
  private readonly kinds = h('div', { class: 'tl-kinds', testid: 'timeline-kinds' });
  private readonly hiddenLabel = h('span', { class: 'tl-hidden muted', testid: 'timeline-hidden', role: 'status' });
  private readonly zoomLabel = h('span', { class: 'tl-zoom muted', testid: 'timeline-zoom' });
  private readonly errorsToggle: HTMLInputElement;
  private readonly foldToggle: HTMLInputElement;
  private readonly criticalToggle: HTMLInputElement;
  private critical: Set<string> | undefined;
  private readonly minimap = h('canvas', { class: 'tl-minimap-canvas', attrs: { 'aria-hidden': 'true' } });
  private readonly windowBox = h('div', { class: 'tl-window', testid: 'minimap-window' });
  private readonly minimapBox: HTMLElement;
  private readonly hiddenKinds = new Set<SpanKind>();
  /** Set by the agent graph: only these span keys are shown. */
  private only: Set<string> | undefined;
  private readonly onlyChip = h('span', { class: 'tl-only', testid: 'timeline-only' });
  private seenKinds = '';
  private errorsOnly = false;
  private fold = true;
  private scale: TimeScale | undefined;
  /** One axis per trace when the session has several (traceLanes.ts). */
  private lanes: Lanes | undefined;
  private readonly window = new TimeWindow();
  /** Changes whenever bar geometry changes (rows compare it to skip repaints). */
  version = 0;
  hidden = 0;
  private flat: RowNode[] = [];

  constructor(private readonly handlers: TimelineHandlers) {
    const check = (label: string, testid: string, on: boolean, change: (on: boolean) => void) => {
      const input = h('input', { testid, attrs: { type: 'checkbox', 'aria-label': label } });
      input.checked = on;
      input.addEventListener('change', () => change(input.checked));
      return input;
    };
    this.errorsToggle = check(t('errorsOnly'), 'timeline-errors', false, (on) => {
      this.errorsOnly = on;
      this.handlers.changed(true);
    });
    this.foldToggle = check(t('foldIdleTooltip'), 'timeline-fold', true, (on) => {
      this.fold = on;
      this.scale = undefined;
      for (const lane of this.lanes?.list ?? []) lane.scale = undefined;
      this.window.reset();
      this.bump(false);
    });
    this.criticalToggle = check(t('criticalPath'), 'timeline-critical', false, () => this.handlers.changed(true));
    this.minimapBox = h('div', { class: 'tl-minimap', testid: 'minimap', title: t('minimapTooltip') }, this.minimap, this.windowBox);
    this.el = h(
      'div',
      { class: 'timeline-bar', testid: 'timeline-bar' },
      icon('filter'),
      this.kinds,
      h('label', { class: 'tl-check' }, this.errorsToggle, ` ${t('errorsOnly')}`),
      this.onlyChip,
      this.hiddenLabel,
      h('span', { class: 'tl-spacer' }),
      h('label', { class: 'tl-check', title: t('criticalPathTooltip') }, this.criticalToggle, ` ${t('criticalPath')}`),
      h('label', { class: 'tl-check', title: t('foldIdleTooltip') }, this.foldToggle, ` ${t('foldIdle')}`),
      iconButton('zoom-out', t('zoomOut'), () => this.zoom(1 / 2), 'timeline-zoom-out'),
      iconButton('zoom-in', t('zoomIn'), () => this.zoom(2), 'timeline-zoom-in'),
      iconButton('screen-normal', t('resetZoom'), () => this.resetZoom(), 'timeline-zoom-reset'),
      this.zoomLabel,
      this.minimapBox,
    );
    this.dragMinimap();
  }

  // ---------------------------------------------------------------- rows

  /** The rows to show out of a flatten; counts and marks the others hidden. */
  apply(model: SpanTreeModel): RowNode[] {
    this.scale = undefined;
    this.critical = this.criticalToggle.checked ? criticalPath(model) : undefined;
    this.renderKinds(model.flat);
    const all = model.flat;
    this.lanes = buildLanes(all);
    const out: RowNode[] = [];
    let lastLane: Lane | undefined;
    let bands = 0;
    for (const n of all) {
      const failed = n.status === 'error' || n.status === 'timeout';
      if (this.hiddenKinds.has(n.kind) || (this.errorsOnly && !failed) || (this.only && !this.only.has(n.key))) {
        n.gen = -1; // indexOf: hidden
        continue;
      }
      // A band heads each run of rows of one trace (again if traces interleave).
      const lane = this.lanes ? n.lane : undefined;
      if (lane && lane !== lastLane) out.push(bandRow(lane, bands++));
      lastLane = lane;
      n.index = out.length;
      out.push(n);
    }
    this.hidden = all.length - (out.length - bands);
    this.hiddenLabel.textContent = this.hidden ? t('hidden', this.hidden.toLocaleString()) : '';
    this.flat = all;
    this.version++;
    this.drawMinimap(model);
    return out;
  }

  /** Whether the row is on the highlighted critical path. */
  isCritical(key: string): boolean {
    return !!this.critical?.has(key);
  }

  /** Shows only these spans (a graph node's), or all again with undefined. */
  showOnly(keys: string[] | undefined, label: string | undefined): void {
    this.only = keys ? new Set(keys) : undefined;
    this.onlyChip.replaceChildren();
    if (keys) {
      const clear = h('button', { class: 'tl-kind on', testid: 'timeline-only-clear', title: t('showAllSpans') }, t('onlyNode', label ?? ''));
      clear.addEventListener('click', () => {
        this.showOnly(undefined, undefined);
        this.handlers.onlyCleared?.();
      });
      this.onlyChip.appendChild(clear);
    }
    this.handlers.changed(true);
  }

  private renderKinds(flat: RowNode[]): void {
    const kinds = new Set<SpanKind>();
    for (const n of flat) kinds.add(n.kind);
    for (const k of this.hiddenKinds) kinds.add(k);
    const list = [...kinds].sort();
    const sig = `${list.join(',')}|${[...this.hiddenKinds].join(',')}`;
    if (sig === this.seenKinds) return;
    this.seenKinds = sig;
    this.kinds.replaceChildren(
      ...list.map((k) => {
        const on = !this.hiddenKinds.has(k);
        const b = h('button', { class: `tl-kind kind-${k}${on ? ' on' : ''}`, testid: `timeline-kind-${k}`, title: t(on ? 'hideKind' : 'showKind', k), attrs: { 'aria-pressed': String(on) } }, k);
        b.addEventListener('click', () => {
          if (this.hiddenKinds.has(k)) this.hiddenKinds.delete(k);
          else this.hiddenKinds.add(k);
          this.handlers.changed(true);
        });
        return b;
      }),
    );
  }

  // ---------------------------------------------------------------- scale

  private scaleFor(min: number, max: number): TimeScale {
    if (this.scale && this.scale.min === min && this.scale.max === max) return this.scale;
    const intervals: [number, number][] = [];
    for (const n of this.flat) if (n.start >= 0) intervals.push([n.start, n.end >= n.start ? n.end : n.start]);
    this.scale = new TimeScale(min, max, intervals, this.fold);
    return this.scale;
  }

  /** True when bars are placed as before this feature (no fold, no zoom). */
  private identity(min: number, max: number): boolean {
    return !this.window.zoomed && this.scaleFor(min, max).folded === 0;
  }

  /** The trace lane of a row (or the lane a band row heads); undefined for single-trace sessions. */
  laneOf(n: RowNode): Lane | undefined {
    return n.band ?? (this.lanes ? n.lane : undefined);
  }

  /** How many traces have their own axis (0: one axis for the session). */
  get laneCount(): number {
    return this.lanes?.list.length ?? 0;
  }

  /** Bar geometry in the window; undefined when the bar is outside it or has no start. */
  geometry(n: RowNode, min: number, max: number): Bar | undefined {
    const lane = this.laneOf(n);
    if (lane) {
      const s = laneScale(lane, this.fold);
      if (!this.window.zoomed && s.folded === 0) return barGeometry(n.start, n.end, lane.min, lane.max);
      return placeBar(n.start, n.end, s, this.window);
    }
    if (this.identity(min, max)) return barGeometry(n.start, n.end, min, max);
    return placeBar(n.start, n.end, this.scaleFor(min, max), this.window);
  }

  /**
   * Draws the axis (of a trace's lane, or of the session) when folded or
   * zoomed; false to let the waterfall draw its plain axis. `width` is the
   * axis' width in pixels, measured by the caller outside its frame.
   */
  renderAxis(axis: HTMLElement, width: number, min: number, max: number, lane?: Lane): boolean {
    if (!(max > min)) return false;
    const s = lane ? laneScale(lane, this.fold) : this.scaleFor(min, max);
    if (!this.window.zoomed && s.folded === 0) return false;
    const key = `tl|${width}|${this.version}|${this.window.u0}|${this.window.u1}|${min}|${max}|${lane?.ordinal ?? 0}`;
    if (axis.dataset.version === key) return true;
    axis.dataset.version = key;
    axis.replaceChildren();
    for (const seg of s.segments) {
      const a = this.window.frac(seg.u0);
      const b = this.window.frac(seg.u1);
      if (b < 0 || a > 1) continue;
      if (seg.gap) {
        const mark = h('span', { class: 'wf-break', testid: 'axis-break', title: t('idleFolded', formatDuration(seg.t1 - seg.t0)) }, t('idle', formatDuration(seg.t1 - seg.t0)));
        mark.style.left = `${Math.max(0, a) * 100}%`;
        mark.style.width = `${Math.max(0, Math.min(1, b) - Math.max(0, a)) * 100}%`;
        axis.appendChild(mark);
        continue;
      }
      // Ticks inside this busy run, labelled with the time since the session start.
      const px = (Math.min(1, b) - Math.max(0, a)) * width;
      const t0 = s.fromUnit(Math.max(seg.u0, this.window.u0));
      const t1 = s.fromUnit(Math.min(seg.u1, this.window.u1));
      const n = Math.floor(px / 90);
      if (n < 1 || !(t1 > t0)) continue;
      // Round steps counted from the axis start ("2s, 4s", not "283ms, 2.28s").
      const ticks = timeTicks(t1 - t0, n);
      const step = ticks.length > 1 ? ticks[1] - ticks[0] : t1 - t0;
      for (let since = Math.ceil((t0 - min) / step - 1e-9) * step; min + since <= t1 + 1e-6; since += step) {
        const at = this.window.frac(s.toUnit(min + since));
        // A label needs ~45px: none that would run into the break after this run.
        if (at < 0 || at > 1 || (seg.u1 < 1 && at > this.window.frac(seg.u1) - 45 / width)) continue;
        const tick = h('span', { class: 'wf-tick' }, since === 0 ? '0' : formatDuration(since).replace(/ 0[sm]$/, ''));
        tick.style.left = `${at * 100}%`;
        axis.appendChild(tick);
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- zoom and pan

  zoom(factor: number, anchor = 0.5): void {
    this.window.zoom(factor, anchor);
    this.bump(false);
  }

  pan(share: number): void {
    this.window.pan(share);
    this.bump(false);
  }

  resetZoom(): void {
    this.window.reset();
    this.bump(false);
  }

  private bump(structure: boolean): void {
    this.version++;
    const w = this.window.width;
    this.zoomLabel.textContent = w < 1 ? `${(1 / w).toFixed(1)}×` : '';
    this.windowBox.style.left = `${this.window.u0 * 100}%`;
    this.windowBox.style.width = `${w * 100}%`;
    this.windowBox.hidden = w >= 1;
    this.handlers.changed(structure);
  }

  /** Wheel: Ctrl/Cmd zooms around the pointer, Shift pans. `track` is the bars' area. */
  attachWheel(target: HTMLElement, track: () => DOMRect): void {
    target.addEventListener(
      'wheel',
      (e) => {
        if (!(e.ctrlKey || e.metaKey || e.shiftKey)) return;
        e.preventDefault();
        const r = track();
        const anchor = r.width > 0 ? Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)) : 0.5;
        const delta = e.deltaY || e.deltaX;
        if (e.ctrlKey || e.metaKey) this.zoom(delta < 0 ? 1.25 : 0.8, anchor);
        else this.pan(delta > 0 ? 0.1 : -0.1);
      },
      { passive: false },
    );
  }

  /** Drag on the axis pans the window. */
  attachDrag(axis: HTMLElement): void {
    axis.addEventListener('pointerdown', (e) => {
      if (!this.window.zoomed) return;
      const startX = e.clientX;
      const startU = this.window.u0;
      const width = axis.clientWidth || 1;
      axis.setPointerCapture(e.pointerId);
      const move = (m: PointerEvent) => {
        this.window.show(startU - ((m.clientX - startX) / width) * this.window.width, startU - ((m.clientX - startX) / width) * this.window.width + this.window.width);
        this.bump(false);
      };
      const up = () => {
        axis.removeEventListener('pointermove', move);
        axis.removeEventListener('pointerup', up);
      };
      axis.addEventListener('pointermove', move);
      axis.addEventListener('pointerup', up);
    });
  }

  /** + / - / 0 zoom, Shift + ←/→ pan. True when handled. */
  onKey(e: KeyboardEvent): boolean {
    if (e.key === '+' || e.key === '=') this.zoom(2);
    else if (e.key === '-' || e.key === '_') this.zoom(0.5);
    else if (e.key === '0') this.resetZoom();
    else if (e.shiftKey && e.key === 'ArrowLeft') this.pan(-0.25);
    else if (e.shiftKey && e.key === 'ArrowRight') this.pan(0.25);
    else return false;
    return true;
  }

  // ---------------------------------------------------------------- minimap

  private drawMinimap(model: SpanTreeModel): void {
    const c = this.minimap;
    const w = (c.width = Math.max(1, this.minimapBox.clientWidth || 160));
    const hgt = (c.height = 28);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, hgt);
    const min = model.minTime;
    const max = model.maxTime;
    if (!(max > min)) return;
    const s = this.scaleFor(min, max);
    const style = getComputedStyle(document.body);
    const colors = new Map<string, string>();
    const color = (k: SpanKind) => {
      let v = colors.get(k);
      if (!v) colors.set(k, (v = style.getPropertyValue(KIND_VARS[k] ?? '--vscode-descriptionForeground').trim() || '#888'));
      return v;
    };
    // One pixel row per share of the rows: the minimap shows where work happened over time.
    // With one axis per trace, each row sits on its trace's axis (the window applies to every lane alike).
    const rows = this.flat;
    const step = Math.max(1, Math.ceil(rows.length / 2000));
    for (let i = 0; i < rows.length; i += step) {
      const n = rows[i];
      if (n.start < 0) continue;
      const lane = this.lanes ? n.lane : undefined;
      const ls = lane ? laneScale(lane, this.fold) : s;
      const x0 = ls.toUnit(n.start) * w;
      const x1 = ls.toUnit(n.end >= 0 ? n.end : lane ? lane.max : max) * w;
      ctx.fillStyle = color(n.kind);
      ctx.fillRect(x0, (i / rows.length) * hgt, Math.max(1, x1 - x0), Math.max(1, hgt / Math.min(rows.length, 2000)));
    }
    ctx.fillStyle = style.getPropertyValue('--vscode-editorWarning-foreground').trim() || '#cca700';
    for (const scale of this.lanes ? this.lanes.list.map((l) => laneScale(l, this.fold)) : [s]) {
      for (const seg of scale.segments) if (seg.gap) ctx.fillRect(seg.u0 * w, 0, Math.max(1, (seg.u1 - seg.u0) * w), 2);
    }
  }

  private dragMinimap(): void {
    const box = this.minimapBox;
    box.addEventListener('pointerdown', (e) => {
      const go = (x: number) => {
        const r = box.getBoundingClientRect();
        const u = r.width > 0 ? (x - r.left) / r.width : 0;
        const w = this.window.zoomed ? this.window.width : 0.25;
        this.window.show(u - w / 2, u + w / 2);
        this.bump(false);
      };
      go(e.clientX);
      box.setPointerCapture(e.pointerId);
      const move = (m: PointerEvent) => go(m.clientX);
      const up = () => {
        box.removeEventListener('pointermove', move);
        box.removeEventListener('pointerup', up);
      };
      box.addEventListener('pointermove', move);
      box.addEventListener('pointerup', up);
    });
  }
}
