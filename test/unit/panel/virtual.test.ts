import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ForestBuilder } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { RowStreamer } from '../../../src/panel/rows';
import type { SpanRow } from '../../../src/protocol';
import { barGeometry, scrollToReveal, SpanTreeModel, timeTicks, visibleRange } from '../../../webview/virtual';
import { bigSession } from './fixtures';

function row(key: string, parent = '', start = 1, end = -1): SpanRow {
  return [key, parent, key, 'custom', 'ok', start, end];
}

const keys = (m: SpanTreeModel, collapsed: Set<string> = new Set()) => m.flatten(collapsed).map((n) => `${'.'.repeat(n.depth)}${n.key}`);

describe('panel waterfall model', () => {
  it('links rows into a depth-first order with children by start time', () => {
    const m = new SpanTreeModel();
    m.apply([row('r', '', 1), row('b', 'r', 30), row('a', 'r', 20), row('a1', 'a', 25)]);
    assert.deepEqual(keys(m), ['r', '.a', '..a1', '.b']);
  });

  it('accepts children before their parents within and across batches', () => {
    const m = new SpanTreeModel();
    m.apply([row('c', 'p', 3)]);
    assert.deepEqual(keys(m), ['c']); // shown at the top until the parent arrives
    m.apply([row('p', 'r', 2), row('r', '', 1)]);
    assert.deepEqual(keys(m), ['r', '.p', '..c']);
  });

  it('moves a re-sent row when its parent changed (orphan adopted)', () => {
    const m = new SpanTreeModel();
    m.apply([row('x', '', 5), row('r', '', 1)]);
    m.apply([row('x', 'r', 5)]);
    assert.deepEqual(keys(m), ['r', '.x']);
    assert.equal(m.size, 2);
  });

  it('skips collapsed subtrees and reports hidden rows as -1', () => {
    const m = new SpanTreeModel();
    m.apply([row('r', '', 1), row('a', 'r', 2), row('a1', 'a', 3), row('b', 'r', 4)]);
    assert.deepEqual(keys(m, new Set(['a'])), ['r', '.a', '.b']);
    assert.equal(m.indexOf('a1'), -1);
    assert.equal(m.indexOf('b'), 2);
    assert.deepEqual(m.ancestors('a1'), ['a', 'r']);
  });

  it('never loses rows to a cycle in inconsistent input', () => {
    const m = new SpanTreeModel();
    m.apply([row('a', 'b', 1), row('b', 'a', 2)]);
    assert.equal(m.flatten(new Set()).length, 2);
  });

  it('tracks the session time range', () => {
    const m = new SpanTreeModel();
    m.apply([row('a', '', 100, 250), row('b', '', 50, -1), row('c', '', -1, -1)]);
    assert.equal(m.minTime, 50);
    assert.equal(m.maxTime, 250);
  });

  it('matches ForestBuilder exactly when fed by RowStreamer, page by page in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(30), fc.option(fc.nat(30), { nil: undefined }), fc.nat(50)), { maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (specs, pageSize) => {
          const spans: Span[] = specs.map(([id, parent, start]) => ({
            id: `s${id}`,
            parentId: parent === undefined ? undefined : `s${parent}`,
            sessionId: 'x',
            name: `s${id}`,
            kind: 'custom',
            status: 'ok',
            startTime: start + 1,
            attributes: {},
          }));
          const forest = new ForestBuilder();
          const streamer = new RowStreamer();
          const model = new SpanTreeModel();
          for (let i = 0; i < spans.length; i += pageSize) {
            forest.add(spans.slice(i, i + pageSize));
            const batch = streamer.next(forest);
            if (batch) {
              if (batch.reset) model.clear();
              model.apply(batch.rows);
            }
          }
          const expected = [...forest.walk()].map(({ node, depth }) => `${depth}:${node.key}`);
          const actual = model.flatten(new Set()).map((n) => `${n.depth}:${n.key}`);
          // Same parent/child structure and sibling order (start time, then arrival).
          assert.deepEqual(new Set(actual), new Set(expected));
          assert.equal(actual.length, expected.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('flattens 100,000 spans in well under a frame budget per update', () => {
    const forest = new ForestBuilder().add(bigSession(100_000));
    const model = new SpanTreeModel();
    model.apply(new RowStreamer().next(forest)!.rows);
    model.flatten(new Set());
    const t = performance.now();
    const flat = model.flatten(new Set());
    const ms = performance.now() - t;
    assert.equal(flat.length, 100_000);
    assert.ok(ms < 150, `flatten took ${ms.toFixed(1)} ms`);
  });
});

describe('panel virtualization math', () => {
  it('renders only the rows in the viewport plus overscan', () => {
    assert.deepEqual(visibleRange(0, 220, 22, 100_000, 5), { first: 0, last: 15 });
    assert.deepEqual(visibleRange(22_000, 220, 22, 100_000, 5), { first: 995, last: 1015 });
    assert.deepEqual(visibleRange(22 * 99_990, 440, 22, 100_000, 5), { first: 99_985, last: 100_000 });
    assert.deepEqual(visibleRange(0, 500, 22, 0), { first: 0, last: 0 });
  });

  it('keeps the DOM bounded whatever the session size', () => {
    for (const n of [10, 1000, 100_000, 1_000_000]) {
      const r = visibleRange(n * 11, 800, 22, n, 8);
      assert.ok(r.last - r.first <= Math.ceil(800 / 22) + 17);
    }
  });

  it('scrolls minimally to reveal a row', () => {
    assert.equal(scrollToReveal(10, 0, 440, 22), 0); // visible already
    assert.equal(scrollToReveal(30, 0, 440, 22), 30 * 22 + 22 - 440); // below: align to bottom
    assert.equal(scrollToReveal(2, 200, 440, 22), 44); // above: align to top
  });

  it('places bars as fractions of the timeline', () => {
    assert.deepEqual(barGeometry(150, 200, 100, 300), { left: 0.25, width: 0.25, open: false });
    assert.deepEqual(barGeometry(150, -1, 100, 300), { left: 0.25, width: 0, open: true });
    assert.equal(barGeometry(-1, 5, 100, 300), undefined);
    const g = barGeometry(290, 900, 100, 300)!;
    assert.ok(g.left + g.width <= 1);
  });

  it('picks 1-2-5 tick steps', () => {
    assert.deepEqual(timeTicks(1000, 5), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(timeTicks(9000, 4), [0, 5000]);
    assert.deepEqual(timeTicks(0, 5), [0]);
  });
});
