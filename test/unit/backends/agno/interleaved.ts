// A session whose runs overlap in time, for the span key order (src/backends/agno/walk.ts):
// run n starts 3 s after run n-1 and lasts 10 s, so a later run's spans start
// before an earlier run's last ones; starts fall on a 0.5 s grid, so different
// runs share start times (ties go by span id); rows are stored shuffled. Run
// against SQLite and PostgreSQL holding the same rows.
import * as assert from 'node:assert/strict';
import type { Backend, BackendConfig } from '../../../../src/backends/types';
import { agentAttrs, isoPy, RunBuilder, T0, toolAttrs, traceIdOf, type AgnoData, type AgnoSpanRow } from '../../../fixtures/agno/index';
import { pages } from './contract';

export const IL_SESSION = 'sess-interleaved';
export const IL_RUNS = 60;
const SPANS_PER_RUN = 12;

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function interleavedSession(): AgnoData {
  const rnd = random(19);
  const data: AgnoData = { traces: [], spans: [] };
  const add = (n: number, session: string, opts: { rowSession?: boolean; root?: boolean } = {}) => {
    const r = new RunBuilder(traceIdOf(0x700000 + n), T0 + n * 3000);
    const root = opts.root === false ? null : r.span({ name: 'Agent.run', at: 0, ms: 10_000, attributes: agentAttrs({ name: 'Agent', id: 'agent', input: `task ${n}`, sessionId: session }) });
    for (let i = root ? 1 : 0; i < SPANS_PER_RUN; i++) {
      const attributes = i === 0 ? agentAttrs({ name: 'Member', id: 'member', input: `part ${n}`, sessionId: session }) : toolAttrs({ name: 'lookup', args: { n, i }, output: `v${i}` });
      r.span({ name: i === 0 ? 'Member.run' : 'lookup', parent: root, at: 500 * Math.floor(rnd() * 20), ms: 100, attributes });
    }
    data.spans.push(...r.spans);
    // A run still in progress: Agno wrote only child spans, so its row has no session_id yet.
    data.traces.push(r.trace({ session_id: opts.rowSession === false ? null : session }));
  };
  for (let n = 0; n < IL_RUNS; n++) add(n, IL_SESSION, n === IL_RUNS - 3 ? { rowSession: false, root: false } : {});
  // Another session at the same times: its spans must not leak in.
  for (let n = 0; n < 10; n++) add(1000 + n, 'sess-other');
  // Rows in no particular order (Fisher-Yates).
  for (let i = data.spans.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [data.spans[i], data.spans[j]] = [data.spans[j], data.spans[i]];
  }
  // Python's isoformat() drops the fraction on a whole second: a root spelled so
  // sorts before its own run's row start ('…:15+00:00' < '…:15.000000+00:00').
  const root = data.spans.find((s) => s.trace_id === traceIdOf(0x700000 + 5) && !s.parent_span_id)!;
  root.start_time = isoPy(Date.parse(root.start_time)).replace('.000000', '');
  return data;
}

/** The session's span ids in (start_time, span_id) order: what every load must give. */
export function expectedOrder(data: AgnoData, sessionId = IL_SESSION): string[] {
  const runs = new Set(data.traces.filter((t) => (t.session_id ?? inProgress(data, t.trace_id)) === sessionId).map((t) => t.trace_id));
  const key = (s: AgnoSpanRow) => [s.start_time, s.span_id];
  return data.spans
    .filter((s) => runs.has(s.trace_id))
    .map(key)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map((k) => k[1]);
}

function inProgress(data: AgnoData, traceId: string): string | undefined {
  const s = data.spans.find((x) => x.trace_id === traceId && typeof x.attributes === 'object' && x.attributes?.['session.id']);
  return (s?.attributes as Record<string, unknown> | undefined)?.['session.id'] as string | undefined;
}

/** Registers the order checks; `make` returns a backend over a database holding interleavedSession(). */
export function interleavedContract(make: (extra?: Partial<BackendConfig>) => Backend): void {
  const data = interleavedSession();
  const expected = expectedOrder(data);
  const startOf = new Map(data.spans.map((s) => [s.span_id, s.start_time]));

  it('loads overlapping runs in global (start, span id) order, the in-progress run included', async () => {
    assert.equal(expected.length, IL_RUNS * SPANS_PER_RUN, "the in-progress run counts");
    const b = make();
    try {
      const all = await pages(b, IL_SESSION);
      assert.deepEqual(all[0].spans.map((s) => s.id), expected.slice(0, 250), 'the first page is the session\'s first 250 spans');
      assert.deepEqual(all.flatMap((p) => p.spans.map((s) => s.id)), expected);
      assert.deepEqual(all.map((p) => p.spans.length), [250, expected.length - 250]);
      assert.equal(all[all.length - 1].cursor, undefined);
    } finally {
      b.dispose?.();
    }
  });

  it('resumes from any page cursor, and from a key in the middle of a run, with exactly the rest', async () => {
    const b = make({ pageSize: 37 });
    try {
      const all = await pages(b, IL_SESSION);
      const ids = all.flatMap((p) => p.spans.map((s) => s.id));
      assert.deepEqual(ids, expected);
      let seen = 0;
      for (const p of all) {
        seen += p.spans.length;
        if (!p.cursor) continue;
        const rest = (await pages(b, IL_SESSION, p.cursor)).flatMap((x) => x.spans.map((s) => s.id));
        assert.deepEqual(rest, expected.slice(seen), `resumed after ${seen} spans`);
      }
      // A cursor that is no page end: a span of a run whose other spans come before and after it.
      const at = expected.findIndex((id, i) => i > 300 && data.spans.find((s) => s.span_id === id)?.parent_span_id);
      const cursor = JSON.stringify([startOf.get(expected[at]), expected[at]]);
      assert.deepEqual((await pages(b, IL_SESSION, cursor)).flatMap((x) => x.spans.map((s) => s.id)), expected.slice(at + 1));
      const end = JSON.stringify([startOf.get(expected[expected.length - 1]), expected[expected.length - 1]]);
      assert.deepEqual((await pages(b, IL_SESSION, end)).map((x) => x.spans.length), [0], 'resumed after the last span');
    } finally {
      b.dispose?.();
    }
  });
}
