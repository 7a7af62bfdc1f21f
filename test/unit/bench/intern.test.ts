import * as assert from 'node:assert/strict';
import { StringPool } from '../../../src/model/intern';

describe('StringPool', () => {
  it('returns one instance for equal strings, in place inside parsed JSON', () => {
    const text = 'x'.repeat(300);
    const a = JSON.parse(JSON.stringify({ m: [{ t: text }, { t: text, n: 1, s: 'short' }], o: { deep: [[text]] } }));
    const b = JSON.parse(JSON.stringify({ t: text }));
    const pool = new StringPool();
    const before = JSON.stringify(a);
    assert.equal(pool.internDeep(a), a);
    pool.internDeep(b);
    assert.equal(JSON.stringify(a), before, 'values unchanged');
    // (Sharing one instance is not observable from JS; the benchmark measures the memory it saves.)
    assert.equal(a.m[1].t, b.t);
    assert.equal(pool.intern('y'.repeat(300)), 'y'.repeat(300));
    assert.ok(pool.active);
  });

  it('keeps short strings, numbers, nulls and "__proto__" keys as they are', () => {
    const v = JSON.parse(`{"__proto__": "${'p'.repeat(300)}", "a": null, "b": 1, "c": "short", "d": [true, null]}`);
    new StringPool().internDeep(v);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal(Object.keys(v).length, 5);
    assert.equal(v.__proto__, 'p'.repeat(300));
    assert.deepEqual(v.d, [true, null]);
  });

  it('handles deep nesting without recursion', () => {
    let v: unknown = 'z'.repeat(300);
    for (let i = 0; i < 100_000; i++) v = [v];
    assert.doesNotThrow(() => new StringPool().internDeep(v));
  });

  it('switches itself off on data without repetition and still returns equal values', () => {
    const pool = new StringPool();
    assert.ok(pool.active);
    for (let i = 0; i < 40_000; i++) {
      const s = `${i}`.padStart(300, '-');
      assert.equal(pool.intern(s), s);
    }
    assert.equal(pool.active, false);
    const late = 'q'.repeat(300);
    assert.equal(pool.intern(late), late);
  });
});

describe('StringPool bounds', () => {
  it('keeps pooling past half a million distinct strings (a 1M-span session has ~4.4 million ids and texts)', () => {
    const pool = new StringPool();
    for (let i = 0; i < 600_000; i++) {
      const id = `span-${i}`.padStart(24, '0');
      pool.intern(id);
      pool.intern(`${id}`.slice(0)); // its parentId: the same text again
    }
    assert.ok(pool.active);
    assert.equal(pool.size, 600_000);
  });

  it('stops adding at its bound but keeps returning equal values', () => {
    const pool = new StringPool(10);
    for (let i = 0; i < 50; i++) {
      const s = `text ${i}`;
      assert.equal(pool.intern(s), s);
      assert.equal(pool.intern(s), s);
    }
    assert.equal(pool.size, 10);
  });
});
