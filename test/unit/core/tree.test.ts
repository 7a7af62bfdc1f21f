import * as assert from 'node:assert/strict';
import { buildForest } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { treeSpan } from '../../support/spans';

const span = treeSpan;

function shape(f: ReturnType<typeof buildForest>): string {
  return [...f.walk()].map(({ node, depth }) => `${'  '.repeat(depth)}${node.key}${node.orphan ? '?' : ''}${node.cycle ? '!' : ''}`).join('\n');
}

describe('buildForest', () => {
  it('nests children under parents and sorts siblings by start time', () => {
    const f = buildForest([span('r', undefined, 0), span('b', 'r', 20), span('a', 'r', 10), span('c', 'a', 11)]);
    assert.equal(shape(f), 'r\n  a\n    c\n  b');
    assert.deepEqual(f.issues, []);
  });

  it('links children that arrive before their parents', () => {
    const f = buildForest([span('c', 'a', 2), span('a', 'r', 1), span('r', undefined, 0)]);
    assert.equal(shape(f), 'r\n  a\n    c');
    assert.equal(f.orphanIssues().length, 0);
  });

  it('keeps orphans as marked roots and reports them', () => {
    const f = buildForest([span('r'), span('x', 'missing', 5)]);
    assert.equal(shape(f), 'r\nx?');
    assert.deepEqual(f.orphanIssues().map((i) => i.spanId), ['x']);
  });

  it('breaks cycles deterministically and keeps every span', () => {
    const input = [span('a', 'b', 1), span('b', 'c', 2), span('c', 'a', 3), span('self', 'self', 4)];
    const f = buildForest(input);
    assert.equal([...f.walk()].length, input.length);
    assert.equal(shape(f), 'b!\n  a\n    c\nself!');
    assert.deepEqual(f.issues.map((i) => i.kind).sort(), ['cycle', 'cycle']);
    assert.equal(shape(buildForest(input)), shape(f), 'same input, same result');
  });

  it('keeps duplicate ids as separate nodes with unique keys', () => {
    const f = buildForest([span('r'), span('d', 'r', 1), span('d', 'r', 2), span('k', 'd', 3)]);
    assert.equal(shape(f), 'r\n  d\n    k\n  d~2');
    assert.equal(f.issues[0].kind, 'duplicate');
  });

  it('finds the parent of a span whose id an earlier duplicate took as its key ("d", "d" → d~2, then a span "d~2")', () => {
    const f = buildForest([span('r'), span('d', 'r', 1), span('d', 'r', 2), span('d~2', 'r', 3), span('k', 'd~2', 4), span('d~2', 'r', 5)]);
    assert.equal(shape(f), 'r\n  d\n  d~2\n  d~2~2\n    k\n  d~2~3');
    assert.equal(f.get('k')?.parent?.span.id, 'd~2');
    assert.deepEqual(f.issues.map((i) => i.spanId), ['d', 'd~2']);
  });

  it('handles a 20,000-deep chain in either order without recursion', () => {
    const chain: Span[] = [];
    for (let i = 0; i < 20_000; i++) {
      chain.push(span(`n${i}`, i ? `n${i - 1}` : undefined, i));
    }
    for (const input of [chain, [...chain].reverse()]) {
      const f = buildForest(input);
      const all = [...f.walk()];
      assert.equal(all.length, chain.length);
      assert.equal(all[all.length - 1].depth, chain.length - 1);
    }
  });
});
