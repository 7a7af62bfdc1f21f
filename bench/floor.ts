// CPU cost once the bytes are in, without I/O: JSON.parse of exactly the
// bytes the backend receives (the floor), then the backend's own decoder
// (normalize), then ForestBuilder.add + walk (tree). Medians of REPS runs,
// each on a fresh parse, in one process (after one warm-up round below 50k spans).
//   node --expose-gc --import tsx bench/floor.ts BACKEND DATA_DIR [BODIES_FILE]
// BODIES_FILE (qconnect, sgp): `URL<TAB>body` lines recorded by server.ts --record.
// Prints `RESULT {json}`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { otelToSpan } from '../src/backends/otel/span';
import { toSpan } from '../src/backends/qconnect/map';
import { sgpToSpan } from '../src/backends/sgp/map';
import type { SgpSpanRecord } from '../src/backends/sgp/client';
import { CaptureStore } from '../src/backends/store/captureStore';
import { coerceSpan } from '../src/model/coerce';
import { StringPool } from '../src/model/intern';
import { isoToMs } from '../src/model/time';
import { ForestBuilder } from '../src/model/tree';
import type { Span, SpanStatus } from '../src/model/types';

const REPS = Number(process.env.BENCH_FLOOR_REPS ?? 3);
/** BENCH_NO_INTERN=1: decode without the string pool (to measure what interning costs and saves). */
const NO_INTERN = process.env.BENCH_NO_INTERN === '1';
class NoPool {
  internDeep<T>(v: T): T {
    return v;
  }
}
const newPool = (): Pick<StringPool, 'internDeep'> => (NO_INTERN ? new NoPool() : new StringPool());
// CPU time of this process (main thread plus V8's GC helper threads), not wall
// time: on a shared machine it is far steadier, and on an idle one the two agree.
const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

interface Meta {
  spans: number;
  ids: { qconnect: string; sgpGroup: string; agno: string; openaiGroup: string; otlpConversation: string };
}

/** Texts to parse, and what to do with the parsed values. */
interface Job {
  texts: string[];
  normalize(docs: unknown[]): Span[];
}

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

function recorded(file: string): { urls: string[]; texts: string[] } {
  const urls: string[] = [];
  const texts: string[] = [];
  for (const l of lines(file)) {
    const tab = l.indexOf('\t');
    urls.push(l.slice(0, tab));
    texts.push(l.slice(tab + 1));
  }
  return { urls, texts };
}

async function job(kind: string, dir: string, meta: Meta, bodies?: string): Promise<Job> {
  switch (kind) {
    case 'qconnect': {
      const { urls, texts } = recorded(bodies!);
      return {
        texts,
        normalize: (docs) => {
          // As the backend does: repeated long strings are interned before decoding.
          const pool = newPool();
          const out: Span[] = [];
          docs.forEach((d, i) => {
            if (!urls[i].includes('/spans')) return;
            for (const w of (d as { spans: unknown[] }).spans) out.push(toSpan(pool.internDeep(w), meta.ids.qconnect, out.length));
          });
          return out;
        },
      };
    }
    case 'sgp': {
      const { urls, texts } = recorded(bodies!);
      const sid = `group:${meta.ids.sgpGroup}`;
      return {
        texts,
        normalize: (docs) => {
          // Span pages are the ascending searches; the descending one lists the group's roots.
          const out: Span[] = [];
          const seen = new Set<string>();
          const pool = newPool();
          docs.forEach((d, i) => {
            if (!urls[i].includes('sort_order=asc')) return;
            for (const rec of (d as { items: SgpSpanRecord[] }).items) {
              if (seen.has(rec.id)) continue;
              seen.add(rec.id);
              out.push(sgpToSpan(pool.internDeep(rec), sid));
            }
          });
          return out;
        },
      };
    }
    case 'file':
      return {
        texts: [fs.readFileSync(path.join(dir, 'file.json'), 'utf8')],
        normalize: (docs) => {
          const doc = docs[0] as { spans: unknown[] };
          const pool = newPool();
          return doc.spans.map((s, i) => coerceSpan(pool.internDeep(s), meta.ids.qconnect, i));
        },
      };
    case 'capture-openai':
    case 'openaiAgents':
      return {
        texts: lines(path.join(dir, 'openai.jsonl')),
        normalize: (docs) => {
          const store = CaptureStore.inMemory({ maxSpans: 1_000_000 });
          for (const d of docs) store.ingestOpenAi(d);
          return store.getSpans(meta.ids.openaiGroup) ?? [];
        },
      };
    case 'capture-otlp':
    case 'otlp':
      return {
        texts: lines(path.join(dir, 'otlp.jsonl')),
        normalize: (docs) => {
          const store = CaptureStore.inMemory({ maxSpans: 1_000_000 });
          for (const d of docs) store.ingestOtlp(d);
          return store.getSpans(meta.ids.otlpConversation) ?? [];
        },
      };
    case 'agno':
    case 'agno-pg': {
      // The JSON part of an Agno row is its attributes column; the other columns are plain values.
      const SQL = await initSqlJs();
      const db = new SQL.Database(fs.readFileSync(path.join(dir, 'agno.db')));
      const res = db.exec('SELECT span_id, trace_id, parent_span_id, name, span_kind, status_code, status_message, start_time, end_time, duration_ms, attributes FROM agno_spans');
      db.close();
      const rows = res[0].values;
      return {
        texts: rows.map((r) => String(r[10])),
        normalize: (docs) =>
          rows.map((r, i) =>
            otelToSpan(
              {
                spanId: String(r[0]),
                traceId: String(r[1]),
                parentSpanId: r[2] === null ? undefined : String(r[2]),
                name: String(r[3]),
                kind: String(r[4]),
                status: (String(r[5]).toLowerCase() as SpanStatus),
                statusMessage: r[6] === null ? undefined : String(r[6]),
                startTime: isoToMs(r[7]) ?? 0,
                endTime: isoToMs(r[8]),
                durationMs: Number(r[9]),
                attributes: docs[i] as Record<string, unknown>,
              },
              meta.ids.agno,
            ),
          ),
      };
    }
    default:
      throw new Error(`unknown backend ${kind}`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const [kind, dir, bodies] = process.argv.slice(2);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const j = await job(kind, dir, meta, bodies);
  const bytes = j.texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const parse: number[] = [];
  const normalize: number[] = [];
  const tree: number[] = [];
  let spans = 0;
  // Small sessions get one uncounted warm-up round, else JIT compilation dominates their ratios.
  const warmup = meta.spans < 50_000 ? 1 : 0;
  for (let r = -warmup; r < REPS; r++) {
    gc();
    let t = now();
    const docs = j.texts.map((x) => JSON.parse(x) as unknown);
    const parseMs = now() - t;
    t = now();
    const out = j.normalize(docs);
    const normalizeMs = now() - t;
    t = now();
    const forest = new ForestBuilder().add(out);
    let n = 0;
    for (const _ of forest.walk()) n++;
    const treeMs = now() - t;
    spans = n;
    if (r < 0) continue;
    parse.push(parseMs);
    normalize.push(normalizeMs);
    tree.push(treeMs);
  }
  const result = { backend: kind, spans, expected: meta.spans, bytes, requests: j.texts.length, parseMs: median(parse), normalizeMs: median(normalize), treeMs: median(tree), reps: REPS };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
