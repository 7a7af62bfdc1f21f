// The session as a graph of agents, tools and models: one node per entity
// (never per span), one edge per (caller, callee) pair with call count,
// latency and errors. A span's caller is the entity of its nearest ancestor
// that has one (found iteratively, memoized: chains may be 100k deep).
import { spanDuration } from './format';
import type { Span } from './types';

export type GraphNodeKind = 'agent' | 'tool' | 'model';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  calls: number;
  errors: number;
  /** Span ids of this node (the waterfall filter when it is clicked). */
  spans: string[];
}

export interface GraphEdge {
  from: string;
  to: string;
  calls: number;
  errors: number;
  /** Sum of the callee spans' durations, ms. */
  totalMs: number;
  /** A handoff between agents rather than a call. */
  handoff: boolean;
}

export interface AgentGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function entityOf(s: Span): { kind: GraphNodeKind; label: string } | undefined {
  if (s.kind === 'agent') return { kind: 'agent', label: s.agent?.name ?? s.name };
  if (s.kind === 'tool') return { kind: 'tool', label: s.tool?.name ?? s.name };
  if (s.kind === 'llm') {
    const m = s.model?.response ?? s.model?.request;
    return { kind: 'model', label: m ?? '(no model id)' };
  }
  return undefined;
}

export function buildAgentGraph(spans: readonly Span[]): AgentGraph {
  const byId = new Map<string, Span>();
  for (const s of spans) if (!byId.has(s.id)) byId.set(s.id, s);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const own = new Map<Span, string | undefined>();
  const idOf = (s: Span): string | undefined => {
    if (own.has(s)) return own.get(s);
    const e = entityOf(s);
    const id = e ? `${e.kind}:${e.label}` : undefined;
    if (e && id && !nodes.has(id)) nodes.set(id, { id, kind: e.kind, label: e.label, calls: 0, errors: 0, spans: [] });
    own.set(s, id);
    return id;
  };
  // Nearest ancestor entity, memoized per span.
  const above = new Map<Span, string | undefined>();
  const callerOf = (start: Span): string | undefined => {
    const chain: Span[] = [];
    const seen = new Set<Span>();
    let cur = start.parentId ? byId.get(start.parentId) : undefined;
    let found: string | undefined;
    while (cur && !seen.has(cur)) {
      if (above.has(cur)) {
        found = idOf(cur) ?? above.get(cur);
        break;
      }
      const id = idOf(cur);
      chain.push(cur);
      seen.add(cur);
      if (id) {
        found = id;
        break;
      }
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
    // Every span on the chain below `found` has the same caller.
    for (const c of chain) if (!idOf(c)) above.set(c, found);
    return found;
  };
  for (const s of spans) {
    const id = idOf(s);
    const failed = s.status === 'error' || s.status === 'timeout';
    if (id) {
      const n = nodes.get(id)!;
      n.calls++;
      if (failed) n.errors++;
      n.spans.push(s.id);
      const from = callerOf(s);
      if (from && from !== id) {
        const key = `${from}\u0000${id}`;
        let e = edges.get(key);
        if (!e) edges.set(key, (e = { from, to: id, calls: 0, errors: 0, totalMs: 0, handoff: false }));
        e.calls++;
        if (failed) e.errors++;
        e.totalMs += Math.max(0, spanDuration(s) ?? 0);
      }
    } else if (s.kind === 'handoff') {
      // A handoff span names its target agent (OpenAI Agents SDK: to_agent, or "handoff A → B").
      const named = /→\s*(.+)$/.exec(s.name)?.[1];
      const to = typeof s.attributes?.to_agent === 'string' ? s.attributes.to_agent : named && named !== '?' ? named : undefined;
      const from = callerOf(s);
      if (from && to) {
        const toId = `agent:${to}`;
        if (!nodes.has(toId)) nodes.set(toId, { id: toId, kind: 'agent', label: to, calls: 0, errors: 0, spans: [] });
        const key = `${from}\u0000${toId}\u0000handoff`;
        let e = edges.get(key);
        if (!e) edges.set(key, (e = { from, to: toId, calls: 0, errors: 0, totalMs: 0, handoff: true }));
        e.calls++;
        if (failed) e.errors++;
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
