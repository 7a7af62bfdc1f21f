// The waterfall's folded time axis and zoom window (webview/timeScale.ts).
import * as assert from 'node:assert/strict';
import { TimeScale, TimeWindow } from '../../../webview/timeScale';

const MIN = 60_000;

describe('analysis: timeline scale', () => {
  // Three 20 s turns, 28 minutes apart.
  const turns: [number, number][] = [0, 28, 56].map((m) => [m * MIN, m * MIN + 20_000]);
  const max = 56 * MIN + 20_000;

  it('folds idle gaps into fixed-width breaks and keeps busy time proportional', () => {
    const s = new TimeScale(0, max, turns);
    assert.equal(s.folded, 2);
    assert.deepEqual(s.segments.map((x) => x.gap), [false, true, false, true, false]);
    // Each turn takes a third of the non-break width (1 - 2 × 3%).
    for (const [a, b] of turns) assert.ok(Math.abs(s.toUnit(b) - s.toUnit(a) - 0.94 / 3) < 1e-9);
    assert.equal(s.toUnit(0), 0);
    assert.equal(s.toUnit(max), 1);
    // Monotonic, and fromUnit inverts toUnit.
    let prev = -1;
    for (let t = 0; t <= max; t += 7_919) {
      const u = s.toUnit(t);
      assert.ok(u >= prev);
      prev = u;
      assert.ok(Math.abs(s.fromUnit(u) - t) < 1e-3, `t=${t}`);
    }
  });

  it('does not fold short pauses, or when folding is off', () => {
    const busy = new TimeScale(0, 100_000, [[0, 40_000], [60_000, 100_000]]);
    assert.equal(busy.folded, 0);
    assert.equal(busy.toUnit(50_000), 0.5);
    assert.equal(new TimeScale(0, max, turns, false).folded, 0);
  });

  it('zooms around an anchor and pans inside [0, 1]', () => {
    const w = new TimeWindow();
    w.zoom(4, 0);
    assert.deepEqual([w.u0, w.u1], [0, 0.25]);
    w.pan(1);
    assert.deepEqual([w.u0, w.u1], [0.25, 0.5]);
    w.pan(10);
    assert.deepEqual([w.u0, w.u1], [0.75, 1]);
    w.zoom(0.1);
    assert.deepEqual([w.u0, w.u1], [0, 1]);
    w.zoom(2, 0.5);
    assert.equal(w.frac(0.5), 0.5);
    assert.equal(w.zoomed, true);
    w.reset();
    assert.equal(w.zoomed, false);
  });
});

describe('analysis: critical path', () => {
  it('follows the child that ends last, from the root that ends last', async () => {
    const { SpanTreeModel } = await import('../../../webview/virtual');
    const { criticalPath } = await import('../../../webview/criticalPath');
    const m = new SpanTreeModel();
    m.apply([
      ['r', '', 'root', 'agent', 'ok', 0, 100],
      ['a', 'r', 'a', 'llm', 'ok', 0, 40],
      ['b', 'r', 'b', 'tool', 'ok', 30, 95],
      ['b1', 'b', 'b1', 'llm', 'ok', 30, 60],
      ['b2', 'b', 'b2', 'llm', 'ok', 61, 94],
      ['x', '', 'early root', 'agent', 'ok', 0, 10],
    ]);
    assert.deepEqual([...criticalPath(m)], ['r', 'b', 'b2']);
    // A deep chain: no recursion.
    const deep = new SpanTreeModel();
    const rows: Parameters<typeof deep.apply>[0] = [];
    for (let i = 0; i < 5_000; i++) rows.push([`n${i}`, i ? `n${i - 1}` : '', 'n', 'chain', 'ok', i, 200_000 - i]);
    deep.apply(rows);
    assert.equal(criticalPath(deep).size, 5_000);
  });
});
