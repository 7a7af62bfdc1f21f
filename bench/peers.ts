// The peers on the same session (issue #19): the bench's OTLP requests
// (otlp.jsonl, 512 spans each) are posted as OTLP/HTTP protobuf to Arize
// Phoenix (test/support/phoenix.ts, the pinned PyPI release) and to Jaeger v2
// (test/support/jaeger.ts, built from the Go module proxy), and the time from
// the first POST until each one shows the session is measured:
//  - Phoenix: its own UI in Chromium (the project's Traces table shows rows),
//    reloaded like a user would, then until its store holds every span
//    (GraphQL recordCount), and how many rows the Traces table shows.
//  - Jaeger: the binary built from the Go module has no UI assets (its `/`
//    serves the "not the Jaeger UI you are looking for" placeholder page), so
//    the time is until its query API (what Jaeger UI's search calls) returns
//    the session's traces, then every span; the spans it returns are counted.
// Timestamps are moved so the session ends now (Phoenix's UI shows the last
// 7 days). Each server's RSS is read from /proc after the ingest settles.
//   node --import tsx bench/peers.ts DATA_DIR [phoenix,jaeger]
// Prints `RESULT {json}` on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { encodeOtlpProtobuf } from '../src/backends/otlp/protobuf';
import { startJaeger } from '../test/support/jaeger';
import { startPhoenix } from '../test/support/phoenix';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// How long to wait for a peer to store every span after the first POST (Phoenix
// ingests tens of spans a second here); past it the spans stored so far are reported.
const SETTLE_TIMEOUT_MS = Number(process.env.BENCH_PEER_SETTLE_S ?? 300) * 1000;
const log = (msg: string) => process.stderr.write(`[peers] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Bodies {
  bodies: Uint8Array[];
  spans: number;
  traces: number;
  lastTraceId: string;
  lastTraceSpans: number;
  startUs: number;
  endUs: number;
  service: string;
}

type Obj = Record<string, unknown>;

/** Reads otlp.jsonl, shifts the times so the session ends now, encodes protobuf. */
function prepare(dir: string): Bodies {
  const lines = fs.readFileSync(path.join(dir, 'otlp.jsonl'), 'utf8').split('\n').filter((l) => l.length > 0);
  const requests = lines.map((l) => JSON.parse(l) as Obj);
  const spansOf = function* (req: Obj): Generator<Obj> {
    for (const rs of req.resourceSpans as Obj[]) for (const ss of rs.scopeSpans as Obj[]) yield* ss.spans as Obj[];
  };
  let maxEnd = 0n;
  let minStart: bigint | undefined;
  for (const req of requests) {
    for (const s of spansOf(req)) {
      const e = BigInt(s.endTimeUnixNano as string);
      const b = BigInt(s.startTimeUnixNano as string);
      if (e > maxEnd) maxEnd = e;
      if (minStart === undefined || b < minStart) minStart = b;
    }
  }
  const delta = BigInt(Date.now() - 60_000) * 1_000_000n - maxEnd;
  const perTrace = new Map<string, number>();
  let spans = 0;
  let last = '';
  for (const req of requests) {
    for (const s of spansOf(req)) {
      s.startTimeUnixNano = String(BigInt(s.startTimeUnixNano as string) + delta);
      s.endTimeUnixNano = String(BigInt(s.endTimeUnixNano as string) + delta);
      const t = s.traceId as string;
      perTrace.set(t, (perTrace.get(t) ?? 0) + 1);
      last = t;
      spans++;
    }
  }
  const attrs = ((requests[0]?.resourceSpans as Obj[])[0]?.resource as Obj | undefined)?.attributes as { key: string; value: { stringValue?: string } }[] | undefined;
  return {
    bodies: requests.map((r) => encodeOtlpProtobuf(r)),
    spans,
    traces: perTrace.size,
    lastTraceId: last,
    lastTraceSpans: perTrace.get(last) ?? 0,
    startUs: Number(((minStart ?? 0n) + delta) / 1000n) - 1_000_000,
    endUs: Number((maxEnd + delta) / 1000n) + 1_000_000,
    service: attrs?.find((a) => a.key === 'service.name')?.value.stringValue ?? 'unknown',
  };
}

/** Posts the bodies one after the other (as a batch span processor does); resolves with the time of the first POST and when the last returned. */
async function send(url: string, data: Bodies): Promise<{ sendMs: number; errors: number }> {
  const t0 = Date.now();
  let errors = 0;
  for (const body of data.bodies) {
    const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    await r.arrayBuffer();
    if (!r.ok) errors++;
  }
  return { sendMs: Date.now() - t0, errors };
}

function rssMB(pid: number | undefined): { rssMB?: number; peakMB?: number } {
  if (!pid) return {};
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  } catch {
    return {};
  }
}

async function phoenix(data: Bodies, page: Page): Promise<Obj> {
  const px = await startPhoenix();
  try {
    const gql = async (query: string): Promise<Obj> => {
      const r = await fetch(`${px.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return (await r.json()) as Obj;
    };
    const counts = async () => {
      const g = (await gql('{ projects { edges { node { id name traceCount recordCount } } } }')) as { data?: { projects: { edges: { node: { id: string; traceCount: number; recordCount: number } }[] } } };
      const nodes = g.data?.projects.edges.map((e) => e.node) ?? [];
      return { id: nodes[0]?.id, spans: nodes.reduce((n, p) => n + p.recordCount, 0), traces: nodes.reduce((n, p) => n + p.traceCount, 0) };
    };
    const project = (await counts()).id;
    const url = `${px.baseUrl}/projects/${project}/traces`;
    await page.goto(url);
    await page.waitForSelector('table tbody', { timeout: 60_000 });
    const rss0 = rssMB(px.pid);

    const t0 = Date.now();
    const sending = send(px.otlpHttpUrl, data);
    // The UI: reload the Traces tab until its table has rows.
    let firstUiMs: number | undefined;
    while (firstUiMs === undefined && Date.now() - t0 < SETTLE_TIMEOUT_MS) {
      await page.reload();
      await page.waitForSelector('table tbody', { timeout: 120_000 });
      await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
      if ((await page.locator('table tbody:not(.is-empty) tr').count()) > 0) firstUiMs = Date.now() - t0;
      else await sleep(500);
    }
    const sent = await sending;
    // The store: until every span is in (or it stops growing for a minute).
    let allMs: number | undefined;
    let last = { spans: -1, at: Date.now() };
    let c = await counts();
    while (Date.now() - t0 < SETTLE_TIMEOUT_MS) {
      c = await counts();
      if (c.spans >= data.spans) {
        allMs = Date.now() - t0;
        break;
      }
      if (c.spans !== last.spans) last = { spans: c.spans, at: Date.now() };
      else if (Date.now() - last.at > 60_000) break;
      await sleep(500);
    }
    await page.reload();
    await page.waitForSelector('table tbody:not(.is-empty) tr', { timeout: 120_000 }).catch(() => undefined);
    await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
    const rowsShown = await page.locator('table tbody:not(.is-empty) tr').count();
    fs.mkdirSync(path.join(__dirname, '..', 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(__dirname, '..', 'test-results', `bench-phoenix-${data.spans}.png`) });
    return { ...sent, firstUiMs, allMs, waitedMs: Date.now() - t0, spansStored: c.spans, tracesStored: c.traces, rowsShown, idle: rss0, held: rssMB(px.pid) };
  } finally {
    await px.close();
  }
}

async function jaeger(data: Bodies): Promise<Obj> {
  const j = await startJaeger({ maxTraces: Math.max(100_000, data.traces * 2) });
  try {
    const home = await (await fetch(`${j.baseUrl}/`)).text();
    const uiServed = !/not the Jaeger UI you are looking for/i.test(home);
    const rss0 = rssMB(j.pid);
    const range = `start=${data.startUs}&end=${data.endUs}`;
    const t0 = Date.now();
    const sending = send(j.otlpHttpUrl, data);
    // What Jaeger UI's search page asks for (20 traces of the service).
    let firstMs: number | undefined;
    while (firstMs === undefined && Date.now() - t0 < SETTLE_TIMEOUT_MS) {
      const r = await fetch(`${j.baseUrl}/api/traces?service=${encodeURIComponent(data.service)}&${range}&limit=20`);
      const body = r.ok ? ((await r.json()) as { data?: unknown[] }) : {};
      if ((body.data?.length ?? 0) > 0) firstMs = Date.now() - t0;
      else await sleep(200);
    }
    const sent = await sending;
    // Every span: the session's last trace is complete…
    let lastTraceMs: number | undefined;
    while (Date.now() - t0 < SETTLE_TIMEOUT_MS) {
      const r = await fetch(`${j.baseUrl}/api/traces/${data.lastTraceId}`);
      const body = r.ok ? ((await r.json()) as { data?: { spans: unknown[] }[] }) : {};
      if ((body.data?.[0]?.spans.length ?? 0) >= data.lastTraceSpans) {
        lastTraceMs = Date.now() - t0;
        break;
      }
      await sleep(300);
    }
    // …then all the session's traces in one search, as the UI would with the limit raised.
    const q0 = Date.now();
    const r = await fetch(`${j.baseUrl}/api/traces?service=${encodeURIComponent(data.service)}&${range}&limit=${data.traces + 10}`);
    const all = r.ok ? ((await r.json()) as { data?: { spans: unknown[] }[] }) : {};
    const searchAllMs = Date.now() - q0;
    const spansReturned = (all.data ?? []).reduce((n, t) => n + t.spans.length, 0);
    return { ...sent, uiServed, firstMs, allMs: lastTraceMs !== undefined ? Math.max(lastTraceMs, 0) : undefined, searchAllMs, allVisibleMs: lastTraceMs !== undefined ? lastTraceMs + searchAllMs : undefined, tracesReturned: all.data?.length ?? 0, spansReturned, idle: rss0, held: rssMB(j.pid) };
  } finally {
    await j.close();
  }
}

async function main(): Promise<void> {
  const [dir, which = 'phoenix,jaeger'] = process.argv.slice(2);
  const data = prepare(dir);
  log(`${data.spans} spans, ${data.traces} traces, ${data.bodies.length} requests`);
  const out: Obj = { spans: data.spans, traces: data.traces, requests: data.bodies.length };
  if (which.includes('jaeger')) {
    try {
      out.jaeger = await jaeger(data);
    } catch (err) {
      out.jaeger = { error: (err as Error).message.slice(0, 300) };
    }
    log(`jaeger: ${JSON.stringify(out.jaeger)}`);
  }
  if (which.includes('phoenix')) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 960 } });
      out.phoenix = await phoenix(data, page);
    } catch (err) {
      out.phoenix = { error: (err as Error).message.slice(0, 300) };
    } finally {
      await browser.close();
    }
    log(`phoenix: ${JSON.stringify(out.phoenix)}`);
  }
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
