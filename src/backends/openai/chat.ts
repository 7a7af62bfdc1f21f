// OpenAI message shapes found inside `generation` spans → normalized messages.
// Mostly Chat Completions messages (role, content string or parts, tool_calls,
// role "tool"), but the JS SDK records its output as whole `chat.completion`
// objects, and custom models may record Responses-API items: all three are
// understood, anything else becomes an `unknown` part (never dropped).
import type { Message, Part } from '../../model/types';
import { parseMaybeJson, resultParts } from '../otel/genai';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export interface ChatConversion {
  messages: Message[];
  /** System/developer messages, moved out of the transcript into `span.system`. */
  system: Part[];
  /** From `chat.completion` objects, when the output holds them. */
  finishReasons: string[];
  usage?: Record<string, unknown>;
  responseModel?: string;
  responseIds: string[];
}

export function convertMessages(items: unknown, options: { splitSystem: boolean }): ChatConversion {
  const out: ChatConversion = { messages: [], system: [], finishReasons: [], responseIds: [] };
  const list = Array.isArray(items) ? items : items === undefined || items === null ? [] : [items];
  for (const item of list) {
    const o = obj(item);
    if (o && o.object === 'chat.completion' && Array.isArray(o.choices)) {
      completion(o, out);
      continue;
    }
    const msg = toMessage(item);
    if (options.splitSystem && (msg.role === 'system' || msg.role === 'developer')) {
      out.system.push(...msg.parts);
    } else {
      out.messages.push(msg);
    }
  }
  return out;
}

function completion(c: Record<string, unknown>, out: ChatConversion): void {
  if (typeof c.id === 'string') out.responseIds.push(c.id);
  if (typeof c.model === 'string') out.responseModel ??= c.model;
  const usage = obj(c.usage);
  if (usage) out.usage ??= usage;
  for (const choice of c.choices as unknown[]) {
    const ch = obj(choice);
    const message = obj(ch?.message);
    if (typeof ch?.finish_reason === 'string') out.finishReasons.push(ch.finish_reason);
    out.messages.push(message ? toMessage(message) : { role: 'assistant', parts: [{ type: 'unknown', raw: choice }] });
  }
}

/** One chat message (or Responses-API item) → Message. */
export function toMessage(item: unknown): Message {
  const o = obj(item);
  if (!o) {
    return typeof item === 'string' ? { role: 'user', parts: [{ type: 'text', text: item }] } : { role: 'unknown', parts: [{ type: 'unknown', raw: item }] };
  }
  // Responses-API items that are not messages.
  switch (o.type) {
    case 'function_call':
      return {
        role: 'assistant',
        parts: [{ type: 'toolUse', id: str(o.call_id) ?? str(o.callId) ?? str(o.id) ?? '', name: str(o.name) ?? '(unnamed tool)', arguments: parseMaybeJson(o.arguments) }],
      };
    case 'function_call_output':
    case 'function_call_result':
      return { role: 'tool', parts: [{ type: 'toolResult', id: str(o.call_id) ?? str(o.callId) ?? '', parts: contentParts(o.output) }] };
    case 'reasoning':
      return { role: 'assistant', parts: reasoningParts(o) };
    default:
      break;
  }
  const role = str(o.role) ?? 'unknown';
  if (role === 'unknown' && o.type !== 'message') {
    return { role, parts: [{ type: 'unknown', raw: item }] };
  }
  const parts: Part[] = [];
  if (typeof o.reasoning === 'string' && o.reasoning) parts.push({ type: 'reasoning', text: o.reasoning });
  if (role === 'tool') {
    parts.push({ type: 'toolResult', id: str(o.tool_call_id) ?? '', parts: contentParts(o.content) });
  } else {
    parts.push(...contentParts(o.content));
  }
  if (typeof o.refusal === 'string' && o.refusal) parts.push({ type: 'text', text: o.refusal });
  for (const call of Array.isArray(o.tool_calls) ? o.tool_calls : []) {
    parts.push(toolCall(call));
  }
  const fc = obj(o.function_call); // legacy single function call
  if (fc) parts.push({ type: 'toolUse', id: '', name: str(fc.name) ?? '(unnamed tool)', arguments: parseMaybeJson(fc.arguments) });
  // Anything else the message carries (audio, annotations, name…) is kept as unknown content.
  for (const [k, v] of Object.entries(o)) {
    if (MESSAGE_KEYS.has(k) || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    parts.push({ type: 'unknown', raw: { [k]: v } });
  }
  const msg: Message = { role, parts };
  if (typeof o.id === 'string' && o.id) msg.id = o.id;
  return msg;
}

const MESSAGE_KEYS = new Set(['role', 'content', 'tool_calls', 'tool_call_id', 'refusal', 'reasoning', 'function_call', 'type', 'id', 'status']);

function toolCall(call: unknown): Part {
  const c = obj(call);
  const fn = obj(c?.function);
  if (c && fn) {
    return { type: 'toolUse', id: str(c.id) ?? '', name: str(fn.name) ?? '(unnamed tool)', arguments: parseMaybeJson(fn.arguments) };
  }
  const custom = obj(c?.custom);
  if (c && custom) {
    return { type: 'toolUse', id: str(c.id) ?? '', name: str(custom.name) ?? '(unnamed tool)', arguments: custom.input };
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
    } else if (o && (o.type === 'reasoning' || o.type === 'reasoning_text') && typeof (o.text ?? o.content) === 'string') {
      parts.push({ type: 'reasoning', text: (o.text ?? o.content) as string });
    } else {
      parts.push({ type: 'unknown', raw: p });
    }
  }
  return parts;
}

function reasoningParts(o: Record<string, unknown>): Part[] {
  const parts: Part[] = [];
  for (const key of ['summary', 'content', 'rawContent']) {
    for (const p of Array.isArray(o[key]) ? (o[key] as unknown[]) : []) {
      const t = obj(p)?.text;
      if (typeof t === 'string') parts.push({ type: 'reasoning', text: t });
    }
  }
  return parts.length ? parts : [{ type: 'unknown', raw: o }];
}
