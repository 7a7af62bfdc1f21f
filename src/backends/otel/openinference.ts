// OpenInference (Arize) conventions: flattened `llm.*`, `tool.*`, `input.value`…
// Used for Agno spans (read from its database) and for OTLP spans.
//
// Contract (see span.ts): read what we understand from `rest`, fill `span`,
// and delete exactly the keys that were fully represented in the model. Keys we
// only partly understand stay in `rest`, so they reach `span.attributes`.
//
// One pass over the keys, `startsWith` + `split` on the indexed groups (no
// regexes per key), JSON parsing only for values that look like JSON.
import type { Message, Part, Span, SpanKind } from '../../model/types';
import { decodeChat, decodeMessage, isModelOutput } from '../decode/chat';
import { asText, numLike as num, obj, parseIfJson } from '../decode/wire';

const KINDS: Record<string, SpanKind> = {
  AGENT: 'agent',
  LLM: 'llm',
  TOOL: 'tool',
  CHAIN: 'chain',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  EMBEDDING: 'retrieval',
  GUARDRAIL: 'guardrail',
  // An evaluator judges another span's output, as a guardrail does; a PROMPT span renders a template.
  EVALUATOR: 'guardrail',
  PROMPT: 'chain',
};

const IN_MSGS = 'llm.input_messages';
const OUT_MSGS = 'llm.output_messages';
const LLM_TOOLS = 'llm.tools';
const DOCS = 'retrieval.documents';

/** A message rebuilt from its flattened keys. */
interface RawMessage {
  role?: string;
  content?: unknown;
  toolCallId?: string;
  functionCall?: { name?: string; arguments?: unknown };
  contents?: Map<number, RawContent>;
  toolCalls?: Map<number, { id?: unknown; name?: unknown; arguments?: unknown }>;
}

/** One `message.contents.N` entry: a `message_content.*` part, or a `tool_call.*` of a tool_use part. */
interface RawContent {
  type?: string;
  text?: unknown;
  imageUrl?: unknown;
  toolCall?: { id?: unknown; name?: unknown; arguments?: unknown };
  /** id, signature, data, encrypted_content…: kept with the part. */
  extra?: Record<string, unknown>;
}

interface Doc {
  id?: unknown;
  content?: unknown;
}

export function decodeOpenInference(rest: Record<string, unknown>, span: Span): void {
  const kindName = rest['openinference.span.kind'];
  if (typeof kindName === 'string') {
    const upper = kindName.toUpperCase();
    const kind = Object.prototype.hasOwnProperty.call(KINDS, upper) ? KINDS[upper] : undefined;
    if (kind) {
      span.kind = kind;
      delete rest['openinference.span.kind'];
    }
  }

  // One pass over the indexed groups.
  let inMsgs: Map<number, RawMessage> | undefined;
  let outMsgs: Map<number, RawMessage> | undefined;
  let tools: Map<number, unknown> | undefined;
  let docs: Map<number, Doc> | undefined;
  for (const key in rest) {
    if (key.charCodeAt(0) === 108 /* l */) {
      if (key.startsWith(IN_MSGS)) {
        if (key.length === IN_MSGS.length) {
          inMsgs ??= new Map();
          if (structuredMessages(rest[key], inMsgs)) delete rest[key];
        } else if (key.charCodeAt(IN_MSGS.length) === 46 /* . */) {
          inMsgs ??= new Map();
          if (messageField(inMsgs, key.slice(IN_MSGS.length + 1), rest[key])) delete rest[key];
        }
      } else if (key.startsWith(OUT_MSGS)) {
        if (key.length === OUT_MSGS.length) {
          outMsgs ??= new Map();
          if (structuredMessages(rest[key], outMsgs)) delete rest[key];
        } else if (key.charCodeAt(OUT_MSGS.length) === 46) {
          outMsgs ??= new Map();
          if (messageField(outMsgs, key.slice(OUT_MSGS.length + 1), rest[key])) delete rest[key];
        }
      } else if (key.startsWith(LLM_TOOLS + '.') && key.endsWith('.tool.json_schema')) {
        const idx = index(key.slice(LLM_TOOLS.length + 1, key.length - '.tool.json_schema'.length));
        if (idx !== undefined) {
          (tools ??= new Map()).set(idx, parseJson(rest[key]));
          delete rest[key];
        }
      }
    } else if (key.startsWith(DOCS + '.')) {
      const segs = key.slice(DOCS.length + 1).split('.');
      const idx = index(segs[0]);
      // Only id and content have a slot (a cited text part); score and metadata stay.
      if (idx !== undefined && segs.length === 3 && segs[1] === 'document' && (segs[2] === 'id' || segs[2] === 'content')) {
        docs ??= new Map();
        const doc = docs.get(idx) ?? {};
        doc[segs[2]] = rest[key];
        docs.set(idx, doc);
        delete rest[key];
      }
    }
  }

  if (inMsgs?.size) {
    const { system, messages } = splitSystem(buildMessages(inMsgs));
    if (system.length) span.system = [...(span.system ?? []), ...system];
    if (messages.length) span.input = messages;
  }
  if (outMsgs?.size) {
    const messages = buildMessages(outMsgs);
    if (messages.length) span.output = messages;
  }
  if (tools?.size) {
    rest[LLM_TOOLS] = sortedValues(tools);
  }

  decodeModel(rest, span);
  decodeUsage(rest, span);

  if (span.kind === 'tool') {
    decodeTool(rest, span);
  } else {
    decodeValues(rest, span, !!inMsgs?.size, !!outMsgs?.size);
  }
  if (span.kind === 'agent') {
    decodeAgent(rest, span);
  }
  if (docs?.size && !span.output) {
    span.output = [{ role: 'tool', parts: sortedValues(docs).map(docPart) }];
  }
}

// ---------------------------------------------------------------------------
// Messages

/** `N.message.<field>` → into `msgs`. Returns whether the key was understood. */
function messageField(msgs: Map<number, RawMessage>, path: string, value: unknown): boolean {
  const segs = path.split('.');
  const idx = index(segs[0]);
  if (idx === undefined || segs[1] !== 'message' || segs.length < 3) {
    return false;
  }
  let m = msgs.get(idx);
  if (!m) {
    m = {};
    msgs.set(idx, m);
  }
  const field = segs[2];
  if (segs.length === 3) {
    switch (field) {
      case 'role':
        if (typeof value !== 'string') return false;
        m.role = value;
        return true;
      case 'content':
        m.content = value;
        return true;
      case 'tool_call_id':
        if (typeof value !== 'string') return false;
        m.toolCallId = value;
        return true;
      case 'function_call_name':
        (m.functionCall ??= {}).name = asText(value);
        return true;
      case 'function_call_arguments_json':
        (m.functionCall ??= {}).arguments = parseJson(value);
        return true;
      default:
        return false; // e.g. message.name: no slot, stays an attribute
    }
  }
  const sub = index(segs[3]);
  if (sub === undefined) {
    return false;
  }
  if (field === 'tool_calls' && segs[4] === 'tool_call') {
    const tail = segs.slice(5).join('.');
    const tc = (m.toolCalls ??= new Map()).get(sub) ?? {};
    m.toolCalls.set(sub, tc);
    if (tail === 'id') tc.id = value;
    else if (tail === 'function.name') tc.name = value;
    else if (tail === 'function.arguments') tc.arguments = parseJson(value);
    else return false;
    return true;
  }
  if (field === 'contents' && (segs[4] === 'message_content' || segs[4] === 'tool_call')) {
    const tail = segs.slice(5).join('.');
    const c = (m.contents ??= new Map()).get(sub) ?? {};
    m.contents.set(sub, c);
    if (segs[4] === 'tool_call') {
      const tc = (c.toolCall ??= {});
      if (tail === 'id') tc.id = value;
      else if (tail === 'function.name') tc.name = value;
      else if (tail === 'function.arguments') tc.arguments = parseJson(value);
      else (c.extra ??= {})[`tool_call.${tail}`] = value;
      return true;
    }
    if (tail === 'type' && typeof value === 'string') c.type = value;
    else if (tail === 'text') c.text = value;
    else if (tail === 'image.image.url') c.imageUrl = value;
    else if (tail !== '' && !tail.includes('__proto__')) (c.extra ??= {})[tail] = value;
    else return false;
    return true;
  }
  return false;
}

/**
 * `llm.input_messages` sent as one structured value (an OTLP array of kvlists
 * or a JSON string) instead of flattened keys: fed through the same parser.
 * Consumed only if every leaf was understood.
 */
function structuredMessages(value: unknown, msgs: Map<number, RawMessage>): boolean {
  const list = parseJson(value);
  if (!Array.isArray(list)) {
    return false;
  }
  const leaves: [string, unknown][] = [];
  list.forEach((item, i) => flatten(String(i), item, leaves));
  let all = true;
  for (const [path, v] of leaves) {
    // Accept both `{message: {role}}` and `{role}` element shapes.
    const p = path.includes('.message.') ? path : path.replace(/^(\d+)\./, '$1.message.');
    if (!messageField(msgs, p, v)) all = false;
  }
  return all;
}

function flatten(prefix: string, value: unknown, out: [string, unknown][]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
  } else if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    value.forEach((v, i) => flatten(`${prefix}.${i}`, v, out));
  } else {
    out.push([prefix, value]);
  }
}

function buildMessages(msgs: Map<number, RawMessage>): Message[] {
  return [...msgs.keys()].sort((a, b) => a - b).map((i) => toMessage(msgs.get(i)!));
}

function toMessage(m: RawMessage): Message {
  const role = m.role ?? 'unknown';
  let parts: Part[] = [];
  const callIds = new Set<string>();
  for (const tc of m.toolCalls?.values() ?? []) if (typeof tc.id === 'string' && tc.id) callIds.add(tc.id);
  let textInContents = false;
  if (m.contents?.size) {
    for (const c of sortedValues(m.contents)) {
      if (c.toolCall || c.type === 'tool_use') {
        const id = asText(c.toolCall?.id);
        // The same call under message.tool_calls is shown once, from there.
        if (!id || !callIds.has(id)) parts.push({ type: 'toolUse', id, name: asText(c.toolCall?.name), arguments: c.toolCall?.arguments });
      } else if (c.type === 'text' || (c.type === undefined && c.text !== undefined)) {
        parts.push({ type: 'text', text: asText(c.text) });
        if (asText(c.text) === asText(m.content)) textInContents = true;
      } else if (c.type === 'reasoning' && c.text !== undefined) {
        parts.push({ type: 'reasoning', text: asText(c.text) });
      } else if (c.type === 'image' || c.imageUrl !== undefined) {
        parts.push({ type: 'unknown', raw: { type: 'image', url: c.imageUrl } });
        continue;
      } else {
        parts.push({ type: 'unknown', raw: c });
        continue;
      }
      if (c.extra) parts.push({ type: 'unknown', raw: { [`${c.type ?? 'content'}`]: c.extra } });
    }
  }
  // `content` and `contents` often both hold the answer: show it once.
  if (m.content !== undefined && m.content !== null && m.content !== '' && !textInContents) {
    parts.unshift({ type: 'text', text: asText(m.content) });
  }
  if (m.toolCallId !== undefined || role === 'tool' || role === 'function') {
    parts = [{ type: 'toolResult', id: m.toolCallId ?? '', parts }];
  }
  if (m.functionCall) {
    parts.push({ type: 'toolUse', id: '', name: m.functionCall.name ?? '', arguments: m.functionCall.arguments });
  }
  if (m.toolCalls?.size) {
    for (const tc of sortedValues(m.toolCalls)) {
      parts.push({
        type: 'toolUse',
        id: asText(tc.id),
        name: asText(tc.name),
        arguments: tc.arguments,
      });
    }
  }
  return { role, parts };
}

/** System (and OpenAI "developer") messages become `span.system`, the rest stays input. */
function splitSystem(all: Message[]): { system: Part[]; messages: Message[] } {
  const system: Part[] = [];
  const messages: Message[] = [];
  for (const m of all) {
    if (m.role === 'system' || m.role === 'developer') system.push(...m.parts);
    else messages.push(m);
  }
  return { system, messages };
}

/**
 * OpenAI-style chat messages (`[{role, content, tool_calls, tool_call_id}]`
 * or `{messages: [...]}`) found in `input.value` / `output.value`; undefined
 * when the value is not that shape.
 */
function chatMessages(value: unknown): Message[] | undefined {
  // Whole model outputs (the Agents SDK records streamed Chat Completions as a Response object).
  const outputs = Array.isArray(value) ? value : [value];
  if (outputs.length && outputs.every(isModelOutput)) return decodeChat(outputs, { splitSystem: false }).messages;
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { messages?: unknown }).messages)
      ? (value as { messages: unknown[] }).messages
      : undefined;
  if (!list || !list.length) {
    return undefined;
  }
  if (!list.every((item) => typeof obj(item)?.role === 'string')) return undefined;
  // The raw value stays as an attribute: its other keys need no unknown parts here.
  return list.map((item) => decodeMessage(item, { extras: false }));
}

// ---------------------------------------------------------------------------
// Model, usage, tools, agents, plain values

function decodeModel(rest: Record<string, unknown>, span: Span): void {
  const name = rest['llm.model_name'];
  const provider = rest['llm.provider'];
  const system = rest['llm.system'];
  const paramsRaw = rest['llm.invocation_parameters'];
  const responseName = rest['llm.response.model_name'];
  const finish = rest['llm.finish_reason'];
  if (name === undefined && provider === undefined && system === undefined && paramsRaw === undefined && responseName === undefined && finish === undefined) {
    return;
  }
  const model = (span.model ??= {});
  if (typeof responseName === 'string' && responseName) {
    model.response = responseName;
    delete rest['llm.response.model_name'];
  }
  if (typeof finish === 'string' && finish) {
    model.finishReasons = [finish];
    delete rest['llm.finish_reason'];
  }
  if (typeof name === 'string' && name) {
    model.request = name;
    delete rest['llm.model_name'];
  }
  if (typeof provider === 'string' && provider) {
    model.provider = provider;
    delete rest['llm.provider'];
  }
  if (typeof system === 'string' && system) {
    // llm.system ("openai") and llm.provider ("OpenAI") usually agree; keep
    // llm.system only when it says something the provider does not.
    if (!model.provider) {
      model.provider = system;
      delete rest['llm.system'];
    } else if (model.provider.toLowerCase() === system.toLowerCase()) {
      delete rest['llm.system'];
    }
  }
  if (paramsRaw !== undefined) {
    const params = parseJson(paramsRaw);
    if (params && typeof params === 'object' && !Array.isArray(params)) {
      const p = params as Record<string, unknown>;
      const temperature = num(p.temperature);
      const topP = num(p.top_p ?? p.topP);
      const maxTokens = num(p.max_tokens ?? p.max_completion_tokens ?? p.max_output_tokens ?? p.maxTokens);
      if (temperature !== undefined) model.temperature = temperature;
      if (topP !== undefined) model.topP = topP;
      if (maxTokens !== undefined) model.maxTokens = maxTokens;
      // The full object stays (structured) for the parameters table.
      rest['llm.invocation_parameters'] = p;
    }
  }
  if (!Object.keys(model).length) {
    delete span.model;
  }
}

const USAGE_KEYS: [string, 'input' | 'output' | 'total' | 'cacheRead' | 'cacheWrite'][] = [
  ['llm.token_count.prompt', 'input'],
  ['llm.token_count.completion', 'output'],
  ['llm.token_count.total', 'total'],
  ['llm.token_count.prompt_details.cache_read', 'cacheRead'],
  ['llm.token_count.prompt_details.cache_write', 'cacheWrite'],
];

function decodeUsage(rest: Record<string, unknown>, span: Span): void {
  for (const [key, slot] of USAGE_KEYS) {
    const n = num(rest[key]);
    if (n !== undefined) {
      (span.usage ??= {})[slot] = n;
      delete rest[key];
    }
  }
}

function decodeTool(rest: Record<string, unknown>, span: Span): void {
  const name = rest['tool.name'];
  const params = rest['tool.parameters'];
  const input = rest['input.value'];
  const output = rest['output.value'];
  const tool: NonNullable<Span['tool']> = { name: typeof name === 'string' && name ? name : span.name };
  if (typeof name === 'string' && name) delete rest['tool.name'];

  if (params !== undefined && (input === undefined || input === params)) {
    // Agno writes the call's arguments to tool.parameters (and the same JSON to input.value).
    tool.arguments = parseJson(params);
    delete rest['tool.parameters'];
    if (input === params) deleteValue(rest, 'input');
  } else if (input !== undefined) {
    // tool.parameters is then the tool's JSON schema (OpenAI Agents): it stays, parsed, as an attribute.
    if (params !== undefined) rest['tool.parameters'] = parseJson(params);
    tool.arguments = valueByMime(input, rest['input.mime_type']);
    deleteValue(rest, 'input');
  }

  for (const key of ['tool_call.id', 'tool.id', 'tool.call_id']) {
    const id = rest[key];
    if (typeof id === 'string' && id) {
      tool.callId = id;
      delete rest[key];
      break;
    }
  }

  if (output !== undefined) {
    const result = valueByMime(output, rest['output.mime_type']);
    if (span.status === 'error') {
      // Agno puts the error text in output.value of a failed tool.
      tool.error = span.statusMessage ?? asText(result);
      if (typeof output !== 'string' || output !== tool.error) tool.result = result;
    } else {
      tool.result = result;
    }
    deleteValue(rest, 'output');
  } else if (span.status === 'error' && span.statusMessage) {
    tool.error = span.statusMessage;
  }
  span.tool = tool;
}

function decodeAgent(rest: Record<string, unknown>, span: Span): void {
  const agent: NonNullable<Span['agent']> = { ...(span.agent ?? {}) };
  // A team span also carries its members' keys (the last member wins there),
  // so agno.team / agno.team.id decide, and member keys stay as attributes.
  const isTeam = rest['agno.team.id'] !== undefined || rest['agno.team'] !== undefined;
  const idKey = isTeam ? 'agno.team.id' : 'agno.agent.id';
  const nameKeys = isTeam ? ['agno.team', 'graph.node.name'] : ['agent.name', 'agno.agent', 'graph.node.name'];
  const id = rest[idKey];
  if (typeof id === 'string' && id) {
    agent.id = id;
    delete rest[idKey];
  }
  for (const key of nameKeys) {
    const name = rest[key];
    if (typeof name === 'string' && name) {
      if (agent.name === undefined) {
        agent.name = name;
        delete rest[key];
      } else if (agent.name === name) {
        delete rest[key]; // same name under a legacy key: nothing lost
      }
    }
  }
  if (isTeam) agent.type = 'team';
  if (agent.id !== undefined || agent.name !== undefined) {
    span.agent = agent;
  }
}

/**
 * `input.value` / `output.value` of non-tool spans. Plain text becomes a
 * message (user in, assistant out). JSON that is a chat transcript becomes
 * messages too, but its raw text stays as an attribute (it may hold fields
 * the messages have no slot for). On LLM spans whose `llm.*_messages` were
 * decoded the value is the request or response those messages were
 * flattened from: it is not held (139 of the 329 MB of heap of a 100k Agno session), and
 * the Raw tab shows it, since every source keeps or re-reads the record.
 */
function decodeValues(rest: Record<string, unknown>, span: Span, hadInput: boolean, hadOutput: boolean): void {
  for (const dir of ['input', 'output'] as const) {
    const value = rest[`${dir}.value`];
    if (dir === 'input' ? hadInput : hadOutput) {
      if (span.kind === 'llm') deleteValue(rest, dir);
      continue;
    }
    if (value === undefined || value === null || value === '' || span[dir]) {
      continue;
    }
    const role = dir === 'input' ? 'user' : 'assistant';
    const parsed = valueByMime(value, rest[`${dir}.mime_type`]);
    const chat = parsed !== value || typeof parsed !== 'string' ? chatMessages(parsed) : undefined;
    if (chat) {
      if (dir === 'input') {
        const { system, messages } = splitSystem(chat);
        if (system.length) span.system = [...(span.system ?? []), ...system];
        if (messages.length) span.input = messages;
      } else {
        span.output = chat;
      }
      continue;
    }
    span[dir] = [{ role, parts: [{ type: 'text', text: asText(value) }] }];
    deleteValue(rest, dir);
  }
}

function deleteValue(rest: Record<string, unknown>, dir: 'input' | 'output'): void {
  delete rest[`${dir}.value`];
  delete rest[`${dir}.mime_type`];
}

function docPart(d: Doc): Part {
  const part: Part = { type: 'text', text: asText(d.content ?? '') };
  if (d.id !== undefined && d.id !== null) part.citations = [{ contentId: asText(d.id) }];
  return part;
}

// ---------------------------------------------------------------------------
// Small helpers

/** "12" → 12; anything else → undefined. */
function index(s: string | undefined): number | undefined {
  if (!s) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(s);
}

function sortedValues<T>(map: Map<number, T>): T[] {
  return [...map.keys()].sort((a, b) => a - b).map((k) => map.get(k)!);
}

/** OpenInference values may also be JSON string literals. */
const parseJson = (value: unknown): unknown => parseIfJson(value, { strings: true });

/** application/json → parsed (malformed stays a string); text or no mime → as is. */
function valueByMime(value: unknown, mime: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (typeof mime === 'string' && mime.toLowerCase().includes('json')) {
    const t = value.trim();
    if (t === 'true' || t === 'false' || t === 'null' || (t !== '' && Number.isFinite(Number(t)))) {
      return JSON.parse(t);
    }
    return parseJson(value);
  }
  return value;
}

