import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonPreview, leafText, parseIfJson, prettyJson, tokenizeJson } from '../../../webview/json';
import { useEnglishPanelStrings } from '../../support/panelStrings';

before(useEnglishPanelStrings);

describe('panel JSON tokenizer', () => {
  it('classifies keys, strings, numbers, literals and punctuation', () => {
    const tokens = tokenizeJson('{"a": "x", "b" : [1, -2.5e3, true, false, null]}').filter((t) => t.type !== 'ws');
    assert.deepEqual(
      tokens.map((t) => `${t.type}:${t.text}`),
      ['punct:{', 'key:"a"', 'punct::', 'string:"x"', 'punct:,', 'key:"b"', 'punct::', 'punct:[', 'number:1', 'punct:,', 'number:-2.5e3', 'punct:,', 'boolean:true', 'punct:,', 'boolean:false', 'punct:,', 'null:null', 'punct:]', 'punct:}'],
    );
  });

  it('handles escaped quotes inside strings', () => {
    const tokens = tokenizeJson('{"k\\"ey": "va\\"l\\\\"}').filter((t) => t.type !== 'ws');
    assert.deepEqual(tokens.map((t) => t.type), ['punct', 'key', 'punct', 'string', 'punct']);
    assert.equal(tokens[3].text, '"va\\"l\\\\"');
  });

  it('round-trips: tokens concatenate back to any JSON text exactly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent) ?? 'null';
        assert.equal(tokenizeJson(text).map((t) => t.text).join(''), text);
        assert.ok(!tokenizeJson(text).some((t) => t.type === 'error'));
      }),
      { numRuns: 300 },
    );
  });

  it('never hides malformed input: unknown characters become error tokens', () => {
    const src = '{"a": undefined, "b": "unterminated\n}';
    const tokens = tokenizeJson(src);
    assert.equal(tokens.map((t) => t.text).join(''), src);
    assert.ok(tokens.some((t) => t.type === 'error'));
  });

  it('stays fast on a 1 MB document (a quadratic tokenizer would take minutes)', () => {
    const big = JSON.stringify(Array.from({ length: 12_000 }, (_, i) => ({ id: i, name: `item ${i}`, ok: i % 2 === 0, v: null })), null, 2);
    const t = Date.now();
    const tokens = tokenizeJson(big);
    assert.ok(Date.now() - t < 3000, `took ${Date.now() - t} ms`);
    assert.ok(tokens.length > 12_000 * 8);
  });

  it('parses JSON text in tool payloads, and only that', () => {
    assert.deepEqual(parseIfJson('{"city":"Paris"}'), { city: 'Paris' });
    assert.deepEqual(parseIfJson(' [1,2] '), [1, 2]);
    assert.equal(parseIfJson('hello'), 'hello');
    assert.equal(parseIfJson('{not json}'), '{not json}');
    assert.equal(parseIfJson('42'), '42');
    const obj = { a: 1 };
    assert.equal(parseIfJson(obj), obj);
  });

  it('previews and prints values for display', () => {
    assert.equal(jsonPreview([1, 2, 3]), '[3 items]');
    assert.equal(jsonPreview({ a: 1, b: 2, c: 3, d: 4, e: 5 }), '{ a, b, c, d, … 1 more }');
    assert.equal(leafText('x"y'), '"x\\"y"');
    assert.equal(leafText(10n), '10');
    assert.equal(prettyJson({ n: 1n }), '{\n  "n": "1"\n}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(typeof prettyJson(cyclic), 'string');
  });
});
