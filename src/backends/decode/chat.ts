// The one chat decoder: OpenAI Chat Completions messages, Responses-API items
// and whole `Response` / `chat.completion` objects, LangChain-style messages
// (`type` human/ai/tool, tool calls `{name, args}`) and the content parts they
// carry → normalized Messages. Every backend that meets chat-shaped JSON calls
// this, so a new content part is added here once. Anything not understood
// becomes an `unknown` part holding the original value (never dropped).
//
//   decodeChat(items, {splitSystem})  a transcript (array, or one item) → {messages, system, finishReasons, usage, …}
//   decodeMessage(item, {extras})     one message / Responses item → Message ({extras: false}: keys without a slot are not shown)
//   isChatMessage(v)                  true when v looks like a chat message (role string or LangChain type)
//   isModelOutput(v)                  true for a whole `chat.completion` or Responses `Response` object
//   contentParts(content)             string | parts array | other → Part[]
//   toolCallPart(call)                {id, function:{name, arguments}} | {name, args|arguments} | {custom} → toolUse part
//   resultParts(value)                a tool result of any shape → Part[] (text stays text, the rest JSON text)
//   decodeUsage(u)                    OpenAI usage (Chat, Responses, JS exporter's `details`) → {usage, rest}
import type { Message, Part, Usage } from '../../model/types';
import { compact, num, obj, parseIfJson, str, type Obj } from './wire';

export interface ChatConversion {
  messages: Message[];
  /** System/developer messages, moved out of the transcript into `span.system` when asked. */
  system: Part[];
  /** From `chat.completion` / `Response` objects, when the items hold them. */
  finishReasons: string[];
  /** The raw usage object of a completion/response object found among the items. */
  usage?: Obj;
  responseModel?: string;
  responseIds: string[];
}

export function decodeChat(items: unknown, options: { splitSystem: boolean }): ChatConversion {
  const out: ChatConversion = { messages: [], system: [], finishReasons: [], responseIds: [] };
  const list = Array.isArray(items) ? items : items === undefined || items === null ? [] : [items];
  for (const item of list) {
    const o = obj(item);
    if (o && o.object === 'chat.completion' && Array.isArray(o.choices)) {
      completion(o, out);
      continue;
    }
    if (o && isResponseObject(o)) {
      response(o, out);
      continue;
    }
    const msg = decodeMessage(item);
    if (options.splitSystem && (msg.role === 'system' || msg.role === 'developer')) {
      out.system.push(...msg.parts);
    } else {
      out.messages.push(msg);
    }
  }
  return out;
}

/**
 * A Responses-API `Response` object. The Python Agents SDK records one as the
 * output of streamed Chat Completions (and LiteLLM / any-llm) generations,
 * with `object` "response" or null and an id of "__fake_id__".
 */
function isResponseObject(o: Obj): boolean {
  return Array.isArray(o.output) && (o.object === 'response' || (o.object === null && 'created_at' in o && 'tool_choice' in o));
}

function completion(c: Obj, out: ChatConversion): void {
  if (typeof c.id === 'string') out.responseIds.push(c.id);
  if (typeof c.model === 'string') out.responseModel ??= c.model;
  const usage = obj(c.usage);
  if (usage) out.usage ??= usage;
  for (const choice of c.choices as unknown[]) {
    const ch = obj(choice);
    const message = obj(ch?.message);
    if (typeof ch?.finish_reason === 'string') out.finishReasons.push(ch.finish_reason);
    out.messages.push(message ? decodeMessage(message) : { role: 'assistant', parts: [{ type: 'unknown', raw: choice }] });
  }
}

function response(r: Obj, out: ChatConversion): void {
  if (typeof r.id === 'string' && r.id !== '__fake_id__') out.responseIds.push(r.id);
  if (typeof r.model === 'string') out.responseModel ??= r.model;
  const usage = obj(r.usage);
  if (usage) out.usage ??= usage;
  const reason = str(obj(r.incomplete_details)?.reason);
  if (reason) out.finishReasons.push(reason);
  // Consecutive assistant items (reasoning, text, tool calls) form one turn.
  let turn: Message | undefined;
  for (const item of r.output as unknown[]) {
    const msg = decodeMessage(item);
    if (msg.role === 'assistant' && turn) {
      turn.parts.push(...msg.parts);
    } else {
      out.messages.push(msg);
      turn = msg.role === 'assistant' ? msg : undefined;
    }
  }
}

/** LangChain message `type` → chat role. */
const LANGCHAIN_ROLES: Readonly<Record<string, string>> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
  HumanMessage: 'user',
  AIMessage: 'assistant',
  SystemMessage: 'system',
  ToolMessage: 'tool',
};

export function isModelOutput(v: unknown): boolean {
  const o = obj(v);
  return !!o && ((o.object === 'chat.completion' && Array.isArray(o.choices)) || isResponseObject(o));
}

export function isChatMessage(v: unknown): boolean {
  const o = obj(v);
  return !!o && (typeof o.role === 'string' || (typeof o.type === 'string' && Object.hasOwn(LANGCHAIN_ROLES, o.type)));
}

/** Keys of a message that have a slot; the others are kept as unknown parts. */
const MESSAGE_KEYS = new Set([
  'role', 'content', 'tool_calls', 'tool_call_id', 'refusal', 'reasoning', 'reasoning_content', 'thinking_blocks',
  'function_call', 'type', 'id', 'status', 'provider_data',
]);

/** One chat message (or Responses-API item) → Message. */
export function decodeMessage(item: unknown, options?: { extras?: boolean }): Message {
  const o = obj(item);
  if (!o) {
    return typeof item === 'string' ? { role: 'user', parts: [{ type: 'text', text: item }] } : { role: 'unknown', parts: [{ type: 'unknown', raw: item }] };
  }
  // Responses-API items that are not messages.
  switch (o.type) {
    case 'function_call':
      return {
        role: 'assistant',
        parts: [{ type: 'toolUse', id: str(o.call_id) ?? str(o.callId) ?? str(o.id) ?? '', name: str(o.name) ?? '(unnamed tool)', arguments: parseIfJson(o.arguments) }],
      };
    case 'function_call_output':
    case 'function_call_result':
      return { role: 'tool', parts: [{ type: 'toolResult', id: str(o.call_id) ?? str(o.callId) ?? '', parts: contentParts(o.output) }] };
    case 'reasoning':
      return { role: 'assistant', parts: reasoningItemParts(o) };
    default:
      break;
  }
  const langchain = typeof o.role !== 'string' && typeof o.type === 'string' && Object.hasOwn(LANGCHAIN_ROLES, o.type) ? LANGCHAIN_ROLES[o.type] : undefined;
  const role = langchain ?? str(o.role) ?? 'unknown';
  if (role === 'unknown' && o.type !== 'message') {
    return { role, parts: [{ type: 'unknown', raw: item }] };
  }
  const parts: Part[] = [];
  for (const key of ['reasoning_content', 'reasoning']) {
    if (typeof o[key] === 'string' && o[key]) parts.push({ type: 'reasoning', text: o[key] as string });
  }
  parts.push(...thinkingBlocks(o.thinking_blocks));
  if (role === 'tool') {
    parts.push({ type: 'toolResult', id: str(o.tool_call_id) ?? '', parts: contentParts(o.content) });
  } else {
    parts.push(...contentParts(o.content));
  }
  if (typeof o.refusal === 'string' && o.refusal) parts.push({ type: 'text', text: o.refusal });
  for (const call of Array.isArray(o.tool_calls) ? o.tool_calls : []) {
    parts.push(toolCallPart(call));
  }
  const fc = obj(o.function_call); // legacy single function call
  if (fc) parts.push({ type: 'toolUse', id: '', name: str(fc.name) ?? '(unnamed tool)', arguments: parseIfJson(fc.arguments) });
  // Anything else the message carries (audio, annotations, name…) is kept as unknown content.
  for (const [k, v] of options?.extras === false ? [] : Object.entries(o)) {
    if (MESSAGE_KEYS.has(k) || (langchain && k === 'type') || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'reasoning_content' || k === 'reasoning') continue;
    parts.push({ type: 'unknown', raw: { [k]: v } });
  }
  for (const k of ['reasoning_content', 'reasoning', 'thinking_blocks', 'provider_data']) {
    const v = o[k];
    if (v !== null && v !== undefined && typeof v !== 'string' && !(k === 'thinking_blocks' && Array.isArray(v))) parts.push({ type: 'unknown', raw: { [k]: v } });
  }
  const msg: Message = { role, parts };
  if (typeof o.id === 'string' && o.id && o.id !== '__fake_id__') msg.id = o.id;
  return msg;
}

/** Anthropic-style `thinking_blocks` (LiteLLM passes them through): `[{type: "thinking", thinking}]`. */
function thinkingBlocks(v: unknown): Part[] {
  if (!Array.isArray(v)) return [];
  return v.map((b): Part => {
    const o = obj(b);
    const t = o?.thinking ?? o?.text;
    return typeof t === 'string' ? { type: 'reasoning', text: t } : { type: 'unknown', raw: { thinking_block: b } };
  });
}

export function toolCallPart(call: unknown): Part {
  const c = obj(call);
  const fn = obj(c?.function);
  if (c && fn) {
    return { type: 'toolUse', id: str(c.id) ?? '', name: str(fn.name) ?? '(unnamed tool)', arguments: parseIfJson(fn.arguments) };
  }
  const custom = obj(c?.custom);
  if (c && custom) {
    return { type: 'toolUse', id: str(c.id) ?? '', name: str(custom.name) ?? '(unnamed tool)', arguments: custom.input };
  }
  // LangChain `{name, args, id}` and flat `{name, arguments}`.
  if (c && typeof c.name === 'string' && ('args' in c || 'arguments' in c || 'input' in c)) {
    return { type: 'toolUse', id: str(c.id) ?? '', name: c.name, arguments: parseIfJson(c.args ?? c.arguments ?? c.input) };
  }
  return { type: 'unknown', raw: call };
}

/** `content`: a string, null, or an array of typed parts. */
export function contentParts(content: unknown): Part[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return resultParts(content);
  const parts: Part[] = [];
  for (const p of content) {
    const o = obj(p);
    if (typeof p === 'string') {
      parts.push({ type: 'text', text: p });
    } else if (o && (o.type === 'text' || o.type === 'input_text' || o.type === 'output_text') && typeof o.text === 'string') {
      parts.push({ type: 'text', text: o.text });
    } else if (o && o.type === 'refusal' && typeof o.refusal === 'string') {
      parts.push({ type: 'text', text: o.refusal });
    } else if (o && (o.type === 'reasoning' || o.type === 'reasoning_text' || o.type === 'summary_text') && typeof (o.text ?? o.content) === 'string') {
      parts.push({ type: 'reasoning', text: (o.text ?? o.content) as string });
    } else if (o && o.type === 'thinking' && typeof o.thinking === 'string') {
      parts.push({ type: 'reasoning', text: o.thinking });
    } else if (o && o.type === 'tool_use' && typeof o.name === 'string') {
      parts.push({ type: 'toolUse', id: str(o.id) ?? '', name: o.name, arguments: parseIfJson(o.input) });
    } else if (o && o.type === 'tool_result') {
      const part: Part = { type: 'toolResult', id: str(o.tool_use_id) ?? '', parts: contentParts(o.content) };
      if (o.is_error === true) part.error = 'error';
      parts.push(part);
    } else {
      parts.push({ type: 'unknown', raw: p });
    }
  }
  return parts;
}

/** A tool result of any JSON shape as displayable parts (text stays text, the rest is JSON text). */
export function resultParts(value: unknown): Part[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  try {
    return [{ type: 'text', text: JSON.stringify(value) }];
  } catch {
    return [{ type: 'unknown', raw: value }];
  }
}

/** A Responses `reasoning` item: summary (summary_text) and content (reasoning_text) parts. */
function reasoningItemParts(o: Obj): Part[] {
  const parts: Part[] = [];
  for (const key of ['summary', 'content', 'rawContent']) {
    for (const p of Array.isArray(o[key]) ? (o[key] as unknown[]) : []) {
      const t = obj(p)?.text;
      if (typeof t === 'string') parts.push({ type: 'reasoning', text: t });
    }
  }
  return parts.length ? parts : [{ type: 'unknown', raw: o }];
}

/**
 * OpenAI usage objects: Responses (`input_tokens`, `input_tokens_details`),
 * Chat (`prompt_tokens`, `prompt_tokens_details`), the Agents SDK's turn/task
 * usage (`cached_input_tokens`, `cache_write_input_tokens`) and the JS
 * exporter's form, which moves everything but input/output under `details`.
 * `rest` holds what has no slot (requests, reasoning-token details…), or is
 * undefined when nothing is left.
 */
export function decodeUsage(u: Obj): { usage: Usage; rest?: Obj } {
  const rest: Obj = { ...u };
  const usage: Usage = {};
  const takeNum = (o: Obj, ...keys: string[]): number | undefined => {
    for (const k of keys) {
      const v = num(o[k]);
      if (v !== undefined) {
        delete o[k];
        return v;
      }
    }
    return undefined;
  };
  usage.input = takeNum(rest, 'input_tokens', 'prompt_tokens');
  usage.output = takeNum(rest, 'output_tokens', 'completion_tokens');
  usage.total = takeNum(rest, 'total_tokens');
  // The JS exporter's `details` holds the rest of the SDK usage object.
  const nested = obj(rest.details);
  const details = nested ? { ...nested } : undefined;
  if (details) {
    usage.total ??= takeNum(details, 'total_tokens');
    rest.details = details;
  }
  for (const holder of details ? [rest, details] : [rest]) {
    const key = obj(holder.input_tokens_details) ? 'input_tokens_details' : obj(holder.prompt_tokens_details) ? 'prompt_tokens_details' : undefined;
    const d = key ? { ...(holder[key] as Obj) } : undefined;
    if (key && d) {
      usage.cacheRead ??= takeNum(d, 'cached_tokens');
      usage.cacheWrite ??= takeNum(d, 'cache_write_tokens');
      holder[key] = d;
    }
  }
  // Pre-`details` JS exports put input_tokens_details' fields straight into `details`.
  if (details) {
    usage.cacheRead ??= takeNum(details, 'cached_tokens');
    usage.cacheWrite ??= takeNum(details, 'cache_write_tokens');
  }
  usage.cacheRead ??= takeNum(rest, 'cached_input_tokens');
  usage.cacheWrite ??= takeNum(rest, 'cache_write_input_tokens');
  // Empty or all-null leftovers (cache_write_tokens_details: null…) carry nothing.
  prune(rest);
  return Object.keys(rest).length ? { usage: compact(usage), rest: compact(rest) } : { usage: compact(usage) };
}

function prune(o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    const inner = obj(v);
    if (inner) prune(inner);
    if (v === null || v === undefined || (inner && Object.keys(inner).length === 0)) delete o[k];
  }
}
