// The waterfall's data model and virtualization math, without a DOM.
// Rows arrive in batches (SpanRow tuples) while a session loads; the model
// links them into a tree, and `flatten` produces the visible row order (depth-
// first, children by start time, collapsed subtrees skipped) in linear time,
// so 100,000 spans re-flatten in milliseconds. Only the rows inside the
// viewport are ever put in the DOM (see `visibleRange`).
import type { SpanKind, SpanStatus } from '../src/model/types';
import type { SpanRow } from '../src/protocol';
import type { Lane } from './traceLanes';

export interface RowNode {
  key: string;
  parentKey: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  /** epoch ms, -1 unknown */
  start: number;
  /** epoch ms, -1 unknown */
  end: number;
  /** What is wrong with the span's clock (SpanRow `timing`), or undefined. */
  timing: string | undefined;
  /** Trace id, sent on roots only (traceLanes.ts). */
  trace?: string;
  /** Set on the band rows traceLanes.ts inserts: the lane this row heads. */
  band?: Lane;
  /** The row's trace lane in a multi-trace session (traceLanes.ts buildLanes). */
  lane?: Lane;
  /** Arrival order; breaks start-time ties. */
  seq: number;
  parent: RowNode | undefined;
  children: RowNode[];
  sorted: boolean;
  /** Position in the last flatten; valid only when `gen` equals the model's generation. */
  index: number;
  gen: number;
  depth: number;
}

function byStart(a: RowNode, b: RowNode): number {
  const sa = a.start < 0 ? Infinity : a.start;
  const sb = b.start < 0 ? Infinity : b.start;
  return sa === sb ? a.seq - b.seq : sa < sb ? -1 : 1;
}

export class SpanTreeModel {
  private readonly nodes = new Map<string, RowNode>();
  /** A set, not a list: adopting thousands of orphans must not scan the roots each time. */
  private readonly rootSet = new Set<RowNode>();
  private rootList: RowNode[] | undefined = [];
  /** Children whose parent row has not arrived yet, by parent key. */
  private readonly waiting = new Map<string, RowNode[]>();
  private seq = 0;
  private gen = 0;
  /** The last flatten's result. */
  flat: RowNode[] = [];
  minTime = Infinity;
  maxTime = -Infinity;

  get size(): number {
    return this.nodes.size;
  }

  get(key: string): RowNode | undefined {
    return this.nodes.get(key);
  }

  clear(): void {
    this.nodes.clear();
    this.rootSet.clear();
    this.rootList = [];
    this.waiting.clear();
    this.flat = [];
    this.seq = 0;
    this.minTime = Infinity;
    this.maxTime = -Infinity;
  }

  /** Adds new rows and updates known ones (a re-sent row moves when its parent changed). */
  apply(rows: SpanRow[]): void {
    for (const [key, parentKey, name, kind, status, start, end, timingText, trace] of rows) {
      const timing = timingText || undefined;
      let node = this.nodes.get(key);
      if (node) {
        Object.assign(node, { name, kind, status, start, end, timing, trace });
        if (node.parentKey !== parentKey) {
          this.unlink(node);
          node.parentKey = parentKey;
          this.link(node);
        }
      } else {
        node = { key, parentKey, name, kind, status, start, end, timing, trace, seq: this.seq++, parent: undefined, children: [], sorted: true, index: -1, gen: -1, depth: 0 };
        this.nodes.set(key, node);
        this.link(node);
        // Children that arrived first now find their parent.
        const kids = this.waiting.get(key);
        if (kids) {
          this.waiting.delete(key);
          for (const kid of kids) {
            this.unlink(kid);
            this.link(kid);
          }
        }
      }
      if (start >= 0) this.minTime = Math.min(this.minTime, start);
      const last = end >= 0 ? end : start;
      if (last >= 0) this.maxTime = Math.max(this.maxTime, last);
    }
  }

  private link(node: RowNode): void {
    const parent = node.parentKey ? this.nodes.get(node.parentKey) : undefined;
    // Never link under a descendant (would hide both); the host's forest has no cycles, this is a guard.
    if (parent && !this.isAncestor(node, parent)) {
      node.parent = parent;
      const list = parent.children;
      if (list.length && byStart(list[list.length - 1], node) > 0) parent.sorted = false;
      list.push(node);
      return;
    }
    if (node.parentKey && !parent) {
      const w = this.waiting.get(node.parentKey);
      if (w) w.push(node);
      else this.waiting.set(node.parentKey, [node]);
    }
    node.parent = undefined;
    this.rootSet.add(node);
    this.rootList = undefined;
  }

  private unlink(node: RowNode): void {
    if (node.parent) {
      const list = node.parent.children;
      const i = list.lastIndexOf(node);
      if (i >= 0) list.splice(i, 1);
      node.parent = undefined;
    } else if (this.rootSet.delete(node)) {
      this.rootList = undefined;
    }
  }

  private isAncestor(node: RowNode, of: RowNode): boolean {
    // A leaf is nobody's ancestor: a chain arriving parent-first links each new row in O(1), not O(depth).
    if (!node.children.length) return false;
    for (let p: RowNode | undefined = of; p; p = p.parent) if (p === node) return true;
    return false;
  }

  childrenOf(node: RowNode | undefined): RowNode[] {
    if (!node) {
      if (!this.rootList) {
        this.rootList = [...this.rootSet];
        this.rootList.sort(byStart);
      }
      return this.rootList;
    }
    if (!node.sorted) {
      node.children.sort(byStart);
      node.sorted = true;
    }
    return node.children;
  }

  /** Depth-first visible order; iterative because chains can be 10,000+ deep. */
  flatten(collapsed: ReadonlySet<string>): RowNode[] {
    const gen = ++this.gen;
    const out: RowNode[] = [];
    const stack: RowNode[] = [];
    const roots = this.childrenOf(undefined);
    for (let i = roots.length - 1; i >= 0; i--) {
      roots[i].depth = 0;
      stack.push(roots[i]);
    }
    while (stack.length) {
      const node = stack.pop()!;
      node.index = out.length;
      node.gen = gen;
      out.push(node);
      if (node.children.length && !collapsed.has(node.key)) {
        const kids = this.childrenOf(node);
        for (let i = kids.length - 1; i >= 0; i--) {
          kids[i].depth = node.depth + 1;
          stack.push(kids[i]);
        }
      }
    }
    this.flat = out;
    return out;
  }

  /** Index in the last flatten, or -1 when the row is hidden (collapsed ancestor) or unknown. */
  indexOf(key: string): number {
    const n = this.nodes.get(key);
    return n && n.gen === this.gen ? n.index : -1;
  }

  /** Keys of every ancestor, nearest first (to expand before revealing a row). */
  ancestors(key: string): string[] {
    const out: string[] = [];
    for (let p = this.nodes.get(key)?.parent; p; p = p.parent) out.push(p.key);
    return out;
  }
}

// ------------------------------------------------------------------ viewport math

export interface Range {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (exclusive). */
  last: number;
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): Range {
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, last), last };
}

/** The scrollTop that brings row `index` into view with minimal movement (unchanged if visible). */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

export interface Bar {
  /** Fractions of the timeline, 0..1. */
  left: number;
  width: number;
  /** No end time: drawn as a marker. */
  open: boolean;
}

/** Where a span's bar goes on a timeline from `min` to `max`. `undefined` when the span has no start time. */
export function barGeometry(start: number, end: number, min: number, max: number): Bar | undefined {
  if (start < 0 || !Number.isFinite(min) || !Number.isFinite(max)) return undefined;
  const span = Math.max(max - min, 1e-6);
  const left = clamp01((start - min) / span);
  if (end < 0) return { left, width: 0, open: true };
  const width = clamp01((Math.max(end, start) - start) / span);
  return { left, width: Math.min(width, 1 - left), open: false };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Number.isFinite(x) ? x : 0;
}

/** Evenly spaced "nice" tick offsets (ms from the start) for a timeline of `totalMs`: 1, 2, 5 × 10^k steps. */
export function timeTicks(totalMs: number, maxTicks: number): number[] {
  if (!(totalMs > 0) || maxTicks < 1) return [0];
  const raw = totalMs / maxTicks;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let t = 0; t <= totalMs + step * 1e-9; t += step) out.push(t);
  return out;
}
