// The real @openai/agents JS SDK, its BatchTraceProcessor and
// OpenAITracingExporter, posting to the real receiver. The only stand-ins are
// the language models: a fake implementing the SDK's Model interface, and a
// stub OpenAI client under the SDK's own OpenAIChatCompletionsModel.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Agent,
  BatchTraceProcessor,
  OpenAIChatCompletionsModel,
  OpenAITracingExporter,
  Runner,
  Usage,
  handoff,
  setTraceProcessors,
  setTracingDisabled,
  tool,
  withGenerationSpan,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  type TracingProcessor,
} from '@openai/agents';
import { createBackend } from '../../../src/backends/registry';
import { z } from 'zod';
import { loadAllSpans } from '../../../src/backends/types';
import { createCaptureBackend } from '../../../src/backends/store/storeBackend';
import { exportCapturedSession } from '../../../src/capture/export';
import { startReceiver, type ReceiveEvent } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/backends/store/captureStore';
import { buildForest } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { recordingLogger } from '../../support/context';
import { waitFor } from '../../support/waitFor';

/**
 * A scripted model. It records its generation span the way the SDK's Chat
 * Completions model does (chat messages in, assistant message out), then
 * answers: hand off when it can, call get_weather once, then reply.
 */
class FakeModel implements Model {
  calls = 0;

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.calls++;
    const input = typeof request.input === 'string' ? [{ role: 'user', content: request.input }] : request.input;
    const sawTool = JSON.stringify(input).includes('"call_w1"');
    let output: ModelResponse['output'];
    let message: Record<string, unknown>;
    if (request.handoffs.length) {
      const name = request.handoffs[0].toolName;
      output = [{ type: 'function_call', callId: 'call_h1', name, arguments: '{}', status: 'completed' }];
      message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_h1', type: 'function', function: { name, arguments: '{}' } }] };
    } else if (request.tools.some((t) => t.name === 'get_weather') && !sawTool) {
      output = [{ type: 'function_call', callId: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }];
      message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] };
    } else {
      output = [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is sunny in Paris.' }] }];
      message = { role: 'assistant', content: 'It is sunny in Paris.' };
    }
    return withGenerationSpan(async (span) => {
      span.spanData.model = 'fake-model-1';
      span.spanData.model_config = { temperature: request.modelSettings.temperature, max_tokens: request.modelSettings.maxTokens };
      span.spanData.input = [{ role: 'system', content: request.systemInstructions ?? '' }, ...(input as Record<string, unknown>[])];
      span.spanData.output = [message];
      span.spanData.usage = { input_tokens: 10 * this.calls, output_tokens: 3 };
      return { usage: new Usage({ requests: 1, inputTokens: 10 * this.calls, outputTokens: 3, totalTokens: 10 * this.calls + 3 }), output };
    });
  }

  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('streaming is not used in this test');
  }
}

/** The JSONL processor docs/capture.md shows for the `openaiAgents` backend (kept identical). */
class JsonlTraceProcessor implements TracingProcessor {
  constructor(private readonly file: string) {}
  private write(item: { toJSON(): unknown }): void {
    const data = item.toJSON();
    if (data) appendFileSync(this.file, JSON.stringify(data) + '\n');
  }
  async onTraceStart(trace: Parameters<TracingProcessor['onTraceStart']>[0]): Promise<void> {
    this.write(trace);
  }
  async onTraceEnd(): Promise<void> {}
  async onSpanStart(): Promise<void> {}
  async onSpanEnd(span: Parameters<TracingProcessor['onSpanEnd']>[0]): Promise<void> {
    this.write(span);
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

const weather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `Sunny in ${city}`,
});

function spanNamed(spans: Span[], name: string): Span {
  const s = spans.find((x) => x.name === name);
  assert.ok(s, `no span "${name}" among ${spans.map((x) => x.name).join(', ')}`);
  return s;
}

describe('live capture of the OpenAI Agents JS SDK', function () {
  this.timeout(30_000);
  let store: CaptureStore;
  let server: Awaited<ReturnType<typeof startReceiver>>;
  let processor: BatchTraceProcessor;
  const events: ReceiveEvent[] = [];
  const log = recordingLogger();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oai-sdk-'));
  const jsonl = path.join(dir, 'agent-traces.jsonl');

  before(async () => {
    store = CaptureStore.inMemory();
    server = await startReceiver({ store, port: 0, log });
    server.receiver.onDidReceive((e) => events.push(e));
    // The endpoint is exactly what docs/capture.md tells users to configure.
    const exporter = new OpenAITracingExporter({ apiKey: 'sk-test-not-a-real-key', endpoint: `${server.url}/v1/traces/ingest` });
    processor = new BatchTraceProcessor(exporter, { scheduleDelay: 50 });
    setTracingDisabled(false); // the SDK disables tracing when NODE_ENV=test
    setTraceProcessors([processor, new JsonlTraceProcessor(jsonl)]);
  });

  after(async () => {
    await processor.shutdown();
    setTraceProcessors([]);
    setTracingDisabled(true);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('captures a run with a guardrail, a handoff, a tool call and generations as one session', async () => {
    const model = new FakeModel();
    const weatherAgent = new Agent({ name: 'Weather agent', instructions: 'Answer weather questions.', model, tools: [weather] });
    const triage = new Agent({
      name: 'Triage',
      instructions: 'Route the user.',
      model,
      handoffs: [handoff(weatherAgent)],
      inputGuardrails: [{ name: 'polite_input', execute: async () => ({ tripwireTriggered: false, outputInfo: { ok: true } }) }],
    });
    const runner = new Runner({ groupId: 'conv-sdk-1', workflowName: 'Weather workflow', traceMetadata: { user: 'u-7' } });
    const result = await runner.run(triage, 'Weather in Paris?');
    assert.equal(result.finalOutput, 'It is sunny in Paris.');
    await processor.forceFlush();

    const session = await waitFor('the session', () => store.getSession('conv-sdk-1'), 5000);
    assert.equal(session.name, 'Weather workflow');
    assert.deepEqual(session.attributes?.metadata, { user: 'u-7' });
    assert.equal(session.status, 'ok');

    const backend = createCaptureBackend(store);
    const spans = await loadAllSpans(backend, 'conv-sdk-1');
    assert.ok(spans.every((s) => s.traceId?.startsWith('trace_') && s.sessionId === 'conv-sdk-1'));

    const triageSpan = spanNamed(spans, 'Triage');
    assert.equal(triageSpan.kind, 'agent');
    assert.deepEqual(triageSpan.attributes.handoffs, ['Weather agent']);
    const weatherSpan = spanNamed(spans, 'Weather agent');
    assert.deepEqual(weatherSpan.attributes.tools, ['get_weather']);

    const guard = spanNamed(spans, 'polite_input');
    assert.equal(guard.kind, 'guardrail');
    assert.deepEqual(guard.guardrails, [{ name: 'polite_input', action: 'none', policies: [] }]);

    const hand = spans.find((s) => s.kind === 'handoff');
    assert.ok(hand, 'handoff span');
    assert.equal(hand.attributes.from_agent, 'Triage');
    assert.equal(hand.attributes.to_agent, 'Weather agent');

    const toolSpan = spanNamed(spans, 'get_weather');
    assert.equal(toolSpan.kind, 'tool');
    assert.deepEqual(toolSpan.tool, { name: 'get_weather', arguments: { city: 'Paris' }, result: 'Sunny in Paris' });

    const gens = spans.filter((s) => s.kind === 'llm');
    assert.equal(gens.length, 3);
    const last = gens[gens.length - 1];
    assert.equal(last.model?.request, 'fake-model-1');
    assert.deepEqual(last.system, [{ type: 'text', text: 'Answer weather questions.' }]);
    assert.deepEqual(last.output, [{ role: 'assistant', parts: [{ type: 'text', text: 'It is sunny in Paris.' }] }]);
    assert.deepEqual(last.usage, { input: 30, output: 3 });
    // the tool call appears in the generation's transcript
    const firstWeatherGen = gens[1];
    assert.deepEqual(firstWeatherGen.output?.[0].parts[0], { type: 'toolUse', id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } });

    // The spans form one tree under the SDK's root span.
    const forest = buildForest(spans);
    assert.equal(forest.roots().length, 1);
    assert.deepEqual(forest.orphanIssues(), []);

    // Receiver events carried counts; the API key never reached the log.
    assert.ok(events.some((e) => e.source === 'openai' && e.spans > 0 && e.sessionIds.includes('conv-sdk-1')));
    assert.ok(!log.lines.join('\n').includes('sk-test-not-a-real-key'));

    // Native export round-trips through the JSONL format.
    const exported = await exportCapturedSession(store, 'conv-sdk-1', 'native');
    assert.equal(exported?.extension, '.jsonl');
    const lines = exported!.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].object, 'trace');
    assert.equal(lines.length, spans.length + 1);
    const again = CaptureStore.inMemory();
    again.ingestOpenAi(lines);
    assert.equal(again.getSession('conv-sdk-1')?.spanCount, spans.length);

    // The same run written by the JSONL processor reads back through the openaiAgents backend.
    const fileBackend = await createBackend({ id: 'jsonl', type: 'openaiAgents', path: jsonl }, { log, getSecret: async () => undefined, resolvePath: (p) => p });
    const fromFile = await loadAllSpans(fileBackend, 'conv-sdk-1');
    assert.deepEqual(fromFile.map((s) => [s.id, s.name, s.kind]), spans.map((s) => [s.id, s.name, s.kind]));
    assert.deepEqual((await fileBackend.getSession('conv-sdk-1'))?.name, 'Weather workflow');
    fileBackend.dispose?.();
  });

  it('captures the SDK\'s own Chat Completions model (JS output shape: chat.completion objects)', async () => {
    let n = 0;
    // Stub of the OpenAI client's one method the model calls; everything else is SDK code.
    const client = {
      baseURL: 'http://127.0.0.1:9/v1',
      chat: {
        completions: {
          create: async () => {
            n++;
            return n === 1
              ? { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-test', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] } }], usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 } }
              : { id: 'chatcmpl-2', object: 'chat.completion', created: 1, model: 'gpt-test', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Sunny in Oslo' } }], usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 } };
          },
        },
      },
    };
    const model = new OpenAIChatCompletionsModel(client as never, 'gpt-test');
    const agent = new Agent({ name: 'Chat agent', instructions: 'Be brief.', model, tools: [weather] });
    const runner = new Runner({ workflowName: 'No group' });
    await runner.run(agent, 'Weather in Oslo?');
    await processor.forceFlush();

    // No group id: the session is the trace itself.
    const session = await waitFor('the session', () => store.listSessions().find((s) => s.name === 'No group'), 5000);
    assert.match(session.id, /^trace_[0-9a-f]{32}$/);
    const spans = store.getSpans(session.id)!;
    const gens = spans.filter((s) => s.kind === 'llm').sort((a, b) => a.startTime - b.startTime);
    assert.equal(gens.length, 2);
    assert.deepEqual(gens[0].output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } }] }]);
    assert.deepEqual(gens[0].usage, { input: 11, output: 5, total: 16 });
    assert.deepEqual(gens[0].model?.finishReasons, ['tool_calls']);
    assert.deepEqual(gens[1].input?.at(-1), { role: 'tool', parts: [{ type: 'toolResult', id: 'call_1', parts: [{ type: 'text', text: 'Sunny in Oslo' }] }] });
    assert.deepEqual(gens[1].output, [{ role: 'assistant', parts: [{ type: 'text', text: 'Sunny in Oslo' }] }]);
    // the SDK's task/turn spans arrive as custom spans
    assert.ok(spans.some((s) => s.kind === 'custom' && s.name === 'turn 1' && s.agent?.name === 'Chat agent'));
  });
});
