// OTLP/gRPC: the TraceService and LogsService Export methods on 127.0.0.1,
// feeding the same CaptureStore as the HTTP receiver, with the same body size
// limit and the same partial-success answers (ExportTrace/LogsServiceResponse).
// Messages are passed through grpc-js as raw bytes and decoded with the
// protobuf code the HTTP receiver uses, so there is one decoder per format.
import * as grpc from '@grpc/grpc-js';
import { BackendError } from '../backends/errors';
import { OtlpFormatError } from '../backends/otlp/decode';
import { decodeOtlpLogsProtobuf, encodeLogsExportResponse } from '../backends/otlp/logs';
import { decodeOtlpProtobuf, encodeExportResponse } from '../backends/otlp/protobuf';
import type { Logger } from '../backends/types';
import type { CaptureStore, IngestResult } from '../backends/store/captureStore';

export const DEFAULT_GRPC_PORT = 4317;
export const GRPC_TRACES_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const GRPC_LOGS_METHOD = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const LOOPBACK = '127.0.0.1';

export interface GrpcReceiverOptions {
  store: CaptureStore;
  /** Default 4317; 0 picks a free port (tests). */
  port?: number;
  /** Largest accepted message (after decompression). Default 16 MiB. */
  maxBodyBytes?: number;
  log?: Logger;
  /** Called after each accepted request (for the HTTP receiver's events and totals). */
  onIngest?: (result: IngestResult) => void;
  /** Called when a request is refused. */
  onFail?: (status: number, reason: string, path: string) => void;
}

function rawMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  const same = (b: Buffer): Buffer => b;
  return { path, requestStream: false, responseStream: false, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same };
}

export class GrpcCaptureReceiver {
  private server: grpc.Server | undefined;
  private boundPort: number | undefined;

  constructor(private readonly options: GrpcReceiverOptions) {}

  get port(): number | undefined {
    return this.boundPort;
  }

  /** host:port as gRPC exporters take it, e.g. 127.0.0.1:4317. */
  get address(): string | undefined {
    return this.boundPort === undefined ? undefined : `${LOOPBACK}:${this.boundPort}`;
  }

  async start(): Promise<{ address: string; port: number }> {
    if (this.server && this.boundPort !== undefined) return { address: this.address!, port: this.boundPort };
    const max = this.options.maxBodyBytes ?? 16 * 1024 * 1024;
    const server = new grpc.Server({ 'grpc.max_receive_message_length': max, 'grpc.max_send_message_length': 1024 * 1024 });
    server.addService({ Export: rawMethod(GRPC_TRACES_METHOD) }, { Export: this.handler('traces') });
    server.addService({ Export: rawMethod(GRPC_LOGS_METHOD) }, { Export: this.handler('logs') });
    const port = this.options.port ?? DEFAULT_GRPC_PORT;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${LOOPBACK}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) {
          reject(new BackendError('config', `OTLP/gRPC capture cannot start: port ${port} on ${LOOPBACK} is not available (often an OpenTelemetry Collector uses it). Stop that program or set "spanInspector.capture.grpcPort" to a free port.`, {
            nextSteps: ['openSettings', 'retry'],
            cause: err,
          }));
        } else {
          resolve(bound);
        }
      });
    });
    this.server = server;
    this.options.log?.info(`Live capture listening for OTLP/gRPC on ${this.address}.`);
    return { address: this.address!, port: this.boundPort };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.tryShutdown(() => resolve());
      // Exporters keep their channels open: don't wait for them.
      setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 200).unref();
    });
  }

  private handler(kind: 'traces' | 'logs'): grpc.handleUnaryCall<Buffer, Buffer> {
    const path = kind === 'traces' ? GRPC_TRACES_METHOD : GRPC_LOGS_METHOD;
    return (call, callback) => {
      let result: IngestResult;
      try {
        let doc: Record<string, unknown>;
        try {
          doc = kind === 'traces' ? decodeOtlpProtobuf(call.request) : decodeOtlpLogsProtobuf(call.request);
        } catch {
          throw new OtlpFormatError(`The message is not a valid OTLP ${kind === 'traces' ? 'ExportTraceServiceRequest' : 'ExportLogsServiceRequest'}.`);
        }
        result = kind === 'traces' ? this.options.store.ingestOtlp(doc) : this.options.store.ingestOtlpLogs(doc);
      } catch (err) {
        const invalid = err instanceof OtlpFormatError;
        const reason = invalid ? (err as Error).message : 'The request could not be processed.';
        this.options.log?.warn(`Capture receiver (gRPC): ${path} → ${invalid ? 'INVALID_ARGUMENT' : 'INTERNAL'}: ${reason}`);
        this.options.onFail?.(invalid ? 400 : 500, reason, path);
        callback({ code: invalid ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, details: reason });
        return;
      }
      this.options.onIngest?.(result);
      const message = result.rejected ? result.errors.join(' ') : undefined;
      const reply = kind === 'traces' ? encodeExportResponse(result.rejected, message) : encodeLogsExportResponse(result.rejected, message);
      callback(null, Buffer.from(reply));
    };
  }
}
