// Runs one real Python producer against a fresh LLM stand-in and a fresh
// capture receiver (HTTP + gRPC, persisting what it accepts), and returns what
// arrived: the decoded spans, the receiver's events, the requests as the
// capture log stored them (test/fixtures/recorded/ holds these; `npm run record`
// regenerates them), and the script's printed result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startReceiver, type ReceiveEvent } from '../../src/capture/receiver';
import { openCaptureStore } from '../../src/capture/persist';
import type { Span } from '../../src/model/types';
import { startLlmStandIn, type LlmRequest } from './llm';
import { runPython } from './python';
import { readmeSnippet, withPorts } from './readme';

export interface ProducerSpec {
  /** Fixture name: test/fixtures/recorded/<name>.jsonl */
  name: string;
  script: string;
  env?: Record<string, string>;
  /** A README snippet written as <module>.py on the script's PYTHONPATH. */
  snippet?: { label: string; module: string };
  /** Wait until at least this many spans arrived. */
  expectSpans: number;
  /** Record the script's JSONL processor output too. */
  recordItems?: boolean;
}

export interface ProducerRun {
  spans: Span[];
  /** Each span's record as received, read back from the capture log as the Raw tab reads it. */
  raws: Map<Span, unknown>;
  events: ReceiveEvent[];
  result: Record<string, string>;
  /** The capture log's lines ({"v":1,"at","kind","body"}), in arrival order. */
  records: string[];
  /** What the script's JSONL processor wrote (OpenAI Agents runs), else ''. */
  jsonl: string;
  /** The requests the LLM stand-in answered. */
  requests: LlmRequest[];
}

/** Every producer the tests run, with what each needs. */
export const PRODUCERS: Record<string, ProducerSpec> = {
  genaiLogs: {
    name: 'otel-genai-openai-logs',
    script: 'otel_genai_run.py',
    env: { TRANSPORT: 'readme', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'EVENT_ONLY' },
    snippet: { label: 'Python, OpenTelemetry GenAI', module: 'span_inspector_otel' },
    expectSpans: 2,
  },
  genaiGrpc: {
    name: 'otel-genai-openai-grpc',
    script: 'otel_genai_run.py',
    env: { TRANSPORT: 'grpc', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY' },
    expectSpans: 2,
  },
  openinferenceAgno: {
    name: 'openinference-agno',
    script: 'agno_openinference_run.py',
    snippet: { label: 'Python, OpenInference', module: 'span_inspector_otel' },
    expectSpans: 10,
  },
  openinferenceAgents: {
    name: 'openinference-openai-agents',
    script: 'openai_agents_run.py',
    snippet: { label: 'Python, OpenInference', module: 'span_inspector_tracing' },
    expectSpans: 40,
  },
  openaiAgents: {
    name: 'openai-agents-python',
    script: 'openai_agents_run.py',
    snippet: { label: 'Python, OpenAI Agents SDK', module: 'span_inspector_tracing' },
    expectSpans: 39,
    recordItems: true,
  },
};

export async function runProducer(spec: ProducerSpec): Promise<ProducerRun> {
  // A fresh stand-in per run: its call ids count from 1.
  const llm = await startLlmStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'producer-'));
  const storageDir = path.join(dir, 'capture');
  const store = await openCaptureStore({ storageDir });
  const server = await startReceiver({ store, port: 0, grpcPort: 0 });
  const events: ReceiveEvent[] = [];
  server.receiver.onDidReceive((e) => events.push(e));
  try {
    if (spec.snippet) fs.writeFileSync(path.join(dir, `${spec.snippet.module}.py`), withPorts(readmeSnippet(spec.snippet.label), { http: server.port }));
    const jsonlPath = path.join(dir, 'traces.jsonl');
    const run = await runPython([spec.script], {
      env: { OPENAI_BASE_URL: llm.baseUrl, PYTHONPATH: dir, OTLP_HTTP: server.url, OTLP_GRPC: server.receiver.grpcAddress!, JSONL_OUT: jsonlPath, ...spec.env },
      timeoutMs: 180_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const all = (): Span[] => store.listSessions().flatMap((s) => store.getSpans(s.id) ?? []);
    const jsonl = fs.existsSync(jsonlPath) ? fs.readFileSync(jsonlPath, 'utf8') : '';
    // When the SDK also wrote its items to JSONL, every span item there must reach the receiver.
    const expected = Math.max(spec.expectSpans, jsonl.split('\n').filter((l) => l.includes('"object": "trace.span"')).length);
    const until = Date.now() + 10_000;
    while (all().length < expected) {
      if (Date.now() > until) throw new Error(`${spec.name}: only ${all().length} of ${expected} spans arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await store.flush();
    const records = fs.readdirSync(storageDir).sort().flatMap((f) => fs.readFileSync(path.join(storageDir, f), 'utf8').split('\n').filter(Boolean));
    const spans = all();
    return { spans, raws: await store.rawRecords(spans), events, result: JSON.parse(run.stdout.trim().split('\n').pop()!), records, jsonl, requests: llm.requests };
  } finally {
    await server.close();
    await store.dispose();
    await llm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
