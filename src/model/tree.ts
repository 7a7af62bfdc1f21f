// Turns a flat list of spans into a forest. Spans arrive in pages and in any
// order (children before parents), so the builder links incrementally: each
// span is attached in O(1) (plus a near-constant union-find lookup of its
// tree's root when it adopts waiting children, to detect cycles), and sibling
// lists are sorted lazily, when someone reads them.
import type { Span } from './types';

export type TreeIssueKind = 'duplicate' | 'cycle' | 'orphan';

export interface TreeIssue {
  kind: TreeIssueKind;
  spanId: string;
  message: string;
}

export interface SpanNode {
  /** Unique within the forest: the span id, or `id~N` for the Nth duplicate. */
  readonly key: string;
  readonly span: Span;
  /** Input position; ties in start time keep input order. */
  readonly seq: number;
  parent?: SpanNode;
  /** Unsorted; read through `ForestBuilder.childrenOf`. */
  children: SpanNode[];
  sorted: boolean;
  /** Has a parentId that is not (yet) loaded. */
  orphan?: boolean;
  /** Detached from its parent to break a cycle. */
  cycle?: boolean;
  /** A second span with an id already seen. */
  duplicate?: boolean;
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
  /**
   * Union-find over "same tree", so finding a node's root does not walk its
   * ancestors: children arriving just before their parents in a deep chain
   * made that walk quadratic (a 40,000-deep chain took 14 s).
   */
  private readonly uf = new Map<SpanNode, SpanNode>();
  private readonly ufSize = new Map<SpanNode, number>();
  /** Set representative → the root node of its tree. */
  private readonly ufTop = new Map<SpanNode, SpanNode>();
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
    // Every field is set here, in one order, so all nodes share one hidden class.
    const node: SpanNode = { key, span, seq, parent: undefined, children: [], sorted: true, orphan: undefined, cycle: undefined, duplicate: duplicate || undefined };
    this.byKey.set(key, node);
    this.uf.set(node, node);
    this.ufSize.set(node, 1);
    this.ufTop.set(node, node);
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

  private find(node: SpanNode): SpanNode {
    let r = node;
    while (this.uf.get(r) !== r) r = this.uf.get(r)!;
    // Path compression: the next lookup from any of these nodes takes one step.
    for (let n = node; n !== r; ) {
      const next = this.uf.get(n)!;
      this.uf.set(n, r);
      n = next;
    }
    return r;
  }

  private rootOf(node: SpanNode): SpanNode {
    return this.ufTop.get(this.find(node))!;
  }

  /** `node` (the root of its tree) now hangs under `parent`: one tree, whose root is parent's. */
  private union(node: SpanNode, parent: SpanNode): void {
    const a = this.find(node);
    const b = this.find(parent);
    if (a === b) return;
    const top = this.ufTop.get(b)!;
    const size = this.ufSize.get(a)! + this.ufSize.get(b)!;
    const [small, large] = this.ufSize.get(a)! < this.ufSize.get(b)! ? [a, b] : [b, a];
    this.uf.set(small, large);
    this.ufSize.set(large, size);
    this.ufTop.set(large, top);
    this.ufSize.delete(small);
    this.ufTop.delete(small);
  }

  private attach(node: SpanNode, parent: SpanNode): void {
    this.union(node, parent);
    node.parent = parent;
    const siblings = parent.children;
    if (siblings.length && byStart(siblings[siblings.length - 1], node) > 0) {
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
