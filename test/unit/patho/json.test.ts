import * as assert from 'node:assert/strict';
import { DEEPER, isDeeper, type DeeperValue, jsonDepth, limitDepth, parseJsonExact, stringifyJson } from '../../../src/model/json';
import { deepJsonText } from '../../fixtures/pathological';

describe('iterative JSON (src/model/json.ts)', () => {
  const samples: unknown[] = [
    null, 1, -0.5, 'x"\n', true, [], {}, [1, [2, [3]], {}], { a: 1, b: [true, null, 'y'], c: { d: {} }, e: undefined, f: () => 1 },
    [undefined, () => 1, Symbol('s')], { '__proto__x': 1, 'é': 'ü\u2028' }, [NaN, Infinity], { d: new Date(0) },
  ];

  it('writes exactly what JSON.stringify writes, with and without indentation', () => {
    // maxChars forces the iterative writer (without it, shallow values take the native one).
    for (const v of samples) {
      for (const maxChars of [undefined, 1e9]) {
        assert.equal(stringifyJson(v, { maxChars }), JSON.stringify(v) ?? 'null', JSON.stringify(v));
        assert.equal(stringifyJson(v, { indent: 2, maxChars }), JSON.stringify(v, null, 2) ?? 'null', JSON.stringify(v));
      }
    }
  });

  it('handles a value nested 20,000 deep, which JSON.stringify cannot', () => {
    const text = deepJsonText(20_000);
    const value = JSON.parse(text);
    assert.throws(() => JSON.stringify(value), RangeError);
    assert.equal(stringifyJson(value), text);
    assert.equal(jsonDepth(value), 20_000);
    assert.equal(jsonDepth(value, 50), 50, 'counting stops at the cap');
  });

  it('writes bigint as digits, marks cycles (or every repeat) and stops at maxChars', () => {
    const a: Record<string, unknown> = { n: 10n ** 30n };
    a.self = a;
    const shared = { x: 1 };
    assert.equal(stringifyJson(a), '{"n":"1000000000000000000000000000000","self":"[cycle]"}');
    assert.equal(stringifyJson([shared, shared]), '[{"x":1},{"x":1}]');
    assert.equal(stringifyJson([shared, shared], { repeated: 'all' }), '[{"x":1},"[repeated reference]"]');
    const long = stringifyJson(Array.from({ length: 100_000 }, (_, i) => i), { maxChars: 100 });
    assert.equal(long.length, 101);
    assert.ok(long.endsWith('…'));
  });

  it('limitDepth cuts subtrees below a depth into JSON text that parses back to them', () => {
    const value = JSON.parse(deepJsonText(20_000));
    const cut = limitDepth(value, 10);
    assert.doesNotThrow(() => JSON.stringify(cut), 'the result crosses postMessage');
    let node: unknown = cut;
    for (let i = 0; i < 10; i++) node = Array.isArray(node) ? node[0] : (node as { a: unknown }).a;
    assert.ok(isDeeper(node));
    assert.equal(stringifyJson(JSON.parse((node as DeeperValue)[DEEPER])), deepJsonText(20_000).slice(deepJsonText(10).indexOf('"bottom"')).replace(/[\]}]{10}$/, ''));
    const shallow = { a: [1, 2] };
    assert.equal(limitDepth(shallow, 10), shallow, 'shallow values are returned as they are');
  });

  it('parseJsonExact keeps integers beyond 2^53 exact and leaves everything else to JSON.parse', () => {
    const text = '{"a":18446744073709551615,"b":-9223372036854775808,"c":9007199254740991,"d":"12345678901234567890","e":1.5e300,"f":[12345678901234567890.5]}';
    assert.deepEqual(parseJsonExact(text), { a: '18446744073709551615', b: '-9223372036854775808', c: 9007199254740991, d: '12345678901234567890', e: 1.5e300, f: [12345678901234567890.5] });
    assert.deepEqual(parseJsonExact('{"s":"a\\"18446744073709551615"}'), { s: 'a"18446744073709551615' }, 'digits inside strings are untouched');
    assert.deepEqual(parseJsonExact('[1,2]'), [1, 2]);
    assert.deepEqual(parseJsonExact(' 18446744073709551615 '), '18446744073709551615', 'a top-level integer');
    assert.deepEqual(parseJsonExact('{ "a" :\n  18446744073709551615, "b": [ 1 ,\t-18446744073709551615 ] }'), { a: '18446744073709551615', b: [1, '-18446744073709551615'] }, 'whitespace around the literal');
    assert.deepEqual(parseJsonExact('{"t":"1700000000000000000","id":"0123456789abcdef0123456789abcdef"}'), { t: '1700000000000000000', id: '0123456789abcdef0123456789abcdef' }, 'digit runs inside strings');
  });
});
