import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openAiSpanToSpan, type OpenAiSpanItem } from '../../../../src/backends/openai/map';
import { CaptureStore } from '../../../../src/backends/store/captureStore';
import { getRaw } from '../../../../src/model/raw';
import type { Span } from '../../../../src/model/types';

const FIXTURE = path.join(__dirname, '../../../fixtures/openai/python-sdk.jsonl');

function items(): Record<string, unknown>[] {
  return fs.readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function byName(spans: Span[], name: string): Span {
  const s = spans.find((x) => x.name === name);
  assert.ok(s, `no span named ${name} in ${spans.map((x) => x.name).join(', ')}`);
  return s;
}

describe('OpenAI Agents SDK mapping', () => {
  let spans: Span[];
  let store: CaptureStore;

  before(() => {
    store = CaptureStore.inMemory();
    store.ingestOpenAi({ data: items() });
    spans = store.getSpans('conv_42')!;
  });

  it('groups both traces of a conversation (group_id) into one session named after the first workflow', () => {
    const sessions = store.listSessions();
    assert.deepEqual(sessions.map((s) => s.id), ['conv_42']);
    const s = sessions[0];
    assert.equal(s.name, 'Customer service');
    assert.equal(s.spanCount, 13);
    assert.equal(s.status, 'error'); // the refund tool failed
    assert.equal(s.startTime, Date.parse('2025-06-01T10:00:00.050Z'));
    assert.equal(s.endTime, Date.parse('2025-06-01T10:00:12.200Z'));
    assert.deepEqual(s.attributes?.traceIds, ['trace_5b0c2e4f8a9d4c7e9f1a2b3c4d5e6f70', 'trace_9e8d7c6b5a4f4e3d8c2b1a0f9e8d7c6b']);
    assert.deepEqual(s.attributes?.metadata, { user: 'u-1' });
    assert.ok(spans.every((x) => x.sessionId === 'conv_42'));
  });

  it('maps agent spans with their handoffs and tools kept', () => {
    const triage = byName(spans, 'Triage');
    assert.equal(triage.kind, 'agent');
    assert.deepEqual(triage.agent, { name: 'Triage' });
    assert.equal(triage.parentId, undefined);
    assert.equal(triage.status, 'ok');
    assert.deepEqual(triage.attributes.handoffs, ['Billing']);
    assert.deepEqual(triage.attributes.tools, ['refund']);
    assert.equal(triage.attributes.output_type, 'str');
    assert.equal(triage.durationMs, 1850);
  });

  it('maps a generation: system split out, user input, tool call output, model config, usage', () => {
    const g = byName(spans, 'gpt-4o');
    assert.equal(g.kind, 'llm');
    assert.deepEqual(g.system, [{ type: 'text', text: 'You help customers.' }]);
    assert.deepEqual(g.input, [{ role: 'user', parts: [{ type: 'text', text: 'Refund order 17, please.' }] }]);
    assert.deepEqual(g.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_A1', name: 'refund', arguments: { order_id: 17 } }] }]);
    assert.deepEqual(g.model, { request: 'gpt-4o', temperature: 0.3, maxTokens: 512 });
    assert.deepEqual(g.usage, { input: 50, output: 12 });
    assert.deepEqual(g.attributes.model_config, { base_url: 'https://api.openai.com/v1/' });
    assert.equal(g.parentId, 'span_000000000000000a11ce0001');
  });

  it('maps a failed function call: tool slot, error status and data', () => {
    const f = byName(spans, 'refund');
    assert.equal(f.kind, 'tool');
    assert.equal(f.status, 'error');
    assert.equal(f.statusMessage, 'Error running tool (non-fatal)');
    // The SDK's message is generic; the tool's real cause is in error.data.
    assert.deepEqual(f.tool, { name: 'refund', arguments: { order_id: 17 }, error: 'Refund limit exceeded' });
    assert.deepEqual(f.attributes['error.data'], { tool_name: 'refund', error: 'Refund limit exceeded' });
  });

  it('maps guardrails, handoffs, responses, MCP tool listings and custom spans', () => {
    const g = byName(spans, 'no_pii');
    assert.equal(g.kind, 'guardrail');
    assert.deepEqual(g.guardrails, [{ name: 'no_pii', action: 'triggered', policies: [] }]);
    assert.equal(g.status, 'error', 'a tripped guardrail is a failure');
    assert.equal(g.statusMessage, 'Guardrail "no_pii" tripped');

    const h = byName(spans, 'handoff Triage → Billing');
    assert.equal(h.kind, 'handoff');
    assert.equal(h.attributes.from_agent, 'Triage');
    assert.equal(h.attributes.to_agent, 'Billing');

    const r = byName(spans, 'response');
    assert.equal(r.kind, 'llm');
    assert.equal(r.attributes.response_id, 'resp_67ab');
    assert.equal(r.input, undefined);

    const m = byName(spans, 'list tools (filesystem)');
    assert.equal(m.kind, 'tool');
    assert.deepEqual(m.tool, { name: 'list_tools', arguments: { server: 'filesystem' }, result: ['read_file', 'write_file'] });
    assert.equal(m.attributes.server, 'filesystem');

    const c = byName(spans, 'cache-lookup');
    assert.equal(c.kind, 'custom');
    assert.deepEqual(c.attributes.data, { hit: true, key: 'order:17' });
  });

  it('maps voice spans and keeps unknown span types whole', () => {
    const t = byName(spans, 'transcription');
    assert.equal(t.kind, 'transcription');
    assert.deepEqual(t.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'what is my balance' }] }]);
    assert.deepEqual(t.model, { request: 'gpt-4o-transcribe', temperature: 0 });
    assert.deepEqual(t.attributes.input, { data: 'UklGRiQAAABXQVZF', format: 'pcm' });
    assert.deepEqual(t.attributes.model_config, { language: 'en' });

    const s = byName(spans, 'speech');
    assert.equal(s.kind, 'speech');
    assert.deepEqual(s.input, [{ role: 'user', parts: [{ type: 'text', text: 'Your balance is 12 dollars.' }] }]);
    assert.equal(s.model?.timeToFirstTokenMs, 250);
    assert.deepEqual(s.attributes.output, { data: 'AAAAAA==', format: 'pcm' });

    assert.equal(byName(spans, 'speech group').kind, 'speech');

    const u = byName(spans, 'future_type');
    assert.equal(u.kind, 'custom');
    assert.deepEqual(u.attributes.novel, { x: 1 });
    assert.equal(u.attributes['openai.span_type'], 'future_type');
  });

  it('keeps the wire record for the Raw tab', () => {
    const f = byName(spans, 'refund');
    assert.equal((getRaw(f) as { id: string }).id, f.id);
  });

  it('reads JS SDK generations (chat.completion output, prompt_tokens usage, tool messages)', () => {
    const item: OpenAiSpanItem = {
      object: 'trace.span', id: 'span_x', trace_id: 'trace_x', parent_id: null,
      started_at: '2026-01-01T00:00:00.000Z', ended_at: '2026-01-01T00:00:01.000Z', error: null,
      span_data: {
        type: 'generation', model: 'gpt-fake', model_config: {},
        input: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'data:' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
        ],
        output: [{
          id: 'chatcmpl-2', object: 'chat.completion', model: 'gpt-fake-0613',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Sunny in Paris' } }],
          usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 },
        }],
      },
    };
    const s = openAiSpanToSpan(item, 'sess');
    assert.deepEqual(s.input, [
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'unknown', raw: { type: 'image_url', image_url: { url: 'data:' } } }] },
      { role: 'assistant', parts: [{ type: 'toolUse', id: 'c1', name: 'w', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'toolResult', id: 'c1', parts: [{ type: 'text', text: 'Sunny' }] }] },
    ]);
    assert.deepEqual(s.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Sunny in Paris' }] }]);
    assert.deepEqual(s.usage, { input: 20, output: 4, total: 24 });
    assert.deepEqual(s.model, { request: 'gpt-fake', response: 'gpt-fake-0613', finishReasons: ['stop'] });
    assert.equal(s.attributes.response_id, 'chatcmpl-2');
    assert.equal(s.durationMs, 1000);
  });
});
