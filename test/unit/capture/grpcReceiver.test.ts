// OTLP/gRPC receiver: the TraceService and LogsService Export methods through
// a real grpc-js client, with the HTTP receiver's limits and partial-success answers.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { Root } from 'protobufjs';
import { GRPC_LOGS_METHOD, GRPC_TRACES_METHOD } from '../../../src/capture/grpcReceiver';
import { startReceiver } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/backends/store/captureStore';
import { encodeOtlpProtobuf } from '../../../src/backends/otlp/protobuf';
import { decodeOtlpLogsProtobuf } from '../../../src/backends/otlp/logs';
import { recordingLogger } from './helpers';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function traces(spans: Record<string, unknown>[]): Buffer {
  return Buffer.from(encodeOtlpProtobuf({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] }));
}

function chatSpan(): Record<string, unknown> {
  return {
    traceId: TRACE, spanId: SPAN, name: 'chat gpt-4o', kind: 3, startTimeUnixNano: '1767225600000000000', endTimeUnixNano: '1767225601000000000',
    attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }],
  };
}

/** ExportLogsServiceRequest bytes, written with an independent hand-made schema (field numbers of logs.proto). */
function logs(records: Record<string, unknown>[]): Buffer {
  const root = Root.fromJSON({
    nested: {
      AnyValue: { fields: { stringValue: { id: 1, type: 'string' }, kvlistValue: { id: 6, type: 'Kvl' } } },
      Kvl: { fields: { values: { id: 1, type: 'KeyValue', rule: 'repeated' } } },
      KeyValue: { fields: { key: { id: 1, type: 'string' }, value: { id: 2, type: 'AnyValue' } } },
      LogRecord: { fields: { body: { id: 5, type: 'AnyValue' }, traceId: { id: 9, type: 'bytes' }, spanId: { id: 10, type: 'bytes' }, eventName: { id: 12, type: 'string' } } },
      ScopeLogs: { fields: { logRecords: { id: 2, type: 'LogRecord', rule: 'repeated' } } },
      ResourceLogs: { fields: { scopeLogs: { id: 2, type: 'ScopeLogs', rule: 'repeated' } } },
      Req: { fields: { resourceLogs: { id: 1, type: 'ResourceLogs', rule: 'repeated' } } },
    },
  });
  const Req = root.lookupType('Req');
  return Buffer.from(Req.encode(Req.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] })).finish());
}

function call(address: string, method: string, body: Buffer): Promise<Buffer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, body, (err, value) => {
      client.close();
      if (err) reject(err);
      else resolve(value!);
    });
  });
}

describe('OTLP/gRPC receiver', function () {
  this.timeout(20_000);
  let store: CaptureStore;
  let server: Awaited<ReturnType<typeof startReceiver>>;
  const log = recordingLogger();

  before(async () => {
    store = CaptureStore.inMemory();
    server = await startReceiver({ store, port: 0, grpcPort: 0, maxBodyBytes: 64 * 1024, log });
  });
  after(async () => {
    await server.close();
  });

  it('binds 127.0.0.1 only, beside the HTTP receiver', () => {
    assert.match(server.receiver.grpcAddress ?? '', /^127\.0\.0\.1:\d+$/);
    assert.notEqual(server.receiver.grpcAddress, `127.0.0.1:${server.port}`);
  });

  it('accepts traces and answers partial success for the spans it rejects', async () => {
    const ok = await call(server.receiver.grpcAddress!, GRPC_TRACES_METHOD, traces([chatSpan()]));
    assert.equal(ok.length, 0, 'an empty ExportTraceServiceResponse');
    assert.equal(store.getSpans(TRACE)?.[0].model?.request, 'gpt-4o');
    const partial = await call(server.receiver.grpcAddress!, GRPC_TRACES_METHOD, traces([{ ...chatSpan(), spanId: 'aaaaaaaaaaaaaaaa' }, { name: 'no ids' }]));
    // partial_success {rejected_spans = 1; error_message = 2}
    assert.equal(partial[0], 0x0a);
    assert.ok(partial.includes(Buffer.from([0x08, 0x01])), 'rejected_spans = 1');
    assert.match(partial.toString('latin1'), /no valid traceId\/spanId/);
    assert.equal(store.getSpans(TRACE)?.length, 2);
  });

  it('joins GenAI log events to their span', async () => {
    const body = { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'Hello over gRPC' } }] } };
    const req = logs([{ eventName: 'gen_ai.user.message', body, traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from(SPAN, 'hex') }]);
    assert.equal(decodeOtlpLogsProtobuf(req).resourceLogs !== undefined, true);
    await call(server.receiver.grpcAddress!, GRPC_LOGS_METHOD, req);
    const span = store.getSpans(TRACE)!.find((s) => s.id === SPAN)!;
    assert.deepEqual(span.input, [{ role: 'user', parts: [{ type: 'text', text: 'Hello over gRPC' }] }]);
  });

  it('refuses malformed and oversized messages with the gRPC status for it', async () => {
    await assert.rejects(call(server.receiver.grpcAddress!, GRPC_TRACES_METHOD, Buffer.from([0xff, 0xff, 0xff])), (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT && /not a valid OTLP/.test(e.details));
    await assert.rejects(call(server.receiver.grpcAddress!, GRPC_TRACES_METHOD, Buffer.alloc(100 * 1024, 1)), (e: grpc.ServiceError) => e.code === grpc.status.RESOURCE_EXHAUSTED);
    assert.ok(log.lines.some((l) => l.includes('INVALID_ARGUMENT')));
  });
});
