// The shared decoding toolkit: wire helpers and the one chat/Responses decoder.
import * as assert from 'node:assert/strict';
import { decodeChat, decodeMessage, decodeUsage, isChatMessage, toolCallPart } from '../../../../src/backends/decode/chat';
import { asText, compact, numLike, obj, parseIfJson, setOwn, text } from '../../../../src/backends/decode/wire';
import { hasFastProperties } from '../../../support/v8';

describe('decode toolkit', () => {
  it('wire helpers never trust a type or a prototype', () => {
    assert.equal(obj([1]), undefined);
    assert.equal(text(''), undefined);
    assert.equal(text(7n), '7');
    assert.equal(numLike(' 12 '), 12);
    assert.equal(numLike('x'), undefined);
    assert.equal(asText({ toString: 1 }), '{"toString":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(asText(cyclic), '[object Object]');
    assert.deepEqual(parseIfJson(' {"a":1}'), { a: 1 });
    assert.equal(parseIfJson('"s"'), '"s"');
    assert.equal(parseIfJson('"s"', { strings: true }), 's');
    assert.equal(parseIfJson('{bad'), '{bad');
    const o: Record<string, unknown> = {};
    setOwn(o, '__proto__', 1);
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.deepEqual(Object.entries(o), [['__proto__', 1]]);
  });

  it('compact copies without undefined values, keeps "__proto__" as data, and is not the hash table delete made', () => {
    const wire = JSON.parse('{"a":1,"b":2,"c":null,"__proto__":{"x":1},"d":"t"}') as Record<string, unknown>;
    delete wire.b;
    wire.d = undefined;
    assert.equal(hasFastProperties(wire), false);
    const out = compact(wire);
    assert.deepEqual(Object.keys(out), ['a', 'c', '__proto__']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { x: 1 });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(hasFastProperties(out), true);
  });

  it('reads a Responses `Response` object recorded as a generation output (streamed Chat Completions)', () => {
    const r = decodeChat(
      [{
        id: '__fake_id__', object: 'response', created_at: 1, model: 'm', tool_choice: 'auto', usage: null,
        output: [
          { id: '__fake_id__', type: 'reasoning', summary: [{ type: 'summary_text', text: 'think' }], provider_data: { model: 'm' } },
          { id: '__fake_id__', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi', annotations: [] }], provider_data: { model: 'm' } },
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"x":1}' },
        ],
      }],
      { splitSystem: false },
    );
    assert.equal(r.messages.length, 1);
    assert.deepEqual(r.messages[0].parts.slice(0, 3), [
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'hi' },
      { type: 'unknown', raw: { provider_data: { model: 'm' } } },
    ]);
    assert.deepEqual(r.messages[0].parts[3], { type: 'toolUse', id: 'c1', name: 'f', arguments: { x: 1 } });
    assert.equal(r.responseModel, 'm');
    assert.deepEqual(r.responseIds, []);
  });

  it('reads reasoning_content, thinking_blocks and LangChain messages with {name, args} tool calls', () => {
    assert.deepEqual(decodeMessage({ role: 'assistant', content: 'a', reasoning_content: 'r', thinking_blocks: [{ type: 'thinking', thinking: 't', signature: 's' }] }).parts, [
      { type: 'reasoning', text: 'r' },
      { type: 'reasoning', text: 't' },
      { type: 'text', text: 'a' },
    ]);
    assert.ok(isChatMessage({ type: 'ai', content: '' }));
    const ai = decodeMessage({ type: 'ai', content: '', tool_calls: [{ name: 'search', args: { q: 'x' }, id: 't1' }] });
    assert.deepEqual(ai, { role: 'assistant', parts: [{ type: 'toolUse', id: 't1', name: 'search', arguments: { q: 'x' } }] });
    assert.deepEqual(decodeMessage({ type: 'tool', content: 'found', tool_call_id: 't1' }).parts, [{ type: 'toolResult', id: 't1', parts: [{ type: 'text', text: 'found' }] }]);
    assert.deepEqual(decodeMessage({ type: 'human', content: 'q' }), { role: 'user', parts: [{ type: 'text', text: 'q' }] });
    assert.deepEqual(toolCallPart({ nope: 1 }), { type: 'unknown', raw: { nope: 1 } });
  });

  it('reads every OpenAI usage form, including the JS exporter moving fields under `details`', () => {
    assert.deepEqual(decodeUsage({ input_tokens: 5, output_tokens: 2, details: { total_tokens: 7, input_tokens_details: { cached_tokens: 3 }, output_tokens_details: { reasoning_tokens: 1 } } }), {
      usage: { input: 5, output: 2, total: 7, cacheRead: 3 },
      rest: { details: { output_tokens_details: { reasoning_tokens: 1 } } },
    });
    assert.deepEqual(decodeUsage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, prompt_tokens_details: { cached_tokens: 0 } }), { usage: { input: 1, output: 2, total: 3, cacheRead: 0 } });
    assert.deepEqual(decodeUsage({ input_tokens: 7, output_tokens: 2, cached_input_tokens: 1, cache_write_input_tokens: 0, requests: 2 }), {
      usage: { input: 7, output: 2, cacheRead: 1, cacheWrite: 0 },
      rest: { requests: 2 },
    });
  });
});
