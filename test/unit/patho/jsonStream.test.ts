import * as assert from 'node:assert/strict';
import { JsonArraySplitter } from '../../../src/model/jsonStream';

/** Feeds `text` in chunks of `size` bytes; returns the elements, head and rest. */
function split(text: string, size: number, key = 'spans'): { elements: unknown[]; head: unknown; rest: unknown; streamable: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  const s = new JsonArraySplitter(key);
  const elements: unknown[] = [];
  let head: unknown;
  for (let i = 0; i < bytes.length; i += size) {
    for (const r of s.push(Buffer.from(bytes.subarray(i, i + size)))) elements.push(JSON.parse(bytes.subarray(r.start, r.end).toString('utf8')));
    if (head === undefined && s.started) head = JSON.parse(s.head()!);
  }
  return { elements, head, rest: JSON.parse(s.rest()), streamable: s.streamable };
}

describe('JsonArraySplitter (streamed export files)', () => {
  const doc = {
    session: { id: 's1', name: 'with "spans": [1,2] inside a string \\ and ] } , {', nested: { spans: [9, 9] } },
    spans: [
      { id: 'a', text: 'héllo — 日本語 🙂', esc: 'quote \" backslash \\\\ end\\', list: [1, [2, { x: ']' }]], n: 12345678901234567 },
      { id: 'b', empty: {}, arr: [], s: '' },
      'a string element, with a comma',
      42,
      null,
      [1, 2, { spans: [3] }],
    ],
    after: { spans: [7] },
  };
  const text = JSON.stringify(doc, null, 1);

  for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
    it(`yields exactly the elements a whole parse gives, in chunks of ${size} bytes`, () => {
      const r = split(text, size);
      assert.deepEqual(r.elements, JSON.parse(text).spans);
      assert.deepEqual(r.head, { session: doc.session, spans: [] });
      assert.deepEqual(r.rest, { ...JSON.parse(text), spans: [] });
      assert.equal(r.streamable, true);
    });
  }

  it('handles compact text, an empty array and a key after the array', () => {
    assert.deepEqual(split('{"spans":[],"session":{"id":"x"}}', 3), { elements: [], head: { spans: [] }, rest: { spans: [], session: { id: 'x' } }, streamable: true });
    assert.deepEqual(split('{"session":1,"spans":[{"a":1},{"b":[2]}]}', 5).elements, [{ a: 1 }, { b: [2] }]);
  });

  it('does not stream a document that is not an object (an array of exports)', () => {
    const s = new JsonArraySplitter('spans');
    assert.deepEqual(s.push(Buffer.from('  [{"spans":[1]}]')), []);
    assert.equal(s.streamable, false);
    assert.deepEqual(JSON.parse(s.rest()), [{ spans: [1] }]);
  });

  it('ignores a key of the same name deeper down or as a string value', () => {
    const r = split('{"meta":{"spans":[1,2]},"x":"spans","spans":[3]}', 4);
    assert.deepEqual(r.elements, [3]);
  });
});
