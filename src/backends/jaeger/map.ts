// Jaeger traces → sessions, pure: a session is a conversation
// (`session:<id>`, every trace carrying that gen_ai.conversation.id /
// session.id) or one trace (`trace:<id>`); each trace summary folds into it.
// Spans themselves are decoded by the shared OTLP decoders (../otlp).
import type { Session } from '../../model/types';
import { SESSION_PREFIX, worse, type TraceSummary } from '../otlp/traceSummary';

/** A new session `id` holding the trace `t`. */
export function traceSession(backendId: string, id: string, t: TraceSummary): Session {
  const attributes: Record<string, unknown> = { 'jaeger.traceIds': [], 'jaeger.traceCount': 0 };
  if (t.service) attributes['jaeger.service'] = t.service;
  if (id.startsWith(SESSION_PREFIX)) attributes['jaeger.sessionId'] = id.slice(SESSION_PREFIX.length);
  const session: Session = { backendId, id, name: t.rootName ?? t.traceId, attributes, spanCount: 0 };
  foldTrace(session, t);
  return session;
}

/** Adds a trace to a session: time range, trace list (sorted by start), span count, worst status. */
export function foldTrace(session: Session, t: TraceSummary): void {
  if (t.startTime !== undefined && (session.startTime === undefined || t.startTime < session.startTime)) {
    session.startTime = t.startTime;
    if (t.rootName) session.name = t.rootName;
  }
  if (t.endTime !== undefined && (session.endTime === undefined || t.endTime > session.endTime)) session.endTime = t.endTime;
  session.status = worse(session.status, t.status);
  const attrs = (session.attributes ??= {});
  const ids = (attrs['jaeger.traceIds'] as string[] | undefined) ?? [];
  const starts = (attrs['jaeger.traceStarts'] as number[] | undefined) ?? [];
  if (!ids.includes(t.traceId)) {
    // Kept in start order, so a resume cursor's trace index means the same trace next time.
    let i = starts.length;
    while (i > 0 && starts[i - 1] > (t.startTime ?? 0)) i--;
    ids.splice(i, 0, t.traceId);
    starts.splice(i, 0, t.startTime ?? 0);
    session.spanCount = (session.spanCount ?? 0) + t.spanCount;
  }
  attrs['jaeger.traceIds'] = ids;
  attrs['jaeger.traceStarts'] = starts;
  attrs['jaeger.traceCount'] = ids.length;
}

/** The session's trace ids, in start order. */
export function traceIdsOf(session: Session): string[] {
  const ids = session.attributes?.['jaeger.traceIds'];
  return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
}
