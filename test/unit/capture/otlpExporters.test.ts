// The real OpenTelemetry JS SDK and its OTLP/HTTP exporters (JSON and
// protobuf) posting GenAI-convention and OpenInference spans to the receiver.
import * as assert from 'node:assert/strict';
import { context, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { exportCapturedSession } from '../../../src/capture/export';
import { startReceiver, type ReceiveEvent } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/backends/store/captureStore';
import { buildForest } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { waitFor } from '../../support/waitFor';

/**
 * Passes each export to the real exporter after the previous one finished.
 * SimpleSpanProcessor starts an export as each span ends; concurrent POSTs
 * may reach the receiver in any order, and the test is about end order.
 */
class InOrder implements SpanExporter {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.last = this.last.then(() => new Promise<void>((sent) => this.inner.export(spans, (result) => (done(result), sent()))));
  }

  async forceFlush(): Promise<void> {
    await this.last;
    await this.inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.last;
    await this.inner.shutdown();
  }
}

/** An agent run in GenAI conventions: agent → chat, tool (failing), chat; plus one OpenInference LLM span. */
function emitAgentRun(tracer: Tracer, conversationId: string): void {
  const root = tracer.startSpan('invoke_agent Weather agent', {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Weather agent',
      'gen_ai.agent.id': 'agent-1',
      'gen_ai.conversation.id': conversationId, // only the root says which conversation
      'gen_ai.provider.name': 'openai',
    },
  });
  const ctx = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.max_tokens': 300,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.usage.cache_read_input_tokens': 30,
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You report weather.' }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Rome?' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_r', name: 'get_weather', arguments: { city: 'Rome' } }], finish_reason: 'tool_calls' }]),
      'custom.flag': true,
      'custom.list': [1, 2, 3],
    },
  }, ctx);
  chat.end();
  const tool = tracer.startSpan('execute_tool get_weather', {
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_r',
      'gen_ai.tool.call.arguments': '{"city":"Rome"}',
    },
  }, ctx);
  tool.recordException(new Error('weather service down'));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service down' });
  tool.end();
  const oi = tracer.startSpan('ChatOpenAI', {
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Summarize',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Done',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 1,
    },
  }, ctx);
  oi.end();
  root.end();
}

function named(spans: Span[], name: string): Span {
  const s = spans.find((x) => x.name === name);
  assert.ok(s, `no span "${name}"`);
  return s;
}

function assertRun(spans: Span[], conversationId: string): void {
  assert.equal(spans.length, 4);
  assert.ok(spans.every((s) => s.sessionId === conversationId && /^[0-9a-f]{32}$/.test(s.traceId!) && /^[0-9a-f]{16}$/.test(s.id)));
  const root = named(spans, 'invoke_agent Weather agent');
  assert.equal(root.kind, 'agent');
  assert.deepEqual(root.agent, { name: 'Weather agent', id: 'agent-1' });
  assert.deepEqual(root.attributes['otel.resource'], { 'service.name': 'weather-app', 'deployment.environment': 'test' });

  const chat = named(spans, 'chat gpt-4o');
  assert.equal(chat.kind, 'llm');
  assert.equal(chat.parentId, root.id);
  assert.deepEqual(chat.model, { request: 'gpt-4o', response: 'gpt-4o-2024-08-06', provider: 'openai', temperature: 0.5, maxTokens: 300, finishReasons: ['tool_calls'] });
  assert.deepEqual(chat.usage, { input: 42, output: 7, cacheRead: 30 });
  assert.deepEqual(chat.system, [{ type: 'text', text: 'You report weather.' }]);
  assert.deepEqual(chat.input, [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Rome?' }] }]);
  assert.deepEqual(chat.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_r', name: 'get_weather', arguments: { city: 'Rome' } }] }]);
  assert.equal(chat.attributes['custom.flag'], true);
  assert.deepEqual(chat.attributes['custom.list'], [1, 2, 3]);
  assert.deepEqual(chat.attributes['otel.scope'], { name: 'capture-test', version: '1.2.3' });
  assert.ok(chat.durationMs !== undefined && chat.durationMs >= 0);

  const tool = named(spans, 'execute_tool get_weather');
  assert.equal(tool.kind, 'tool');
  assert.equal(tool.status, 'error');
  assert.equal(tool.statusMessage, 'weather service down');
  assert.deepEqual(tool.tool, { name: 'get_weather', callId: 'call_r', arguments: { city: 'Rome' } });
  const events = tool.attributes['otel.events'] as { name: string; attributes: Record<string, unknown> }[];
  assert.equal(events[0].name, 'exception');
  assert.equal(events[0].attributes['exception.message'], 'weather service down');

  const oi = named(spans, 'ChatOpenAI');
  assert.equal(oi.kind, 'llm');
  assert.equal(oi.model?.request, 'gpt-4o-mini');

  const forest = buildForest(spans);
  assert.equal(forest.roots().length, 1);
  assert.deepEqual(forest.orphanIssues(), []);
}

describe('live capture of OpenTelemetry OTLP/HTTP exporters', function () {
  this.timeout(30_000);
  let store: CaptureStore;
  let server: Awaited<ReturnType<typeof startReceiver>>;
  const events: ReceiveEvent[] = [];
  const resource = resourceFromAttributes({ 'service.name': 'weather-app', 'deployment.environment': 'test' });

  before(async () => {
    store = CaptureStore.inMemory();
    server = await startReceiver({ store, port: 0 });
    server.receiver.onDidReceive((e) => events.push(e));
  });

  after(() => server.close());

  it('OTLP/HTTP JSON, one request per span (children first): the trace joins its conversation when the root arrives', async () => {
    // The endpoint comes from the standard environment variable, as documented.
    const saved = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${server.url}/v1/traces`;
    let exporter: JsonExporter;
    try {
      exporter = new JsonExporter();
    } finally {
      if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = saved;
    }
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new InOrder(exporter))] });
    const sessionsSeen = new Set<string>();
    const sub = store.onDidChange((c) => c.sessionId && sessionsSeen.add(c.sessionId));
    emitAgentRun(provider.getTracer('capture-test', '1.2.3'), 'conv-json');
    await provider.forceFlush();
    await provider.shutdown();
    sub.dispose();

    const spans = await waitFor('four spans', () => store.getSpans('conv-json')?.length === 4 && store.getSpans('conv-json'), 5000);
    assertRun(spans, 'conv-json');
    // Children were filed under their trace id until the root named the conversation; that interim session is gone.
    const traceId = spans[0].traceId!;
    assert.ok(sessionsSeen.has(traceId), 'children arrived before the root');
    assert.equal(store.getSession(traceId), undefined);
    assert.ok(events.some((e) => e.source === 'otlp' && e.encoding === 'json'));
  });

  it('OTLP/HTTP protobuf with gzip, batched', async () => {
    const exporter = new ProtoExporter({ url: `${server.url}/v1/traces`, compression: 'gzip' as never });
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 20 })] });
    emitAgentRun(provider.getTracer('capture-test', '1.2.3'), 'conv-proto');
    await provider.forceFlush();
    await provider.shutdown();

    const spans = await waitFor('four spans', () => store.getSpans('conv-proto')?.length === 4 && store.getSpans('conv-proto'), 5000);
    assertRun(spans, 'conv-proto');
    const ev = events.find((e) => e.encoding === 'protobuf');
    assert.ok(ev && ev.spans === 4 && ev.rejected === 0);

    // The OTLP JSON export can be captured again and gives the same spans.
    const exported = await exportCapturedSession(store, 'conv-proto', 'native');
    assert.equal(exported?.extension, '.json');
    const again = CaptureStore.inMemory();
    again.ingestOtlp(JSON.parse(exported!.text));
    const copy = again.getSpans('conv-proto')!;
    assertRun(copy, 'conv-proto');
  });
});
