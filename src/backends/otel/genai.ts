// OpenTelemetry GenAI semantic conventions (`gen_ai.*`).
// Owned by the live-capture work; also used for Agno and OTLP files.
//
// The decoder takes the keys it understands out of `rest` (a copy of the span's
// attributes) and fills the normalized slots; what it cannot place stays in
// `rest`, which becomes `span.attributes`. Values the OpenInference decoder
// (which runs first) already set are not overwritten.
import type { Message, Part, Span, SpanKind } from '../../model/types';
import { resultParts } from '../decode/chat';
import { numLike as num, parseIfJson as parseMaybeJson, compact, setOwn } from '../decode/wire';

const OPERATION_KINDS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  invoke_agent: 'agent',
  create_agent: 'agent',
  invoke_workflow: 'chain',
  execute_tool: 'tool',
  embeddings: 'retrieval',
  retrieval: 'retrieval',
};

export function decodeGenAi(rest: Record<string, unknown>, span: Span): void {
  const op = take(rest, 'gen_ai.operation.name');
  // Own keys only: `constructor`/`toString`… would otherwise find Object.prototype members.
  const opKind = typeof op === 'string' && Object.hasOwn(OPERATION_KINDS, op) ? OPERATION_KINDS[op] : undefined;
  if (op !== undefined && !opKind) {
    rest['gen_ai.operation.name'] = op; // unknown operation: keep it visible
  }

  decodeModel(rest, span);
  decodeUsage(rest, span);
  decodeAgent(rest, span);

  const system = take(rest, 'gen_ai.system_instructions');
  if (system !== undefined) {
    const parts = partsOf(parseMaybeJson(system));
    if (parts) span.system ??= parts;
    else rest['gen_ai.system_instructions'] = system;
  }
  decodeMessages(rest, span, 'gen_ai.input.messages', 'input');
  decodeMessages(rest, span, 'gen_ai.output.messages', 'output');
  if (!span.input && !span.output) {
    decodeLegacyPromptAttributes(rest, span);
  }
  const hasTool = decodeTool(rest, span);

  if (span.kind === 'custom') {
    if (opKind) span.kind = opKind;
    else if (hasTool) span.kind = 'tool';
    else if (span.model?.request || span.model?.response) span.kind = 'llm';
  }
}

function take(rest: Record<string, unknown>, key: string): unknown {
  const v = rest[key];
  if (v !== undefined) delete rest[key];
  return v;
}

/** Takes a numeric attribute; a value that is not a number is left in place. */
function takeNum(rest: Record<string, unknown>, key: string): number | undefined {
  const n = num(rest[key]);
  if (n !== undefined) delete rest[key];
  return n;
}

function takeStr(rest: Record<string, unknown>, key: string): string | undefined {
  const v = rest[key];
  if (typeof v === 'string' && v !== '') {
    delete rest[key];
    return v;
  }
  return undefined;
}

function decodeModel(rest: Record<string, unknown>, span: Span): void {
  const request = takeStr(rest, 'gen_ai.request.model');
  const response = takeStr(rest, 'gen_ai.response.model');
  const provider = takeStr(rest, 'gen_ai.provider.name') ?? takeStr(rest, 'gen_ai.system');
  const temperature = takeNum(rest, 'gen_ai.request.temperature');
  const topP = takeNum(rest, 'gen_ai.request.top_p');
  const maxTokens = takeNum(rest, 'gen_ai.request.max_tokens');
  let finishReasons: string[] | undefined;
  const fr = rest['gen_ai.response.finish_reasons'];
  if (Array.isArray(fr) && fr.every((x) => typeof x === 'string')) {
    finishReasons = fr;
  } else if (typeof fr === 'string' && fr) {
    const parsed = parseMaybeJson(fr);
    // An array holding objects is not a finish-reason list (and String() can
    // throw on hostile objects): it stays as an attribute.
    if (!Array.isArray(parsed)) finishReasons = [fr];
    else if (parsed.every((x) => x === null || typeof x !== 'object')) finishReasons = parsed.map(String);
  }
  if (finishReasons) delete rest['gen_ai.response.finish_reasons'];
  if (request === undefined && response === undefined && provider === undefined && temperature === undefined
    && topP === undefined && maxTokens === undefined && finishReasons === undefined) {
    return;
  }
  const m = (span.model ??= {});
  m.request ??= request;
  m.response ??= response;
  m.provider ??= provider;
  m.temperature ??= temperature;
  m.topP ??= topP;
  m.maxTokens ??= maxTokens;
  m.finishReasons ??= finishReasons;
  span.model = compact(m);
}

function decodeUsage(rest: Record<string, unknown>, span: Span): void {
  // `prompt_tokens`/`completion_tokens` are the names before semconv 1.27.
  const input = takeNum(rest, 'gen_ai.usage.input_tokens') ?? takeNum(rest, 'gen_ai.usage.prompt_tokens');
  const output = takeNum(rest, 'gen_ai.usage.output_tokens') ?? takeNum(rest, 'gen_ai.usage.completion_tokens');
  const total = takeNum(rest, 'gen_ai.usage.total_tokens');
  const cacheRead = takeNum(rest, 'gen_ai.usage.cache_read_input_tokens') ?? takeNum(rest, 'gen_ai.usage.cache_read.input_tokens');
  const cacheWrite = takeNum(rest, 'gen_ai.usage.cache_creation_input_tokens') ?? takeNum(rest, 'gen_ai.usage.cache_creation.input_tokens');
  if (input === undefined && output === undefined && total === undefined && cacheRead === undefined && cacheWrite === undefined) {
    return;
  }
  const u = (span.usage ??= {});
  if (input !== undefined) u.input ??= input;
  if (output !== undefined) u.output ??= output;
  if (total !== undefined) u.total ??= total;
  if (cacheRead !== undefined) u.cacheRead ??= cacheRead;
  if (cacheWrite !== undefined) u.cacheWrite ??= cacheWrite;
}

function decodeAgent(rest: Record<string, unknown>, span: Span): void {
  const name = takeStr(rest, 'gen_ai.agent.name');
  const id = takeStr(rest, 'gen_ai.agent.id');
  if (name === undefined && id === undefined) return;
  const a = (span.agent ??= {});
  if (name !== undefined) a.name ??= name;
  if (id !== undefined) a.id ??= id;
}

function decodeTool(rest: Record<string, unknown>, span: Span): boolean {
  const name = takeStr(rest, 'gen_ai.tool.name');
  const callId = takeStr(rest, 'gen_ai.tool.call.id');
  const args = take(rest, 'gen_ai.tool.call.arguments');
  const result = take(rest, 'gen_ai.tool.call.result');
  if (name === undefined && callId === undefined && args === undefined && result === undefined) return false;
  const t = (span.tool ??= { name: name ?? span.name });
  if (name !== undefined && !t.name) t.name = name;
  if (callId !== undefined) t.callId ??= callId;
  if (args !== undefined && t.arguments === undefined) t.arguments = parseMaybeJson(args);
  if (result !== undefined && t.result === undefined) t.result = parseMaybeJson(result);
  return true;
}

function decodeMessages(rest: Record<string, unknown>, span: Span, key: string, slot: 'input' | 'output'): void {
  const raw = rest[key];
  if (raw === undefined || span[slot]) return;
  const value = parseMaybeJson(raw);
  if (!Array.isArray(value)) return; // not the documented shape: leave it visible as an attribute
  const messages: Message[] = [];
  const finish: string[] = [];
  for (const m of value) {
    const msg = toMessage(m);
    messages.push(msg);
    const fr = m && typeof m === 'object' ? (m as Record<string, unknown>).finish_reason : undefined;
    if (typeof fr === 'string' && fr) finish.push(fr);
  }
  delete rest[key];
  span[slot] = messages;
  if (slot === 'output' && finish.length && !span.model?.finishReasons) {
    (span.model ??= {}).finishReasons = finish;
  }
}

function toMessage(m: unknown): Message {
  if (!m || typeof m !== 'object' || Array.isArray(m)) {
    return { role: 'unknown', parts: [{ type: 'unknown', raw: m }] };
  }
  const o = m as Record<string, unknown>;
  const role = typeof o.role === 'string' ? o.role : 'unknown';
  let parts = partsOf(o.parts);
  if (!parts) {
    // Some emitters write `content` (a string) instead of `parts`.
    parts = typeof o.content === 'string' ? [{ type: 'text', text: o.content }] : [{ type: 'unknown', raw: m }];
  }
  return { role, parts };
}

/** GenAI parts (or a plain string) → normalized parts; undefined when the shape is not recognised. */
function partsOf(value: unknown): Part[] | undefined {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) return undefined;
  return value.map(toPart);
}

function toPart(p: unknown): Part {
  if (typeof p === 'string') return { type: 'text', text: p };
  if (!p || typeof p !== 'object') return { type: 'unknown', raw: p };
  const o = p as Record<string, unknown>;
  switch (o.type) {
    case 'text':
      return typeof o.content === 'string' ? { type: 'text', text: o.content } : { type: 'unknown', raw: p };
    case 'reasoning':
      return typeof o.content === 'string' ? { type: 'reasoning', text: o.content } : { type: 'unknown', raw: p };
    case 'tool_call':
      return {
        type: 'toolUse',
        id: typeof o.id === 'string' ? o.id : '',
        name: typeof o.name === 'string' ? o.name : '(unnamed tool)',
        arguments: parseMaybeJson(o.arguments),
      };
    case 'tool_call_response': {
      const response = o.response ?? o.result;
      return { type: 'toolResult', id: typeof o.id === 'string' ? o.id : '', parts: resultParts(response) };
    }
    // A tool the provider runs itself (web search, code interpreter…).
    case 'server_tool_call':
      return { type: 'toolUse', id: typeof o.id === 'string' ? o.id : '', name: typeof o.name === 'string' ? o.name : '(server tool)', arguments: o.server_tool_call };
    case 'server_tool_call_response':
      return { type: 'toolResult', id: typeof o.id === 'string' ? o.id : '', parts: resultParts(o.server_tool_call_response) };
    // Media (blob, file, uri) and other parts stay whole, their `type` naming them.
    default:
      return { type: 'unknown', raw: p };
  }
}

/**
 * Pre-1.36 flattened attributes (`gen_ai.prompt.0.role`, `gen_ai.completion.0.content`,
 * `gen_ai.completion.0.tool_calls.0.name`…) as written by OpenLLMetry-style instrumentations.
 */
function decodeLegacyPromptAttributes(rest: Record<string, unknown>, span: Span): void {
  let prompt: Map<number, Record<string, unknown>> | undefined;
  let completion: Map<number, Record<string, unknown>> | undefined;
  for (const key of Object.keys(rest)) {
    // Cheap prefix test first: most attributes are not prompt keys.
    if (key.charCodeAt(0) !== 103 /* g */ || !(key.startsWith('gen_ai.prompt.') || key.startsWith('gen_ai.completion.'))) continue;
    const isPrompt = key.startsWith('gen_ai.prompt.');
    const tail = key.slice(isPrompt ? 14 : 18);
    const dot = tail.indexOf('.');
    const index = Number(dot < 0 ? tail : tail.slice(0, dot));
    if (dot < 0 || !Number.isInteger(index)) continue;
    const map = isPrompt ? (prompt ??= new Map()) : (completion ??= new Map());
    const entry = map.get(index) ?? {};
    setOwn(entry, tail.slice(dot + 1), rest[key]);
    map.set(index, entry);
    delete rest[key];
  }
  if (prompt) span.input = legacyMessages(prompt);
  if (completion) {
    span.output = legacyMessages(completion);
    const finish = [...completion.values()].map((e) => e.finish_reason).filter((f): f is string => typeof f === 'string');
    if (finish.length && !span.model?.finishReasons) (span.model ??= {}).finishReasons = finish;
  }
}

function legacyMessages(map: Map<number, Record<string, unknown>>): Message[] {
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => {
    const parts: Part[] = [];
    const role = typeof e.role === 'string' ? e.role : 'unknown';
    const content = e.content;
    if (typeof content === 'string' && content !== '') {
      if (role === 'tool') parts.push({ type: 'toolResult', id: typeof e.tool_call_id === 'string' ? e.tool_call_id : '', parts: [{ type: 'text', text: content }] });
      else parts.push({ type: 'text', text: content });
    }
    const calls = new Map<number, Record<string, unknown>>();
    for (const [k, v] of Object.entries(e)) {
      const m = /^tool_calls\.(\d+)\.(.+)$/.exec(k);
      if (m) {
        const c = calls.get(Number(m[1])) ?? {};
        setOwn(c, m[2], v);
        calls.set(Number(m[1]), c);
      }
    }
    for (const [, c] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
      parts.push({ type: 'toolUse', id: typeof c.id === 'string' ? c.id : '', name: typeof c.name === 'string' ? c.name : '(unnamed tool)', arguments: parseMaybeJson(c.arguments) });
    }
    const known = new Set(['role', 'content', 'tool_call_id', 'finish_reason']);
    const extra = Object.entries(e).filter(([k]) => !known.has(k) && !k.startsWith('tool_calls.'));
    if (extra.length) parts.push({ type: 'unknown', raw: Object.fromEntries(extra) });
    return { role, parts };
  });
}
