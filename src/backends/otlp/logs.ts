// OTLP logs (POST /v1/logs, gRPC LogsService/Export): the OpenTelemetry GenAI
// instrumentations send message content as log events by default, each
// carrying the trace and span id of the span it belongs to. This decodes an
// ExportLogsServiceRequest (OTLP JSON, or protobuf turned into that JSON) into
// plain records; src/backends/otel/genaiEvents.ts turns them into messages.
//
// The trace definitions we bundle (otlp-proto-root) have no logs types, so the
// few logs messages are declared here from the OTLP specification
// (opentelemetry/proto/logs/v1/logs.proto, field numbers only matter on the
// wire) and read with protobufjs's reflection API.
import { Root, type Type } from 'protobufjs';
import { nanosToMs } from '../../model/time';
import { arr, obj, str } from '../decode/wire';
import { anyValueToJs, attributesToRecord, idOf, OtlpFormatError } from './decode';

const f = (id: number, type: string, rule?: 'repeated') => (rule ? { id, type, rule } : { id, type });
const root = Root.fromJSON({
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: f(1, 'string'), boolValue: f(2, 'bool'), intValue: f(3, 'int64'), doubleValue: f(4, 'double'),
            arrayValue: f(5, 'ArrayValue'), kvlistValue: f(6, 'KeyValueList'), bytesValue: f(7, 'bytes'),
          },
        },
        ArrayValue: { fields: { values: f(1, 'AnyValue', 'repeated') } },
        KeyValueList: { fields: { values: f(1, 'KeyValue', 'repeated') } },
        KeyValue: { fields: { key: f(1, 'string'), value: f(2, 'AnyValue') } },
        Resource: { fields: { attributes: f(1, 'KeyValue', 'repeated'), droppedAttributesCount: f(2, 'uint32') } },
        InstrumentationScope: {
          fields: { name: f(1, 'string'), version: f(2, 'string'), attributes: f(3, 'KeyValue', 'repeated'), droppedAttributesCount: f(4, 'uint32') },
        },
        LogRecord: {
          fields: {
            timeUnixNano: f(1, 'fixed64'), observedTimeUnixNano: f(11, 'fixed64'), severityNumber: f(2, 'int32'), severityText: f(3, 'string'),
            body: f(5, 'AnyValue'), attributes: f(6, 'KeyValue', 'repeated'), droppedAttributesCount: f(7, 'uint32'), flags: f(8, 'fixed32'),
            traceId: f(9, 'bytes'), spanId: f(10, 'bytes'), eventName: f(12, 'string'),
          },
        },
        ScopeLogs: { fields: { scope: f(1, 'InstrumentationScope'), logRecords: f(2, 'LogRecord', 'repeated'), schemaUrl: f(3, 'string') } },
        ResourceLogs: { fields: { resource: f(1, 'Resource'), scopeLogs: f(2, 'ScopeLogs', 'repeated'), schemaUrl: f(3, 'string') } },
        ExportLogsServiceRequest: { fields: { resourceLogs: f(1, 'ResourceLogs', 'repeated') } },
        ExportLogsPartialSuccess: { fields: { rejectedLogRecords: f(1, 'int64'), errorMessage: f(2, 'string') } },
        ExportLogsServiceResponse: { fields: { partialSuccess: f(1, 'ExportLogsPartialSuccess') } },
      },
    },
  },
});
const Request = root.lookupType('otlp.ExportLogsServiceRequest') as Type;
const Response = root.lookupType('otlp.ExportLogsServiceResponse') as Type;

/** One log record, decoded to plain values. */
export interface OtlpLogRecord {
  traceId?: string;
  spanId?: string;
  /** `event_name`, else the `event.name` attribute (older SDKs). */
  eventName?: string;
  /** epoch ms */
  time?: number;
  body?: unknown;
  attributes: Record<string, unknown>;
  severityText?: string;
  scope?: string;
}

export interface OtlpLogsDecodeResult {
  records: OtlpLogRecord[];
  rejected: number;
  errors: string[];
}

/** Binary ExportLogsServiceRequest → its OTLP JSON form (hex ids). Throws on malformed input. */
export function decodeOtlpLogsProtobuf(body: Uint8Array): Record<string, unknown> {
  const json = Request.toObject(Request.decode(body), { longs: String, enums: Number, bytes: String, json: true });
  for (const rl of arr(json.resourceLogs) ?? []) {
    for (const sl of arr(obj(rl)?.scopeLogs) ?? []) {
      for (const r of arr(obj(sl)?.logRecords) ?? []) {
        const o = obj(r);
        for (const k of ['traceId', 'spanId']) {
          const v = o?.[k];
          if (o && typeof v === 'string') {
            if (v === '') delete o[k];
            else o[k] = Buffer.from(v, 'base64').toString('hex');
          }
        }
      }
    }
  }
  return json;
}

/** ExportLogsServiceResponse, with partial_success when some records were rejected. */
export function encodeLogsExportResponse(rejected: number, errorMessage?: string): Uint8Array {
  const object: Record<string, unknown> = {};
  if (rejected > 0 || errorMessage) object.partialSuccess = { rejectedLogRecords: rejected, errorMessage: errorMessage ?? '' };
  return Response.encode(Response.fromObject(object)).finish();
}

/** OTLP JSON ExportLogsServiceRequest → records. Throws OtlpFormatError when it is not one at all. */
export function decodeOtlpLogsJson(doc: unknown): OtlpLogsDecodeResult {
  const root = obj(doc);
  if (!root) throw new OtlpFormatError('The body is not a JSON object (expected an OTLP ExportLogsServiceRequest).');
  const rl = root.resourceLogs ?? root.resource_logs;
  if (rl !== undefined && !Array.isArray(rl)) throw new OtlpFormatError('"resourceLogs" must be an array.');
  const out: OtlpLogsDecodeResult = { records: [], rejected: 0, errors: [] };
  for (const r of (rl as unknown[] | undefined) ?? []) {
    for (const s of arr(obj(r)?.scopeLogs ?? obj(r)?.scope_logs) ?? []) {
      const so = obj(s);
      const scope = str(obj(so?.scope)?.name);
      for (const lr of arr(so?.logRecords ?? so?.log_records) ?? []) {
        const w = obj(lr);
        if (!w) {
          out.rejected++;
          if (!out.errors.length) out.errors.push('A log record is not an object.');
          continue;
        }
        try {
          out.records.push(recordOf(w, scope));
        } catch (err) {
          out.rejected++;
          if (out.errors.length < 10) out.errors.push(`A log record could not be decoded (${(err as Error).name}).`);
        }
      }
    }
  }
  return out;
}

function recordOf(w: Record<string, unknown>, scope: string | undefined): OtlpLogRecord {
  const attributes = attributesToRecord(w.attributes);
  const rec: OtlpLogRecord = { attributes };
  const traceId = idOf(w.traceId ?? w.trace_id, 16);
  const spanId = idOf(w.spanId ?? w.span_id, 8);
  if (traceId) rec.traceId = traceId;
  if (spanId) rec.spanId = spanId;
  const eventName = str(w.eventName ?? w.event_name) || str(attributes['event.name']);
  if (eventName) rec.eventName = eventName;
  const time = nanosToMs(w.timeUnixNano ?? w.time_unix_nano) || nanosToMs(w.observedTimeUnixNano ?? w.observed_time_unix_nano);
  if (time) rec.time = time;
  if (w.body !== undefined && w.body !== null) rec.body = anyValueToJs(w.body);
  const severity = str(w.severityText ?? w.severity_text);
  if (severity) rec.severityText = severity;
  if (scope) rec.scope = scope;
  return rec;
}
