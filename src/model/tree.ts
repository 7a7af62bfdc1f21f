// Turns a flat list of spans into a forest. Spans arrive in pages and in any
// order (children before parents), so the builder links incrementally: each
// span is attached in O(1) (plus a walk up to its tree's root, kept short by
// path compression, when it adopts waiting children, to detect cycles), and sibling
// lists are sorted lazily, when someone reads them.
import type { Span } from './types';

export type TreeIssueKind = 'duplicate' | 'cycle' | 'orphan';

export interface TreeIssue {
  kind: TreeIssueKind;
  spanId: string;
  message: string;
}

/** Most nodes are leaves: they share this array instead of holding an empty one each (~32 MB at 1M spans). */
const NO_CHILDREN: SpanNode[] = Object.freeze([]) as unknown as SpanNode[];

const SORTED = 1;
const ORPHAN = 2;
const CYCLE = 4;
const DUPLICATE = 8;

/** A span in the forest. Its four marks share one number field: a million nodes are 24 MB smaller than with a field each. */
export class SpanNode {
  parent: SpanNode | undefined = undefined;
  /** Unsorted; read through `ForestBuilder.childrenOf`. Leaves share one empty array. */
  children: SpanNode[] = NO_CHILDREN;
  /** An ancestor to jump to when looking for this node's root (set by `rootOf`). */
  up: SpanNode | undefined = undefined;
  private marks: number;

  constructor(
    /** Unique within the forest: the span id, or `id~N` for the Nth duplicate. */
    readonly key: string,
    readonly span: Span,
    /** Input position; ties in start time keep input order. */
    readonly seq: number,
    duplicate: boolean,
  ) {
    this.marks = SORTED | (duplicate ? DUPLICATE : 0);
  }

  get sorted(): boolean {
    return (this.marks & SORTED) !== 0;
  }

  set sorted(v: boolean) {
    this.mark(SORTED, v);
  }

  /** Has a parentId that is not (yet) loaded. */
  get orphan(): true | undefined {
    return this.marks & ORPHAN ? true : undefined;
  }

  set orphan(v: boolean | undefined) {
    this.mark(ORPHAN, v);
  }

  /** Detached from its parent to break a cycle. */
  get cycle(): true | undefined {
    return this.marks & CYCLE ? true : undefined;
  }

  set cycle(v: boolean | undefined) {
    this.mark(CYCLE, v);
  }

  /** A second span with an id already seen. */
  get duplicate(): true | undefined {
    return this.marks & DUPLICATE ? true : undefined;
  }

  private mark(bit: number, on: boolean | undefined): void {
    this.marks = on ? this.marks | bit : this.marks & ~bit;
  }
}

function byStart(a: SpanNode, b: SpanNode): number {
  const sa = Number.isFinite(a.span.startTime) ? a.span.startTime : Infinity;
  const sb = Number.isFinite(b.span.startTime) ? b.span.startTime : Infinity;
  return sa === sb ? a.seq - b.seq : sa < sb ? -1 : 1;
}

function sortIfNeeded(list: SpanNode[]): void {
  for (let i = 1; i < list.length; i++) {
    if (byStart(list[i - 1], list[i]) > 0) {
      list.sort(byStart);
      return;
    }
  }
}

export class ForestBuilder {
  /** Every node by key; a span's first node is found here by its id (`byId`), so no second map of a million ids. */
  private readonly byKey = new Map<string, SpanNode>();
  /** First spans whose id was taken as an earlier duplicate's key ("a", "a" → "a~2", then a span "a~2"). */
  private readonly renamed = new Map<string, SpanNode>();
  /** Children whose parent has not arrived, by the parent id they wait for. */
  private readonly waiting = new Map<string, SpanNode[]>();
  private readonly rootSet = new Set<SpanNode>();
  /** Every node in arrival order, so consumers can take only what is new. */
  private readonly order: SpanNode[] = [];
  private rootList: SpanNode[] | undefined;
  /** Next `~N` suffix to try per duplicated id (probing from 2 each time was quadratic). */
  private readonly dupNext = new Map<string, number>();
  private seq = 0;
  readonly issues: TreeIssue[] = [];

  get size(): number {
    return this.seq;
  }

  add(spans: Iterable<Span>): this {
    for (const span of spans) {
      this.addOne(span);
    }
    return this;
  }

  get(key: string): SpanNode | undefined {
    return this.byKey.get(key);
  }

  /** Nodes in arrival order from position `from` (a consumer's previous `size`). */
  *nodesFrom(from: number): Iterable<SpanNode> {
    for (let i = Math.max(0, from); i < this.order.length; i++) {
      yield this.order[i];
    }
  }

  /** Root nodes (true roots, orphans and cycle breaks), sorted by start time. */
  roots(): SpanNode[] {
    if (!this.rootList) {
      this.rootList = [...this.rootSet];
      this.rootList.sort(byStart);
    }
    return this.rootList;
  }

  childrenOf(node: SpanNode): SpanNode[] {
    if (!node.sorted) {
      sortIfNeeded(node.children);
      node.sorted = true;
    }
    return node.children;
  }

  /** Every node in depth-first pre-order (iterative: chains may be 10k+ deep). */
  *walk(): Generator<{ node: SpanNode; depth: number }> {
    const stack: { node: SpanNode; depth: number }[] = [];
    const roots = this.roots();
    for (let i = roots.length - 1; i >= 0; i--) {
      stack.push({ node: roots[i], depth: 0 });
    }
    while (stack.length) {
      const item = stack.pop()!;
      yield item;
      const kids = this.childrenOf(item.node);
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push({ node: kids[i], depth: item.depth + 1 });
      }
    }
  }

  /** Orphans are those still waiting for a parent. */
  orphanIssues(): TreeIssue[] {
    const out: TreeIssue[] = [];
    for (const [parentId, kids] of this.waiting) {
      for (const kid of kids) {
        out.push({ kind: 'orphan', spanId: kid.span.id, message: `parent ${parentId} not loaded` });
      }
    }
    return out;
  }

  private addOne(span: Span): void {
    const seq = this.seq++;
    let key = span.id;
    let duplicate = false;
    if (this.byId(span.id)) {
      // Keep both spans; the first keeps the id, so children attach to it.
      key = this.freeKey(span.id);
      duplicate = true;
      this.issues.push({ kind: 'duplicate', spanId: span.id, message: `duplicate span id ${span.id} (kept as ${key})` });
    } else if (this.byKey.has(key)) {
      // An earlier duplicate's key equals this id ("a", "a", then "a~2"): keys stay unique.
      key = this.freeKey(span.id);
    }
    const node = new SpanNode(key, span, seq, duplicate);
    this.byKey.set(key, node);
    this.order.push(node);
    if (!duplicate && key !== span.id) {
      this.renamed.set(span.id, node);
    }

    const parentId = span.parentId;
    if (parentId === undefined || parentId === '') {
      this.setRoot(node);
    } else if (parentId === span.id) {
      node.cycle = true;
      this.issues.push({ kind: 'cycle', spanId: span.id, message: `span ${span.id} is its own parent` });
      this.setRoot(node);
    } else {
      const parent = this.byId(parentId);
      if (parent) {
        this.attach(node, parent);
      } else {
        node.orphan = true;
        this.setRoot(node);
        const list = this.waiting.get(parentId);
        if (list) {
          list.push(node);
        } else {
          this.waiting.set(parentId, [node]);
        }
      }
    }

    if (!duplicate && this.waiting.size) {
      this.adoptWaiting(node);
    }
  }

  /** The first span with this id. A duplicate's key (`id~N`) never equals its own span's id. */
  private byId(id: string): SpanNode | undefined {
    const node = this.byKey.get(id);
    return node && node.span.id === id ? node : this.renamed.get(id);
  }

  private adoptWaiting(node: SpanNode): void {
    const kids = this.waiting.get(node.span.id);
    if (!kids) {
      return;
    }
    this.waiting.delete(node.span.id);
    // A waiting kid is a root; attaching it under `node` closes a cycle exactly
    // when that kid is `node`'s own root.
    const top = this.rootOf(node);
    for (const kid of kids) {
      if (kid === top) {
        kid.orphan = undefined;
        kid.cycle = true;
        this.issues.push({
          kind: 'cycle',
          spanId: kid.span.id,
          message: `cycle through ${kid.span.id} and ${node.span.id}; ${kid.span.id} shown as a root`,
        });
        continue;
      }
      kid.orphan = undefined;
      this.rootSet.delete(kid);
      this.rootList = undefined;
      this.attach(kid, node);
    }
  }

  private freeKey(id: string): string {
    let n = this.dupNext.get(id) ?? 2;
    while (this.byKey.has(`${id}~${n}`)) {
      n++;
    }
    this.dupNext.set(id, n + 1);
    return `${id}~${n}`;
  }

  /**
   * The root of `node`'s tree. The walk up leaves each node it passed a jump
   * to that root (path compression), so the next walk from any of them takes
   * one step: children arriving just before their parents in a deep chain
   * made the plain walk quadratic (a 40,000-deep chain took 14 s). A jump
   * stays valid because a node only ever gains ancestors: a root is attached
   * under a parent, never detached.
   */
  private rootOf(node: SpanNode): SpanNode {
    let top = node;
    for (let next = top.up ?? top.parent; next; next = top.up ?? top.parent) top = next;
    for (let n = node; n !== top; ) {
      const next = n.up ?? n.parent!;
      n.up = top;
      n = next;
    }
    return top;
  }

  private attach(node: SpanNode, parent: SpanNode): void {
    node.parent = parent;
    const siblings = parent.children;
    if (siblings === NO_CHILDREN) {
      parent.children = [node];
      return;
    }
    if (byStart(siblings[siblings.length - 1], node) > 0) {
      parent.sorted = false;
    }
    siblings.push(node);
  }

  private setRoot(node: SpanNode): void {
    this.rootSet.add(node);
    this.rootList = undefined;
  }
}

export function buildForest(spans: Iterable<Span>): ForestBuilder {
  return new ForestBuilder().add(spans);
}
