// Aggregates per agent, tool, model and prompt, checked on a hand-built
// session whose numbers are easy to verify, and on a 100k-deep chain.
import * as assert from 'node:assert/strict';
import { aggregate, agentsOf, percentile, type AggregateRow } from '../../../src/model/aggregates';
import { Pricer, priceSpans } from '../../../src/model/pricing';
import type { Span } from '../../../src/model/types';

let n = 0;
function span(p: Partial<Span> & Pick<Span, 'kind'>): Span {
  n++;
  return { id: `s${n}`, sessionId: 'S', name: `${p.kind}${n}`, status: 'ok', startTime: n * 10, attributes: {}, ...p };
}

function row(rows: AggregateRow[], dim: AggregateRow['dimension'], key: string): AggregateRow {
  const r = rows.find((x) => x.dimension === dim && x.key === key);
  assert.ok(r, `${dim} ${key}`);
  return r;
}

describe('analysis: aggregates', () => {
  it('percentiles are nearest-rank', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(ten, 50), 5);
    assert.equal(percentile(ten, 95), 10);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), undefined);
  });

  it('summarizes a two-agent session', () => {
    const triage = span({ id: 'a1', kind: 'agent', name: 'Triage', durationMs: 1000 });
    const llm1 = span({ parentId: 'a1', kind: 'llm', durationMs: 400, model: { response: 'gpt-4o-2024-08-06' }, usage: { input: 1000, output: 100 }, prompt: { name: 'triage', version: 2 } });
    const tool1 = span({ parentId: 'a1', kind: 'tool', name: 'lookup', tool: { name: 'lookup' }, durationMs: 50 });
    const tool2 = span({ parentId: 'a1', kind: 'tool', name: 'lookup', tool: { name: 'lookup' }, durationMs: 150, status: 'error' });
    const billing = span({ id: 'a2', parentId: 'a1', kind: 'agent', name: 'Billing', durationMs: 3000, status: 'error' });
    const llm2 = span({ parentId: 'a2', kind: 'llm', durationMs: 800, model: { request: 'gpt-4o' }, usage: { input: 2000, output: 200 } });
    const llm3 = span({ parentId: 'a2', kind: 'llm', durationMs: 600, model: { request: 'mystery-model' }, usage: { input: 10, output: 10 } });
    const guard = span({ parentId: 'a2', kind: 'guardrail', guardrails: [{ name: 'pii', action: 'blocked', policies: [] }, { name: 'topic', action: 'none', policies: [] }] });
    const spans = [triage, llm1, tool1, tool2, billing, llm2, llm3, guard];
    priceSpans(spans, new Pricer());
    const rows = aggregate(spans);

    const t = row(rows, 'agent', 'Triage');
    assert.equal(t.calls, 1);
    assert.equal(t.tokens, 1100);
    // 1000×2.5 + 100×10 = 3500 µ$
    assert.ok(Math.abs(t.cost.usd - 0.0035) < 1e-12);
    assert.equal(t.guardrailBlocks, 0);

    const b = row(rows, 'agent', 'Billing');
    assert.equal(b.calls, 1);
    assert.equal(b.errorRate, 1);
    assert.equal(b.tokens, 2220);
    assert.equal(b.cost.pricedCalls, 1);
    assert.equal(b.cost.unpricedCalls, 1, 'mystery-model has no price');
    assert.equal(b.guardrailBlocks, 1);

    const lookup = row(rows, 'tool', 'lookup');
    assert.deepEqual([lookup.calls, lookup.errors, lookup.errorRate, lookup.p50Ms, lookup.p95Ms], [2, 1, 0.5, 50, 150]);

    const gpt = row(rows, 'model', 'gpt-4o');
    assert.equal(gpt.calls, 1);
    const dated = row(rows, 'model', 'gpt-4o-2024-08-06');
    assert.equal(dated.tokens, 1100);
    assert.equal(row(rows, 'model', 'mystery-model').cost.pricedCalls, 0);

    const prompt = row(rows, 'prompt', 'triage v2');
    assert.deepEqual([prompt.calls, prompt.tokens], [1, 1100]);

    assert.deepEqual([...new Set(rows.map((r) => r.dimension))], ['agent', 'tool', 'model', 'prompt']);
  });

  it('finds the agent of every span of a 100k-deep chain without recursion, and survives a cycle', () => {
    const spans: Span[] = [span({ id: 'root', kind: 'agent', name: 'Deep' })];
    for (let i = 1; i < 100_000; i++) spans.push(span({ id: `c${i}`, parentId: i === 1 ? 'root' : `c${i - 1}`, kind: 'chain' }));
    spans.reverse();
    const agents = agentsOf(spans);
    assert.equal(agents.get(spans[0]), 'Deep');
    assert.equal([...agents.values()].filter((a) => a === 'Deep').length, 100_000);
    const x = span({ id: 'x', parentId: 'y', kind: 'llm' });
    const y = span({ id: 'y', parentId: 'x', kind: 'llm' });
    assert.equal(agentsOf([x, y]).get(x), undefined);
  });
});
