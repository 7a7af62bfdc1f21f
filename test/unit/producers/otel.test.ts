// Real OpenTelemetry producers exporting to our receiver: the official GenAI
// instrumentation of the OpenAI client (content as log events over
// HTTP/protobuf, content on spans over gRPC) and the OpenInference
// instrumentors of Agno and the OpenAI Agents SDK. The Python setup is the
// README's snippets, ports pointed at the test's receiver.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startReceiver, type ReceiveEvent } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/capture/store';
import { getRaw } from '../../../src/model/raw';
import type { Span } from '../../../src/model/types';
import { startLlmStandIn } from '../../support/llm';
import { runPython } from '../../support/python';
import { readmeSnippet, withPorts } from '../../support/readme';
import { waitFor } from '../capture/helpers';

interface Capture {
  spans: Span[];
  events: ReceiveEvent[];
  result: Record<string, string>;
}

/** Runs a producer script against a fresh receiver (HTTP + gRPC) and returns what arrived. */
async function capture(script: string, env: Record<string, string>, snippet?: { label: string; module: string }, expectSpans = 1): Promise<Capture> {
  // A fresh stand-in per run: its call ids count from 1.
  const llm = await startLlmStandIn();
  const store = CaptureStore.inMemory();
  const server = await startReceiver({ store, port: 0, grpcPort: 0 });
  const events: ReceiveEvent[] = [];
  server.receiver.onDidReceive((e) => events.push(e));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-py-'));
  try {
    if (snippet) fs.writeFileSync(path.join(dir, `${snippet.module}.py`), withPorts(readmeSnippet(snippet.label), { http: server.port }));
    const run = await runPython([script], {
      env: { OPENAI_BASE_URL: llm.baseUrl, PYTHONPATH: dir, OTLP_HTTP: server.url, OTLP_GRPC: server.receiver.grpcAddress!, JSONL_OUT: path.join(dir, 'x.jsonl'), ...env },
      timeoutMs: 180_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const all = (): Span[] => store.listSessions().flatMap((s) => store.getSpans(s.id) ?? []);
    await waitFor(() => all().length >= expectSpans, 10_000, `${expectSpans} spans`);
    return { spans: all(), events, result: JSON.parse(run.stdout.trim().split('\n').pop()!) };
  } finally {
    await server.close();
    await llm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function byStart(spans: Span[]): Span[] {
  return [...spans].sort((a, b) => a.startTime - b.startTime);
}

function wireKeys(span: Span): string[] {
  const raw = getRaw(span) as { attributes?: { key: string }[] };
  return (raw.attributes ?? []).map((a) => a.key);
}

describe('OpenTelemetry producers (Python) → receiver', function () {
  this.timeout(300_000);

  it('GenAI OpenAI instrumentation, content as log events on /v1/logs (README setup, HTTP/protobuf)', async () => {
    const c = await capture('otel_genai_run.py', { TRANSPORT: 'readme', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'EVENT_ONLY' }, { label: 'Python, OpenTelemetry GenAI', module: 'span_inspector_otel' }, 2);
    assert.deepEqual(c.result, { call: ['get_weather', '{"city": "Oslo"}'], answer: 'Done: Sunny, 21 C' });
    assert.ok(c.events.some((e) => (e.logs ?? 0) > 0 && e.encoding === 'protobuf'), 'log records arrived');
    const [first, second] = byStart(c.spans);
    // The spans themselves carry no content: it all came through the logs.
    assert.ok(!wireKeys(first).some((k) => k.startsWith('gen_ai.input') || k.startsWith('gen_ai.output')), wireKeys(first).join());
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
    const c = await capture('otel_genai_run.py', { TRANSPORT: 'grpc', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY' }, undefined, 2);
    assert.ok(c.events.length > 0 && c.events.every((e) => e.transport === 'grpc'));
    const [first, second] = byStart(c.spans);
    assert.ok(wireKeys(first).includes('gen_ai.output.messages'));
    assert.deepEqual(first.output?.[0].parts[0], { type: 'toolUse', id: 'call_0001', name: 'get_weather', arguments: { city: 'Oslo' } });
    assert.deepEqual(second.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Done: Sunny, 21 C' }] }]);
    assert.equal(second.usage?.input, 11);
    assert.equal(second.attributes['otel.resource'] && (second.attributes['otel.resource'] as Record<string, unknown>)['service.name'], 'genai-grpc');
  });

  it('OpenInference Agno instrumentor: tools, a failing tool, reasoning without a duplicated answer', async () => {
    const c = await capture('agno_openinference_run.py', {}, { label: 'Python, OpenInference', module: 'span_inspector_otel' }, 10);
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
    const c = await capture('openai_agents_run.py', {}, { label: 'Python, OpenInference', module: 'span_inspector_tracing' }, 40);
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
