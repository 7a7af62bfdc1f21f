import * as assert from 'node:assert/strict';
import { decodeOpenInference } from '../../../../src/backends/otel/openinference';
import { otelToSpan } from '../../../../src/backends/otel/span';
import type { Span } from '../../../../src/model/types';
import { span as makeSpan } from '../../../support/spans';

function decode(attributes: Record<string, unknown>, extra: Partial<Span> = {}): Span {
  const rest = { ...attributes };
  const span: Span = makeSpan({ id: 's', sessionId: 'x', name: 'n', attributes: rest, ...extra });
  decodeOpenInference(rest, span);
  return span;
}

const M = 'llm.input_messages';
const O = 'llm.output_messages';

describe('decodeOpenInference', () => {
  it('rebuilds an Agno model call: system, user, tool calls, tool results, tokens, model', () => {
    const args = JSON.stringify({ city: 'Paris' });
    const s = decode({
      'openinference.span.kind': 'LLM',
      'input.mime_type': 'application/json',
      'input.value': '{"messages":[{"role":"system","content":"Be brief."}]}',
      [`${M}.0.message.role`]: 'system',
      [`${M}.0.message.content`]: 'Be brief.',
      [`${M}.1.message.role`]: 'user',
      [`${M}.1.message.content`]: 'Weather in Paris?',
      [`${M}.2.message.role`]: 'assistant',
      [`${M}.2.message.tool_calls.0.tool_call.id`]: 'call_1',
      [`${M}.2.message.tool_calls.0.tool_call.function.name`]: 'get_weather',
      [`${M}.2.message.tool_calls.0.tool_call.function.arguments`]: args,
      [`${M}.3.message.role`]: 'tool',
      [`${M}.3.message.tool_call_id`]: 'call_1',
      [`${M}.3.message.name`]: 'get_weather',
      [`${M}.3.message.content`]: 'Sunny, 21°C',
      [`${O}.0.message.role`]: 'assistant',
      [`${O}.0.message.content`]: 'It is sunny.',
      'output.mime_type': 'application/json',
      'output.value': '[{"role":"assistant","content":"It is sunny."}]',
      'llm.model_name': 'gpt-4o-mini',
      'llm.provider': 'OpenAI',
      'llm.system': 'openai',
      'llm.invocation_parameters': '{"temperature":0.2,"top_p":0.9,"max_completion_tokens":512,"stream":false}',
      'llm.token_count.prompt': 120,
      'llm.token_count.completion': '30',
      'llm.token_count.total': 150,
      'llm.token_count.prompt_details.cache_read': 64,
      'llm.token_count.prompt_details.cache_write': 8,
      'llm.tools.0.tool.json_schema': '{"type":"function","function":{"name":"get_weather"}}',
      'session.id': 'sess-1',
    });
    assert.equal(s.kind, 'llm');
    assert.deepEqual(s.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.deepEqual(s.input, [
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'toolUse', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'toolResult', id: 'call_1', parts: [{ type: 'text', text: 'Sunny, 21°C' }] }] },
    ]);
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'It is sunny.' }] }]);
    assert.deepEqual(s.model, { request: 'gpt-4o-mini', provider: 'OpenAI', temperature: 0.2, topP: 0.9, maxTokens: 512 });
    assert.deepEqual(s.usage, { input: 120, output: 30, total: 150, cacheRead: 64, cacheWrite: 8 });
    // Consumed keys are gone, and so are input/output.value, the JSON the messages were
    // flattened from (the Raw tab shows them); the rest stays (structured where it helps).
    assert.deepEqual(Object.keys(s.attributes).sort(), ['llm.input_messages.3.message.name', 'llm.invocation_parameters', 'llm.tools', 'session.id']);
    assert.deepEqual(s.attributes['llm.invocation_parameters'], { temperature: 0.2, top_p: 0.9, max_completion_tokens: 512, stream: false });
    assert.deepEqual(s.attributes['llm.tools'], [{ type: 'function', function: { name: 'get_weather' } }]);
  });

  it('keeps message order with sparse indices and reads multimodal contents', () => {
    const s = decode({
      'openinference.span.kind': 'LLM',
      [`${M}.2.message.role`]: 'user',
      [`${M}.2.message.contents.1.message_content.type`]: 'image',
      [`${M}.2.message.contents.1.message_content.image.image.url`]: 'https://x/cat.png',
      [`${M}.2.message.contents.0.message_content.type`]: 'text',
      [`${M}.2.message.contents.0.message_content.text`]: 'What is this?',
      [`${M}.10.message.role`]: 'assistant',
      [`${M}.10.message.content`]: 'A cat.',
      [`${M}.0.message.role`]: 'user',
      [`${M}.0.message.content`]: 'Hi',
    });
    assert.deepEqual(s.input, [
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'unknown', raw: { type: 'image', url: 'https://x/cat.png' } }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'A cat.' }] },
    ]);
    assert.deepEqual(s.attributes, {});
  });

  it('never throws on malformed JSON: the string is kept', () => {
    const s = decode({
      'openinference.span.kind': 'LLM',
      [`${O}.0.message.role`]: 'assistant',
      [`${O}.0.message.tool_calls.0.tool_call.function.name`]: 'search',
      [`${O}.0.message.tool_calls.0.tool_call.function.arguments`]: '{"q": "unterminated',
      'llm.invocation_parameters': '{not json',
      'llm.tools.0.tool.json_schema': '[broken',
    });
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: '', name: 'search', arguments: '{"q": "unterminated' }] }]);
    assert.equal(s.attributes['llm.invocation_parameters'], '{not json');
    assert.deepEqual(s.attributes['llm.tools'], ['[broken']);
    assert.equal(s.model, undefined);
  });

  it('decodes an Agno tool span: arguments from tool.parameters, result by mime type', () => {
    const params = '{"ticker": "NVDA"}';
    const s = decode({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'get_price',
      'tool.description': 'Latest price',
      'tool.parameters': params,
      'input.mime_type': 'application/json',
      'input.value': params,
      'output.mime_type': 'application/json',
      'output.value': '{"price": 123.4}',
      'tool_call.id': 'call_9',
    });
    assert.equal(s.kind, 'tool');
    assert.deepEqual(s.tool, { name: 'get_price', arguments: { ticker: 'NVDA' }, result: { price: 123.4 }, callId: 'call_9' });
    assert.deepEqual(s.attributes, { 'tool.description': 'Latest price' });
    assert.equal(s.input, undefined);

    const text = decode({ 'openinference.span.kind': 'TOOL', 'tool.name': 't', 'output.mime_type': 'text/plain', 'output.value': '{"looks": "like json"}' });
    assert.equal(text.tool?.result, '{"looks": "like json"}', 'text mime stays a string');

    const noName = decode({ 'openinference.span.kind': 'TOOL', 'input.value': 'raw args' }, { name: 'fn_name' });
    assert.deepEqual(noName.tool, { name: 'fn_name', arguments: 'raw args' });
  });

  it('puts a failed tool call in tool.error', () => {
    const s = decode(
      { 'openinference.span.kind': 'TOOL', 'tool.name': 'divide', 'tool.parameters': '{"b":0}', 'output.mime_type': 'text/plain', 'output.value': 'division by zero' },
      { status: 'error', statusMessage: 'division by zero' },
    );
    assert.deepEqual(s.tool, { name: 'divide', arguments: { b: 0 }, error: 'division by zero' });
    assert.deepEqual(s.attributes, {});
  });

  it('decodes an agent run: agent ref, plain input/output as messages, ids kept', () => {
    const s = decode({
      'openinference.span.kind': 'AGENT',
      'graph.node.id': 'abcd',
      'graph.node.name': 'Finance Agent',
      'agno.agent': 'Finance Agent',
      'agno.agent.id': 'finance-agent',
      'agno.tools': ['get_price'],
      'input.value': 'How is NVDA doing?',
      'output.mime_type': 'application/json',
      'output.value': 'NVDA is up 3% today.',
      'agno.run.id': 'run-1',
      'session.id': 'sess-1',
      'user.id': 'ana',
    });
    assert.equal(s.kind, 'agent');
    assert.deepEqual(s.agent, { id: 'finance-agent', name: 'Finance Agent' });
    assert.deepEqual(s.input, [{ role: 'user', parts: [{ type: 'text', text: 'How is NVDA doing?' }] }]);
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'NVDA is up 3% today.' }] }]);
    assert.deepEqual(s.attributes, { 'graph.node.id': 'abcd', 'agno.tools': ['get_price'], 'agno.run.id': 'run-1', 'session.id': 'sess-1', 'user.id': 'ana' });
  });

  it('names a team by its team keys, not the member keys that overwrote graph.node.name', () => {
    const s = decode({
      'openinference.span.kind': 'AGENT',
      'graph.node.name': 'Writer',
      'agno.team.id': 'research-team',
      'agno.team': 'Research Team',
      'agno.agent.id': 'writer',
      'agno.Writer.agent': 'Writer',
    });
    assert.deepEqual(s.agent, { id: 'research-team', name: 'Research Team', type: 'team' });
    assert.deepEqual(s.attributes, { 'graph.node.name': 'Writer', 'agno.agent.id': 'writer', 'agno.Writer.agent': 'Writer' });
  });

  it('reads chat JSON in input.value as messages but keeps the raw text', () => {
    const raw = '{"messages":[{"role":"system","content":"S"},{"role":"user","content":[{"type":"text","text":"Q"}]}],"extra":1}';
    const s = decode({ 'openinference.span.kind': 'CHAIN', 'input.mime_type': 'application/json', 'input.value': raw });
    assert.equal(s.kind, 'chain');
    assert.deepEqual(s.system, [{ type: 'text', text: 'S' }]);
    assert.deepEqual(s.input, [{ role: 'user', parts: [{ type: 'text', text: 'Q' }] }]);
    assert.equal(s.attributes['input.value'], raw);

    const json = decode({ 'openinference.span.kind': 'CHAIN', 'output.mime_type': 'application/json', 'output.value': '{"answer": 42}' });
    assert.deepEqual(json.output, [{ role: 'assistant', parts: [{ type: 'text', text: '{"answer": 42}' }] }]);
    assert.deepEqual(json.attributes, {});
  });

  it('maps span kinds and leaves unknown ones as attributes', () => {
    const kinds: Record<string, string> = {
      AGENT: 'agent', LLM: 'llm', TOOL: 'tool', CHAIN: 'chain', RETRIEVER: 'retrieval',
      RERANKER: 'retrieval', EMBEDDING: 'retrieval', GUARDRAIL: 'guardrail', EVALUATOR: 'guardrail', PROMPT: 'chain',
    };
    for (const [k, v] of Object.entries(kinds)) {
      assert.equal(decode({ 'openinference.span.kind': k }).kind, v, k);
    }
    const unknown = decode({ 'openinference.span.kind': 'SCORER' });
    assert.equal(unknown.kind, 'custom');
    assert.equal(unknown.attributes['openinference.span.kind'], 'SCORER');
  });

  it('turns retrieved documents into a cited output message', () => {
    const s = decode({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': 'refund policy',
      'retrieval.documents.0.document.id': 'doc-1',
      'retrieval.documents.0.document.content': 'Refunds within 30 days.',
      'retrieval.documents.0.document.score': 0.91,
      'retrieval.documents.1.document.content': 'No id here.',
    });
    assert.deepEqual(s.output, [{ role: 'tool', parts: [
      { type: 'text', text: 'Refunds within 30 days.', citations: [{ contentId: 'doc-1' }] },
      { type: 'text', text: 'No id here.' },
    ] }]);
    assert.deepEqual(s.attributes, { 'retrieval.documents.0.document.score': 0.91 });
  });

  it('accepts llm.input_messages as one structured value', () => {
    const s = decode({
      'openinference.span.kind': 'LLM',
      [M]: [{ 'message.role': 'user', 'message.content': 'hi' }, { message: { role: 'assistant', content: 'hello' } }],
      [O]: JSON.stringify([{ message: { role: 'assistant', tool_calls: [{ tool_call: { id: 'c', function: { name: 'f', arguments: '{}' } } }] } }]),
    });
    assert.deepEqual(s.input, [
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'hello' }] },
    ]);
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'c', name: 'f', arguments: {} }] }]);
    assert.deepEqual(s.attributes, {});
  });

  it('builds LLM messages from input.value when no flattened messages exist', () => {
    const raw = '{"messages":[{"role":"user","content":"Hi"}]}';
    const s = decode({ 'openinference.span.kind': 'LLM', 'input.mime_type': 'application/json', 'input.value': raw, 'output.value': 'Hello!' });
    assert.deepEqual(s.input, [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }]);
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }] }]);
    assert.deepEqual(s.attributes, { 'input.mime_type': 'application/json', 'input.value': raw });
  });

  it('works through otelToSpan, falling back to the span name for the kind', () => {
    const span = otelToSpan({
      traceId: 't'.repeat(32), spanId: 'a'.repeat(16), name: 'OpenAIChat.invoke', kind: 'INTERNAL',
      startTime: 1000, endTime: 1500, status: 'ok',
      attributes: { 'session.id': 'sess-9', 'llm.model_name': 'gpt-4o' },
    });
    assert.equal(span.kind, 'llm');
    assert.equal(span.sessionId, 'sess-9');
    assert.equal(span.model?.request, 'gpt-4o');
    assert.equal(span.durationMs, 500);
    assert.deepEqual(span.attributes, { 'session.id': 'sess-9', 'otel.span_kind': 'INTERNAL' });
  });
});
