// Turns one OpenTelemetry span (already decoded from its wire format into
// plain values) into a normalized Span. Used by the Agno backend (spans from
// its database), the OTLP receiver and OTLP files: one implementation of the
// GenAI and OpenInference conventions for all of them.
import { durationOf } from '../../model/time';
import { compact } from '../decode/wire';
import type { Span, SpanKind, SpanStatus } from '../../model/types';
import { decodeGenAi } from './genai';
import { applyGenAiEvents, type GenAiEvent } from './genaiEvents';
import { decodeOpenInference } from './openinference';

export interface OtelSpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP numeric kind (0–5) or its name (INTERNAL, SERVER, CLIENT, …). */
  kind?: number | string;
  /** epoch ms */
  startTime: number;
  endTime?: number;
  durationMs?: number;
  status: SpanStatus;
  statusMessage?: string;
  /** Flattened attribute map (`llm.input_messages.0.message.role` → value); values are plain JS. */
  attributes: Record<string, unknown>;
  events?: unknown[];
  links?: unknown[];
  resource?: Record<string, unknown>;
  scope?: { name?: string; version?: string };
}

export function otelToSpan(input: OtelSpanInput, sessionId?: string): Span {
  const rest: Record<string, unknown> = { ...input.attributes };
  const span: Span = {
    id: input.spanId,
    parentId: input.parentSpanId || undefined,
    traceId: input.traceId,
    sessionId: sessionId ?? sessionIdOf(input.attributes) ?? input.traceId,
    name: input.name,
    kind: 'custom',
    status: input.status,
    startTime: input.startTime,
    endTime: input.endTime,
    durationMs: durationOf(input.startTime, input.endTime, input.durationMs),
    attributes: rest,
  };
  if (input.statusMessage) {
    span.statusMessage = input.statusMessage;
  }
  decodeOpenInference(rest, span);
  decodeGenAi(rest, span);
  if (span.kind === 'custom') {
    span.kind = kindFromName(input.name);
  }
  // Kept, never dropped: wire-level extras go in under reserved keys.
  if (input.kind !== undefined) rest['otel.span_kind'] = input.kind;
  if (input.events?.length) {
    // GenAI content events (legacy gen_ai.content.*, gen_ai.*.message) become messages; the others stay visible.
    const named = input.events.filter((e): e is GenAiEvent => !!e && typeof e === 'object' && !Array.isArray(e));
    const left = new Set<unknown>(applyGenAiEvents(span, named));
    const kept = named.length === left.size ? input.events : input.events.filter((e) => left.has(e) || !e || typeof e !== 'object' || Array.isArray(e));
    if (kept.length) rest['otel.events'] = kept;
  }
  if (input.links?.length) rest['otel.links'] = input.links;
  if (input.resource && Object.keys(input.resource).length) rest['otel.resource'] = input.resource;
  if (input.scope && (input.scope.name || input.scope.version)) rest['otel.scope'] = input.scope;
  // The decoders deleted the keys they mapped: a fresh object is a third of the memory.
  span.attributes = compact(rest);
  return span;
}

/** The conversation a span belongs to, by GenAI then OpenInference convention. */
export function sessionIdOf(attributes: Record<string, unknown>): string | undefined {
  for (const key of ['gen_ai.conversation.id', 'session.id']) {
    // Own properties only: an inherited value (e.g. from a prototype an
    // attribute map was given) must not pick the session.
    const v = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** Last-resort kind from Agno/SDK naming habits when no convention attribute says. */
function kindFromName(name: string): SpanKind {
  if (/\.(a?run)$/.test(name)) return 'agent';
  if (/\.(a?invoke(_stream)?|a?response(_stream)?)$/.test(name)) return 'llm';
  return 'custom';
}
