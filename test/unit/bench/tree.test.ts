import * as assert from 'node:assert/strict';
import { ForestBuilder } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { treeSpan } from '../../support/spans';

const span = treeSpan;

describe('ForestBuilder.nodesFrom (incremental readers)', () => {
  it('yields nodes in arrival order from a position, duplicates and orphans included', () => {
    const f = new ForestBuilder().add([span('c', 'p', 2), span('r'), span('d', 'r', 1), span('d', 'r', 3)]);
    assert.deepEqual([...f.nodesFrom(0)].map((n) => n.key), ['c', 'r', 'd', 'd~2']);
    assert.deepEqual([...f.nodesFrom(2)].map((n) => n.key), ['d', 'd~2']);
    assert.deepEqual([...f.nodesFrom(4)], []);
    assert.deepEqual([...f.nodesFrom(-5)].length, 4);
    f.add([span('p', 'r', 1)]);
    const late = [...f.nodesFrom(4)];
    assert.deepEqual(late.map((n) => n.key), ['p']);
    // The early child was adopted: the same node object, now under its parent.
    assert.equal([...f.nodesFrom(0)][0].parent?.key, 'p');
  });

  it('lets a reader follow a 100,000-span load in pages without walking the forest', () => {
    const f = new ForestBuilder();
    let seen = 0;
    let visited = 0;
    for (let page = 0; page < 100; page++) {
      const spans: Span[] = [];
      for (let i = 0; i < 1000; i++) {
        const n = page * 1000 + i;
        spans.push(span(`s${n}`, n % 10 ? `s${n - (n % 10)}` : undefined, n));
      }
      f.add(spans);
      for (const node of f.nodesFrom(seen)) {
        visited++;
        assert.equal(node.seq, seen++);
      }
    }
    assert.equal(visited, 100_000, 'each node visited once over all updates');
    assert.equal(seen, f.size);
  });
});
