// Phoenix REST shapes (20.x, /v1) and their conversion to what the shared
// decoders read. Everything is optional: never trust the server's shape.
import type { Annotation } from '../../model/types';
import { nanosToMs } from '../../model/time';

export interface PhoenixTraceRef {
  id?: string;
  trace_id?: string;
  start_time?: string;
  end_time?: string;
}

export interface PhoenixSession {
  id?: string;
  session_id?: string;
  project_id?: string;
  start_time?: string;
  end_time?: string;
  traces?: PhoenixTraceRef[];
  token_count_prompt?: number;
  token_count_completion?: number;
  token_count_total?: number;
  [key: string]: unknown;
}

export interface PhoenixTrace extends PhoenixTraceRef {
  project_id?: string;
  token_count_total?: number;
  [key: string]: unknown;
}

export interface PhoenixPage<T> {
  data?: T[];
  next_cursor?: string | null;
}

export interface PhoenixSpanAnnotation {
  id?: string;
  span_id?: string;
  name?: string;
  annotator_kind?: string;
  result?: { label?: string | null; score?: number | null; explanation?: string | null } | null;
  metadata?: Record<string, unknown> | null;
  identifier?: string | null;
  source?: string | null;
  created_at?: string;
  updated_at?: string;
}

/**
 * Phoenix's `/spans/otlpv1` spans are OTLP in the proto field names, with
 * every unset AnyValue member written as `null` (`{"string_value": null,
 * "int_value": 5, …}`). Dropping the nulls leaves the OTLP JSON the shared
 * decoder reads; spans come without a resource, so they are wrapped in one.
 */
export function otlpv1ToRequest(spans: unknown[]): { resourceSpans: unknown[] } {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'phoenix' }, spans: spans.map(stripNulls) }] }] };
}

/** Removes null-valued keys from objects, iteratively (deep attribute values cannot exhaust the stack). */
export function stripNulls<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const stack: unknown[] = [value];
  while (stack.length) {
    const o = stack.pop();
    if (Array.isArray(o)) {
      for (const v of o) if (v !== null && typeof v === 'object') stack.push(v);
    } else if (o && typeof o === 'object') {
      const rec = o as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const v = rec[k];
        if (v === null) delete rec[k];
        else if (typeof v === 'object') stack.push(v);
      }
    }
  }
  return value;
}

export function toAnnotation(a: PhoenixSpanAnnotation): Annotation {
  const out: Annotation = { name: typeof a.name === 'string' && a.name ? a.name : '(unnamed annotation)' };
  const r = a.result && typeof a.result === 'object' ? a.result : undefined;
  if (typeof r?.label === 'string') out.label = r.label;
  if (typeof r?.score === 'number' && Number.isFinite(r.score)) out.score = r.score;
  if (typeof r?.explanation === 'string' && r.explanation) out.explanation = r.explanation;
  if (typeof a.annotator_kind === 'string') out.annotatorKind = a.annotator_kind;
  if (typeof a.source === 'string') out.source = a.source;
  if (typeof a.identifier === 'string' && a.identifier) out.identifier = a.identifier;
  const at = typeof a.updated_at === 'string' ? Date.parse(a.updated_at) : typeof a.created_at === 'string' ? Date.parse(a.created_at) : NaN;
  if (!Number.isNaN(at)) out.time = at;
  if (a.metadata && typeof a.metadata === 'object' && Object.keys(a.metadata).length) out.metadata = a.metadata;
  return out;
}

export function isoToMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? nanosToMs(v) : t;
}
