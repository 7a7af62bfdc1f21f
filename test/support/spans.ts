// The one span builder for tests: plain defaults (a custom span that starts
// at 0, named after its id), overridden by what a test cares about.
import type { Span } from '../../src/model/types';

export function span(over: Partial<Span> = {}): Span {
  const id = over.id ?? 's1';
  return { id, sessionId: 's', name: id, kind: 'custom', status: 'ok', startTime: 0, attributes: {}, ...over };
}

/** A span placed in a tree: id, parent and start first (tree, row and property tests). */
export function treeSpan(id: string, parentId?: string, startTime = 0, over: Partial<Span> = {}): Span {
  return span({ id, ...(parentId !== undefined ? { parentId } : {}), startTime, ...over });
}
