// Property checks of every wire decoder, run inside a time-bounded worker
// (support/bounded.ts). Each property feeds hostile input shaped like the
// decoder's wire format — random subsets of the known members, each either
// well-typed or any JSON, plus unknown and prototype-named keys — and checks:
// it never throws, the output meets the model contract (checkSpan), unknown
// keys survive as attributes, and one call stays fast.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { createFileBackend } from '../../../../src/backends/file/backend';
import { BackendError } from '../../../../src/backends/errors';
import { isSpanItem, openAiSpanToSpan } from '../../../../src/backends/openai/map';
import { otelToSpan, type OtelSpanInput } from '../../../../src/backends/otel/span';
import { decodeOtlpJson, OtlpFormatError } from '../../../../src/backends/otlp/decode';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../../../../src/backends/otlp/protobuf';
import { toSpan as qconnectToSpan } from '../../../../src/backends/qconnect/map';
import { SGP_TYPE_KINDS, sgpToSpan } from '../../../../src/backends/sgp/map';
import type { SgpSpanRecord } from '../../../../src/backends/sgp/client';
import { CaptureStore } from '../../../../src/backends/store/captureStore';
import { coerceSession, coerceSpan } from '../../../../src/model/coerce';
import { getRaw } from '../../../../src/model/raw';
import type { Span } from '../../../../src/model/types';
import { anyJson, anyKey, checkKept, checkSpan, enumish, NASTY_KEYS, objOf, scalar, shaped, timed, timestamp } from '../support/arbitraries';

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 300);
const PER_CALL_MS = 500;

const str = fc.string({ maxLength: 24 });
const nonEmpty = fc.string({ minLength: 1, maxLength: 24 });
const num = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.double(), scalar);
const listOf = <T>(a: fc.Arbitrary<T>, max = 4) => fc.array(a, { maxLength: max });
const pick = <T>(a: fc.Arbitrary<{ value: T }>) => a.map((x) => x.value);

// ---------------------------------------------------------------------------
// Amazon Q Connect (FORMATS.md §1)

const qcValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    pick(shaped({ text: pick(shaped({ value: str, citations: listOf(pick(shaped({ contentId: str, title: str, knowledgeBaseId: str, knowledgeBaseArn: str, url: str }))), aiGuardrailAssessment: pick(shaped({ blocked: fc.boolean() })) })) })),
    pick(shaped({ toolUse: pick(shaped({ toolUseId: str, name: str, arguments: anyJson })) })),
    pick(shaped({ toolResult: pick(shaped({ toolUseId: str, values: listOf(tie('v'), 3), error: anyJson })) })),
    pick(shaped({ reasoning: pick(shaped({ value: str })) })),
    anyJson,
  ),
})).v;

const qcMessage = pick(shaped({ messageId: str, participant: enumish('CUSTOMER', 'AGENT', 'BOT'), timestamp, values: listOf(qcValue) }));

const qcAttributes = shaped({
  operationName: enumish('chat', 'execute_tool', 'invoke_agent', 'apply_guardrail', 'retrieve', 'invokemodel'),
  providerName: enumish('aws.bedrock'),
  errorType: str,
  sessionName: str,
  aiAgentType: enumish('MANUAL_SEARCH', 'ANSWER_RECOMMENDATION', 'ORCHESTRATION'),
  aiAgentName: str,
  aiAgentId: str,
  aiAgentVersion: num,
  requestModel: str,
  responseModel: str,
  requestMaxTokens: num,
  temperature: num,
  topP: num,
  responseFinishReasons: listOf(scalar),
  timeToFirstTokenMs: num,
  usageInputTokens: num,
  usageOutputTokens: num,
  usageTotalTokens: num,
  cacheReadInputTokens: num,
  cacheWriteInputTokens: num,
  inputMessages: listOf(qcMessage),
  outputMessages: listOf(qcMessage),
  systemInstructions: listOf(qcValue),
  promptArn: str,
  promptId: str,
  promptType: enumish('ANSWER_GENERATION', 'ORCHESTRATION'),
  promptName: str,
  promptVersion: num,
  guardrailAssessments: listOf(
    pick(
      shaped({
        guardrailId: str,
        guardrailName: str,
        source: enumish('INPUT', 'OUTPUT'),
        action: enumish('NONE', 'BLOCKED', 'MASKED'),
        policies: listOf(pick(shaped({ policyType: enumish('CONTENT_FILTER', 'TOPIC'), action: enumish('NONE', 'BLOCKED', 'MASKED'), details: str }))),
      }),
    ),
  ),
});

const qcSpan = shaped({
  spanId: str,
  assistantId: str,
  sessionId: str,
  parentSpanId: str,
  spanName: enumish('Orchestration', 'tool.lookup', 'guardrail', 'KnowledgeBase search', 'agent'),
  spanType: enumish('CLIENT', 'SERVER', 'INTERNAL'),
  startTimestamp: timestamp,
  endTimestamp: timestamp,
  status: enumish('OK', 'ERROR', 'TIMEOUT'),
  statusDescription: str,
  requestId: str,
  attributes: pick(qcAttributes),
});

// ---------------------------------------------------------------------------
// OpenAI chat messages (SGP payloads, OpenAI Agents generations)

const chatMessage = pick(
  shaped({
    role: enumish('user', 'assistant', 'system', 'tool', 'function', 'developer'),
    content: fc.oneof(str, listOf(pick(shaped({ type: enumish('text', 'input_text', 'output_text', 'refusal', 'image_url'), text: str, refusal: str })))),
    tool_calls: listOf(pick(shaped({ id: str, type: enumish('function'), function: pick(shaped({ name: str, arguments: fc.oneof(str, fc.constant('{"a":1}'), fc.constant('{bad')) })) }))),
    tool_call_id: str,
    name: str,
    function_call: pick(shaped({ name: str, arguments: str })),
    reasoning_content: str,
  }),
);

// ---------------------------------------------------------------------------
// SGP (FORMATS.md §2)

const sgpPayload = fc.oneof(
  anyJson,
  pick(shaped({ messages: listOf(chatMessage), model: str, temperature: num, top_p: num, max_tokens: num, prompt: str })),
  pick(shaped({ choices: listOf(pick(shaped({ index: num, message: chatMessage, finish_reason: str, logprobs: anyJson }))), model: str, usage: pick(shaped({ prompt_tokens: num, completion_tokens: num, total_tokens: num, prompt_tokens_details: anyJson })), id: enumish('chatcmpl-1') })),
  pick(shaped({ tool_name: str, name: str, arguments: anyJson, args: anyJson, tool_call_id: str, call_id: str, function: pick(shaped({ name: str, arguments: str })) })),
  pick(shaped({ result: anyJson, error: anyJson, output: anyJson, content: str, role: enumish('assistant'), tool_calls: anyJson, action: enumish('blocked', 'masked'), blocked: fc.boolean(), policies: anyJson, source: enumish('input', 'output') })),
);

const sgpRecord = shaped({
  id: str,
  account_id: str,
  name: str,
  trace_id: str,
  parent_id: fc.option(str, { nil: null }),
  group_id: fc.option(str, { nil: null }),
  start_timestamp: timestamp,
  end_timestamp: timestamp,
  object: fc.constant('span'),
  type: enumish(...Object.keys(SGP_TYPE_KINDS)),
  status: enumish('SUCCESS', 'ERROR', 'CANCELED'),
  input: sgpPayload,
  output: sgpPayload,
  metadata: pick(shaped({ __span_type__: enumish('agent', 'tool', 'llm', 'handoff', 'COMPLETION'), __agent_name__: str, __agent_id__: str, source: str })),
  expected: anyJson,
  input_tokens: num,
  output_tokens: num,
  duration_ms: num,
});

// ---------------------------------------------------------------------------
// OpenTelemetry attributes (OpenInference + GenAI), as otelToSpan receives them

const index = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('-1', '1e3', 'NaN', '00', '999999999999', '__proto__', '', 'x') });
const oiKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'openinference.span.kind', 'input.value', 'output.value', 'input.mime_type', 'output.mime_type', 'llm.model_name', 'llm.provider', 'llm.system',
    'llm.invocation_parameters', 'llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total',
    'llm.token_count.prompt_details.cache_read', 'llm.token_count.prompt_details.cache_write', 'tool.name', 'tool.description', 'tool.parameters',
    'tool.id', 'tool.call_id', 'session.id', 'agent.name', 'agno.agent.id', 'agno.team.id', 'graph.node.name',
    'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model', 'gen_ai.response.model', 'gen_ai.request.temperature',
    'gen_ai.request.top_p', 'gen_ai.request.max_tokens', 'gen_ai.response.finish_reasons', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens',
    'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'gen_ai.agent.name', 'gen_ai.agent.id', 'gen_ai.conversation.id',
    'gen_ai.system_instructions', 'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.name', 'gen_ai.tool.call.id',
    'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result',
  ),
  fc.tuple(fc.constantFrom('llm.input_messages', 'llm.output_messages'), index, fc.constantFrom('message.role', 'message.content', 'message.tool_call_id', 'message.name', 'message.function_call_name', 'message.function_call_arguments_json', 'message.unknown')).map(([a, i, b]) => `${a}.${i}.${b}`),
  fc.tuple(fc.constantFrom('llm.input_messages', 'llm.output_messages'), index, index, fc.constantFrom('tool_call.id', 'tool_call.function.name', 'tool_call.function.arguments', 'tool_call.x')).map(([a, i, j, b]) => `${a}.${i}.message.tool_calls.${j}.${b}`),
  fc.tuple(fc.constantFrom('llm.input_messages', 'llm.output_messages'), index, index, fc.constantFrom('message_content.type', 'message_content.text', 'message_content.image.image.url')).map(([a, i, j, b]) => `${a}.${i}.message.contents.${j}.${b}`),
  fc.tuple(index, fc.constantFrom('tool.json_schema', 'tool.name')).map(([i, b]) => `llm.tools.${i}.${b}`),
  fc.tuple(index, fc.constantFrom('document.id', 'document.content', 'document.score')).map(([i, b]) => `retrieval.documents.${i}.${b}`),
  fc.tuple(fc.constantFrom('gen_ai.prompt', 'gen_ai.completion'), index, fc.constantFrom('role', 'content', 'tool_calls', 'finish_reason')).map(([a, i, b]) => `${a}.${i}.${b}`),
);

const genAiMessages = listOf(
  pick(
    shaped({
      role: enumish('user', 'assistant', 'system', 'tool'),
      parts: listOf(pick(shaped({ type: enumish('text', 'tool_call', 'tool_call_response', 'reasoning', 'blob'), content: anyJson, id: str, name: str, arguments: anyJson, response: anyJson }))),
      finish_reason: str,
    }),
  ),
);

const oiValue = fc.oneof(
  anyJson,
  fc.constantFrom('AGENT', 'LLM', 'TOOL', 'CHAIN', 'RETRIEVER', 'GUARDRAIL', 'chat', 'execute_tool', 'invoke_agent', 'application/json', 'text/plain', ...NASTY_KEYS),
  genAiMessages.map((m) => JSON.stringify(m)),
  genAiMessages,
  anyJson.map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('{', '[1,', '{"a":', '"x"', 'null', '1e999'),
);

const otelAttributes = fc
  .tuple(fc.array(fc.tuple(oiKey, oiValue), { maxLength: 25 }), fc.uniqueArray(anyKey.filter((k) => !/^(llm|gen_ai|tool|input|output|session|agent|agno|openinference|graph|retrieval)\b/.test(k)), { maxLength: 3 }))
  .map(([known, extras]) => ({ value: objOf([...known, ...extras.map((k): [string, unknown] => [k, 'extra'])]), extras }));

const otelInput = fc.record({
  traceId: str,
  spanId: str,
  parentSpanId: fc.option(str, { nil: undefined }),
  name: enumish('Agent.run', 'OpenAIChat.invoke', 'get_weather', 'chat gpt-4o'),
  kind: fc.option(fc.oneof(fc.integer({ min: -1, max: 9 }), enumish('INTERNAL', 'CLIENT')), { nil: undefined }),
  startTime: fc.double({ min: 0, max: 1e13, noNaN: true }),
  endTime: fc.option(fc.double({ min: -1e13, max: 1e13, noNaN: true }), { nil: undefined }),
  status: fc.constantFrom('ok' as const, 'error' as const, 'unset' as const),
  statusMessage: fc.option(str, { nil: undefined }),
  attributes: otelAttributes,
});

// ---------------------------------------------------------------------------
// OpenAI Agents SDK items (FORMATS.md §4)

const usage = pick(shaped({ input_tokens: num, output_tokens: num, total_tokens: num, prompt_tokens: num, completion_tokens: num, input_tokens_details: pick(shaped({ cached_tokens: num })) }));
const openAiSpanData = shaped({
  type: enumish('agent', 'function', 'generation', 'response', 'handoff', 'custom', 'guardrail', 'transcription', 'speech', 'speech_group', 'mcp_tools'),
  name: str,
  input: fc.oneof(str, listOf(chatMessage), anyJson),
  output: fc.oneof(str, listOf(chatMessage), listOf(pick(shaped({ object: fc.constant('chat.completion'), id: str, model: str, choices: listOf(pick(shaped({ message: chatMessage, finish_reason: str }))), usage }))), anyJson),
  model: str,
  model_config: pick(shaped({ temperature: num, top_p: num, max_tokens: num })),
  usage,
  from_agent: str,
  to_agent: str,
  triggered: anyJson,
  data: anyJson,
  server: str,
  result: anyJson,
  response_id: str,
  first_content_at: timestamp,
  mcp_data: anyJson,
  handoffs: anyJson,
  tools: anyJson,
});

const openAiItem = fc
  .tuple(
    shaped({ parent_id: fc.option(str, { nil: null }), started_at: timestamp, ended_at: timestamp, error: fc.option(pick(shaped({ message: str, data: anyJson })), { nil: null }) }, anyKey.filter((k) => !['object', 'id', 'trace_id', 'span_data'].includes(k))),
    nonEmpty,
    nonEmpty,
    openAiSpanData,
  )
  .map(([top, id, traceId, data]) => {
    // Object.entries includes an own "__proto__" key (objOf made every key own and enumerable).
    const item = objOf([['object', 'trace.span'], ['id', id], ['trace_id', traceId], ['span_data', data.value], ...Object.entries(top.value)]);
    return { item, extras: top.extras, dataExtras: data.extras };
  });

// ---------------------------------------------------------------------------
// OTLP JSON (FORMATS.md §5)

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const otlpId = (bytes: number) =>
  fc.oneof(
    { weight: 6, arbitrary: hex(bytes) },
    { weight: 1, arbitrary: hex(bytes).map((h) => Buffer.from(h, 'hex').toString('base64')) },
    { weight: 1, arbitrary: fc.constantFrom('0'.repeat(bytes * 2), '', 'zz', '__proto__', 'not-hex') },
    { weight: 1, arbitrary: anyJson },
  );
const nanos = fc.oneof(
  fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n }).map(String),
  fc.integer({ min: 0 }),
  fc.constantFrom('0', '', '-5', '1.5', '9'.repeat(400), 'NaN'),
  scalar,
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown; kv: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    str.map((s) => ({ stringValue: s })),
    fc.boolean().map((b) => ({ boolValue: b })),
    fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer()).map((i) => ({ intValue: i })),
    fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity', '-Infinity', 'x')).map((d) => ({ doubleValue: d })),
    fc.array(tie('v'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie('kv'), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
    fc.base64String({ maxLength: 12 }).map((b) => ({ bytesValue: b })),
    fc.constant({}),
    anyJson,
  ),
  kv: fc.oneof({ weight: 5, arbitrary: fc.record({ key: fc.oneof(anyKey, oiKey), value: tie('v') }) }, { weight: 1, arbitrary: anyJson }),
})).v;
const keyValues = fc.array(fc.oneof({ weight: 5, arbitrary: fc.record({ key: fc.oneof(anyKey, oiKey), value: anyValue }) }, { weight: 1, arbitrary: anyJson }), { maxLength: 6 });

const otlpSpan = fc.oneof(
  { weight: 8, arbitrary: pick(shaped({
    traceId: otlpId(16),
    spanId: otlpId(8),
    parentSpanId: otlpId(8),
    name: str,
    kind: fc.oneof(fc.integer({ min: -1, max: 7 }), enumish('SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT')),
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    attributes: keyValues,
    events: listOf(pick(shaped({ name: str, timeUnixNano: nanos, attributes: keyValues })), 2),
    links: listOf(pick(shaped({ traceId: otlpId(16), spanId: otlpId(8), attributes: keyValues })), 2),
    status: pick(shaped({ code: fc.oneof(fc.integer({ min: 0, max: 3 }), enumish('STATUS_CODE_OK', 'STATUS_CODE_ERROR', '2')), message: str })),
  })) },
  { weight: 1, arbitrary: anyJson },
);

/** A well-formed envelope (arrays of objects), with hostile spans inside; `count` = span entries. */
const otlpEnvelope = fc
  .array(fc.record({ resource: fc.record({ attributes: keyValues }), scopeSpans: fc.array(fc.record({ scope: fc.record({ name: str, version: str }), spans: fc.array(otlpSpan, { maxLength: 5 }) }), { maxLength: 3 }) }), { maxLength: 3 })
  .map((resourceSpans) => ({ doc: { resourceSpans }, count: resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0) }));

/** Strictly valid OTLP JSON (what the protobuf encoder accepts). */
const validAnyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    str.map((s) => ({ stringValue: s })),
    fc.boolean().map((b) => ({ boolValue: b })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((i) => ({ intValue: String(i) })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ doubleValue: d })),
    fc.array(tie('v'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(fc.record({ key: anyKey, value: tie('v') }), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
  ),
})).v;
const validSpan = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  parentSpanId: fc.option(hex(8), { nil: undefined }),
  name: str,
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
  endTimeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  attributes: fc.array(fc.record({ key: fc.oneof(anyKey, oiKey), value: validAnyValue }), { maxLength: 6 }),
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: str }),
});
const validRequest = fc
  .array(fc.record({ resource: fc.record({ attributes: fc.array(fc.record({ key: anyKey, value: validAnyValue }), { maxLength: 3 }) }), scopeSpans: fc.array(fc.record({ scope: fc.record({ name: str, version: str }), spans: fc.array(validSpan, { maxLength: 4 }) }), { maxLength: 2 }) }), { minLength: 1, maxLength: 2 })
  .map((resourceSpans) => ({ resourceSpans }));

function checkOtlp(doc: unknown, expectedCount?: number): void {
  let decoded;
  try {
    decoded = timed(PER_CALL_MS, 'decodeOtlpJson', () => decodeOtlpJson(doc));
  } catch (err) {
    if (err instanceof OtlpFormatError) return;
    throw err;
  }
  if (expectedCount !== undefined) {
    assert.equal(decoded.spans.length + decoded.rejected, expectedCount, 'every span entry is either decoded or counted as rejected');
  }
  for (const d of decoded.spans) {
    // Every attribute key on the wire is an own key of the decoded map (an
    // assignment of "__proto__" would instead replace the map's prototype).
    const attrs = d.input.attributes;
    assert.equal(Object.getPrototypeOf(attrs), Object.prototype, 'decoded attributes keep their prototype');
    for (const kv of Array.isArray(d.wire.attributes) ? d.wire.attributes : []) {
      const key = (kv as { key?: unknown } | null)?.key;
      if (typeof key === 'string') assert.ok(Object.hasOwn(attrs, key), `attribute ${JSON.stringify(key)} was dropped`);
    }
    const span = timed(PER_CALL_MS, 'otelToSpan', () => otelToSpan(d.input));
    checkSpan(span, { deep: true });
  }
}

// ---------------------------------------------------------------------------

const opts = { numRuns: RUNS };

export const properties: Record<string, () => void | Promise<void>> = {
  qconnectSpan() {
    fc.assert(
      fc.property(qcSpan, fc.nat(), ({ value, extras }, i) => {
        const span = timed(PER_CALL_MS, 'Q Connect toSpan', () => qconnectToSpan(value, 'session-1', i));
        checkSpan(span, { deep: true });
        checkKept(span, extras);
        assert.equal(getRaw(span), value, 'the wire record is kept as raw');
      }),
      opts,
    );
  },

  qconnectAttributesKept() {
    fc.assert(
      fc.property(qcAttributes, ({ value, extras }) => {
        const span = qconnectToSpan({ spanId: 's', spanName: 'n', attributes: value }, 'session-1', 0);
        checkSpan(span, { deep: true });
        // A null member is an absent member in restJson1: skipping it loses nothing.
        checkKept(span, extras.filter((k) => value[k] !== null && value[k] !== undefined));
      }),
      opts,
    );
  },

  qconnectAnything() {
    fc.assert(
      fc.property(anyJson, (value) => {
        checkSpan(qconnectToSpan(value, 'session-1', 7), { deep: true });
      }),
      opts,
    );
  },

  sgpSpan() {
    fc.assert(
      fc.property(sgpRecord, str, ({ value, extras }, id) => {
        // The client only passes on items with a string id.
        const rec = value as SgpSpanRecord;
        if (typeof rec.id !== 'string') rec.id = id;
        const span = timed(PER_CALL_MS, 'sgpToSpan', () => sgpToSpan(rec, 'trace:t'));
        checkSpan(span, { deep: true });
        // null/undefined members carry nothing and are skipped on purpose.
        checkKept(span, extras.filter((k) => rec[k] !== null && rec[k] !== undefined), 'sgp.');
        assert.equal(getRaw(span), rec, 'the wire record is kept as raw');
      }),
      opts,
    );
  },

  otelOpenInferenceAndGenAi() {
    fc.assert(
      fc.property(otelInput, (input) => {
        const { value, extras } = input.attributes;
        const wire: OtelSpanInput = { ...input, attributes: value };
        const span = timed(PER_CALL_MS, 'otelToSpan', () => otelToSpan(wire));
        checkSpan(span, { deep: true });
        checkKept(span, extras);
      }),
      opts,
    );
  },

  otelKindNames() {
    // The kind-deciding attributes alone, with prototype-member names as values.
    const kinds = fc.record(
      { 'gen_ai.operation.name': enumish('chat', 'execute_tool', 'invoke_agent', 'embeddings'), 'openinference.span.kind': enumish('LLM', 'TOOL', 'AGENT', 'llm') },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(kinds, enumish('Agent.run', 'OpenAIChat.invoke', 'x'), (attributes, name) => {
        checkSpan(otelToSpan({ traceId: 't', spanId: 's', name, startTime: 1, status: 'ok', attributes }), { deep: true });
      }),
      opts,
    );
  },

  openAiAgentsItem() {
    fc.assert(
      fc.property(openAiItem, ({ item, extras, dataExtras }) => {
        assert.ok(isSpanItem(item));
        const span = timed(PER_CALL_MS, 'openAiSpanToSpan', () => openAiSpanToSpan(item, 'group-1'));
        checkSpan(span, { deep: true });
        checkKept(span, extras, 'openai.');
        const data = item.span_data as Record<string, unknown>;
        checkKept(span, dataExtras.filter((k) => data[k] !== undefined));
      }),
      opts,
    );
  },

  openAiStoreIngest() {
    // Through the capture store, as the receiver and the JSONL backend use it:
    // every item is a span, a trace, or counted as rejected — none vanish.
    fc.assert(
      fc.property(fc.array(fc.oneof(openAiItem.map((x) => x.item), anyJson), { maxLength: 8 }), (items) => {
        const store = CaptureStore.inMemory();
        const result = store.ingestOpenAi({ data: items });
        const traces = items.filter((i) => i && typeof i === 'object' && (i as { object?: unknown }).object === 'trace' && typeof (i as { id?: unknown }).id === 'string' && (i as { id: string }).id !== '').length;
        assert.equal(result.spans + result.rejected + traces, items.length, 'spans + rejected + traces = items');
        for (const s of store.listSessions()) for (const span of store.getSpans(s.id) ?? []) checkSpan(span, { deep: true });
      }),
      opts,
    );
  },

  otlpJsonEnvelope() {
    fc.assert(fc.property(otlpEnvelope, ({ doc, count }) => checkOtlp(doc, count)), opts);
  },

  otlpJsonAnything() {
    fc.assert(fc.property(fc.oneof(anyJson, fc.record({ resourceSpans: anyJson }), fc.record({ resourceSpans: fc.array(fc.record({ scopeSpans: anyJson, resource: anyJson })) })), (doc) => checkOtlp(doc)), opts);
  },

  otlpProtobufRoundTrip() {
    fc.assert(
      fc.property(validRequest, (request) => {
        const bytes = encodeOtlpProtobuf(request);
        const viaProto = decodeOtlpJson(decodeOtlpProtobuf(bytes));
        const viaJson = decodeOtlpJson(request);
        assert.equal(viaProto.rejected, viaJson.rejected, 'the same spans are rejected (e.g. all-zero ids)');
        assert.deepEqual(viaProto.spans.map((s) => s.input.spanId), viaJson.spans.map((s) => s.input.spanId));
        assert.deepEqual(viaProto.spans.map((s) => s.input.parentSpanId), viaJson.spans.map((s) => s.input.parentSpanId));
        for (const d of viaProto.spans) checkSpan(otelToSpan(d.input), { deep: true });
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  },

  otlpProtobufCorrupted() {
    // Truncated, bit-flipped and random bodies: decoding either fails cleanly
    // (the receiver answers 400) or yields something the JSON path survives.
    const corrupt = fc.oneof(
      fc.tuple(validRequest, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 })).map(([r, cut, at, x]) => {
        const b = Buffer.from(encodeOtlpProtobuf(r));
        if (b.length === 0) return b;
        const out = Buffer.from(b.subarray(0, Math.max(1, b.length - (cut % b.length))));
        out[at % out.length] ^= x;
        return out;
      }),
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(corrupt, (bytes) => {
        let json: Record<string, unknown>;
        try {
          json = decodeOtlpProtobuf(bytes);
        } catch {
          return;
        }
        checkOtlp(json);
        const store = CaptureStore.inMemory();
        try {
          store.ingestOtlp(json);
        } catch (err) {
          if (!(err instanceof OtlpFormatError)) throw err;
        }
      }),
      { numRuns: RUNS },
    );
  },

  coerceAnything() {
    const spanLike = shaped({
      id: fc.oneof(str, num), parentId: fc.oneof(str, num), sessionId: str, traceId: str, name: str,
      kind: enumish('agent', 'llm', 'tool', 'custom'), status: enumish('ok', 'error', 'unset'), statusMessage: str,
      startTime: timestamp, endTime: timestamp, durationMs: timestamp,
      model: anyJson, usage: anyJson, system: anyJson, input: anyJson, output: anyJson, tool: anyJson, guardrails: anyJson, prompt: anyJson, agent: anyJson,
      attributes: anyJson,
    });
    fc.assert(
      fc.property(fc.oneof(spanLike, anyJson.map((value) => ({ value, extras: [] as string[] }))), fc.nat(), ({ value, extras }, i) => {
        const span = coerceSpan(value, 'session-1', i);
        checkSpan(span);
        checkKept(span, extras);
        const session = coerceSession(value, 'file', `fallback-${i}`);
        assert.equal(typeof session.id, 'string');
        assert.equal(session.backendId, 'file');
      }),
      opts,
    );
  },

  async fileBackendLoadsEverySpan() {
    // Whole export files through the file backend: every span of every session
    // comes out (none dropped), whatever the span objects look like.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-file-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ session: fc.oneof(anyJson, fc.record({ id: fc.constantFrom('a', 'b', '__proto__', 'constructor') })), spans: fc.array(anyJson, { maxLength: 12 }) }), { minLength: 1, maxLength: 3 }),
          async (exports) => {
            const file = path.join(dir, `export-${n++}.json`);
            fs.writeFileSync(file, JSON.stringify(exports));
            const backend = createFileBackend({ id: 'f', type: 'file', path: file }, { log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} }, getSecret: async () => undefined, resolvePath: (p) => p });
            const { sessions } = await backend.listSessions({});
            let total = 0;
            for (const s of sessions) {
              for await (const page of backend.loadSpans(s.id)) {
                for (const span of page.spans) checkSpan(span);
                total += page.spans.length;
              }
            }
            assert.equal(total, exports.reduce((sum, e) => sum + e.spans.length, 0), 'spans out = spans in');
            backend.dispose?.();
          },
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    } catch (err) {
      if (err instanceof BackendError) throw new Error(`file backend failed: ${err.message}`);
      throw err;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Exported for the test file's sanity check that the nasty keys are really generated. */
export const nastyKeys = NASTY_KEYS;
export type { Span };
