// Property checks of the tree builder (src/model/tree.ts ForestBuilder), run in
// a time-bounded worker. Arbitrary span graphs — cycles, self-parents,
// duplicate ids, missing parents, hostile ids, NaN / negative / far-future
// timestamps, end before start — arriving in random pages: the builder never
// throws or loops, and the forest holds every input span exactly once.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ForestBuilder, type SpanNode } from '../../../../src/model/tree';
import type { Span } from '../../../../src/model/types';
import { timed } from '../support/arbitraries';
import { treeSpan } from '../../../support/spans';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 300);

const startTimes = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, -0, 8.64e15, 1e300, Number.MAX_VALUE, -Number.MAX_VALUE) },
  { weight: 1, arbitrary: fc.double() },
);

const span = (id: string, parentId: string | undefined, startTime: number, endTime?: number): Span => treeSpan(id, parentId, startTime, endTime !== undefined ? { endTime } : {});

/** Ids from a small pool (so duplicates, cycles and self-parents are common) plus hostile ones. */
const graph = fc
  .integer({ min: 1, max: 40 })
  .chain((pool) => {
    const ids = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: pool - 1 }).map((i) => `s${i}`) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '', 's0~2', 's1~2', 's0~3', '~', 's0~2~2') },
    );
    const parent = fc.oneof(
      { weight: 6, arbitrary: ids },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('', 'missing', 'gone~2') },
    );
    const one = fc.record({ id: ids, parentId: parent, self: fc.boolean(), start: startTimes, end: fc.option(startTimes, { nil: undefined }) });
    return fc.tuple(fc.array(one, { maxLength: 160 }), fc.array(fc.nat(), { maxLength: 6 }));
  })
  .map(([list, cuts]) => {
    const spans = list.map((x) => span(x.id, x.self ? x.id : x.parentId, x.start, x.end));
    // Random page boundaries, as backends deliver pages.
    const bounds = [...new Set(cuts.map((c) => (spans.length ? c % spans.length : 0)))].sort((a, b) => a - b);
    const pages: Span[][] = [];
    let from = 0;
    for (const b of [...bounds, spans.length]) {
      pages.push(spans.slice(from, b));
      from = b;
    }
    return { spans, pages };
  });

function startKey(n: SpanNode): number {
  return Number.isFinite(n.span.startTime) ? n.span.startTime : Infinity;
}

function assertSorted(list: SpanNode[], where: string): void {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1];
    const b = list[i];
    assert.ok(startKey(a) < startKey(b) || (startKey(a) === startKey(b) && a.seq < b.seq), `${where} not sorted by start time, then arrival`);
  }
}

/** Every invariant of a forest built from `spans` (the spans added so far). */
export function checkForest(builder: ForestBuilder, spans: Span[]): void {
  assert.equal(builder.size, spans.length, 'size counts every span added');
  const seen = new Set<Span>();
  const keys = new Set<string>();
  const depthOf = new Map<SpanNode, number>();
  let visited = 0;
  for (const { node, depth } of builder.walk()) {
    // A cycle in the parent links would make walk() endless: stop at n.
    visited++;
    assert.ok(visited <= spans.length, `walk() yielded more than the ${spans.length} spans added (a loop or a span reachable twice)`);
    assert.ok(!seen.has(node.span), `span ${node.span.id} reached twice`);
    seen.add(node.span);
    assert.ok(!keys.has(node.key), `key ${node.key} is not unique`);
    keys.add(node.key);
    assert.ok(builder.get(node.key) === node, `get(${JSON.stringify(node.key)}) returns its node`);
    depthOf.set(node, depth);
    if (node.parent) {
      assert.equal(depth, depthOf.get(node.parent)! + 1, 'depth = parent depth + 1 (parents come before children)');
      assert.ok(node.parent.children.includes(node), `${node.key} is in its parent’s children`);
    } else {
      assert.equal(depth, 0, 'roots have depth 0');
    }
  }
  assert.equal(visited, spans.length, 'walk() reaches every span (none dropped)');
  for (const s of spans) assert.ok(seen.has(s), `span ${s.id} is not reachable`);

  assertSorted(builder.roots(), 'roots');
  const ids = new Map<string, SpanNode>();
  for (const node of depthOf.keys()) {
    assertSorted(builder.childrenOf(node), `children of ${node.key}`);
    if (!node.duplicate) ids.set(node.span.id, node);
  }
  // Links: a span whose parent is loaded hangs under it, unless that closed a cycle.
  for (const node of depthOf.keys()) {
    const pid = node.span.parentId;
    if (pid === undefined || pid === '') {
      assert.ok(node.parent === undefined, `${node.key} has no parentId and is a root`);
    } else if (node.parent) {
      assert.equal(node.parent.span.id, pid, `${node.key} hangs under the span it names`);
      assert.ok(!node.parent.duplicate, 'children attach to the first span with an id');
    } else {
      const loaded = ids.has(pid);
      assert.ok(loaded ? node.cycle === true : node.orphan === true, `${node.key} is a root: its parent must be missing (orphan) or it breaks a cycle (parent ${pid} loaded: ${loaded})`);
    }
  }
}

function chain(n: number): Span[] {
  return Array.from({ length: n }, (_, i) => span(`c${i}`, i ? `c${i - 1}` : undefined, 1_700_000_000_000 + i));
}

function shuffle<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 16807) % 2147483647;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Arrival orders of a chain: the adversarial ones defeat naive ancestor walks. */
const ORDERS: Record<string, (c: Span[], seed: number) => Span[]> = {
  forward: (c) => c,
  reverse: (c) => [...c].reverse(),
  random: (c, seed) => shuffle(c, seed),
  // Each child just before its parent, parents already deep in the chain: every adoption starts at the bottom.
  swappedPairs: (c) => {
    const out = [c[0]];
    for (let i = 1; i < c.length; i += 2) {
      if (i + 1 < c.length) out.push(c[i + 1]);
      out.push(c[i]);
    }
    return out;
  },
  pagesReversed: (c) => {
    const out: Span[] = [];
    for (let p = Math.ceil(c.length / 100) - 1; p >= 0; p--) out.push(...c.slice(p * 100, p * 100 + 100));
    return out;
  },
};

export const properties: Record<string, () => void> = {
  arbitraryGraphs() {
    fc.assert(
      fc.property(graph, ({ spans, pages }) => {
        const builder = new ForestBuilder();
        const added: Span[] = [];
        for (const page of pages) {
          builder.add(page);
          added.push(...page);
          // Readers look between pages: cached root lists and sorted flags must stay right.
          checkForest(builder, added);
        }
        assert.equal(added.length, spans.length);
      }),
      { numRuns: RUNS },
    );
  },

  deepChainsInAnyOrder() {
    // 10,000-deep chains (and a 100,000-deep one) in every arrival order link
    // fully, with depth n-1 at the bottom, in near-linear time.
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ORDERS)), fc.integer({ min: 1, max: 1e9 }), (order, seed) => {
        const spans = ORDERS[order](chain(10_000), seed);
        const builder = timed(1500, `10k-deep chain, ${order} order`, () => new ForestBuilder().add(spans));
        let max = 0;
        let count = 0;
        for (const { depth } of builder.walk()) {
          count++;
          max = Math.max(max, depth);
        }
        assert.equal(count, 10_000);
        assert.equal(max, 9_999);
        assert.equal(builder.roots().length, 1);
      }),
      { numRuns: 12 },
    );
    for (const order of ['swappedPairs', 'random', 'reverse']) {
      const spans = ORDERS[order](chain(100_000), 7);
      const builder = timed(4000, `100k-deep chain, ${order} order`, () => new ForestBuilder().add(spans));
      assert.equal(builder.roots().length, 1, `${order}: one root`);
    }
  },

  cyclesAndRings() {
    // Rings of every size (a → b → … → a) and self-parents: every span stays
    // reachable, exactly one span per ring is shown as a root, nothing loops.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 1e9 }), fc.boolean(), (n, seed, doubled) => {
        const ring = Array.from({ length: n }, (_, i) => span(`r${i}`, `r${(i + 1) % n}`, i));
        const spans = shuffle(doubled ? [...ring, ...ring.map((s) => ({ ...s }))] : ring, seed);
        const builder = timed(1500, `ring of ${n}`, () => new ForestBuilder().add(spans));
        checkForest(builder, spans);
        assert.ok(builder.roots().filter((r) => !r.duplicate).length === 1, 'one cycle break per ring');
      }),
      { numRuns: 40 },
    );
  },

  manyDuplicates() {
    // One id repeated 20,000 times (a buggy exporter): keys stay unique, in near-linear time.
    const spans = Array.from({ length: 20_000 }, (_, i) => span('same', i % 2 ? 'same' : 'missing', i));
    const builder = timed(1500, '20,000 spans with one id', () => new ForestBuilder().add(spans));
    checkForest(builder, spans);
    const spans2 = Array.from({ length: 20_000 }, (_, i) => span(i % 2 ? 'x' : `x~${(i >> 1) + 2}`, undefined, i));
    const b2 = timed(1500, 'duplicates whose keys collide with real ids', () => new ForestBuilder().add(spans2));
    checkForest(b2, spans2);
  },

  hostileTimestamps() {
    // NaN, ±Infinity, negative, far-future and end-before-start times sort
    // deterministically (non-finite last) and never break the walk.
    fc.assert(
      fc.property(fc.array(fc.tuple(startTimes, startTimes), { maxLength: 300 }), (times) => {
        const spans = times.map(([s, e], i) => span(`t${i}`, i ? `t${i % 7}` : undefined, s, e));
        const builder = new ForestBuilder().add(spans);
        checkForest(builder, spans);
      }),
      { numRuns: RUNS },
    );
  },
};
