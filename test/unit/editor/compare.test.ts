// The diff projection and span alignment, on two real decodes: two runs of the
// same Agno agent with a changed prompt, written to SQLite and read by the
// agno backend (the recorded real-library runs can replace the fixture).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAllSpans } from '../../../src/backends/types';
import { compareDocuments } from '../../../src/compare/align';
import { elideIds, normalizeValue, roundTiming } from '../../../src/compare/normalize';
import { projectSpans, totalsOf } from '../../../src/compare/projection';
import type { Span } from '../../../src/model/types';
import { generateAgnoSpans, PROMPT_CHANGE, PROMPT_V1, PROMPT_V2, promptChangeFixture, writeAgnoSqlite } from '../../fixtures/agno';
import { agno } from '../backends/agno/contract';

describe('compare — projection and alignment', function () {
  let dir: string;
  let v1: Span[];
  let v2: Span[];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-'));
    const db = path.join(dir, 'traces.db');
    await writeAgnoSqlite(db, promptChangeFixture());
    const backend = agno({ database: db });
    v1 = await loadAllSpans(backend, PROMPT_CHANGE.before);
    v2 = await loadAllSpans(backend, PROMPT_CHANGE.after);
    backend.dispose?.();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('projects the same run twice to the same text, without ids or exact timings', () => {
    const one = compareDocuments({ label: 'x', spans: v1 }, { label: 'x', spans: [...v1].reverse() });
    assert.equal(one.left, one.right);
    assert.deepEqual([one.alignment.changed, one.alignment.onlyA, one.alignment.onlyB], [0, 0, 0]);
    for (const s of v1) {
      assert.ok(!one.left.includes(s.id), `span id ${s.id} is elided`);
      if (s.traceId) assert.ok(!one.left.includes(s.traceId), 'trace id is elided');
    }
    assert.match(one.left, /duration ≈1 s/);
  });

  it('aligns the runs by kind, name and position: the prompt change differs, the new spans are inserted', () => {
    const docs = compareDocuments({ label: 'v1', spans: v1 }, { label: 'v2', spans: v2 });
    const al = docs.alignment;
    // root agent + first model call align; lookup_order and the second model call are new.
    assert.equal(al.onlyA, 0);
    assert.equal(al.onlyB, 2);
    assert.equal(al.same + al.changed, 2);
    assert.ok(docs.left.includes(PROMPT_V1) && !docs.left.includes(PROMPT_V2));
    assert.ok(docs.right.includes(PROMPT_V2));
    assert.match(docs.right, /### · tool lookup_order.* \(only in B\)/);
    assert.match(docs.right, /### · llm OpenAIChat\.invoke #2.*\(only in B\)/);
    // Both documents start with the same summary, so it never shows as a change.
    const head = (t: string) => t.slice(0, t.indexOf('## Spans'));
    assert.equal(head(docs.left), head(docs.right));
    assert.match(head(docs.left), /1 same, 1 differ, 0 only in A, 2 only in B|0 same, 2 differ, 0 only in A, 2 only in B/);
    // The tool call's arguments and result are in the projection, call ids elided.
    assert.match(docs.right, /"order_id": "1042"/);
    assert.ok(!/call_lookup_/.test(docs.right));
  });

  it('elides ids, rounds timings and sorts keys', () => {
    assert.equal(elideIds('trace_0123456789abcdef span 0af7651916cd43dd call_Ab12Cd34'), '‹id› span ‹id› ‹id›');
    assert.equal(roundTiming(1430), '≈1 s');
    assert.equal(roundTiming(340), '≈300 ms');
    assert.equal(roundTiming(2_700_000), '≈50 min');
    assert.deepEqual(Object.keys(normalizeValue({ b: 1, a: 2, id: 'x' }, { maxString: 10, elideIds: true }) as object), ['a', 'b']);
    assert.equal(normalizeValue('x'.repeat(20), { maxString: 5, elideIds: false }), 'xxxxx… (+15 chars)');
  });

  it('projects a 10,000-span session with a summary at the top', () => {
    const rows = generateAgnoSpans(10_000).spans;
    // The bench generator's rows go through no backend here: map the few fields the projection reads.
    const spans: Span[] = rows.map((r) => ({ id: r.span_id, parentId: r.parent_span_id ?? undefined, sessionId: 's', traceId: r.trace_id, name: r.name, kind: r.name.endsWith('.run') ? 'agent' : r.name === 'lookup' ? 'tool' : 'llm', status: 'ok', startTime: Date.parse(r.start_time), durationMs: r.duration_ms, attributes: {} }));
    const started = Date.now();
    const docs = compareDocuments({ label: 'a', spans }, { label: 'b', spans: spans.slice(0, 9_990) });
    const ms = Date.now() - started;
    console.log(`      projection + alignment of 2 × 10,000 spans: ${ms} ms`);
    assert.ok(docs.left.startsWith('# Span Inspector comparison'));
    assert.match(docs.left, /10000 spans/);
    assert.equal(docs.alignment.onlyA, 10);
    assert.equal(projectSpans(spans).length, 10_000);
    assert.equal(totalsOf(spans).spans, 10_000);
  });
});
