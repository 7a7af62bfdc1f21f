// Real OpenTelemetry producers exporting to our receiver: the official GenAI
// instrumentation of the OpenAI client (content as log events over
// HTTP/protobuf, content on spans over gRPC) and the OpenInference
// instrumentors of Agno and the OpenAI Agents SDK. The Python setup is the
// README's snippets, ports pointed at the test's receiver.
import * as assert from 'node:assert/strict';
import type { Span } from '../../../src/model/types';
import { PRODUCERS, runProducer, type ProducerRun } from '../../support/producers';

function byStart(spans: Span[]): Span[] {
  return [...spans].sort((a, b) => a.startTime - b.startTime);
}

/** The attribute keys of the span's OTLP record as received. */
function wireKeys(run: ProducerRun, span: Span): string[] {
  const raw = run.raws.get(span) as { attributes?: { key: string }[] } | undefined;
  assert.ok(raw, `the record of ${span.name} is read back from the capture log`);
  return (raw.attributes ?? []).map((a) => a.key);
}

describe('OpenTelemetry producers (Python) → receiver', function () {
  this.timeout(300_000);

  it('GenAI OpenAI instrumentation, content as log events on /v1/logs (README setup, HTTP/protobuf)', async () => {
    const c = await runProducer(PRODUCERS.genaiLogs);
    assert.deepEqual(c.result, { call: ['get_weather', '{"city": "Oslo"}'], answer: 'Done: Sunny, 21 C' });
    assert.ok(c.events.some((e) => (e.logs ?? 0) > 0 && e.encoding === 'protobuf'), 'log records arrived');
    const [first, second] = byStart(c.spans);
    // The spans themselves carry no content: it all came through the logs.
    assert.ok(!wireKeys(c, first).some((k) => k.startsWith('gen_ai.input') || k.startsWith('gen_ai.output')), wireKeys(c, first).join());
    assert.equal(first.kind, 'llm');
    assert.equal(first.model?.request, 'gpt-stand-in');
    assert.deepEqual(first.input?.map((m) => m.role), ['system', 'user']);
    assert.deepEqual(first.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_0001', name: 'get_weather', arguments: { city: 'Oslo' } }] }]);
    assert.deepEqual(second.input?.at(-1), { role: 'tool', parts: [{ type: 'toolResult', id: 'call_0001', parts: [{ type: 'text', text: 'Sunny, 21 C' }] }] });
    assert.deepEqual(second.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Done: Sunny, 21 C' }] }]);
    assert.deepEqual(second.model?.finishReasons, ['stop']);
    assert.equal(second.attributes['otel.logs'], undefined, 'every log event was understood');
  });

  it('GenAI OpenAI instrumentation, content on the spans, over OTLP/gRPC', async () => {
    const c = await runProducer(PRODUCERS.genaiGrpc);
    assert.ok(c.events.length > 0 && c.events.every((e) => e.transport === 'grpc'));
    const [first, second] = byStart(c.spans);
    assert.ok(wireKeys(c, first).includes('gen_ai.output.messages'));
    assert.deepEqual(first.output?.[0].parts[0], { type: 'toolUse', id: 'call_0001', name: 'get_weather', arguments: { city: 'Oslo' } });
    assert.deepEqual(second.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Done: Sunny, 21 C' }] }]);
    assert.equal(second.usage?.input, 11);
    assert.equal(second.attributes['otel.resource'] && (second.attributes['otel.resource'] as Record<string, unknown>)['service.name'], 'genai-grpc');
  });

  it('OpenInference Agno instrumentor: tools, a failing tool, reasoning without a duplicated answer', async () => {
    const c = await runProducer(PRODUCERS.openinferenceAgno);
    assert.deepEqual(c.result, { tool: 'Done: Sunny in Oslo', failing_tool: 'Done: Noma is fully booked', reasoning: '42' });
    const weather = c.spans.find((s) => s.kind === 'tool' && s.name === 'get_weather');
    assert.deepEqual(weather?.tool, { name: 'get_weather', arguments: { city: 'Oslo' }, result: 'Sunny in Oslo' });
    const failed = c.spans.find((s) => s.kind === 'tool' && s.name === 'book_table');
    assert.equal(failed?.status, 'error');
    assert.equal(failed?.tool?.error, 'Noma is fully booked');
    assert.deepEqual(new Set(c.spans.map((s) => s.sessionId)), new Set(['oi-session-1', 'oi-session-2']));
    const thinking = c.spans.find((s) => s.kind === 'llm' && s.sessionId === 'oi-session-2');
    assert.deepEqual(thinking?.output, [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Thinking about: The answer?' }, { type: 'text', text: '42' }] }]);
    assert.deepEqual(thinking?.system, [{ type: 'text', text: 'Think first.' }]);
  });

  it('OpenInference OpenAI Agents instrumentor: Response-object outputs, tool arguments vs schema, handoffs, guardrails', async () => {
    const c = await runProducer(PRODUCERS.openinferenceAgents);
    assert.equal(c.result.guardrail, 'tripped: no_secrets');
    const gens = byStart(c.spans.filter((s) => s.kind === 'llm' && s.model?.request === 'reasoner-chat'));
    assert.equal(gens.length, 2);
    assert.deepEqual(gens[0].output?.[0].parts, [
      { type: 'reasoning', text: 'Thinking about: What about INV-3?' },
      { type: 'toolUse', id: 'call_0011', name: 'lookup_invoice', arguments: { invoice_id: 'INV-3' } },
    ]);
    const lookup = c.spans.find((s) => s.kind === 'tool' && s.name === 'lookup_invoice');
    assert.deepEqual(lookup?.tool, { name: 'lookup_invoice', arguments: { invoice_id: 'INV-3' }, result: 'Invoice INV-3: 42 EUR, paid' });
    assert.equal((lookup?.attributes['tool.parameters'] as Record<string, unknown>).type, 'object', 'the schema stays visible');
    assert.ok(c.spans.some((s) => s.kind === 'tool' && s.name === 'handoff to Billing agent'));
    assert.ok(c.spans.some((s) => s.kind === 'guardrail' && s.name === 'no_secrets'));
    const refund = c.spans.find((s) => s.kind === 'tool' && s.name === 'refund');
    assert.equal(refund?.status, 'error');
  });
});
