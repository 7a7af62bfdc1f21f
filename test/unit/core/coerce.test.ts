// Reading export spans: a span as we write it is used as it is; anything
// else is rebuilt, fixing wrong types and keeping unknown keys.
import * as assert from 'node:assert/strict';
import { coerceSpan } from '../../../src/model/coerce';
import type { Span } from '../../../src/model/types';

function exported(): Span {
  return {
    id: 's1', parentId: 'root', sessionId: 'sess', traceId: 't1', name: 'call', kind: 'llm', status: 'error', statusMessage: 'boom',
    startTime: 1748764800000, endTime: 1748764801000, durationMs: 1000,
    model: { request: 'gpt-4o' }, usage: { input: 1, output: 2 }, system: [{ type: 'text', text: 'be brief' }],
    input: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], output: [{ role: 'assistant', parts: [{ type: 'text', text: 'yo' }] }],
    tool: { name: 'lookup' }, guardrails: [], prompt: { name: 'p' }, agent: { name: 'a' }, cost: { currency: 'USD', usd: 0.5 },
    attributes: { 'x.y': 1 },
  };
}

describe('coerceSpan', () => {
  it('uses a well-formed span as it is, equal to what rebuilding it would give', () => {
    const span = exported();
    assert.equal(coerceSpan(span, 'other', 0), span);
    // An unknown key takes the rebuilding path: the result is the same span, plus that key in attributes.
    const rebuilt = coerceSpan({ ...exported(), extra: true }, 'other', 0);
    assert.notEqual(rebuilt, span);
    assert.deepEqual(rebuilt, { ...exported(), attributes: { 'x.y': 1, extra: true } });
  });

  it('rebuilds a span with any slot of the wrong type, fixing it and keeping the value', () => {
    const cases: [Partial<Record<keyof Span, unknown>>, (s: Span) => void][] = [
      [{ parentId: '' }, (s) => assert.equal('parentId' in s, false)],
      [{ startTime: '1748764800000123' }, (s) => assert.deepEqual([s.startTime, s.attributes.startTime], [0, '1748764800000123'])],
      [{ kind: 'wizard' }, (s) => assert.equal(s.kind, 'custom')],
      [{ model: 'gpt-4o' }, (s) => assert.deepEqual([s.model, s.attributes.model], [undefined, 'gpt-4o'])],
      [{ input: { role: 'user' } }, (s) => assert.deepEqual(s.attributes.input, { role: 'user' })],
      [{ sessionId: undefined }, (s) => assert.equal(s.sessionId, 'other')],
      [{ attributes: [1] }, (s) => assert.equal(Array.isArray(s.attributes), false)],
    ];
    for (const [change, check] of cases) {
      const value = { ...exported(), ...change } as Record<string, unknown>;
      for (const k of Object.keys(change)) if (change[k as keyof Span] === undefined) delete value[k];
      const span = coerceSpan(value, 'other', 0);
      assert.notEqual(span, value, JSON.stringify(change));
      check(span);
    }
  });
});
