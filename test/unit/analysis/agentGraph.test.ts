// The agent graph: aggregated nodes and edges with counts, latency, errors.
import * as assert from 'node:assert/strict';
import { buildAgentGraph } from '../../../src/model/agentGraph';
import type { Span } from '../../../src/model/types';

function sp(p: Partial<Span> & Pick<Span, 'id' | 'kind'>): Span {
  return { sessionId: 'S', name: p.id, status: 'ok', startTime: 0, attributes: {}, ...p };
}

describe('analysis: agent graph', () => {
  it('aggregates agents, tools and models with call counts, latency and errors', () => {
    const spans: Span[] = [sp({ id: 'a', kind: 'agent', name: 'Triage' })];
    for (let i = 0; i < 5000; i++) {
      spans.push(sp({ id: `c${i}`, parentId: 'a', kind: 'chain' }));
      spans.push(sp({ id: `l${i}`, parentId: `c${i}`, kind: 'llm', model: { request: 'gpt-4o' }, durationMs: 10 }));
      spans.push(sp({ id: `t${i}`, parentId: 'a', kind: 'tool', tool: { name: 'lookup' }, durationMs: 2, status: i % 10 === 0 ? 'error' : 'ok' }));
    }
    spans.push(sp({ id: 'h', parentId: 'a', kind: 'handoff', name: 'handoff Triage → Billing' }));
    spans.push(sp({ id: 'b', parentId: 'a', kind: 'agent', name: 'Billing' }));
    const g = buildAgentGraph(spans);
    assert.deepEqual(g.nodes.map((n) => [n.id, n.calls, n.errors]).sort(), [
      ['agent:Billing', 1, 0],
      ['agent:Triage', 1, 0],
      ['model:gpt-4o', 5000, 0],
      ['tool:lookup', 5000, 500],
    ]);
    const edge = (from: string, to: string, handoff = false) => g.edges.find((e) => e.from === from && e.to === to && e.handoff === handoff);
    assert.deepEqual(edge('agent:Triage', 'model:gpt-4o'), { from: 'agent:Triage', to: 'model:gpt-4o', calls: 5000, errors: 0, totalMs: 50_000, handoff: false });
    assert.equal(edge('agent:Triage', 'tool:lookup')?.errors, 500);
    assert.equal(edge('agent:Triage', 'agent:Billing', true)?.calls, 1);
    assert.equal(edge('agent:Triage', 'agent:Billing')?.calls, 1);
    assert.equal(g.nodes.find((n) => n.id === 'tool:lookup')?.spans.length, 5000);
  });
});
