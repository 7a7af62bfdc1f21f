// Writes the benchmark data for the given sizes under bench/data/<version>/<size>/:
//   qconnect.jsonl  Q Connect wire spans, one per line (served by the emulator)
//   sgp.jsonl       SGP span records, one per line (served by the emulator)
//   agno.db         Agno SQLite database (written by the Agno fixture builder)
//   openai.jsonl    OpenAI Agents SDK ingest bodies ({"data":[…128 items]}), one per line
//   otlp.jsonl      OTLP/HTTP JSON request bodies (512 spans each), one per line
//   file.json       a Span Inspector session export ({session, spans})
//   meta.json       ids, counts and sizes
// Usage: node --import tsx bench/generate.ts DIR SIZE… (skips sizes already generated)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAgnoSqlite } from '../test/fixtures/agno/sqlite';
import { toSpan } from '../src/backends/qconnect/map';
import { sessionIds, toAgno, toOpenAiItems, toOtlpRequests, toQConnect, toSgp } from './lib/encode';
import { generateSession, shapeStats } from './lib/shape';

/** Buffered line writer: big files without one giant string. */
function writeLines(file: string, lines: Iterable<string>, open = '', sep = '\n', close = ''): number {
  const fd = fs.openSync(file, 'w');
  let buf: string[] = [open];
  let size = open.length;
  let bytes = 0;
  let first = true;
  const flush = () => {
    const b = Buffer.from(buf.join(''));
    fs.writeSync(fd, b);
    bytes += b.length;
    buf = [];
    size = 0;
  };
  for (const line of lines) {
    if (!first) buf.push(sep);
    first = false;
    buf.push(line);
    size += line.length;
    if (size > 4 << 20) flush();
  }
  buf.push(close);
  flush();
  fs.closeSync(fd);
  return bytes;
}

function* map<T>(items: T[], f: (x: T) => string): Generator<string> {
  for (const x of items) yield f(x);
}

function* batches<T>(items: T[], n: number, f: (b: T[]) => string): Generator<string> {
  for (let i = 0; i < items.length; i += n) yield f(items.slice(i, i + n));
}

async function generate(dir: string, size: number): Promise<void> {
  const t0 = Date.now();
  const s = generateSession(size);
  const ids = sessionIds(s);
  const bytes: Record<string, number> = {};
  fs.mkdirSync(dir, { recursive: true });

  const qc = toQConnect(s);
  bytes.qconnect = writeLines(path.join(dir, 'qconnect.jsonl'), map(qc, (x) => JSON.stringify(x)));
  // The file backend's input is what `span-inspector export` writes: normalized spans, sorted by start.
  const normalized = qc.map((w, i) => toSpan(w, ids.qconnect, i)).sort((a, b) => a.startTime - b.startTime);
  const session = { backendId: 'bench-file', id: ids.qconnect, name: s.name, startTime: s.runs[0]?.start, endTime: s.runs[s.runs.length - 1]?.end, spanCount: size };
  bytes.file = writeLines(path.join(dir, 'file.json'), map(normalized, (x) => JSON.stringify(x)), `{"session":${JSON.stringify(session)},"spans":[`, ',', ']}');

  // 1,000,000 spans: only the file backends' and capture's inputs (bench/run.mjs runs those there).
  const huge = size >= 1_000_000;
  if (!huge) bytes.sgp = writeLines(path.join(dir, 'sgp.jsonl'), map(toSgp(s), (x) => JSON.stringify(x)));
  bytes.openai = writeLines(path.join(dir, 'openai.jsonl'), batches(toOpenAiItems(s), 128, (b) => JSON.stringify({ data: b })));
  bytes.otlp = writeLines(path.join(dir, 'otlp.jsonl'), map(toOtlpRequests(s), (x) => JSON.stringify(x)));

  if (!huge) {
    const agno = toAgno(s);
    await writeAgnoSqlite(path.join(dir, 'agno.db'), agno);
    bytes.agnoAttributes = agno.spans.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r.attributes)), 0);
    bytes.agnoDb = fs.statSync(path.join(dir, 'agno.db')).size;
  }

  const meta = { spans: size, runs: s.runs.length, ids, shape: shapeStats(s), bytes, generatedMs: Date.now() - t0 };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
  process.stderr.write(`  generated ${size} spans (${s.runs.length} runs) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  const [root, ...sizes] = process.argv.slice(2);
  for (const n of sizes.map(Number)) {
    const dir = path.join(root, String(n));
    if (fs.existsSync(path.join(dir, 'meta.json'))) continue;
    await generate(dir, n);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
