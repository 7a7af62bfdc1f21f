// The critical path of a session: from the root that ends last, repeatedly
// the child that ends last — the chain of spans the session's end waited on.
// Iterative and linear in the rows visited (deep chains are fine).
import type { RowNode, SpanTreeModel } from './virtual';

function endOf(n: RowNode): number {
  return n.end >= 0 ? n.end : n.start;
}

function latest(list: readonly RowNode[]): RowNode | undefined {
  let best: RowNode | undefined;
  for (const n of list) {
    if (n.start < 0) continue;
    if (!best || endOf(n) > endOf(best) || (endOf(n) === endOf(best) && n.start > best.start)) best = n;
  }
  return best;
}

export function criticalPath(model: SpanTreeModel): Set<string> {
  const out = new Set<string>();
  for (let n = latest(model.childrenOf(undefined)); n && !out.has(n.key); n = latest(model.childrenOf(n))) out.add(n.key);
  return out;
}
