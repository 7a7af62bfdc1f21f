// OTLP trace data in its JSON form (ExportTraceServiceRequest / TracesData, as
// sent by OTLP/HTTP JSON exporters and written by the collector's file
// exporter) → OtelSpanInput records for otelToSpan. The protobuf decoder
// (protobuf.ts) first turns binary requests into this same JSON shape, so there
// is one decoder for both encodings.
import { nanosToMs } from '../../model/time';
import type { SpanStatus } from '../../model/types';
import { arr, obj, setOwn } from '../decode/wire';
import type { OtelSpanInput } from '../otel/span';

export interface DecodedOtlpSpan {
  input: OtelSpanInput;
  /** The span as it came over the wire (JSON form), for the Raw tab and exports. */
  wire: Record<string, unknown>;
  /** The enclosing resource and scope wire objects, shared by the spans they hold. */
  resource?: Record<string, unknown>;
  scope?: Record<string, unknown>;
}

export interface OtlpDecodeResult {
  spans: DecodedOtlpSpan[];
  /** Spans that could not be used (no ids, not an object…). */
  rejected: number;
  /** One short reason per distinct problem (never span content). */
  errors: string[];
}

/** The body is not an OTLP trace request at all (HTTP 400). */
export class OtlpFormatError extends Error {}

/** camelCase (OTLP JSON) first, then the proto field name (some hand-written emitters). */
function field(o: Record<string, unknown>, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

export function decodeOtlpJson(doc: unknown): OtlpDecodeResult {
  const root = obj(doc);
  if (!root) {
    throw new OtlpFormatError('The body is not a JSON object (expected an OTLP ExportTraceServiceRequest).');
  }
  const rs = field(root, 'resourceSpans', 'resource_spans');
  if (rs !== undefined && !Array.isArray(rs)) {
    throw new OtlpFormatError('"resourceSpans" must be an array.');
  }
  const out: OtlpDecodeResult = { spans: [], rejected: 0, errors: [] };
  const reject = (reason: string, n = 1): void => {
    out.rejected += n;
    if (!out.errors.includes(reason) && out.errors.length < 10) out.errors.push(reason);
  };
  for (const r of (rs as unknown[] | undefined) ?? []) {
    const ro = obj(r);
    if (!ro) {
      reject('A resourceSpans entry is not an object.');
      continue;
    }
    const resourceWire = obj(ro.resource);
    const scopeSpans = arr(field(ro, 'scopeSpans', 'scope_spans')) ?? arr(field(ro, 'instrumentationLibrarySpans', 'instrumentation_library_spans')) ?? [];
    let resource: Record<string, unknown> | undefined;
    try {
      resource = resourceWire ? attributesToRecord(resourceWire.attributes) : undefined;
    } catch (err) {
      const n = scopeSpans.reduce<number>((sum, s) => sum + (arr(obj(s)?.spans)?.length ?? 0), 0);
      reject(`A resource could not be decoded (${(err as Error).name}); its spans were skipped.`, n);
      continue;
    }
    for (const s of scopeSpans) {
      const so = obj(s);
      if (!so) {
        reject('A scopeSpans entry is not an object.');
        continue;
      }
      const scopeWire = obj(so.scope) ?? obj(field(so, 'instrumentationLibrary', 'instrumentation_library'));
      const scope = scopeWire
        ? { name: typeof scopeWire.name === 'string' ? scopeWire.name : undefined, version: typeof scopeWire.version === 'string' ? scopeWire.version : undefined }
        : undefined;
      for (const sp of arr(so.spans) ?? []) {
        const wire = obj(sp);
        if (!wire) {
          reject('A span is not an object.');
          continue;
        }
        try {
          const input = decodeSpan(wire, resource, scope);
          if (typeof input === 'string') {
            reject(input);
            continue;
          }
          out.spans.push({ input, wire, resource: resourceWire, scope: scopeWire });
        } catch (err) {
          // e.g. an attribute value nested deeply enough to exhaust the stack
          reject(`A span could not be decoded (${(err as Error).name}).`);
        }
      }
    }
  }
  return out;
}

/** One wire span → OtelSpanInput, or the reason it is rejected. */
function decodeSpan(w: Record<string, unknown>, resource: Record<string, unknown> | undefined, scope: OtelSpanInput['scope']): OtelSpanInput | string {
  const traceId = idOf(field(w, 'traceId', 'trace_id'), 16);
  const spanId = idOf(field(w, 'spanId', 'span_id'), 8);
  if (!traceId || !spanId) {
    return 'A span has no valid traceId/spanId.';
  }
  const parentSpanId = idOf(field(w, 'parentSpanId', 'parent_span_id'), 8);
  const start = nanosToMs(field(w, 'startTimeUnixNano', 'start_time_unix_nano'));
  const end = nanosToMs(field(w, 'endTimeUnixNano', 'end_time_unix_nano'));
  const status = obj(w.status);
  const input: OtelSpanInput = {
    traceId,
    spanId,
    parentSpanId: parentSpanId || undefined,
    name: typeof w.name === 'string' && w.name ? w.name : '(unnamed span)',
    kind: kindOf(w.kind),
    // 0 means "not set" on the wire; keep the span, sorted first.
    startTime: start && start > 0 ? start : end ?? 0,
    endTime: end && end > 0 ? end : undefined,
    status: statusOf(status?.code),
    statusMessage: typeof status?.message === 'string' && status.message ? status.message : undefined,
    attributes: attributesToRecord(w.attributes),
    resource,
    scope,
  };
  const events = arr(w.events);
  if (events?.length) input.events = events.map(eventOf);
  const links = arr(w.links);
  if (links?.length) input.links = links.map(linkOf);
  return input;
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * OTLP JSON ids are hex; proto3's generic JSON mapping (some hand-rolled
 * exporters) writes base64. Accept both; all-zero ids mean "none".
 */
export function idOf(v: unknown, bytes: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  let hex: string | undefined;
  if (v.length === bytes * 2 && HEX.test(v)) {
    hex = v.toLowerCase();
  } else {
    const b = Buffer.from(v, 'base64');
    if (b.length === bytes && b.toString('base64').replace(/=+$/, '') === v.replace(/=+$/, '')) hex = b.toString('hex');
  }
  if (hex === undefined) return v; // unusual but unique: keep as given
  return /^0+$/.test(hex) ? undefined : hex;
}

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

function kindOf(v: unknown): number | string | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Object.hasOwn(KIND_NAMES, v) ? KIND_NAMES[v] : v;
  return undefined;
}

function statusOf(code: unknown): SpanStatus {
  if (code === 1 || code === 'STATUS_CODE_OK' || code === '1') return 'ok';
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === '2') return 'error';
  return 'unset';
}

function eventOf(e: unknown): unknown {
  const o = obj(e);
  if (!o) return e;
  const out: Record<string, unknown> = { name: o.name, time: nanosToMs(field(o, 'timeUnixNano', 'time_unix_nano')) };
  const attrs = arr(o.attributes);
  if (attrs?.length) out.attributes = attributesToRecord(attrs);
  return out;
}

function linkOf(l: unknown): unknown {
  const o = obj(l);
  if (!o) return l;
  const out: Record<string, unknown> = {
    traceId: idOf(field(o, 'traceId', 'trace_id'), 16),
    spanId: idOf(field(o, 'spanId', 'span_id'), 8),
  };
  const attrs = arr(o.attributes);
  if (attrs?.length) out.attributes = attributesToRecord(attrs);
  return out;
}

/** `[{key, value: AnyValue}]` → plain record. Later duplicates win, as in the SDKs. */
export function attributesToRecord(kvs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(kvs)) return out;
  for (const kv of kvs) {
    const o = obj(kv);
    // setOwn: an attribute named `__proto__` is data, not the map's prototype.
    if (o && typeof o.key === 'string') setOwn(out, o.key, anyValueToJs(o.value));
  }
  return out;
}

/**
 * AnyValue → plain JS. intValue arrives as a decimal string (int64): it becomes
 * a number when that is exact, else stays a string. bytesValue stays base64.
 */
export function anyValueToJs(v: unknown): unknown {
  const o = obj(v);
  if (!o) return v ?? null;
  if ('stringValue' in o || 'string_value' in o) return field(o, 'stringValue', 'string_value');
  if ('boolValue' in o || 'bool_value' in o) return field(o, 'boolValue', 'bool_value');
  if ('intValue' in o || 'int_value' in o) {
    const raw = field(o, 'intValue', 'int_value');
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
    return Number.isSafeInteger(n) ? n : raw;
  }
  if ('doubleValue' in o || 'double_value' in o) {
    const d = field(o, 'doubleValue', 'double_value');
    // JSON cannot carry NaN/Infinity: the mapping writes them as strings.
    // "Infinity"/"NaN" stay the strings they are: as numbers they would cross to the panel as null.
    return typeof d === 'string' && d !== '' && Number.isFinite(Number(d)) ? Number(d) : d;
  }
  if ('arrayValue' in o || 'array_value' in o) {
    const a = obj(field(o, 'arrayValue', 'array_value'));
    return (arr(a?.values) ?? []).map(anyValueToJs);
  }
  if ('kvlistValue' in o || 'kvlist_value' in o) {
    const l = obj(field(o, 'kvlistValue', 'kvlist_value'));
    return attributesToRecord(l?.values);
  }
  if ('bytesValue' in o || 'bytes_value' in o) return field(o, 'bytesValue', 'bytes_value');
  // An empty AnyValue is the OTLP way of saying "null".
  return Object.keys(o).length === 0 ? null : o;
}
