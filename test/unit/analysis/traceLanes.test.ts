// One axis per trace (webview/traceLanes.ts): lanes from the flattened rows,
// the band rows that head them, and bars placed on their trace's own axis.
import * as assert from 'node:assert/strict';
import { TimeScale, TimeWindow } from '../../../webview/timeScale';
import { bandRow, buildLanes, laneScale, placeBar } from '../../../webview/traceLanes';
import { barGeometry, SpanTreeModel, type RowNode } from '../../../webview/virtual';
import type { SpanRow } from '../../../src/protocol';

const MIN = 60_000;

/** Three 20 s turns 28 minutes apart, one trace each: a root and an LLM call with a 10 s pause inside. */
function threeTraces(withTraceIds = true): SpanTreeModel {
  const rows: SpanRow[] = [];
  for (let i = 0; i < 3; i++) {
    const at = i * 28 * MIN + 1_000_000;
    rows.push([`turn-${i}`, '', `turn ${i + 1}`, 'agent', 'ok', at, at + 20_000, ...(withTraceIds ? ['', `trace-${i}`] : [])] as SpanRow);
    rows.push([`llm-${i}`, `turn-${i}`, `answer ${i + 1}`, 'llm', 'ok', at + 1000, at + 6000]);
  }
  const model = new SpanTreeModel();
  model.apply(rows);
  model.flatten(new Set());
  return model;
}

describe('analysis: one axis per trace', () => {
  it('gives each trace of a multi-trace session its own lane over its own time range', () => {
    const model = threeTraces();
    const lanes = buildLanes(model.flat)!;
    assert.ok(lanes, 'three traces → lanes');
    assert.deepEqual(
      lanes.list.map((l) => [l.trace, l.ordinal, l.name, l.min, l.max, l.spans]),
      [0, 1, 2].map((i) => [`trace-${i}`, i + 1, `turn ${i + 1}`, i * 28 * MIN + 1_000_000, i * 28 * MIN + 1_020_000, 2]),
    );
    // Children join their root's lane (they carry no trace id on the wire).
    assert.equal(model.get('llm-1')!.lane, lanes.list[1]);
  });

  it('makes every turn of a 56-minute session a full-width bar on its own axis', () => {
    const model = threeTraces();
    assert.ok(buildLanes(model.flat));
    const window = new TimeWindow();
    for (let i = 0; i < 3; i++) {
      const lane = model.get(`turn-${i}`)!.lane!;
      const s = laneScale(lane, true);
      assert.equal(s.folded, 0, 'no idle gap inside a 20 s turn');
      const turn = placeBar(model.get(`turn-${i}`)!.start, model.get(`turn-${i}`)!.end, s, window)!;
      assert.deepEqual([turn.left, turn.width], [0, 1]);
      const llm = placeBar(model.get(`llm-${i}`)!.start, model.get(`llm-${i}`)!.end, s, window)!;
      assert.ok(Math.abs(llm.left - 0.05) < 1e-9 && Math.abs(llm.width - 0.25) < 1e-9, JSON.stringify(llm));
    }
    // On the session's single axis the same turn is 0.6% wide.
    const whole = barGeometry(model.get('turn-1')!.start, model.get('turn-1')!.end, model.minTime, model.maxTime)!;
    assert.ok(whole.width < 0.01, String(whole.width));
  });

  it('folds idle gaps inside a trace and zooms every lane alike', () => {
    // One trace with two 10 s calls 20 minutes apart, and a second short trace.
    const model = new SpanTreeModel();
    model.apply([
      ['a', '', 'a', 'agent', 'ok', 0, 20 * MIN + 10_000, '', 't1'],
      ['a1', 'a', 'call 1', 'llm', 'ok', 0, 10_000],
      ['a2', 'a', 'call 2', 'llm', 'ok', 20 * MIN, 20 * MIN + 10_000],
      ['b', '', 'b', 'agent', 'ok', 30 * MIN, 30 * MIN + 5000, '', 't2'],
    ]);
    model.flatten(new Set());
    const lanes = buildLanes(model.flat)!;
    // The root spans the gap, so nothing in lane 1 is idle; its calls still sit on its own 20-minute axis.
    const s1 = laneScale(lanes.list[0], true);
    assert.equal(s1.folded, 0);
    const w = new TimeWindow();
    w.zoom(2, 0);
    const call1 = placeBar(0, 10_000, s1, w)!;
    assert.ok(Math.abs(call1.width - (10_000 / (20 * MIN + 10_000)) * 2) < 1e-9);
    const b = placeBar(30 * MIN, 30 * MIN + 5000, laneScale(lanes.list[1], true), w)!;
    assert.deepEqual([b.left, b.width], [0, 1], 'the zoomed window shows the first half of every lane');
    // Without the root, the idle 20 minutes inside trace 1 fold.
    const folded = new TimeScale(0, 20 * MIN + 10_000, [[0, 10_000], [20 * MIN, 20 * MIN + 10_000]]);
    assert.equal(folded.folded, 1);
  });

  it('keeps one axis when the session has a single trace or no trace ids', () => {
    assert.equal(buildLanes(threeTraces(false).flat), undefined);
    const one = new SpanTreeModel();
    one.apply([
      ['r', '', 'root', 'agent', 'ok', 0, 10, '', 'same'],
      ['s', '', 'second root', 'agent', 'ok', 20, 30, '', 'same'],
    ]);
    one.flatten(new Set());
    assert.equal(buildLanes(one.flat), undefined);
  });

  it('band rows are not spans and have keys no span can have', () => {
    const lanes = buildLanes(threeTraces().flat)!;
    const band = bandRow(lanes.list[2], 7);
    assert.equal(band.band, lanes.list[2]);
    assert.match(band.key, /^\u0000lane:3:7$/);
  });

  it('builds lanes for 100,000 spans in one pass', () => {
    const rows: SpanRow[] = [];
    for (let t = 0; t < 100; t++) {
      rows.push([`root-${t}`, '', `turn ${t}`, 'agent', 'ok', t * MIN, t * MIN + 30_000, '', `trace-${t}`]);
      for (let i = 0; i < 999; i++) rows.push([`s-${t}-${i}`, `root-${t}`, 'step', 'tool', 'ok', t * MIN + i * 20, t * MIN + i * 20 + 10]);
    }
    const model = new SpanTreeModel();
    model.apply(rows);
    const flat: RowNode[] = model.flatten(new Set());
    const lanes = buildLanes(flat)!;
    assert.equal(lanes.list.length, 100);
    assert.ok(flat.every((n) => n.lane === lanes.list[Number(n.key.split('-')[1])]));
    assert.ok(lanes.list.every((l) => l.spans === 1000));
  });
});
