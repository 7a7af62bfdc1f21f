// The one stand-in of the producer tests: a deterministic OpenAI-compatible
// language model on 127.0.0.1. Everything that writes a trace (Agno, the OpenAI
// Agents SDK, the OTel instrumentations) is the real library pointed at it.
//
// Usage:
//   const llm = await startLlmStandIn();
//   // Python: OpenAI(base_url=llm.baseUrl, api_key='test'), OpenAIChat(base_url=…),
//   //         env OPENAI_BASE_URL=llm.baseUrl OPENAI_API_KEY=test
//   ...
//   llm.requests   // every request: {path, body, stream}
//   await llm.close();
//
// Serves POST /v1/chat/completions and POST /v1/responses, streaming (SSE,
// `stream: true`) and not, plus GET /v1/models. What it answers:
//   1. a scripted reply, when the test queued one: llm.enqueue({text, toolCalls, reasoning}) (FIFO);
//   2. otherwise, when the conversation ends with a tool result: text "Done: <tool output>";
//   3. otherwise directives in the LAST user message (anything else there is ignored):
//        [[call NAME {"json":"args"}]]  a tool call (several = parallel calls); only when the
//                                       request offers a tool NAME, else it is skipped
//        [[say TEXT]]                   the answer text (default: "Echo: <user text>")
//        [[reason TEXT]]                reasoning before the answer
//        [[fail 500 message]]           answer with that HTTP error instead
//   A model whose name contains "reason" always reasons ("Thinking about: <user text>").
// Reasoning goes out as Chat Completions `reasoning_content` (message and stream
// deltas) and as a Responses `reasoning` item with a summary_text part.
// Usage numbers are word counts, so every run is byte-for-byte repeatable
// apart from ids' counter and `created` timestamps (fixed at 1767225600).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** Arguments object (sent JSON-encoded) or an already encoded string. */
  arguments?: unknown;
  id?: string;
}

export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  reasoning?: string;
  /** Answer with this HTTP error status instead (body `{error: {message}}`). */
  status?: number;
  /** Only used for a request of this model (the first matching reply is taken). */
  model?: string;
}

export interface LlmRequest {
  path: string;
  api: 'chat' | 'responses';
  stream: boolean;
  model: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

export interface LlmStandIn {
  /** `http://127.0.0.1:PORT/v1`, the OpenAI client's base_url. */
  baseUrl: string;
  port: number;
  requests: LlmRequest[];
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

const CREATED = 1767225600;

interface Reply {
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  reasoning?: string;
  status?: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** The text of a Chat or Responses content value (string or parts). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (typeof p === 'string' ? p : typeof obj(p)?.text === 'string' ? (obj(p)!.text as string) : ''))
    .join('');
}

interface Conversation {
  lastUser: string;
  /** Set when the last item is a tool result. */
  toolOutput?: string;
  tools: Set<string>;
}

function readConversation(api: 'chat' | 'responses', body: Obj): Conversation {
  const tools = new Set<string>();
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    const o = obj(t);
    const name = obj(o?.function)?.name ?? o?.name;
    if (typeof name === 'string') tools.add(name);
  }
  const items: unknown[] =
    api === 'chat'
      ? Array.isArray(body.messages)
        ? body.messages
        : []
      : typeof body.input === 'string'
        ? [{ role: 'user', content: body.input }]
        : Array.isArray(body.input)
          ? body.input
          : [];
  let lastUser = '';
  for (const item of items) {
    const o = obj(item);
    if (o?.role === 'user') lastUser = textOf(o.content);
  }
  const last = obj(items[items.length - 1]);
  let toolOutput: string | undefined;
  if (last?.role === 'tool') toolOutput = textOf(last.content);
  else if (last?.type === 'function_call_output') toolOutput = typeof last.output === 'string' ? last.output : textOf(last.output) || JSON.stringify(last.output);
  return { lastUser, toolOutput, tools };
}

const DIRECTIVE = /\[\[(call|say|reason|fail)\s+([^\]]*?)\]\]/g;

function decide(conv: Conversation, model: string, nextId: () => string, scripted?: ScriptedReply): Reply {
  if (scripted) {
    return {
      text: scripted.text ?? '',
      reasoning: scripted.reasoning,
      status: scripted.status,
      toolCalls: (scripted.toolCalls ?? []).map((c) => ({
        id: c.id ?? nextId(),
        name: c.name,
        arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
      })),
    };
  }
  const plain = conv.lastUser.replace(DIRECTIVE, '').replace(/\s+/g, ' ').trim();
  const reply: Reply = { text: `Echo: ${plain}`, toolCalls: [] };
  if (/reason/i.test(model)) reply.reasoning = `Thinking about: ${plain}`;
  if (conv.toolOutput !== undefined) {
    reply.text = `Done: ${conv.toolOutput}`;
    return reply;
  }
  for (const m of conv.lastUser.matchAll(DIRECTIVE)) {
    const [, kind, arg] = m;
    if (kind === 'say') reply.text = arg;
    else if (kind === 'reason') reply.reasoning = arg;
    else if (kind === 'fail') {
      const [, code, message] = /^(\d{3})\s*(.*)$/.exec(arg) ?? [];
      reply.status = Number(code) || 500;
      reply.text = message || 'scripted failure';
    } else {
      const [, name, args] = /^(\S+)\s*(.*)$/.exec(arg) ?? [];
      if (name && conv.tools.has(name)) reply.toolCalls.push({ id: nextId(), name, arguments: args.trim() || '{}' });
    }
  }
  if (reply.toolCalls.length) reply.text = '';
  return reply;
}

const words = (s: string): number => (s.trim() ? s.trim().split(/\s+/).length : 0);

function usageOf(conv: Conversation, reply: Reply): { input: number; output: number; reasoning: number } {
  const reasoning = words(reply.reasoning ?? '');
  const output = words(reply.text) + reply.toolCalls.reduce((n, c) => n + words(c.name) + words(c.arguments), 0) + reasoning;
  return { input: words(conv.lastUser) + words(conv.toolOutput ?? '') + 1, output, reasoning };
}

// ---- Chat Completions ----

function chatCompletion(id: string, model: string, reply: Reply, u: ReturnType<typeof usageOf>): Obj {
  const message: Obj = { role: 'assistant', content: reply.toolCalls.length && !reply.text ? null : reply.text, refusal: null };
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (reply.toolCalls.length) {
    message.tool_calls = reply.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.toolCalls.length ? 'tool_calls' : 'stop' }],
    usage: chatUsage(u),
  };
}

function chatUsage(u: ReturnType<typeof usageOf>): Obj {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning },
  };
}

function* chatChunks(id: string, model: string, reply: Reply, u: ReturnType<typeof usageOf>, includeUsage: boolean): Generator<Obj> {
  const chunk = (delta: Obj, finish: string | null = null): Obj => ({
    id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  yield chunk({ role: 'assistant', content: '' });
  for (const piece of pieces(reply.reasoning ?? '')) yield chunk({ reasoning_content: piece });
  for (const piece of pieces(reply.text)) yield chunk({ content: piece });
  for (const [index, c] of reply.toolCalls.entries()) {
    yield chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] });
    for (const piece of pieces(c.arguments)) yield chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  }
  yield chunk({}, reply.toolCalls.length ? 'tool_calls' : 'stop');
  if (includeUsage) yield { id, object: 'chat.completion.chunk', created: CREATED, model, choices: [], usage: chatUsage(u) };
}

/** Splits text into a few deltas (word boundaries), so streams really stream. */
function pieces(text: string): string[] {
  if (!text) return [];
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

// ---- Responses ----

function responseItems(reply: Reply, nextId: () => string): Obj[] {
  const out: Obj[] = [];
  if (reply.reasoning) {
    out.push({ id: `rs_${nextId()}`, type: 'reasoning', summary: [{ type: 'summary_text', text: reply.reasoning }] });
  }
  if (reply.text || !reply.toolCalls.length) {
    out.push({
      id: `msg_${nextId()}`,
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  for (const c of reply.toolCalls) {
    out.push({ id: `fc_${nextId()}`, type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments, status: 'completed' });
  }
  return out;
}

function responseObject(id: string, body: Obj, output: Obj[], u: ReturnType<typeof usageOf> | undefined, status: string): Obj {
  return {
    id,
    object: 'response',
    created_at: CREATED,
    status,
    model: body.model,
    instructions: body.instructions ?? null,
    output,
    parallel_tool_calls: true,
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    text: { format: { type: 'text' } },
    truncation: 'disabled',
    error: null,
    incomplete_details: null,
    metadata: {},
    usage: u
      ? {
          input_tokens: u.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: u.output,
          output_tokens_details: { reasoning_tokens: u.reasoning },
          total_tokens: u.input + u.output,
        }
      : null,
  };
}

function* responseEvents(id: string, body: Obj, items: Obj[], u: ReturnType<typeof usageOf>): Generator<Obj> {
  let seq = 0;
  const ev = (type: string, fields: Obj): Obj => ({ type, sequence_number: seq++, ...fields });
  yield ev('response.created', { response: responseObject(id, body, [], undefined, 'in_progress') });
  yield ev('response.in_progress', { response: responseObject(id, body, [], undefined, 'in_progress') });
  for (const [output_index, item] of items.entries()) {
    const item_id = item.id;
    if (item.type === 'reasoning') {
      const text = (item.summary as Obj[])[0].text as string;
      yield ev('response.output_item.added', { output_index, item: { ...item, summary: [] } });
      yield ev('response.reasoning_summary_part.added', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
      for (const delta of pieces(text)) yield ev('response.reasoning_summary_text.delta', { item_id, output_index, summary_index: 0, delta });
      yield ev('response.reasoning_summary_text.done', { item_id, output_index, summary_index: 0, text });
      yield ev('response.reasoning_summary_part.done', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text } });
    } else if (item.type === 'message') {
      const text = ((item.content as Obj[])[0].text as string) ?? '';
      yield ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      yield ev('response.content_part.added', { item_id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      for (const delta of pieces(text)) yield ev('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
      yield ev('response.output_text.done', { item_id, output_index, content_index: 0, text, logprobs: [] });
      yield ev('response.content_part.done', { item_id, output_index, content_index: 0, part: { type: 'output_text', text, annotations: [] } });
    } else {
      const args = item.arguments as string;
      yield ev('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      for (const delta of pieces(args)) yield ev('response.function_call_arguments.delta', { item_id, output_index, delta });
      yield ev('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: args });
    }
    yield ev('response.output_item.done', { output_index, item });
  }
  yield ev('response.completed', { response: responseObject(id, body, items, u, 'completed') });
}

// ---- server ----

export async function startLlmStandIn(): Promise<LlmStandIn> {
  const requests: LlmRequest[] = [];
  const queue: ScriptedReply[] = [];
  let counter = 0;
  const nextId = (): string => `call_${String(++counter).padStart(4, '0')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
      if (req.method === 'GET' && url.endsWith('/models')) {
        return json(res, 200, { object: 'list', data: [{ id: 'stand-in', object: 'model', created: CREATED, owned_by: 'span-inspector' }] });
      }
      const api = url.endsWith('/chat/completions') ? 'chat' : url.endsWith('/responses') ? 'responses' : undefined;
      if (req.method !== 'POST' || !api) return json(res, 404, { error: { message: `no route ${req.method} ${url}`, type: 'invalid_request_error' } });
      let body: Obj;
      try {
        body = obj(JSON.parse(Buffer.concat(chunks).toString('utf8'))) ?? {};
      } catch {
        return json(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      }
      const model = typeof body.model === 'string' ? body.model : 'stand-in';
      const stream = body.stream === true;
      requests.push({ path: url, api, stream, model, body, headers: req.headers });
      const qi = queue.findIndex((r) => r.model === undefined || r.model === model);
      const scripted = qi >= 0 ? queue.splice(qi, 1)[0] : undefined;
      const conv = readConversation(api, body);
      const reply = decide(conv, model, nextId, scripted);
      if (reply.status && reply.status >= 400) {
        return json(res, reply.status, { error: { message: reply.text || 'scripted failure', type: 'server_error', code: null } });
      }
      const u = usageOf(conv, reply);
      const id = api === 'chat' ? `chatcmpl-${String(++counter).padStart(4, '0')}` : `resp_${String(++counter).padStart(4, '0')}`;
      if (api === 'chat') {
        if (!stream) return json(res, 200, chatCompletion(id, model, reply, u));
        const includeUsage = obj(body.stream_options)?.include_usage === true;
        return sse(res, [...chatChunks(id, model, reply, u, includeUsage)], false);
      }
      const items = responseItems(reply, nextId);
      if (!stream) return json(res, 200, responseObject(id, body, items, u, 'completed'));
      return sse(res, [...responseEvents(id, body, items, u)], true);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Server-sent events: Responses events carry `event:` lines, Chat chunks end with `[DONE]`. */
function sse(res: http.ServerResponse, events: Obj[], named: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) res.write(`${named ? `event: ${String(e.type)}\n` : ''}data: ${JSON.stringify(e)}\n\n`);
  if (!named) res.write('data: [DONE]\n\n');
  res.end();
}
