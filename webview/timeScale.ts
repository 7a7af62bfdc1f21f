// The waterfall's time axis, without a DOM: idle gaps folded into fixed-width
// breaks (so a session of three short turns over an hour shows readable bars
// for every turn) and a zoom/pan window over the folded axis. Built in
// O(n log n) from the rows' intervals; each lookup is a binary search.

export interface Segment {
  /** epoch ms */
  t0: number;
  t1: number;
  /** position on the folded axis, 0..1 */
  u0: number;
  u1: number;
  /** A folded idle gap. */
  gap: boolean;
}

/** A gap is folded when longer than this and than FOLD_SHARE of the session. */
export const FOLD_MIN_MS = 30_000;
export const FOLD_SHARE = 0.1;
/** Width of one folded gap on the axis, and the most all breaks may take together. */
const GAP_WIDTH = 0.03;
const MAX_GAPS_WIDTH = 0.3;

export class TimeScale {
  readonly segments: Segment[];
  constructor(
    readonly min: number,
    readonly max: number,
    intervals: [number, number][],
    fold = true,
  ) {
    this.segments = buildSegments(min, max, intervals, fold);
  }

  get folded(): number {
    return this.segments.filter((s) => s.gap).length;
  }

  /** Position of a time on the folded axis (0..1). */
  toUnit(t: number): number {
    const segs = this.segments;
    if (!segs.length || !(this.max > this.min)) return 0;
    if (t <= segs[0].t0) return 0;
    if (t >= segs[segs.length - 1].t1) return 1;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].t1 < t) lo = mid + 1;
      else hi = mid;
    }
    const s = segs[lo];
    return s.t1 > s.t0 ? s.u0 + ((t - s.t0) / (s.t1 - s.t0)) * (s.u1 - s.u0) : s.u0;
  }

  /** The time at a position of the folded axis (inverse of toUnit). */
  fromUnit(u: number): number {
    for (const s of this.segments) {
      if (u <= s.u1) return s.u1 > s.u0 ? s.t0 + ((u - s.u0) / (s.u1 - s.u0)) * (s.t1 - s.t0) : s.t0;
    }
    return this.max;
  }
}

function buildSegments(min: number, max: number, intervals: [number, number][], fold: boolean): Segment[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const total = max - min;
  const threshold = Math.max(FOLD_MIN_MS, total * FOLD_SHARE);
  // Merge intervals into busy runs; the holes between them are idle gaps.
  const sorted = intervals.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).sort((x, y) => x[0] - y[0]);
  const gaps: [number, number][] = [];
  let reach = min;
  for (const [a, b] of sorted) {
    if (fold && a - reach > threshold) gaps.push([reach, a]);
    reach = Math.max(reach, b);
  }
  if (fold && max - reach > threshold) gaps.push([reach, max]);
  if (!gaps.length) return [{ t0: min, t1: max, u0: 0, u1: 1, gap: false }];
  const gapWidth = Math.min(GAP_WIDTH, MAX_GAPS_WIDTH / gaps.length);
  const idle = gaps.reduce((n, [a, b]) => n + (b - a), 0);
  const busy = total - idle;
  const busyWidth = 1 - gapWidth * gaps.length;
  const out: Segment[] = [];
  let t = min;
  let u = 0;
  const pushBusy = (to: number) => {
    if (to <= t) return;
    const w = busy > 0 ? ((to - t) / busy) * busyWidth : 0;
    out.push({ t0: t, t1: to, u0: u, u1: u + w, gap: false });
    u += w;
    t = to;
  };
  for (const [a, b] of gaps) {
    pushBusy(a);
    out.push({ t0: a, t1: b, u0: u, u1: u + gapWidth, gap: true });
    u += gapWidth;
    t = b;
  }
  pushBusy(max);
  // Rounding: the last segment ends at exactly 1.
  out[out.length - 1].u1 = 1;
  return out;
}

/** The zoom/pan window over the folded axis: [u0, u1] inside [0, 1]. */
export class TimeWindow {
  u0 = 0;
  u1 = 1;
  static readonly MIN_WIDTH = 1e-7;

  get zoomed(): boolean {
    return this.u0 > 0 || this.u1 < 1;
  }

  get width(): number {
    return this.u1 - this.u0;
  }

  /** Zooms by `factor` (>1 in) keeping the point at `anchor` (0..1 of the window) in place. */
  zoom(factor: number, anchor = 0.5): void {
    const w = Math.min(1, Math.max(TimeWindow.MIN_WIDTH, this.width / factor));
    const at = this.u0 + anchor * this.width;
    this.set(at - anchor * w, w);
  }

  /** Pans by a share of the window width (positive: later). */
  pan(share: number): void {
    this.set(this.u0 + share * this.width, this.width);
  }

  reset(): void {
    this.u0 = 0;
    this.u1 = 1;
  }

  /** Shows [a, b] of the folded axis. */
  show(a: number, b: number): void {
    this.set(Math.min(a, b), Math.max(TimeWindow.MIN_WIDTH, Math.abs(b - a)));
  }

  private set(start: number, w: number): void {
    const width = Math.min(1, w);
    const s = Math.min(1 - width, Math.max(0, start));
    this.u0 = s;
    this.u1 = s + width;
  }

  /** Position of a folded-axis point in the window (may be outside 0..1). */
  frac(u: number): number {
    return (u - this.u0) / this.width;
  }
}
