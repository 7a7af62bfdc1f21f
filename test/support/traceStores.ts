// Shared setup for the team-store tests: the real producers (the OTel Python
// SDK script and the OTel JS SDK) that feed Jaeger and Phoenix, a backend
// context with an in-memory secret store, and small collectors.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BackendError } from '../../src/backends/errors';
import type { Backend, BackendContext, SpanPage } from '../../src/backends/types';
import type { Session, Span } from '../../src/model/types';
import { startLlmStandIn } from './llm';
import { runPython } from './python';

export interface ProducerSummary {
  conversations: Record<string, string[]>;
  sessions: Record<string, string[]>;
  plain: string[];
  big: string | null;
}

/** Runs test/python/store_producer.py (OTel Python SDK, OTLP/HTTP protobuf) and returns what it sent. */
export async function runPyProducer(endpoint: string, args: string[], headers: Record<string, string> = {}): Promise<ProducerSummary> {
  const h = Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}=${v}`]);
  const r = await runPython(['store_producer.py', '--endpoint', endpoint, ...h, ...args], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, `store_producer.py failed:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ProducerSummary;
}

/** One GenAI conversation of two traces through the OTel JS SDK and its OTLP/HTTP protobuf exporter. */
export async function runJsProducer(url: string, conversationId: string, options: { headers?: Record<string, string>; service?: string; project?: string } = {}): Promise<string[]> {
  const exporter = new ProtoExporter({ url, headers: options.headers });
  const attrs: Record<string, string> = { 'service.name': options.service ?? 'agent-js' };
  if (options.project) attrs['openinference.project.name'] = options.project;
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(attrs), spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 20 })] });
  const tracer = provider.getTracer('span-inspector.store-test', '1.0');
  const ids: string[] = [];
  for (let turn = 0; turn < 2; turn++) {
    const root = tracer.startSpan('invoke_agent Weather agent', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Weather agent', 'gen_ai.conversation.id': conversationId },
    });
    const ctx = trace.setSpan(context.active(), root);
    const chat = tracer.startSpan('chat gpt-4o', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 11,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `Weather, turn ${turn}?` }] }]),
      },
    }, ctx);
    chat.end();
    const tool = tracer.startSpan('execute_tool get_weather', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' } }, ctx);
    tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service down' });
    tool.end();
    root.end();
    ids.push(root.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}

export function makeContext(secrets: Record<string, string> = {}): BackendContext & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return {
    lines,
    log: { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    getSecret: async (name) => secrets[name],
    resolvePath: (p) => p,
  };
}

/** Every session of the list, following cursors; asserts no session id repeats across pages. */
export async function listAll(backend: Backend, limit: number): Promise<{ sessions: Session[]; pages: number }> {
  const sessions: Session[] = [];
  const ids = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await backend.listSessions({ cursor, limit });
    pages++;
    for (const s of page.sessions) {
      assert.ok(!ids.has(s.id), `session ${s.id} listed twice`);
      ids.add(s.id);
      sessions.push(s);
    }
    cursor = page.cursor;
    assert.ok(pages < 200, 'the session list does not end');
  } while (cursor);
  return { sessions, pages };
}

export async function loadPages(backend: Backend, sessionId: string, resumeFrom?: string): Promise<SpanPage[]> {
  const pages: SpanPage[] = [];
  for await (const p of backend.loadSpans(sessionId, { resumeFrom })) pages.push(p);
  return pages;
}

export function spansOf(pages: SpanPage[]): Span[] {
  return pages.flatMap((p) => p.spans);
}

export async function expectBackendError(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BackendError, `expected a BackendError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/**
 * A bearer-token gate in front of a store, as teams put oauth2-proxy or an
 * ingress in front of Jaeger (which has no auth of its own).
 */
export async function startTokenProxy(target: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: { httpCode: 401, message: 'invalid bearer token' } }));
      return;
    }
    const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A real Agno agent traced by the OpenInference instrumentor (test/python/store_agno_run.py) against the LLM stand-in. */
export function runAgnoProducer(endpoint: string, session: string, options: { headers?: Record<string, string>; project?: string } = {}): Promise<Record<string, string>> {
  return runAgentScript('store_agno_run.py', endpoint, ['--session', session], options);
}

/** The OpenAI Agents SDK traced by the OpenInference instrumentor (test/python/store_openai_agents_run.py). */
export function runOpenAiAgentsProducer(endpoint: string, options: { headers?: Record<string, string>; project?: string } = {}): Promise<Record<string, string>> {
  return runAgentScript('store_openai_agents_run.py', endpoint, [], options);
}

async function runAgentScript(script: string, endpoint: string, extra: string[], options: { headers?: Record<string, string>; project?: string }): Promise<Record<string, string>> {
  const llm = await startLlmStandIn();
  try {
    const h = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['--header', `${k}=${v}`]);
    const p = options.project ? ['--project', options.project] : [];
    const r = await runPython([script, '--endpoint', endpoint, ...extra, ...h, ...p], { env: { OPENAI_BASE_URL: llm.baseUrl }, timeoutMs: 300_000 });
    assert.equal(r.code, 0, `${script} failed:\n${r.stderr.slice(-3000)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, string>;
  } finally {
    await llm.close();
  }
}
