import * as assert from 'node:assert/strict';
import { ForestBuilder, type SpanNode } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { RowStreamer, toRow } from '../../../src/panel/rows';
import { treeSpan } from '../../support/spans';

const span = (id: string, parentId?: string, startTime = 1, extra: Partial<Span> = {}): Span => treeSpan(id, parentId, startTime, { kind: 'llm', ...extra });

describe('panel row streaming', () => {
  it('sends each row once, then only new rows', () => {
    const f = new ForestBuilder().add([span('r'), span('a', 'r', 2)]);
    const s = new RowStreamer();
    const first = s.next(f)!;
    assert.equal(first.reset, true);
    assert.deepEqual(first.rows.map((r) => r[0]), ['r', 'a']);
    assert.equal(s.next(f), undefined);
    f.add([span('b', 'r', 3)]);
    const second = s.next(f)!;
    assert.equal(second.reset, false);
    assert.deepEqual(second.rows.map((r) => [r[0], r[1]]), [['b', 'r']]);
  });

  it('re-sends an orphan once its parent arrives', () => {
    const f = new ForestBuilder().add([span('c', 'p', 5)]);
    const s = new RowStreamer();
    assert.deepEqual(s.next(f)!.rows.map((r) => [r[0], r[1]]), [['c', '']]);
    f.add([span('p', undefined, 1)]);
    const rows = s.next(f)!.rows.map((r) => [r[0], r[1]]);
    assert.deepEqual(rows.sort(), [['c', 'p'], ['p', '']]);
  });

  it('starts over when the forest is swapped (reload) or the webview is recreated', () => {
    const s = new RowStreamer();
    const f1 = new ForestBuilder().add([span('r')]);
    s.next(f1);
    const f2 = new ForestBuilder().add([span('r'), span('x', 'r')]);
    const b = s.next(f2)!;
    assert.equal(b.reset, true);
    assert.equal(b.rows.length, 2);
    s.reset();
    const again = s.next(f2)!;
    assert.equal(again.reset, true);
    assert.equal(again.rows.length, 2);
  });

  it('keeps duplicate ids as separate rows under their parent', () => {
    const f = new ForestBuilder().add([span('r'), span('d', 'r'), span('d', 'r')]);
    const rows = new RowStreamer().next(f)!.rows;
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['r', ''], ['d', 'r'], ['d~2', 'r']]);
  });

  it('uses nodesFrom when the source offers it (no full walk per update)', () => {
    const f = new ForestBuilder();
    const order: SpanNode[] = [];
    let walks = 0;
    // A source that could also walk: the streamer must not.
    const source = {
      get size() {
        return f.size;
      },
      get: (k: string) => f.get(k),
      walk: () => {
        walks++;
        return f.walk();
      },
      nodesFrom: (from: number) => order.slice(from),
    };
    const add = (sp: Span) => {
      f.add([sp]);
      order.push(f.get(sp.id)!);
    };
    const s = new RowStreamer();
    add(span('r'));
    add(span('a', 'r'));
    assert.deepEqual(s.next(source)!.rows.map((r) => r[0]), ['r', 'a']);
    add(span('b', 'r'));
    assert.deepEqual(s.next(source)!.rows.map((r) => r[0]), ['b']);
    assert.equal(walks, 0);
  });

  it('encodes times compactly: -1 for unknown, end from duration', () => {
    const f = new ForestBuilder().add([span('a', undefined, 0), span('b', undefined, 1000, { durationMs: 50 }), span('c', undefined, 1000, { endTime: 1200 })]);
    const rows = Object.fromEntries(new RowStreamer().next(f)!.rows.map((r) => [r[0], [r[5], r[6]]]));
    assert.deepEqual(rows, { a: [-1, -1], b: [1000, 1050], c: [1000, 1200] });
  });

  it('truncates very long names', () => {
    const f = new ForestBuilder().add([span('x'.repeat(5), undefined, 1, { name: 'n'.repeat(10_000) })]);
    assert.equal(toRow(f.get('xxxxx')!)[2].length, 200);
  });

  it('sends at most `limit` new rows per call, every row once and in order', () => {
    const f = new ForestBuilder().add(Array.from({ length: 45 }, (_, i) => span(`s${i}`, undefined, i + 1)));
    const s = new RowStreamer();
    const batches = [s.next(f, 3)!, s.next(f, 20)!, s.next(f, 20)!, s.next(f, 20)!];
    assert.deepEqual(batches.map((b) => [b.reset, b.rows.length, b.more]), [[true, 3, true], [false, 20, true], [false, 20, true], [false, 2, false]]);
    assert.deepEqual(batches.flatMap((b) => b.rows.map((r) => r[0])), [...f.nodesFrom(0)].map((n) => n.key));
    assert.equal(s.next(f, 20), undefined);
  });
});
