// SGP v5 span record → normalized Span (FORMATS.md §2).
// SGP's input/output/metadata/expected are free-form objects. We lift what we
// recognise (OpenAI-style messages, tool calls, model settings, usage, agent
// metadata) into model slots and keep every key we did not consume under
// `sgp.*` attributes, so the panel still shows it as structured JSON.
import { setRaw } from '../../model/raw';
import { durationOf, isoToMs } from '../../model/time';
import type { GuardrailAssessment, Message, ModelInfo, Part, Session, Span, SpanKind, SpanStatus, ToolCall } from '../../model/types';
import { contentParts, decodeMessage, decodeUsage, isChatMessage, toolCallPart } from '../decode/chat';
import { asText, compact, num, obj, parseIfJson, take } from '../decode/wire';
import type { SgpSpanRecord } from './client';

/** Every documented SGP span type and its normalized kind. `tool?` = tool when the payload looks like a tool call, else custom. */
export const SGP_TYPE_KINDS: Readonly<Record<string, SpanKind | 'tool?'>> = {
  COMPLETION: 'llm',
  COMPLETION_INPUT: 'chain',
  KB_RETRIEVAL: 'retrieval',
  DOCUMENT_SEARCH: 'retrieval',
  FILE_RETRIEVAL: 'retrieval',
  RERANKING: 'retrieval',
  KB_INPUT: 'chain',
  KB_ADD_CHUNK: 'custom',
  KB_MANAGEMENT: 'custom',
  GUARDRAIL: 'guardrail',
  OUTPUT_GUARDRAIL: 'guardrail',
  AGENT_TRACER: 'agent',
  AGENT_WORKFLOW: 'agent',
  CUSTOM: 'tool?',
  CODE_EXECUTION: 'tool?',
  EXTERNAL_ENDPOINT: 'tool?',
  TRACER: 'chain',
  STANDALONE: 'chain',
  TEXT_INPUT: 'chain',
  TEXT_OUTPUT: 'chain',
  PROMPT_ENGINEERING: 'chain',
  DOCUMENT_INPUT: 'chain',
  DOCUMENT_PROMPT: 'chain',
  MAP_REDUCE: 'chain',
  DATA_MANIPULATION: 'chain',
  EVALUATION: 'custom',
};

/** `metadata.__span_type__` values that are not SGP type names (Agentex and friends). */
const SPAN_TYPE_ALIASES: Readonly<Record<string, SpanKind>> = {
  agent: 'agent', workflow: 'agent',
  llm: 'llm', completion: 'llm', generation: 'llm', chat: 'llm', model: 'llm',
  tool: 'tool', tool_call: 'tool', function: 'tool', function_call: 'tool',
  guardrail: 'guardrail', handoff: 'handoff',
  retrieval: 'retrieval', retriever: 'retrieval', reranker: 'retrieval', embedding: 'retrieval',
  chain: 'chain', custom: 'custom', speech: 'speech', transcription: 'transcription',
};

const STATUS: Readonly<Record<string, SpanStatus>> = { SUCCESS: 'ok', ERROR: 'error', CANCELED: 'cancelled', CANCELLED: 'cancelled' };

/** Record keys with a model slot; every other key goes to `sgp.<key>`. */
const HANDLED = new Set([
  'id', 'name', 'trace_id', 'parent_id', 'start_timestamp', 'end_timestamp', 'status', 'type',
  'input', 'output', 'metadata', 'input_tokens', 'output_tokens', 'object',
]);

export function mapStatus(status: unknown): SpanStatus {
  return typeof status === 'string' && Object.hasOwn(STATUS, status.toUpperCase()) ? STATUS[status.toUpperCase()] : 'unset';
}

/** Kind from `__span_type__` (wins) or the SGP type; `toolish` decides the CUSTOM-like types. */
function mapKind(type: unknown, spanType: unknown, toolish: boolean): SpanKind {
  for (const t of [spanType, type]) {
    if (typeof t !== 'string' || !t) continue;
    const sgp = Object.hasOwn(SGP_TYPE_KINDS, t.toUpperCase()) ? SGP_TYPE_KINDS[t.toUpperCase()] : undefined;
    if (sgp) return sgp === 'tool?' ? (toolish ? 'tool' : 'custom') : sgp;
    // Own keys only: "constructor" / "__proto__" must not find Object.prototype members.
    const alias = Object.hasOwn(SPAN_TYPE_ALIASES, t.toLowerCase()) ? SPAN_TYPE_ALIASES[t.toLowerCase()] : undefined;
    if (alias) return alias;
    // An unknown __span_type__ defers to the SGP type.
  }
  return 'custom';
}

/** One SGP record → Span. `sessionId` is the normalized session it is loaded into. */
export function sgpToSpan(rec: SgpSpanRecord, sessionId: string): Span {
  const start = isoToMs(rec.start_timestamp);
  const end = isoToMs(rec.end_timestamp ?? undefined);
  const attributes: Record<string, unknown> = {};
  const span: Span = {
    id: rec.id,
    sessionId,
    name: typeof rec.name === 'string' && rec.name ? rec.name : '(unnamed span)',
    kind: 'custom',
    status: mapStatus(rec.status),
    startTime: start ?? 0,
    attributes,
  };
  if (typeof rec.parent_id === 'string' && rec.parent_id) span.parentId = rec.parent_id;
  if (typeof rec.trace_id === 'string' && rec.trace_id) span.traceId = rec.trace_id;
  if (end !== undefined) span.endTime = end;
  const duration = durationOf(start, end, typeof rec.duration_ms === 'number' ? rec.duration_ms : undefined);
  if (duration !== undefined) span.durationMs = duration;
  if (typeof rec.type === 'string') attributes['sgp.type'] = rec.type;
  if (start === undefined && rec.start_timestamp !== undefined) attributes['sgp.start_timestamp'] = rec.start_timestamp;

  // Usage: SGP's own counters first; an OpenAI `usage` in the output fills gaps later.
  const inTok = num(rec.input_tokens);
  const outTok = num(rec.output_tokens);
  if (inTok !== undefined || outTok !== undefined) {
    span.usage = {};
    if (inTok !== undefined) span.usage.input = inTok;
    if (outTok !== undefined) span.usage.output = outTok;
    if (inTok !== undefined && outTok !== undefined) span.usage.total = inTok + outTok;
  }

  // Metadata: agent identity and span-type hints; the rest is kept.
  const meta = obj(rec.metadata);
  let spanType: unknown;
  if (meta) {
    const rest = { ...meta };
    spanType = take(rest, '__span_type__');
    if (typeof spanType === 'string') attributes['sgp.span_type'] = spanType;
    else if (spanType !== undefined) rest.__span_type__ = spanType;
    const agentName = take(rest, '__agent_name__');
    const agentId = take(rest, '__agent_id__');
    if (typeof agentName === 'string' || typeof agentId === 'string') {
      span.agent = {};
      if (typeof agentName === 'string') span.agent.name = agentName;
      if (typeof agentId === 'string') span.agent.id = agentId;
    }
    if (agentName !== undefined && typeof agentName !== 'string') rest.__agent_name__ = agentName;
    if (agentId !== undefined && typeof agentId !== 'string') rest.__agent_id__ = agentId;
    keep(attributes, 'sgp.metadata', rest);
  } else if (rec.metadata !== undefined && rec.metadata !== null) {
    attributes['sgp.metadata'] = rec.metadata;
  }

  // Payloads. Messages are lifted for every kind: agents carry transcripts too.
  const baseKind = mapKind(rec.type, spanType, false);
  const input = decodePayload(rec.input, 'input', span, baseKind === 'llm');
  const output = decodePayload(rec.output, 'output', span, baseKind === 'llm');
  const tool = agentexToolOf(rec.name, input.rest, output.rest) ?? toolCallOf(input.rest, output.rest, rec.name);
  span.kind = mapKind(rec.type, spanType, tool !== undefined);

  if (span.kind === 'llm') {
    // A bare string prompt/completion of an LLM span is the transcript.
    if (!span.input && typeof input.rest === 'string') {
      span.input = [{ role: 'user', parts: [{ type: 'text', text: input.rest }] }];
      input.rest = undefined;
    }
    if (!span.output && typeof output.rest === 'string') {
      span.output = [{ role: 'assistant', parts: [{ type: 'text', text: output.rest }] }];
      output.rest = undefined;
    }
  } else if (span.kind === 'tool') {
    if (tool) {
      span.tool = tool.call;
      input.rest = tool.inputRest;
      output.rest = tool.outputRest;
    } else {
      // Declared a tool (by __span_type__) without a recognisable call: its payloads are the call.
      span.tool = { name: span.name };
      if (input.rest !== undefined) span.tool.arguments = input.rest;
      if (output.rest !== undefined) span.tool.result = output.rest;
      input.rest = output.rest = undefined;
    }
  } else if (span.kind === 'guardrail') {
    const g = guardrailOf(span.name, input.rest, output.rest, meta);
    if (!g.source && String(rec.type).toUpperCase() === 'OUTPUT_GUARDRAIL') g.source = 'output';
    span.guardrails = [g];
  }
  if (span.status === 'error') {
    const msg = errorMessage(rec.output) ?? errorMessage(meta);
    if (msg) span.statusMessage = msg;
  }

  keep(attributes, 'sgp.input', input.rest);
  keep(attributes, 'sgp.output', output.rest);
  if (rec.expected !== undefined && rec.expected !== null) attributes['sgp.expected'] = rec.expected;
  for (const k in rec) {
    if (!HANDLED.has(k) && k !== 'expected' && !(k === 'duration_ms' && typeof rec[k] === 'number') && rec[k] !== undefined && rec[k] !== null) {
      attributes[`sgp.${k}`] = rec[k];
    }
  }
  if (typeof rec.duration_ms === 'number' && duration !== rec.duration_ms) attributes['sgp.duration_ms'] = rec.duration_ms;
  return setRaw(span, rec);
}

// ---------------------------------------------------------------------------
// Payload decoding

interface Decoded {
  /** What is left of the payload after lifting; undefined when fully consumed. */
  rest: unknown;
}

/** Lifts OpenAI chat shapes and model settings out of an input/output object. */
function decodePayload(value: unknown, side: 'input' | 'output', span: Span, llm: boolean): Decoded {
  const o = obj(value);
  if (!o) return { rest: value ?? undefined };
  const rest: Record<string, unknown> = { ...o };
  const messages: Message[] = [];

  const msgs = decodeMessages(rest.messages);
  if (msgs) {
    messages.push(...msgs);
    delete rest.messages;
  }
  if (side === 'input') {
    if (typeof rest.prompt === 'string' && !msgs) {
      messages.push({ role: 'user', parts: [{ type: 'text', text: rest.prompt }] });
      delete rest.prompt;
    }
    liftModelSettings(rest, span);
  } else {
    // Chat Completions response: choices[].message + finish_reason.
    if (Array.isArray(rest.choices)) {
      const decoded = decodeChoices(rest.choices);
      if (decoded) {
        messages.push(...decoded.messages);
        if (decoded.finishReasons.length) modelOf(span).finishReasons = decoded.finishReasons;
        delete rest.choices;
      }
    }
    // Flat assistant output: {content|completion|text, tool_calls}.
    const toolCalls = decodeToolCalls(rest.tool_calls);
    const textKey = ['content', 'completion', 'text', 'response'].find((k) => typeof rest[k] === 'string');
    if (!msgs && (toolCalls || (textKey && (rest.role === 'assistant' || llm || isCompletionShape(rest))))) {
      const parts: Part[] = [];
      if (textKey) {
        parts.push(...contentParts(rest[textKey]));
        delete rest[textKey];
      }
      if (toolCalls) {
        parts.push(...toolCalls);
        delete rest.tool_calls;
      }
      if (rest.role === 'assistant') delete rest.role;
      if (typeof rest.finish_reason === 'string') {
        modelOf(span).finishReasons = [rest.finish_reason];
        delete rest.finish_reason;
      }
      messages.push({ role: 'assistant', parts });
    }
    if (typeof rest.model === 'string') {
      modelOf(span).response = rest.model;
      delete rest.model;
    }
    const usage = obj(rest.usage);
    if (usage && liftUsage(usage, span)) delete rest.usage;
  }
  if (messages.length) {
    if (side === 'input') span.input = messages;
    else span.output = messages;
  }
  return { rest: Object.keys(rest).length ? rest : undefined };
}

/** A Chat Completion object (id "chatcmpl-…") in the output of a span that is not typed COMPLETION. */
function isCompletionShape(o: Record<string, unknown>): boolean {
  return typeof o.id === 'string' && o.id.startsWith('chatcmpl');
}

function liftModelSettings(rest: Record<string, unknown>, span: Span): void {
  const model: ModelInfo = {};
  if (typeof rest.model === 'string') {
    model.request = rest.model;
    delete rest.model;
  }
  const t = num(rest.temperature);
  if (t !== undefined) {
    model.temperature = t;
    delete rest.temperature;
  }
  const p = num(rest.top_p);
  if (p !== undefined) {
    model.topP = p;
    delete rest.top_p;
  }
  for (const k of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) {
    const m = num(rest[k]);
    if (m !== undefined) {
      model.maxTokens = m;
      delete rest[k];
      break;
    }
  }
  if (Object.keys(model).length) span.model = { ...span.model, ...model };
}

function liftUsage(u: Record<string, unknown>, span: Span): boolean {
  const { usage: found, rest } = decodeUsage(u);
  if (found.input === undefined && found.output === undefined && found.total === undefined) return false;
  const usage = (span.usage ??= {});
  if (found.input !== undefined) usage.input ??= found.input;
  if (found.output !== undefined) usage.output ??= found.output;
  const sum = usage.input !== undefined && usage.output !== undefined ? usage.input + usage.output : undefined;
  if (found.total !== undefined || sum !== undefined) usage.total ??= found.total ?? sum;
  if (found.cacheRead !== undefined) usage.cacheRead ??= found.cacheRead;
  // Consumed only when it agrees with SGP's counters and nothing else rides in it
  // (reasoning-token details, a differing count: the object stays visible).
  const agrees = (a: number | undefined, b: number | undefined) => a === undefined || a === b;
  return agrees(found.input, usage.input) && agrees(found.output, usage.output) && agrees(found.total, usage.total) && found.cacheRead === undefined && !rest;
}

function decodeChoices(choices: unknown[]): { messages: Message[]; finishReasons: string[] } | undefined {
  const messages: Message[] = [];
  const finishReasons: string[] = [];
  for (const c of choices) {
    const choice = obj(c);
    if (!choice || !isChatMessage(choice.message)) return undefined; // not Chat Completions: keep as is
    const msg = decodeMessage(choice.message);
    if (typeof choice.finish_reason === 'string') finishReasons.push(choice.finish_reason);
    // logprobs and the like stay visible on the message.
    const extra = extraKeys(choice, CHOICE_KEYS);
    if (extra) msg.parts.push({ type: 'unknown', raw: extra });
    messages.push(msg);
  }
  return messages.length ? { messages, finishReasons } : undefined;
}

/**
 * An array of chat messages (OpenAI `role` or LangChain `type` human/ai/tool,
 * as Agentex's LangGraph handler writes them), decoded by the shared chat
 * decoder; undefined when any element is not one (then nothing is lifted).
 */
export function decodeMessages(value: unknown): Message[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isChatMessage)) return undefined;
  return value.map((m) => decodeMessage(m));
}

const CHOICE_KEYS = new Set(['index', 'message', 'finish_reason']);

/** A flat `tool_calls` list (OpenAI `{function}` or LangChain `{name, args}`); undefined when any call is not recognised. */
function decodeToolCalls(value: unknown): Part[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const parts = value.map(toolCallPart);
  return parts.every((p) => p.type === 'toolUse') ? parts : undefined;
}

// ---------------------------------------------------------------------------
// Tool calls and guardrails

const TOOL_NAME_KEYS = ['tool_name', 'tool', 'function_name', 'name'];
const TOOL_ARG_KEYS = ['arguments', 'args', 'tool_input', 'tool_args', 'parameters', 'kwargs'];
const TOOL_RESULT_KEYS = ['result', 'tool_output', 'output', 'return_value'];

/**
 * Recognises a tool call in CUSTOM / CODE_EXECUTION / EXTERNAL_ENDPOINT payloads:
 * `{tool_name|name, arguments|args…}`, `{tool_call_id, …}` or `{function:{name, arguments}}`.
 * Returns the call and what is left of input/output after lifting.
 */
function toolCallOf(input: unknown, output: unknown, spanName: unknown): { call: ToolCall; inputRest: unknown; outputRest: unknown } | undefined {
  const i = obj(input);
  if (!i) return undefined;
  const rest = { ...i };
  let name: string | undefined;
  let args: unknown;
  let hasArgs = false;
  const fn = obj(rest.function);
  if (fn && typeof fn.name === 'string') {
    name = fn.name;
    args = parseIfJson(fn.arguments);
    hasArgs = true;
    delete rest.function;
  } else {
    const argKey = TOOL_ARG_KEYS.find((k) => k in rest);
    const nameKey = TOOL_NAME_KEYS.find((k) => typeof rest[k] === 'string');
    if (argKey && (nameKey || typeof rest.tool_call_id === 'string')) {
      args = parseIfJson(rest[argKey]);
      hasArgs = true;
      delete rest[argKey];
      if (nameKey) {
        name = rest[nameKey] as string;
        delete rest[nameKey];
      }
    }
  }
  const callId = typeof rest.tool_call_id === 'string' ? rest.tool_call_id : typeof rest.call_id === 'string' ? rest.call_id : undefined;
  if (!hasArgs && !callId) return undefined;
  if (callId) delete rest[typeof rest.tool_call_id === 'string' ? 'tool_call_id' : 'call_id'];
  const call: ToolCall = { name: name ?? (typeof spanName === 'string' && spanName ? spanName : 'tool') };
  if (callId) call.callId = callId;
  if (hasArgs) call.arguments = args;
  else if (Object.keys(rest).length) {
    // `{tool_call_id, query: …}`: the remaining keys are the arguments.
    call.arguments = { ...rest };
    for (const k in rest) delete rest[k];
  }

  let outputRest = output;
  const o = obj(output);
  if (o) {
    const oRest = { ...o };
    const err = oRest.error;
    if (typeof err === 'string' || typeof obj(err)?.message === 'string') {
      call.error = typeof err === 'string' ? err : (obj(err)!.message as string);
      if (typeof err === 'string') delete oRest.error;
    }
    const resultKey = TOOL_RESULT_KEYS.find((k) => k in oRest);
    if (resultKey) {
      call.result = oRest[resultKey];
      delete oRest[resultKey];
    } else if (!('error' in oRest)) {
      call.result = { ...oRest };
      for (const k in oRest) delete oRest[k];
    }
    outputRest = Object.keys(oRest).length ? oRest : undefined;
  } else if (output !== undefined && output !== null) {
    call.result = output;
    outputRest = undefined;
  }
  return { call, inputRest: Object.keys(rest).length ? rest : undefined, outputRest };
}

/**
 * Agentex's tool handlers name tool spans `tool:<name>` (type CUSTOM): the
 * LangGraph one writes `{input: <input string>}` / `{output: …}`, the
 * pydantic-ai one `{arguments: …}` / `{result: …}`; both `{error: …}` on failure.
 */
function agentexToolOf(spanName: unknown, input: unknown, output: unknown): { call: ToolCall; inputRest: unknown; outputRest: unknown } | undefined {
  const m = typeof spanName === 'string' ? /^tool:(.+)$/s.exec(spanName) : null;
  if (!m) return undefined;
  const call: ToolCall = { name: m[1] };
  let inputRest = input;
  const i = obj(input);
  const argKey = i && ['input', 'arguments'].find((k) => k in i);
  if (i && argKey) {
    call.arguments = parseIfJson(i[argKey]);
    const rest = { ...i };
    delete rest[argKey];
    inputRest = Object.keys(rest).length ? rest : undefined;
  } else if (input !== undefined) {
    call.arguments = input;
    inputRest = undefined;
  }
  let outputRest = output;
  const o = obj(output);
  const resultKey = o && ['output', 'result'].find((k) => k in o);
  if (o && (resultKey || 'error' in o)) {
    const rest = { ...o };
    if (resultKey) {
      call.result = o[resultKey];
      delete rest[resultKey];
    }
    if (typeof o.error === 'string') {
      call.error = o.error;
      delete rest.error;
    }
    outputRest = Object.keys(rest).length ? rest : undefined;
  } else if (output !== undefined) {
    call.result = output;
    outputRest = undefined;
  }
  return { call, inputRest, outputRest };
}

/** A GUARDRAIL span's verdict; its payloads are also kept whole in attributes. */
function guardrailOf(name: string, input: unknown, output: unknown, meta: Record<string, unknown> | undefined): GuardrailAssessment {
  const o = obj(output) ?? {};
  const action = asText(o.action ?? o.outcome ?? '').toLowerCase();
  let verdict: GuardrailAssessment['action'] = 'none';
  if (o.blocked === true || action === 'blocked' || action === 'block') verdict = 'blocked';
  else if (o.masked === true || action === 'masked' || action === 'mask') verdict = 'masked';
  else if (o.triggered === true || o.flagged === true || o.passed === false) verdict = 'triggered';
  const source = asText(obj(input)?.source ?? meta?.source ?? '').toLowerCase();
  const g: GuardrailAssessment = { name: typeof o.guardrail_name === 'string' ? o.guardrail_name : name, action: verdict, policies: [] };
  if (typeof o.guardrail_id === 'string') g.guardrailId = o.guardrail_id;
  if (source === 'input' || source === 'output') g.source = source;
  if (Array.isArray(o.policies)) {
    for (const p of o.policies) {
      const po = obj(p);
      if (po && typeof (po.type ?? po.name) === 'string') {
        g.policies.push({ type: String(po.type ?? po.name), action: asText(po.action ?? (po.triggered ? 'triggered' : 'none')), ...(typeof po.details === 'string' ? { details: po.details } : {}) });
      }
    }
  }
  return g;
}

function errorMessage(v: unknown): string | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const e = o.error ?? o.error_message ?? o.exception;
  if (typeof e === 'string') return e;
  const eo = obj(e);
  return eo && typeof eo.message === 'string' ? eo.message : undefined;
}

// ---------------------------------------------------------------------------

/** Non-null keys of `o` outside `known`, or undefined when there are none. */
function extraKeys(o: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const k in o) {
    if (!known.has(k) && o[k] !== null && o[k] !== undefined) (extra ??= {})[k] = o[k];
  }
  return extra;
}

function modelOf(span: Span): ModelInfo {
  return (span.model ??= {});
}

/** Stores what is left of a payload; empty objects and absent values are not worth a row. */
function keep(attributes: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const o = obj(value);
  if (o && Object.keys(o).length === 0) return;
  // What is left after the mapped keys were taken out: a fresh copy, not the hash table `delete` made.
  attributes[key] = o ? compact(o) : value;
}

// ---------------------------------------------------------------------------
// Sessions: `group:<group_id>` (every trace of the group) or `trace:<trace_id>`.

export const GROUP_PREFIX = 'group:';
export const TRACE_PREFIX = 'trace:';

type SessionRef = { kind: 'group' | 'trace'; id: string } | { kind: 'raw'; id: string };

export function parseSessionId(sessionId: string): SessionRef {
  const s = sessionId.trim();
  if (s.startsWith(GROUP_PREFIX) && s.length > GROUP_PREFIX.length) return { kind: 'group', id: s.slice(GROUP_PREFIX.length) };
  if (s.startsWith(TRACE_PREFIX) && s.length > TRACE_PREFIX.length) return { kind: 'trace', id: s.slice(TRACE_PREFIX.length) };
  return { kind: 'raw', id: s };
}

/** The session a root span belongs to. */
export function sessionIdOfRoot(root: Pick<SgpSpanRecord, 'group_id' | 'trace_id' | 'id'>): string {
  return typeof root.group_id === 'string' && root.group_id ? GROUP_PREFIX + root.group_id : TRACE_PREFIX + (root.trace_id ?? root.id);
}

/** A session from its first root span (a trace, or the first trace of a group). */
export function rootSession(backendId: string, id: string, root: SgpSpanRecord): Session {
  const meta = root.metadata && typeof root.metadata === 'object' ? (root.metadata as Record<string, unknown>) : {};
  const agent = typeof meta.__agent_name__ === 'string' && meta.__agent_name__ ? meta.__agent_name__ : undefined;
  const rootName = typeof root.name === 'string' && root.name ? root.name : undefined;
  const attributes: Record<string, unknown> = {};
  if (id.startsWith(GROUP_PREFIX)) attributes['sgp.groupId'] = id.slice(GROUP_PREFIX.length);
  if (agent) attributes['sgp.agentName'] = agent;
  const session: Session = {
    backendId,
    id,
    name: agent && rootName && agent !== rootName ? `${agent}: ${rootName}` : agent ?? rootName ?? id,
    attributes,
  };
  foldRoot(session, root);
  return session;
}

const SEVERITY: Record<SpanStatus, number> = { unset: 0, ok: 1, cancelled: 2, timeout: 3, error: 4 };

/** Adds a root span (one trace) to a session: time range, trace list, worst status. */
export function foldRoot(session: Session, root: SgpSpanRecord): void {
  const start = root.start_timestamp ? Date.parse(root.start_timestamp) : NaN;
  const end = root.end_timestamp ? Date.parse(root.end_timestamp) : NaN;
  if (!Number.isNaN(start) && (session.startTime === undefined || start < session.startTime)) session.startTime = start;
  if (!Number.isNaN(end) && (session.endTime === undefined || end > session.endTime)) session.endTime = end;
  const status = mapStatus(root.status);
  if (session.status === undefined || SEVERITY[status] > SEVERITY[session.status]) session.status = status;
  const attrs = (session.attributes ??= {});
  const ids = (attrs['sgp.traceIds'] as string[] | undefined) ?? [];
  if (root.trace_id && !ids.includes(root.trace_id)) ids.push(root.trace_id);
  attrs['sgp.traceIds'] = ids;
  attrs['sgp.traceCount'] = ids.length;
}
