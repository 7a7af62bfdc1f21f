// The sessions table's rows, filters and sort (host side, pure).
import * as assert from 'node:assert/strict';
import { Pricer, priceSpans } from '../../../src/model/pricing';
import { SESSION_COLUMNS, sessionRow, tableView, type SessionTableRow } from '../../../src/model/sessionTable';
import type { Session, Span } from '../../../src/model/types';

function sp(p: Partial<Span> & Pick<Span, 'id' | 'kind'>): Span {
  return { sessionId: 'S', name: p.id, status: 'ok', startTime: 1000, attributes: {}, ...p };
}

describe('analysis: sessions table', () => {
  const t0 = Date.UTC(2025, 9, 1, 12);
  const spans = [
    sp({ id: 'a', kind: 'agent', name: 'Triage', startTime: t0, endTime: t0 + 5000 }),
    sp({ id: 'l1', parentId: 'a', kind: 'llm', startTime: t0 + 10, endTime: t0 + 900, model: { response: 'gpt-4o-2024-08-06' }, usage: { input: 1000, output: 100 } }),
    sp({ id: 'l2', parentId: 'a', kind: 'llm', startTime: t0 + 1000, endTime: t0 + 2000, model: { request: 'mystery' }, usage: { input: 10, output: 10 }, status: 'error' }),
  ];
  priceSpans(spans, new Pricer());
  const detailed = sessionRow('b1', 'Backend one', { backendId: 'b1', id: 's1', name: 'Refund' }, spans);
  const listed = (id: string, p: Partial<Session> = {}) => sessionRow('b2', 'Backend two', { backendId: 'b2', id, ...p });

  it('derives the span columns from loaded spans', () => {
    assert.equal(detailed.detailed, true);
    assert.deepEqual(
      [detailed.start, detailed.durationMs, detailed.spans, detailed.errors, detailed.llmCalls, detailed.tokens, detailed.agents, detailed.models, detailed.status],
      [t0, 5000, 3, 1, 2, 1120, ['Triage'], ['gpt-4o-2024-08-06', 'mystery'], 'error'],
    );
    assert.ok(Math.abs(detailed.usd! - 0.0035) < 1e-12);
    assert.equal(detailed.costText, '$0.0035 + 1 unpriced');
    assert.equal(detailed.costUnpriced, true);
    const plain = listed('x', { startTime: t0, endTime: t0 + 60_000, spanCount: 7, status: 'ok' });
    assert.deepEqual([plain.detailed, plain.durationMs, plain.spans, plain.errors, plain.costText], [false, 60_000, 7, undefined, undefined]);
  });

  it('filters by every filter', () => {
    const rows: SessionTableRow[] = [detailed, listed('old', { startTime: t0 - 86_400_000, name: 'Old one' }), listed('long', { startTime: t0 + 1, endTime: t0 + 3_600_000 })];
    const keys = (f: Parameters<typeof tableView>[1]) => tableView(rows, f, { column: 'start', desc: false }).map((r) => r.sessionId);
    assert.deepEqual(keys({}), ['old', 's1', 'long']);
    assert.deepEqual(keys({ errorsOnly: true }), ['s1']);
    assert.deepEqual(keys({ backend: 'b2' }), ['old', 'long']);
    assert.deepEqual(keys({ agent: 'tri' }), ['s1']);
    assert.deepEqual(keys({ model: 'GPT-4O' }), ['s1']);
    assert.deepEqual(keys({ minCost: 0.001 }), ['s1']);
    assert.deepEqual(keys({ minCost: 0.01 }), []);
    assert.deepEqual(keys({ minDurationMs: 60_000 }), ['long']);
    assert.deepEqual(keys({ from: t0 - 1000 }), ['s1', 'long']);
    assert.deepEqual(keys({ to: t0 - 1000 }), ['old']);
    assert.deepEqual(keys({ text: 'old ONE' }), ['old']);
  });

  it('sorts on every column both ways, rows without a value last', () => {
    const rows: SessionTableRow[] = [detailed, listed('z', { name: 'Zed', startTime: t0 + 5, endTime: t0 + 10, spanCount: 9, status: 'ok' })];
    for (const column of SESSION_COLUMNS) {
      const asc = tableView(rows, {}, { column, desc: false }).map((r) => r.sessionId);
      const desc = tableView(rows, {}, { column, desc: true }).map((r) => r.sessionId);
      assert.equal(asc.length, 2, column);
      const hasBoth = ['start', 'name', 'backend', 'duration', 'spans', 'status'].includes(column);
      if (hasBoth) assert.deepEqual(desc, [...asc].reverse(), column);
      else assert.deepEqual([asc[0], desc[0]], ['s1', 's1'], `${column}: only s1 has a value, so it stays first`);
    }
    assert.deepEqual(tableView(rows, {}, { column: 'spans', desc: true }).map((r) => r.sessionId), ['z', 's1']);
    assert.deepEqual(tableView(rows, {}, { column: 'status', desc: false }).map((r) => r.sessionId), ['s1', 'z'], 'errors first');
  });
});

describe('analysis: tree filter query', () => {
  it('parses and describes every filter', async () => {
    const { parseFilterQuery, describeFilters } = await import('../../../src/model/sessionTable');
    const f = parseFilterQuery('refund  errors backend:qc agent:Triage model:gpt cost>0.01 duration>2m since:2025-10-01 until:2025-10-31 order');
    assert.deepEqual(f, {
      text: 'refund order',
      errorsOnly: true,
      backend: 'qc',
      agent: 'Triage',
      model: 'gpt',
      minCost: 0.01,
      minDurationMs: 120_000,
      from: Date.parse('2025-10-01'),
      to: Date.parse('2025-10-31'),
    });
    assert.equal(describeFilters(f), 'refund order errors backend:qc agent:Triage model:gpt cost>0.01 duration>120s since:2025-10-01 until:2025-10-31');
    assert.deepEqual(parseFilterQuery(describeFilters(f)), f);
    assert.deepEqual(parseFilterQuery(''), {});
  });
});
