// One measurement in a fresh process (so peak memory is this load's alone):
// load one session through the real Backend (over HTTP from an emulator in
// another process, from a database, a file, or the capture receiver fed by a
// sender process), build the tree, and hold it while measuring memory.
//   node --expose-gc --import tsx bench/worker.ts BACKEND DATA_DIR [SERVER_JSON]
// Prints `RESULT {json}` on stdout.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAgnoBackend } from '../src/backends/agno/backend';
import { createFileBackend } from '../src/backends/file/backend';
import { createOpenAiAgentsBackend } from '../src/backends/store/openaiJsonl';
import { createOtlpFileBackend } from '../src/backends/store/otlpFiles';
import { createQConnectBackend } from '../src/backends/qconnect/backend';
import { createSgpBackend } from '../src/backends/sgp/backend';
import type { Backend, BackendContext } from '../src/backends/types';
import { createCaptureBackend } from '../src/backends/store/storeBackend';
import { startReceiver } from '../src/capture/receiver';
import { openCaptureStore } from '../src/capture/persist';
import { ForestBuilder } from '../src/model/tree';
import type { Span } from '../src/model/types';

interface Meta {
  spans: number;
  ids: { qconnect: string; sgpGroup: string; agno: string; openaiGroup: string; otlpConversation: string };
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function context(secrets: Record<string, string> = {}): BackendContext {
  return { log: quiet, getSecret: async (n) => secrets[n], resolvePath: (p) => p, storageDir: os.tmpdir() };
}

const now = () => performance.now();

/** Capture: the receiver runs here (it lives in the extension host); a sender process posts the bodies. */
async function capture(kind: 'openai' | 'otlp', dir: string, meta: Meta): Promise<{ backend: Backend; sessionId: string; ingestMs: number; firstMs: number; tmp: string }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'span-bench-capture-'));
  // Persisted like the extension's receiver does (every accepted request is appended to a log).
  const store = await openCaptureStore({ storageDir: tmp, log: quiet, maxSpans: 1_000_000, maxDiskBytes: 4 << 30 });
  const server = await startReceiver({ store, port: 0, log: quiet, maxBodyBytes: 64 << 20 });
  let firstAt: number | undefined;
  server.receiver.onDidReceive(() => {
    firstAt ??= Date.now();
  });
  const file = path.join(dir, kind === 'openai' ? 'openai.jsonl' : 'otlp.jsonl');
  const urlPath = kind === 'openai' ? '/v1/traces/ingest' : '/v1/traces';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sender.ts'), file, server.url + urlPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited ${code}`)))));
  const sent = JSON.parse(out.trim().split('\n').pop()!) as { firstStart: number; lastEnd: number; requests: number };
  await server.close();
  await store.flush();
  const sessionId = kind === 'openai' ? meta.ids.openaiGroup : meta.ids.otlpConversation;
  return { backend: createCaptureBackend(store), sessionId, ingestMs: sent.lastEnd - sent.firstStart, firstMs: (firstAt ?? sent.lastEnd) - sent.firstStart, tmp };
}

async function main(): Promise<void> {
  const [kind, dir, serverJson] = process.argv.slice(2);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const server = serverJson ? (JSON.parse(serverJson) as Record<string, string>) : {};
  let backend: Backend;
  let sessionId: string;
  let ingest: { ingestMs: number; firstMs: number } | undefined;
  let cleanup: string | undefined;

  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 25);

  switch (kind) {
    case 'qconnect':
      backend = createQConnectBackend(
        { id: 'bench-qconnect', type: 'qconnect', region: server.region, assistantId: server.assistantId, endpoint: server.url },
        context(),
        // Static credentials: the default chain could otherwise probe IMDS (a non-loopback address).
        { clientConfig: { credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } } },
      );
      sessionId = meta.ids.qconnect;
      break;
    case 'sgp':
      backend = createSgpBackend({ id: 'bench-sgp', type: 'sgp', baseUrl: server.url, accountId: server.accountId }, context({ 'sgp.apiKey': server.apiKey }));
      sessionId = `group:${meta.ids.sgpGroup}`;
      break;
    case 'agno':
    case 'agno-sqljs':
      backend = createAgnoBackend({ id: 'bench-agno', type: 'agno', database: path.join(dir, 'agno.db'), sqliteEngine: kind === 'agno' ? 'auto' : 'wasm' }, context());
      sessionId = meta.ids.agno;
      break;
    case 'agno-pg':
      backend = createAgnoBackend({ id: 'bench-agno-pg', type: 'agno', database: server.url }, context());
      sessionId = meta.ids.agno;
      break;
    case 'openaiAgents':
      backend = createOpenAiAgentsBackend({ id: 'bench-openai-jsonl', type: 'openaiAgents', path: path.join(dir, 'openai.jsonl') }, context());
      sessionId = meta.ids.openaiGroup;
      break;
    case 'otlp':
      backend = createOtlpFileBackend({ id: 'bench-otlp-file', type: 'otlp', path: path.join(dir, 'otlp.jsonl') }, context());
      sessionId = meta.ids.otlpConversation;
      break;
    case 'capture-openai':
    case 'capture-otlp': {
      const c = await capture(kind === 'capture-openai' ? 'openai' : 'otlp', dir, meta);
      ({ backend, sessionId } = c);
      ingest = c;
      cleanup = c.tmp;
      break;
    }
    case 'file':
      backend = createFileBackend({ id: 'bench-file', type: 'file', path: path.join(dir, 'file.json') }, context());
      sessionId = meta.ids.qconnect;
      break;
    default:
      throw new Error(`unknown backend ${kind}`);
  }

  // What LoadedSession does: pages are linked into the forest as they arrive.
  const spans: Span[] = [];
  const live = new ForestBuilder();
  const t0 = now();
  let firstPageMs: number | undefined;
  let pages = 0;
  for await (const page of backend.loadSpans(sessionId)) {
    live.add(page.spans);
    firstPageMs ??= now() - t0;
    pages++;
    for (const s of page.spans) spans.push(s);
  }
  const loadMs = now() - t0;

  // Tree build as measured by the issue: all spans into a fresh builder, then a full walk.
  // CPU time (pure computation; steadier than wall time on a shared machine).
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t1 = cpu();
  let forest: ForestBuilder | undefined = new ForestBuilder().add(spans);
  let walked = 0;
  let maxDepth = 0;
  for (const { depth } of forest.walk()) {
    walked++;
    if (depth > maxDepth) maxDepth = depth;
  }
  const treeMs = cpu() - t1;
  const roots = forest.roots().length;
  const issues = forest.issues.length + forest.orphanIssues().length;
  forest = undefined; // the extension holds one forest: the live one
  clearInterval(sampler);

  // Memory while holding the loaded session (the backend, its raw records and both forests stay referenced).
  const gc = (globalThis as { gc?: (options?: { type: string; execution: string; flavor: string }) => void }).gc;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  // After an ordinary full GC, V8 keeps freed pages and a grown young generation committed. A memory-reducing GC, the
  // one V8 runs on a low-memory notification, returns them on Node 24 (on Node 20 it has no effect): that RSS is what
  // the session itself needs. Reported beside "held"; the target is judged on "held".
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const rssReducedMB = process.memoryUsage().rss / 2 ** 20;
  const result = {
    backend: kind,
    spans: spans.length,
    expected: meta.spans,
    walked,
    maxDepth,
    pages,
    roots,
    issues,
    loadMs,
    firstPageMs,
    ingestMs: ingest?.ingestMs,
    ingestFirstMs: ingest?.firstMs,
    treeMs,
    rssHeldMB: mem.rss / 2 ** 20,
    rssReducedMB,
    heapHeldMB: mem.heapUsed / 2 ** 20,
    externalMB: (mem.external + mem.arrayBuffers) / 2 ** 20,
    rssPeakMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    heapPeakMB: Math.max(peakHeap, mem.heapUsed) / 2 ** 20,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  // Keep references alive until after the measurement.
  void live.size;
  backend.dispose?.();
  if (cleanup) fs.rmSync(cleanup, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
