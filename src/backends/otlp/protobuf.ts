// OTLP/HTTP protobuf bodies. Decoding uses protobufjs with the official OTLP
// definitions as compiled by the OpenTelemetry JS project: the npm package
// `@opentelemetry/otlp-transformer@0.216.x` (installed under the alias
// `otlp-proto-root`) ships `build/src/generated/root.js`, a protobufjs static
// module generated from opentelemetry-proto. It is plain JS, so esbuild bundles
// it: nothing has to be copied next to dist/.
//
// A binary request is turned into the OTLP JSON shape (hex ids, base64 bytes,
// int64 as decimal strings) and then decoded by decode.ts like a JSON request.
import protoRoot from 'otlp-proto-root/build/src/generated/root';
import { Writer } from 'protobufjs/minimal';

interface MessageType {
  decode(reader: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

const collector = (protoRoot as unknown as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType; ExportTraceServiceResponse: MessageType } } } } };
}).opentelemetry.proto.collector.trace.v1;

/** Binary ExportTraceServiceRequest → its OTLP JSON form. Throws on malformed input. */
export function decodeOtlpProtobuf(body: Uint8Array): Record<string, unknown> {
  const message = collector.ExportTraceServiceRequest.decode(body);
  const json = collector.ExportTraceServiceRequest.toObject(message, {
    longs: String, // fixed64 nanos and int64 values exactly, as OTLP JSON writes them
    enums: Number,
    bytes: String, // base64 (AnyValue.bytesValue); ids are re-encoded as hex below
    json: true, // NaN/Infinity doubles as strings
  });
  for (const rs of (json.resourceSpans as Record<string, unknown>[] | undefined) ?? []) {
    for (const ss of (rs.scopeSpans as Record<string, unknown>[] | undefined) ?? []) {
      for (const span of (ss.spans as Record<string, unknown>[] | undefined) ?? []) {
        hexIds(span, ['traceId', 'spanId', 'parentSpanId']);
        for (const link of (span.links as Record<string, unknown>[] | undefined) ?? []) {
          hexIds(link, ['traceId', 'spanId']);
        }
      }
    }
  }
  return json;
}

function hexIds(o: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string') {
      if (v === '') delete o[k];
      else o[k] = Buffer.from(v, 'base64').toString('hex');
    }
  }
}

/** ExportTraceServiceResponse, with partial_success when some spans were rejected. */
export function encodeExportResponse(rejectedSpans: number, errorMessage?: string): Uint8Array {
  const object: Record<string, unknown> = {};
  if (rejectedSpans > 0 || errorMessage) {
    object.partialSuccess = { rejectedSpans, errorMessage: errorMessage ?? '' };
  }
  return collector.ExportTraceServiceResponse.encode(collector.ExportTraceServiceResponse.fromObject(object)).finish();
}

/**
 * google.rpc.Status {code = 1; message = 2}, the error body OTLP/HTTP asks for.
 * It is not part of the OTLP definitions, and two scalar fields do not justify
 * another schema: written directly with protobufjs's Writer.
 */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  const w = Writer.create();
  w.uint32((1 << 3) | 0).int32(code);
  w.uint32((2 << 3) | 2).string(message);
  return w.finish();
}

/**
 * OTLP JSON request → binary ExportTraceServiceRequest (for tests and the
 * sample poster; the receiver only decodes). Hex ids become bytes.
 */
export function encodeOtlpProtobuf(request: Record<string, unknown>): Uint8Array {
  // fromObject reads bytes fields from base64 strings: re-encode the hex ids.
  const copy = JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
  for (const rs of (copy.resourceSpans as Record<string, unknown>[] | undefined) ?? []) {
    for (const ss of (rs.scopeSpans as Record<string, unknown>[] | undefined) ?? []) {
      for (const span of (ss.spans as Record<string, unknown>[] | undefined) ?? []) {
        for (const k of ['traceId', 'spanId', 'parentSpanId']) {
          if (typeof span[k] === 'string') span[k] = Buffer.from(span[k] as string, 'hex').toString('base64');
        }
      }
    }
  }
  return collector.ExportTraceServiceRequest.encode(collector.ExportTraceServiceRequest.fromObject(copy)).finish();
}
