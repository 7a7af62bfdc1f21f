// What a session list needs from a trace's decoded OTLP spans (time range,
// root name, worst status, conversation id, service) and the conversion of
// decoded spans into normalized Spans with their original record kept: shared
// by the stores that answer in OTLP (Jaeger, Phoenix).
import { setRaw } from '../../model/raw';
import type { Span, SpanStatus } from '../../model/types';
import { otelToSpan, sessionIdOf } from '../otel/span';
import type { DecodedOtlpSpan } from './decode';

/** Session ids of the OTLP stores: `session:<conversation id>` or `trace:<trace id>`. */
export const SESSION_PREFIX = 'session:';
export const TRACE_PREFIX = 'trace:';

/** A session id or a pasted id: which kind it names, and the bare id (trace ids lower-cased). */
export function parseSessionRef(id: string): { kind: 'session' | 'trace' | 'raw'; id: string } {
  const s = id.trim();
  if (s.startsWith(SESSION_PREFIX) && s.length > SESSION_PREFIX.length) return { kind: 'session', id: s.slice(SESSION_PREFIX.length) };
  if (s.startsWith(TRACE_PREFIX) && s.length > TRACE_PREFIX.length) return { kind: 'trace', id: s.slice(TRACE_PREFIX.length).toLowerCase() };
  return { kind: 'raw', id: s };
}

export interface TraceSummary {
  traceId: string;
  startTime?: number;
  endTime?: number;
  spanCount: number;
  status: SpanStatus;
  rootName?: string;
  /** gen_ai.conversation.id / session.id, from the first span that carries one. */
  sessionId?: string;
  service?: string;
}

const SEVERITY: Record<SpanStatus, number> = { unset: 0, ok: 1, cancelled: 2, timeout: 3, error: 4 };

export function worse(a: SpanStatus | undefined, b: SpanStatus): SpanStatus {
  return a === undefined || SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Folds decoded spans into one summary per trace id (one pass). */
export function summarizeTraces(spans: Iterable<DecodedOtlpSpan>): Map<string, TraceSummary> {
  const out = new Map<string, TraceSummary>();
  for (const d of spans) {
    const i = d.input;
    let t = out.get(i.traceId);
    if (!t) {
      t = { traceId: i.traceId, spanCount: 0, status: 'unset' };
      out.set(i.traceId, t);
    }
    t.spanCount++;
    if (i.startTime && (t.startTime === undefined || i.startTime < t.startTime)) t.startTime = i.startTime;
    const end = i.endTime ?? i.startTime;
    if (end && (t.endTime === undefined || end > t.endTime)) t.endTime = end;
    t.status = worse(t.status, i.status);
    if (!i.parentSpanId && (t.rootName === undefined || (t.startTime !== undefined && i.startTime <= t.startTime))) t.rootName = i.name;
    t.sessionId ??= sessionIdOf(i.attributes);
    if (t.service === undefined) {
      const svc = i.resource?.['service.name'];
      if (typeof svc === 'string' && svc) t.service = svc;
    }
  }
  return out;
}

/** Decoded OTLP spans → normalized Spans of one session, the wire span kept for the Raw tab. */
export function toSpans(decoded: DecodedOtlpSpan[], sessionId: string): Span[] {
  const spans: Span[] = [];
  for (const d of decoded) spans.push(setRaw(otelToSpan(d.input, sessionId), d.wire));
  return spans;
}

/** True when a trace has a span whose attributes (or resource) hold every `tags` pair (compared as strings). */
export function matchesTags(spans: DecodedOtlpSpan[], tags: Record<string, string>): boolean {
  const keys = Object.keys(tags);
  if (keys.length === 0) return true;
  return spans.some((d) =>
    keys.every((k) => {
      const v = Object.hasOwn(d.input.attributes, k) ? d.input.attributes[k] : d.input.resource && Object.hasOwn(d.input.resource, k) ? d.input.resource[k] : undefined;
      return v !== undefined && v !== null && String(v) === tags[k];
    }),
  );
}
