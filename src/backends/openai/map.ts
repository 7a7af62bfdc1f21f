// OpenAI Agents SDK tracing items (FORMATS.md §4) → normalized Spans.
// The same items arrive at the local ingest endpoint ({"data":[…]}) and in
// JSONL files written by a custom TracingProcessor (`item.export()` per line).
import { durationOf, isoToMs } from '../../model/time';
import type { Span, SpanKind, SpanStatus } from '../../model/types';
import { decodeChat, decodeUsage } from '../decode/chat';
import { obj, parseIfJson, setOwn, take } from '../decode/wire';

export interface OpenAiTraceItem {
  object: 'trace';
  id: string;
  workflow_name?: string | null;
  group_id?: string | null;
  metadata?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface OpenAiSpanItem {
  object: 'trace.span';
  id: string;
  trace_id: string;
  parent_id?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  span_data?: Record<string, unknown> | null;
  error?: { message?: string; data?: unknown } | null;
  [key: string]: unknown;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function isTraceItem(v: unknown): v is OpenAiTraceItem {
  const o = obj(v);
  return !!o && o.object === 'trace' && nonEmpty(o.id) !== undefined;
}

export function isSpanItem(v: unknown): v is OpenAiSpanItem {
  const o = obj(v);
  return !!o && o.object === 'trace.span' && nonEmpty(o.id) !== undefined && nonEmpty(o.trace_id) !== undefined;
}

/** A trace's session: its group (one conversation), else the trace alone. */
export function traceSessionId(trace: OpenAiTraceItem): string {
  return nonEmpty(trace.group_id) ?? trace.id;
}

const KINDS: Record<string, SpanKind> = {
  agent: 'agent',
  function: 'tool',
  generation: 'llm',
  response: 'llm',
  handoff: 'handoff',
  custom: 'custom',
  guardrail: 'guardrail',
  transcription: 'transcription',
  speech: 'speech',
  speech_group: 'speech',
  mcp_tools: 'tool',
};

const TOP_LEVEL = new Set(['object', 'id', 'trace_id', 'parent_id', 'started_at', 'ended_at', 'span_data', 'error']);

export function openAiSpanToSpan(item: OpenAiSpanItem, sessionId: string): Span {
  const data: Record<string, unknown> = { ...(obj(item.span_data) ?? {}) };
  const type = typeof data.type === 'string' ? data.type : 'unknown';
  delete data.type;
  const start = isoToMs(item.started_at);
  const end = isoToMs(item.ended_at);
  const error = obj(item.error);
  const status: SpanStatus = error ? 'error' : end !== undefined ? 'ok' : 'unset';
  const attributes: Record<string, unknown> = { 'openai.span_type': type };
  const span: Span = {
    id: item.id,
    parentId: nonEmpty(item.parent_id),
    sessionId,
    traceId: item.trace_id,
    name: type,
    // Own keys only: `valueOf`/`constructor`… must not find Object.prototype members.
    kind: Object.hasOwn(KINDS, type) ? KINDS[type] : 'custom',
    status,
    startTime: start ?? end ?? 0,
    endTime: end,
    durationMs: durationOf(start, end),
    attributes,
  };
  if (error) {
    span.statusMessage = typeof error.message === 'string' ? error.message : 'Error';
    if (error.data !== undefined && error.data !== null) attributes['error.data'] = error.data;
  }
  for (const [k, v] of Object.entries(item)) {
    if (!TOP_LEVEL.has(k)) attributes[`openai.${k}`] = v;
  }
  if (Object.hasOwn(DECODERS, type)) DECODERS[type](data, span);
  // Whatever the type decoder did not consume is kept under its own name.
  for (const [k, v] of Object.entries(data)) {
    if (v !== undefined) setOwn(attributes, k, v);
  }
  return span;
}

type Decoder = (data: Record<string, unknown>, span: Span) => void;

const DECODERS: Record<string, Decoder> = {
  agent(data, span) {
    const name = nonEmpty(take(data, 'name'));
    if (name) {
      span.name = name;
      span.agent = { name };
    }
  },

  function(data, span) {
    const name = nonEmpty(take(data, 'name')) ?? 'function';
    span.name = name;
    span.tool = { name };
    const input = take(data, 'input');
    if (input !== undefined && input !== null && input !== '') span.tool.arguments = parseIfJson(input);
    const output = take(data, 'output');
    if (output !== undefined && output !== null) span.tool.result = parseIfJson(output);
    if (span.status === 'error') {
      // The SDK's message is generic ("Error running tool"); the cause is in error.data.
      const cause = obj(span.attributes['error.data'])?.error;
      span.tool.error = typeof cause === 'string' && cause ? cause : span.statusMessage;
    }
    // mcp_data stays an attribute (parsed when it is JSON text).
    if (typeof data.mcp_data === 'string') data.mcp_data = parseIfJson(data.mcp_data);
  },

  generation(data, span) {
    const model = nonEmpty(take(data, 'model'));
    modelConfig(data, span, model);
    const input = decodeChat(take(data, 'input'), { splitSystem: true });
    const output = decodeChat(take(data, 'output'), { splitSystem: false });
    if (input.system.length) span.system = input.system;
    if (input.messages.length) span.input = input.messages;
    if (output.messages.length) span.output = output.messages;
    if (output.finishReasons.length) (span.model ??= {}).finishReasons = output.finishReasons;
    if (output.responseModel && output.responseModel !== model) (span.model ??= {}).response = output.responseModel;
    if (output.responseIds.length) span.attributes.response_id = output.responseIds.length === 1 ? output.responseIds[0] : output.responseIds;
    const usage = obj(data.usage) ?? output.usage;
    if (obj(data.usage)) delete data.usage;
    if (usage) usageOf(usage, span);
    span.name = model ?? 'generation';
  },

  response(data, span) {
    const id = nonEmpty(data.response_id);
    span.name = 'response';
    const usage = obj(data.usage);
    if (usage) {
      delete data.usage;
      usageOf(usage, span);
    }
    if (id) span.attributes.response_id = take(data, 'response_id');
    const model = nonEmpty(data.model);
    if (model) {
      delete data.model;
      span.model = { request: model };
    }
  },

  handoff(data, span) {
    const from = nonEmpty(data.from_agent);
    const to = nonEmpty(data.to_agent);
    span.name = `handoff${from ? ` ${from}` : ''} → ${to ?? '?'}`;
    if (from) span.agent = { name: from };
  },

  custom(data, span) {
    const name = nonEmpty(take(data, 'name')) ?? 'custom';
    span.name = name;
    // Both SDKs serialize their task (one Runner.run) and turn spans as custom
    // spans: `data.sdk_span_type`, the workflow or agent name and the usage so far.
    const d = obj(data.data);
    if (!d || (d.sdk_span_type !== 'task' && d.sdk_span_type !== 'turn')) return;
    const rest: Record<string, unknown> = { ...d };
    const type = take(rest, 'sdk_span_type');
    const agent = nonEmpty(rest.agent_name);
    if (agent) {
      span.agent = { name: agent };
      delete rest.agent_name;
    }
    if (type === 'task') {
      const workflow = nonEmpty(rest.name);
      if (workflow) {
        span.name = workflow;
        delete rest.name;
      }
    } else if (typeof rest.turn === 'number') {
      span.name = `turn ${rest.turn}`;
    }
    const usage = obj(rest.usage);
    if (usage) {
      delete rest.usage;
      usageOf(usage, span);
    }
    rest.sdk_span_type = type;
    data.data = rest;
  },

  guardrail(data, span) {
    const name = nonEmpty(take(data, 'name')) ?? 'guardrail';
    const triggered = take(data, 'triggered');
    span.name = name;
    span.guardrails = [{ name, action: triggered === true ? 'triggered' : 'none', policies: [] }];
    // A tripped guardrail stopped the run (the SDK raises GuardrailTripwireTriggered): a failure, not "ok".
    if (triggered === true && span.status !== 'error') {
      span.status = 'error';
      span.statusMessage = `Guardrail "${name}" tripped`;
    }
    if (triggered !== true && triggered !== false && triggered !== undefined) data.triggered = triggered;
  },

  transcription(data, span) {
    modelConfig(data, span, nonEmpty(take(data, 'model')));
    const output = take(data, 'output');
    if (typeof output === 'string') span.output = [{ role: 'assistant', parts: [{ type: 'text', text: output }] }];
    else if (output !== undefined && output !== null) data.output = output;
    // `input` ({data: base64 audio, format}) stays an attribute.
    span.name = 'transcription';
  },

  speech(data, span) {
    modelConfig(data, span, nonEmpty(take(data, 'model')));
    const input = take(data, 'input');
    if (typeof input === 'string') span.input = [{ role: 'user', parts: [{ type: 'text', text: input }] }];
    else if (input !== undefined && input !== null) data.input = input;
    const first = isoToMs(data.first_content_at);
    if (first !== undefined && Number.isFinite(span.startTime) && span.startTime > 0) {
      (span.model ??= {}).timeToFirstTokenMs = first - span.startTime;
    }
    span.name = 'speech';
  },

  speech_group(data, span) {
    const input = take(data, 'input');
    if (typeof input === 'string') span.input = [{ role: 'user', parts: [{ type: 'text', text: input }] }];
    else if (input !== undefined && input !== null) data.input = input;
    span.name = 'speech group';
  },

  mcp_tools(data, span) {
    const server = nonEmpty(data.server);
    span.name = server ? `list tools (${server})` : 'list tools';
    span.tool = { name: 'list_tools', arguments: server ? { server } : undefined, result: take(data, 'result') };
  },
};

/** Removes and returns the first of `keys` holding a finite number; what is left stays as data. */
function takeNumber(rest: Record<string, unknown>, keys: string[]): number | undefined {
  for (const k of keys) {
    const v = rest[k];
    if (typeof v === 'number' && Number.isFinite(v)) {
      delete rest[k];
      return v;
    }
  }
  return undefined;
}

/** `model` + `model_config` → span.model; unknown settings stay as `model_config`. */
function modelConfig(data: Record<string, unknown>, span: Span, model: string | undefined): void {
  const config = obj(data.model_config);
  if (model) (span.model ??= {}).request = model;
  if (!config) return;
  const rest: Record<string, unknown> = { ...config };
  const numOf = (...keys: string[]) => takeNumber(rest, keys);
  const temperature = numOf('temperature');
  const topP = numOf('top_p', 'topP');
  const maxTokens = numOf('max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxTokens');
  if (temperature !== undefined) (span.model ??= {}).temperature = temperature;
  if (topP !== undefined) (span.model ??= {}).topP = topP;
  if (maxTokens !== undefined) (span.model ??= {}).maxTokens = maxTokens;
  // Unset settings (null/undefined) carry no information; real values are kept.
  for (const [k, v] of Object.entries(rest)) {
    if (v === null || v === undefined) delete rest[k];
  }
  if (Object.keys(rest).length) data.model_config = rest;
  else delete data.model_config;
}

/** Any OpenAI usage object → span.usage; what has no slot stays as the `usage` attribute. */
function usageOf(u: Record<string, unknown>, span: Span): void {
  const { usage, rest } = decodeUsage(u);
  if (Object.keys(usage).length) span.usage = usage;
  if (rest) span.attributes.usage = rest;
}
