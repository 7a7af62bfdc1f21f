// Sample traces for demos and UI tests: a small OpenAI Agents SDK run and a
// small OTLP GenAI run, stamped "now", and a helper that posts them to a
// running receiver the way the real exporters do (OpenAI spans children first
// with the trace record last; OTLP as JSON or protobuf).
import { OPENAI_INGEST_PATH, OTLP_TRACES_PATH } from './receiver';

function hex(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return s;
}

/** An OpenAI Agents SDK batch ({"data":[…]}): triage agent → guardrail, generation with a tool call, tool, handoff, answer. */
export function sampleOpenAiBatch(now = Date.now(), groupId = 'demo-openai-conversation'): { data: Record<string, unknown>[] } {
  const traceId = `trace_${hex(16)}`;
  const id = (): string => `span_${hex(12)}`;
  const at = (ms: number): string => new Date(now - 5000 + ms).toISOString();
  const [agent, guard, gen1, tool, hand, agent2, gen2] = [id(), id(), id(), id(), id(), id(), id()];
  const span = (spanId: string, parent: string | null, from: number, to: number, data: Record<string, unknown>, error: unknown = null): Record<string, unknown> => ({
    object: 'trace.span', id: spanId, trace_id: traceId, parent_id: parent, started_at: at(from), ended_at: at(to), span_data: data, error,
  });
  const messages = [
    { role: 'system', content: 'You are the triage agent of Acme support. Route billing questions to Billing.' },
    { role: 'user', content: 'I was charged twice for order 1042.' },
  ];
  return {
    data: [
      // Spans are sent when they end: children first.
      span(guard, agent, 10, 120, { type: 'guardrail', name: 'no_personal_data', triggered: false }),
      span(gen1, agent, 20, 900, {
        type: 'generation', model: 'gpt-4o-mini', model_config: { temperature: 0.2, max_tokens: 400 }, input: messages,
        output: [{ role: 'assistant', content: null, tool_calls: [{ id: 'call_lookup_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":1042}' } }] }],
        usage: { input_tokens: 182, output_tokens: 21 },
      }),
      span(tool, agent, 910, 1180, { type: 'function', name: 'lookup_order', input: '{"order_id":1042}', output: '{"order_id":1042,"charges":[49.0,49.0],"status":"shipped"}' }),
      span(hand, agent, 1190, 1200, { type: 'handoff', from_agent: 'Triage', to_agent: 'Billing' }),
      span(agent, null, 0, 1210, { type: 'agent', name: 'Triage', handoffs: ['Billing'], tools: ['lookup_order'], output_type: 'str' }),
      span(gen2, agent2, 1220, 2400, {
        type: 'generation', model: 'gpt-4o-mini', model_config: { temperature: 0.2 },
        input: [...messages, { role: 'tool', tool_call_id: 'call_lookup_1', content: '{"order_id":1042,"charges":[49.0,49.0]}' }],
        output: [{ role: 'assistant', content: 'I see two charges of $49 for order 1042. I have requested a refund of the duplicate.' }],
        usage: { input_tokens: 240, output_tokens: 28 },
      }),
      span(agent2, null, 1215, 2410, { type: 'agent', name: 'Billing', handoffs: [], tools: ['refund'], output_type: 'str' }),
      // The trace record last, as it may arrive late.
      { object: 'trace', id: traceId, workflow_name: 'Acme support (sample)', group_id: groupId, metadata: { sample: 'true' } },
    ],
  };
}

/** An OTLP ExportTraceServiceRequest (JSON form) in GenAI conventions: agent → chat, tool, chat. */
export function sampleOtlpRequest(now = Date.now(), conversationId = 'demo-otel-conversation'): Record<string, unknown> {
  const traceId = hex(16);
  const [root, chat1, tool, chat2] = [hex(8), hex(8), hex(8), hex(8)];
  const ns = (ms: number): string => `${BigInt(now - 4000 + ms) * 1_000_000n}`;
  const s = (v: string): unknown => ({ stringValue: v });
  const i = (v: number): unknown => ({ intValue: String(v) });
  const attrs = (o: Record<string, unknown>): unknown[] => Object.entries(o).map(([key, value]) => ({ key, value }));
  const span = (spanId: string, parent: string | undefined, name: string, from: number, to: number, a: Record<string, unknown>, status: Record<string, unknown> = { code: 1 }): Record<string, unknown> => ({
    traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, kind: parent ? 3 : 1, startTimeUnixNano: ns(from), endTimeUnixNano: ns(to), attributes: attrs(a), status,
  });
  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'What is the weather in Lisbon?' }] }]);
  return {
    resourceSpans: [{
      resource: { attributes: attrs({ 'service.name': s('weather-assistant (sample)') }) },
      scopeSpans: [{
        scope: { name: 'span-inspector.samples', version: '1.0.0' },
        spans: [
          span(root, undefined, 'invoke_agent Weather assistant', 0, 2600, { 'gen_ai.operation.name': s('invoke_agent'), 'gen_ai.agent.name': s('Weather assistant'), 'gen_ai.conversation.id': s(conversationId) }),
          span(chat1, root, 'chat gpt-4o', 50, 1100, {
            'gen_ai.operation.name': s('chat'), 'gen_ai.provider.name': s('openai'), 'gen_ai.request.model': s('gpt-4o'), 'gen_ai.response.model': s('gpt-4o-2024-08-06'),
            'gen_ai.usage.input_tokens': i(96), 'gen_ai.usage.output_tokens': i(18), 'gen_ai.response.finish_reasons': { arrayValue: { values: [s('tool_calls')] } },
            'gen_ai.system_instructions': s(JSON.stringify([{ type: 'text', content: 'You answer weather questions briefly.' }])),
            'gen_ai.input.messages': s(input),
            'gen_ai.output.messages': s(JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_w', name: 'get_weather', arguments: { city: 'Lisbon' } }], finish_reason: 'tool_calls' }])),
          }),
          span(tool, root, 'execute_tool get_weather', 1120, 1500, {
            'gen_ai.operation.name': s('execute_tool'), 'gen_ai.tool.name': s('get_weather'), 'gen_ai.tool.call.id': s('call_w'),
            'gen_ai.tool.call.arguments': s('{"city":"Lisbon"}'), 'gen_ai.tool.call.result': s('{"temp_c":24,"sky":"clear"}'),
          }),
          span(chat2, root, 'chat gpt-4o', 1520, 2550, {
            'gen_ai.operation.name': s('chat'), 'gen_ai.provider.name': s('openai'), 'gen_ai.request.model': s('gpt-4o'),
            'gen_ai.usage.input_tokens': i(140), 'gen_ai.usage.output_tokens': i(12),
            'gen_ai.output.messages': s(JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Clear skies and 24°C in Lisbon.' }], finish_reason: 'stop' }])),
          }),
        ],
      }],
    }],
  };
}

/**
 * Posts one sample of each kind to a running receiver (`baseUrl` like
 * http://127.0.0.1:4318). With `protobuf`, the OTLP sample goes as binary.
 */
export async function postSamples(baseUrl: string, options: { protobuf?: boolean; now?: number } = {}): Promise<{ openai: number; otlp: number }> {
  const now = options.now ?? Date.now();
  const openai = await fetch(`${baseUrl}${OPENAI_INGEST_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sample', 'OpenAI-Beta': 'traces=v1' },
    body: JSON.stringify(sampleOpenAiBatch(now)),
  });
  const request = sampleOtlpRequest(now);
  let body: string | Uint8Array = JSON.stringify(request);
  if (options.protobuf) {
    const { encodeOtlpProtobuf } = await import('../backends/otlp/protobuf');
    body = encodeOtlpProtobuf(request);
  }
  const otlp = await fetch(`${baseUrl}${OTLP_TRACES_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': options.protobuf ? 'application/x-protobuf' : 'application/json' },
    body,
  });
  return { openai: openai.status, otlp: otlp.status };
}
