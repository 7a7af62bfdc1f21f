// Reads normalized-model JSON from an untrusted source (export files, the
// webview state) without trusting its shape: wrong types become defaults and
// unexpected keys move to `attributes`, so nothing is dropped.
import { SPAN_KINDS, type Session, type Span, type SpanKind, type SpanStatus } from './types';

const STATUSES: readonly SpanStatus[] = ['ok', 'error', 'timeout', 'cancelled', 'unset'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function isSpanKind(v: unknown): v is SpanKind {
  return SPAN_KINDS.includes(v as SpanKind);
}

function isSpanStatus(v: unknown): v is SpanStatus {
  return STATUSES.includes(v as SpanStatus);
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
/** What each key of a span must hold for the parsed value to be used as the span as it is. */
const WELL_FORMED: Record<string, (v: unknown) => boolean> = {
  id: (v) => typeof v === 'string',
  sessionId: (v) => typeof v === 'string',
  name: (v) => typeof v === 'string',
  kind: isSpanKind,
  status: isSpanStatus,
  startTime: finite,
  endTime: finite,
  durationMs: finite,
  parentId: nonEmpty,
  traceId: nonEmpty,
  statusMessage: nonEmpty,
  attributes: (v) => obj(v) !== undefined,
  model: (v) => obj(v) !== undefined,
  usage: (v) => obj(v) !== undefined,
  tool: (v) => obj(v) !== undefined,
  prompt: (v) => obj(v) !== undefined,
  agent: (v) => obj(v) !== undefined,
  cost: (v) => obj(v) !== undefined,
  system: Array.isArray,
  input: Array.isArray,
  output: Array.isArray,
  guardrails: Array.isArray,
};

/** The keys a span has a slot for; any other key moves to `attributes`. */
const SPAN_KEYS = new Set(Object.keys(WELL_FORMED));

/**
 * Whether `o` already is what coerceSpan would build (an export we wrote):
 * then it is kept as it is, not copied field by field (a copy's fields added
 * one by one spill out of the object: ~20 MB more for a million spans).
 */
function isWellFormed(o: Record<string, unknown>): o is Record<string, unknown> & Span {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const k in o) {
    const check = WELL_FORMED[k];
    if (!SPAN_KEYS.has(k) || !check(o[k])) return false;
  }
  return o.id !== undefined && o.sessionId !== undefined && o.name !== undefined && o.kind !== undefined && o.status !== undefined && o.startTime !== undefined && o.attributes !== undefined;
}

/** `index` names spans that have no id, so two of them never collide. */
export function coerceSpan(value: unknown, sessionId: string, index: number): Span {
  const o = obj(value) ?? { value };
  if (isWellFormed(o)) return o;
  const attributes: Record<string, unknown> = { ...(obj(o.attributes) ?? {}) };
  for (const [k, v] of Object.entries(o)) {
    if (!SPAN_KEYS.has(k)) {
      // defineProperty: assigning an own "__proto__" key would replace the prototype and lose the value.
      Object.defineProperty(attributes, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  const span: Span = {
    id: str(o.id) ?? `missing-id-${index}`,
    sessionId: str(o.sessionId) ?? sessionId,
    name: str(o.name) ?? '(unnamed span)',
    kind: isSpanKind(o.kind) ? o.kind : 'custom',
    status: isSpanStatus(o.status) ? o.status : 'unset',
    startTime: num(o.startTime) ?? 0,
    attributes,
  };
  // A time that is not a usable number (an exact big integer kept as digits) is kept, not dropped.
  for (const key of ['startTime', 'endTime', 'durationMs'] as const) {
    if (o[key] !== undefined && o[key] !== null && num(o[key]) === undefined) attributes[key] = o[key];
  }
  const parentId = str(o.parentId);
  if (parentId) span.parentId = parentId;
  const traceId = str(o.traceId);
  if (traceId) span.traceId = traceId;
  const statusMessage = str(o.statusMessage);
  if (statusMessage) span.statusMessage = statusMessage;
  const endTime = num(o.endTime);
  if (endTime !== undefined) span.endTime = endTime;
  const durationMs = num(o.durationMs);
  if (durationMs !== undefined) span.durationMs = durationMs;
  // Structured slots are passed through when they have the right outer shape;
  // the renderers treat their insides defensively.
  for (const key of ['model', 'usage', 'tool', 'prompt', 'agent', 'cost'] as const) {
    const v = obj(o[key]);
    if (v) (span as unknown as Record<string, unknown>)[key] = v;
    else if (o[key] !== undefined) attributes[key] = o[key];
  }
  for (const key of ['system', 'input', 'output', 'guardrails'] as const) {
    if (Array.isArray(o[key])) (span as unknown as Record<string, unknown>)[key] = o[key];
    else if (o[key] !== undefined) attributes[key] = o[key];
  }
  return span;
}

export function coerceSession(value: unknown, backendId: string, fallbackId: string): Session {
  const o = obj(value) ?? {};
  const session: Session = { backendId, id: str(o.id) ?? fallbackId };
  const name = str(o.name);
  if (name) session.name = name;
  const startTime = num(o.startTime);
  if (startTime !== undefined) session.startTime = startTime;
  const endTime = num(o.endTime);
  if (endTime !== undefined) session.endTime = endTime;
  const spanCount = num(o.spanCount);
  if (spanCount !== undefined) session.spanCount = spanCount;
  if (isSpanStatus(o.status)) session.status = o.status;
  const attributes = obj(o.attributes);
  if (attributes) session.attributes = attributes;
  return session;
}
