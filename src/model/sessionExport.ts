// The one writer of the public session export format, used by the CLI's
// `export`, the extension's Export command and live capture's "normalized"
// export: `{session, spans}`, spans sorted by start time (stable: ties keep
// arrival order), spanCount set, the session's LLM cost summed from the
// spans' `cost` (docs/cost.md), 2-space JSON with a trailing newline.
import { stringifyJson } from './json';
import { hasCost, sumCosts } from './pricing';
import type { Session, SessionExport, Span } from './types';

/** `spans` in arrival order (the order the backend yielded them), already priced (`span.cost`). */
export function buildSessionExport(session: Session, spans: readonly Span[]): SessionExport {
  const sorted = [...spans].sort((a, b) => a.startTime - b.startTime);
  const { cost: _stale, ...rest } = session;
  const cost = sumCosts(sorted);
  return { session: { ...rest, spanCount: sorted.length, ...(hasCost(cost) ? { cost } : {}) }, spans: sorted };
}

export function serializeSessionExport(doc: SessionExport): string {
  // Iterative: a tool argument nested 20,000 deep makes JSON.stringify throw.
  return `${stringifyJson(doc, { indent: 2, repeated: 'cycle' })}\n`;
}

/** A file name for a save dialog: the session name or id, without path-hostile characters. */
export function exportFileName(session: Session, extension: string): string {
  const base = (session.name || session.id).replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'session';
  return `${base}.${extension}`;
}
