import * as assert from 'node:assert/strict';
import { decodeGenAi } from '../../../../src/backends/otel/genai';
import { otelToSpan } from '../../../../src/backends/otel/span';
import type { Span } from '../../../../src/model/types';
import { span } from '../../../support/spans';
import { hasFastProperties } from '../../../support/v8';

const blank = (): Span => span({ id: 's', sessionId: 'x', name: 'n', startTime: 1 });

function decode(attrs: Record<string, unknown>): { span: Span; rest: Record<string, unknown> } {
  const rest = { ...attrs };
  const span = blank();
  decodeGenAi(rest, span);
  return { span, rest };
}

describe('decodeGenAi', () => {
  it('leaves plain objects behind: the mapped keys are gone from the attributes and the model without a hash table each', () => {
    const s = otelToSpan({
      traceId: 't',
      spanId: 's',
      name: 'chat gpt-4o',
      startTime: 1,
      status: 'ok',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'hi',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': 3,
        'custom.flag': true,
      },
    });
    assert.deepEqual(s.attributes, { 'custom.flag': true });
    assert.equal(s.model?.request, 'gpt-4o');
    assert.equal(hasFastProperties(s.attributes), true);
    assert.equal(hasFastProperties(s.model!), true);
  });

  it('maps a chat span: kind, model, parameters, usage, finish reasons, messages', () => {
    const { span, rest } = decode({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.cache_read_input_tokens': 100,
      'gen_ai.usage.cache_creation_input_tokens': 5,
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are terse.' }]),
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { temp: 21 } }] },
      ]),
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'reasoning', content: 'think' }, { type: 'text', content: 'Sunny' }, { type: 'blob', modality: 'image' }], finish_reason: 'stop' },
      ],
      'gen_ai.response.id': 'resp_1',
      'http.url': 'x',
    });
    assert.equal(span.kind, 'llm');
    assert.deepEqual(span.model, {
      request: 'gpt-4o', response: 'gpt-4o-2024-08-06', provider: 'openai', temperature: 0.2, topP: 0.9, maxTokens: 256, finishReasons: ['tool_calls'],
    });
    assert.deepEqual(span.usage, { input: 120, output: 30, cacheRead: 100, cacheWrite: 5 });
    assert.deepEqual(span.system, [{ type: 'text', text: 'You are terse.' }]);
    assert.deepEqual(span.input, [
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'toolUse', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'toolResult', id: 'c1', parts: [{ type: 'text', text: '{"temp":21}' }] }] },
    ]);
    assert.deepEqual(span.output, [
      { role: 'assistant', parts: [{ type: 'reasoning', text: 'think' }, { type: 'text', text: 'Sunny' }, { type: 'unknown', raw: { type: 'blob', modality: 'image' } }] },
    ]);
    // consumed keys are gone, the rest stays
    assert.deepEqual(rest, { 'gen_ai.response.id': 'resp_1', 'http.url': 'x' });
  });

  it('uses output finish_reason when the attribute is missing, and gen_ai.system as provider', () => {
    const { span } = decode({
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude',
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'hi' }], finish_reason: 'end_turn' }]),
    });
    assert.equal(span.kind, 'llm');
    assert.equal(span.model?.provider, 'anthropic');
    assert.deepEqual(span.model?.finishReasons, ['end_turn']);
  });

  it('maps agents and tools', () => {
    const agent = decode({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Planner', 'gen_ai.agent.id': 'a-1', 'gen_ai.agent.description': 'plans' });
    assert.equal(agent.span.kind, 'agent');
    assert.deepEqual(agent.span.agent, { name: 'Planner', id: 'a-1' });
    assert.deepEqual(agent.rest, { 'gen_ai.agent.description': 'plans' });

    const tool = decode({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_9',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': 'Sunny',
      'gen_ai.tool.type': 'function',
    });
    assert.equal(tool.span.kind, 'tool');
    assert.deepEqual(tool.span.tool, { name: 'get_weather', callId: 'call_9', arguments: { city: 'Paris' }, result: 'Sunny' });
    assert.deepEqual(tool.rest, { 'gen_ai.tool.type': 'function' });

    assert.equal(decode({ 'gen_ai.operation.name': 'embeddings' }).span.kind, 'retrieval');
    assert.equal(decode({ 'gen_ai.operation.name': 'create_agent' }).span.kind, 'agent');
    assert.equal(decode({ 'gen_ai.operation.name': 'generate_content' }).span.kind, 'llm');
    assert.equal(decode({ 'gen_ai.operation.name': 'text_completion' }).span.kind, 'llm');
  });

  it('keeps what it cannot read: unknown operations, malformed message JSON', () => {
    const { span, rest } = decode({ 'gen_ai.operation.name': 'teleport', 'gen_ai.input.messages': '[{"role":', 'gen_ai.usage.input_tokens': 'many' });
    assert.equal(span.kind, 'custom');
    assert.equal(span.input, undefined);
    assert.deepEqual(rest, { 'gen_ai.operation.name': 'teleport', 'gen_ai.input.messages': '[{"role":', 'gen_ai.usage.input_tokens': 'many' });
  });

  it('reads the older flattened gen_ai.prompt / gen_ai.completion attributes', () => {
    const { span, rest } = decode({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'Be nice',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'Hi',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 't1',
      'gen_ai.completion.0.tool_calls.0.name': 'lookup',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"q":1}',
      'gen_ai.usage.prompt_tokens': 7,
      'gen_ai.usage.completion_tokens': 3,
    });
    assert.deepEqual(span.input, [
      { role: 'system', parts: [{ type: 'text', text: 'Be nice' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
    ]);
    assert.deepEqual(span.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 't1', name: 'lookup', arguments: { q: 1 } }] }]);
    assert.deepEqual(span.model?.finishReasons, ['tool_calls']);
    assert.deepEqual(span.usage, { input: 7, output: 3 });
    assert.deepEqual(rest, {});
  });

  it('runs inside otelToSpan and leaves values set earlier alone', () => {
    const span = otelToSpan({
      traceId: 't', spanId: 's', name: 'chat gpt-4o', startTime: 1000, endTime: 1500, status: 'ok',
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.conversation.id': 'conv-1' },
    });
    assert.equal(span.kind, 'llm');
    assert.equal(span.sessionId, 'conv-1');
    assert.equal(span.durationMs, 500);
    assert.equal(span.attributes['gen_ai.conversation.id'], 'conv-1');

    const pre = blank();
    pre.model = { request: 'from-openinference' };
    decodeGenAi({ 'gen_ai.request.model': 'other' }, pre);
    assert.equal(pre.model.request, 'from-openinference');
  });
});
