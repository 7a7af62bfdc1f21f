// The local receiver: an HTTP server on 127.0.0.1 that accepts
//   POST /v1/traces/ingest  OpenAI Agents SDK tracing batches ({"data":[…]}),
//                           as sent by BackendSpanExporter / OpenAITracingExporter
//   POST /v1/traces         OTLP/HTTP traces, JSON or protobuf (gzip allowed)
//   POST /v1/logs           OTLP/HTTP logs: GenAI content events, joined to their spans
// and hands them to a CaptureStore. With `grpcPort` it also runs the OTLP/gRPC
// receiver (grpcReceiver.ts) on 127.0.0.1, feeding the same store and events. It binds to the loopback address only,
// answers requests addressed to other host names with 403 (DNS rebinding),
// and accepts JSON only with a JSON content type, which a web page cannot send
// cross-origin without a CORS preflight this server never grants.
// The Authorization header the OpenAI exporter sends is ignored, never logged.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { BackendError } from '../backends/errors';
import { OtlpFormatError } from '../backends/otlp/decode';
import { decodeOtlpLogsProtobuf, encodeLogsExportResponse } from '../backends/otlp/logs';
import { decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus } from '../backends/otlp/protobuf';
import type { Disposable, Logger } from '../backends/types';
import { GrpcCaptureReceiver } from './grpcReceiver';
import { parseJsonExact } from '../model/json';
import type { CaptureStore, IngestResult } from '../backends/store/captureStore';

export const DEFAULT_CAPTURE_PORT = 4318;
export const OPENAI_INGEST_PATH = '/v1/traces/ingest';
export const OTLP_TRACES_PATH = '/v1/traces';
export const OTLP_LOGS_PATH = '/v1/logs';
const LOOPBACK = '127.0.0.1';

export interface ReceiverOptions {
  store: CaptureStore;
  /** Default 4318 (the OTLP/HTTP port); 0 picks a free port (tests). */
  port?: number;
  /** Also receive OTLP/gRPC on this port (4317 is the standard one; 0 = a free port). None when absent. */
  grpcPort?: number;
  /** Only 127.0.0.1 (or "localhost") is allowed; anything else throws. */
  host?: string;
  /** Largest accepted body, compressed or not. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive one request. Default 30 s. */
  requestTimeoutMs?: number;
  log?: Logger;
}

export interface ReceiveEvent {
  source: 'openai' | 'otlp';
  encoding: 'json' | 'protobuf';
  spans: number;
  traces: number;
  rejected: number;
  sessionIds: string[];
  /** Log records accepted (OTLP logs requests only). */
  logs?: number;
  /** Set for requests that came over OTLP/gRPC. */
  transport?: 'grpc';
}

export interface ReceiveFailure {
  status: number;
  /** Plain-English reason, also sent to the client (never body content). */
  reason: string;
  path: string;
}

export interface ReceiverStats {
  requests: number;
  spans: number;
  traces: number;
  rejected: number;
  failedRequests: number;
}

type Encoding = 'json' | 'protobuf';

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class CaptureReceiver {
  private server: http.Server | undefined;
  private boundPort: number | undefined;
  private grpc: GrpcCaptureReceiver | undefined;
  /** Why the gRPC receiver is not running although a port was asked for. */
  grpcError: Error | undefined;
  private readonly receiveListeners = new Set<(e: ReceiveEvent) => void>();
  private readonly failListeners = new Set<(e: ReceiveFailure) => void>();
  private readonly totals: ReceiverStats = { requests: 0, spans: 0, traces: 0, rejected: 0, failedRequests: 0 };
  private readonly maxBodyBytes: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ReceiverOptions) {
    const host = options.host ?? LOOPBACK;
    if (host !== LOOPBACK && host !== 'localhost') {
      throw new BackendError('config', `The capture receiver listens on ${LOOPBACK} only; "${host}" is not allowed.`, { nextSteps: ['openSettings'] });
    }
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  /** The socket address actually bound (always 127.0.0.1). */
  get address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  /** OTLP/gRPC endpoint, e.g. 127.0.0.1:4317 (undefined when not running). */
  get grpcAddress(): string | undefined {
    return this.grpc?.address;
  }

  /** Base URL, e.g. http://127.0.0.1:4318 (undefined while stopped). */
  get url(): string | undefined {
    return this.boundPort === undefined ? undefined : `http://${LOOPBACK}:${this.boundPort}`;
  }

  /** Starts listening. Throws a BackendError when the port is taken or not allowed. */
  async start(): Promise<{ url: string; port: number }> {
    if (this.server?.listening) return { url: this.url!, port: this.boundPort! };
    const server = http.createServer({
      requestTimeout: this.requestTimeoutMs,
      headersTimeout: Math.min(this.requestTimeoutMs, 60_000),
      // Node checks the two timeouts above on this interval (30 s by default).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(this.requestTimeoutMs / 2))),
    });
    server.on('request', (req, res) => {
      this.handle(req, res).catch((err) => {
        // Last line of defence: nothing a client sends may take the host down.
        this.options.log?.error(`Capture receiver: unexpected failure (${(err as Error)?.name ?? 'error'}).`);
        if (!res.headersSent) this.fail(req, res, 500, 'The request could not be processed.', 'json', true);
        else res.destroy();
      });
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Node's own request/headers timer can fire before ours: it is still a time-out.
      const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT';
      const status = timedOut ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    });
    const port = this.options.port ?? DEFAULT_CAPTURE_PORT;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        reject(listenError(err, port));
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ port, host: LOOPBACK, exclusive: true });
    });
    server.on('error', (err) => this.options.log?.error(`Capture receiver: ${err.message}`));
    if (this.options.grpcPort !== undefined) await this.startGrpc(this.options.grpcPort);
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    this.options.log?.info(`Live capture listening on ${this.url} (OpenAI: ${OPENAI_INGEST_PATH}, OTLP: ${OTLP_TRACES_PATH}).`);
    return { url: this.url!, port: this.boundPort };
  }

  /** The gRPC receiver failing (port taken) leaves HTTP running: the error is logged and kept in `grpcError`. */
  private async startGrpc(port: number): Promise<void> {
    const grpc = new GrpcCaptureReceiver({
      store: this.options.store,
      port,
      maxBodyBytes: this.maxBodyBytes,
      log: this.options.log,
      onIngest: (r) => {
        this.totals.requests++;
        this.received('otlp', 'protobuf', r, 'grpc');
      },
      onFail: (status, reason, path) => {
        this.totals.requests++;
        this.totals.failedRequests++;
        for (const l of [...this.failListeners]) {
          try {
            l({ status, reason, path });
          } catch {
            // ignore
          }
        }
      },
    });
    try {
      await grpc.start();
      this.grpc = grpc;
      this.grpcError = undefined;
    } catch (err) {
      this.grpcError = err as Error;
      this.options.log?.warn((err as Error).message);
    }
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const grpc = this.grpc;
    this.grpc = undefined;
    await grpc?.stop();
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.options.log?.info('Live capture stopped.');
  }

  onDidReceive(listener: (e: ReceiveEvent) => void): Disposable {
    this.receiveListeners.add(listener);
    return { dispose: () => this.receiveListeners.delete(listener) };
  }

  onDidFail(listener: (e: ReceiveFailure) => void): Disposable {
    this.failListeners.add(listener);
    return { dispose: () => this.failListeners.delete(listener) };
  }

  /** Totals since this receiver was created. */
  stats(): ReceiverStats {
    return { ...this.totals };
  }

  // ---------------------------------------------------------------- requests

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.totals.requests++;
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    const isOpenAi = path === OPENAI_INGEST_PATH;
    const isLogs = path === OTLP_LOGS_PATH;
    const isOtlp = path === OTLP_TRACES_PATH || isLogs;
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const encoding: Encoding = mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf' ? 'protobuf' : 'json';
    try {
      if (!hostAllowed(req.headers.host)) {
        throw new HttpError(403, `Requests must be addressed to ${LOOPBACK} or localhost.`);
      }
      if (!isOpenAi && !isOtlp) {
        throw new HttpError(404, `Unknown path. Send OpenAI Agents SDK traces to ${OPENAI_INGEST_PATH}, OTLP traces to ${OTLP_TRACES_PATH} and OTLP logs to ${OTLP_LOGS_PATH}.`);
      }
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new HttpError(405, 'Only POST is supported.');
      }
      if (isOpenAi ? mediaType !== 'application/json' : mediaType !== 'application/json' && encoding !== 'protobuf') {
        throw new HttpError(415, isOpenAi
          ? 'Content-Type must be application/json.'
          : 'Content-Type must be application/json or application/x-protobuf.');
      }
      const body = await this.readBody(req);
      if (isOpenAi) this.ingestOpenAi(body, res);
      else this.ingestOtlpSignal(isLogs ? 'logs' : 'traces', body, encoding, res);
    } catch (err) {
      if (err instanceof HttpError) {
        this.fail(req, res, err.status, err.message, isOtlp ? encoding : 'json', false, isOpenAi);
        return;
      }
      throw err;
    }
  }

  private ingestOpenAi(body: Buffer, res: http.ServerResponse): void {
    const text = utf8(body);
    const doc = parseJson(text);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray((doc as { data?: unknown }).data)) {
      throw new HttpError(400, 'The body must be a JSON object with a "data" array of tracing items.');
    }
    const result = this.options.store.ingestOpenAi(doc, text);
    this.received('openai', 'json', result);
    const reply: Record<string, unknown> = {};
    if (result.rejected) reply.rejected = result.rejected;
    if (result.errors.length) reply.errors = result.errors;
    send(res, 200, 'application/json', JSON.stringify(reply));
  }

  /** Traces and logs take the same path: decode, ingest, answer with partial success. */
  private ingestOtlpSignal(signal: 'traces' | 'logs', body: Buffer, encoding: Encoding, res: http.ServerResponse): void {
    const logs = signal === 'logs';
    let doc: unknown;
    let text: string | undefined;
    if (encoding === 'protobuf') {
      try {
        doc = logs ? decodeOtlpLogsProtobuf(body) : decodeOtlpProtobuf(body);
      } catch {
        throw new HttpError(400, `The body is not a valid OTLP protobuf ${logs ? 'ExportLogsServiceRequest' : 'ExportTraceServiceRequest'}.`);
      }
    } else {
      text = utf8(body);
      doc = parseJson(text);
    }
    let result: IngestResult;
    try {
      result = logs ? this.options.store.ingestOtlpLogs(doc, text) : this.options.store.ingestOtlp(doc, text);
    } catch (err) {
      if (err instanceof OtlpFormatError) throw new HttpError(400, err.message);
      throw err;
    }
    this.received('otlp', encoding, result);
    const message = result.errors.join(' ');
    if (encoding === 'protobuf') {
      const encode = logs ? encodeLogsExportResponse : encodeExportResponse;
      send(res, 200, 'application/x-protobuf', Buffer.from(encode(result.rejected, result.rejected ? message : undefined)));
    } else {
      const rejectedKey = logs ? 'rejectedLogRecords' : 'rejectedSpans';
      const reply = result.rejected ? { partialSuccess: { [rejectedKey]: String(result.rejected), errorMessage: message } } : {};
      send(res, 200, 'application/json', JSON.stringify(reply));
    }
  }

  /** Reads the body within the size and time limits, and undoes gzip/deflate. */
  private readBody(req: http.IncomingMessage): Promise<Buffer> {
    const max = this.maxBodyBytes;
    const codingHeader = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
    const coding = codingHeader === '' || codingHeader === 'identity' ? 'identity' : codingHeader;
    if (coding !== 'identity' && coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate') {
      return Promise.reject(new HttpError(415, `Content-Encoding "${coding.slice(0, 20)}" is not supported; use gzip or none.`));
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      return Promise.reject(new HttpError(413, `The body is larger than the limit of ${max} bytes.`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (err: Error | undefined, value?: Buffer): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) {
          req.removeAllListeners('data');
          req.resume(); // drain quietly; the response closes the connection
          reject(err);
        } else {
          resolve(value!);
        }
      };
      const timer = setTimeout(() => finish(new HttpError(408, `The request was not received within ${this.requestTimeoutMs} ms.`)), this.requestTimeoutMs);
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > max) finish(new HttpError(413, `The body is larger than the limit of ${max} bytes.`));
        else chunks.push(chunk);
      });
      req.on('error', () => finish(new HttpError(400, 'The request body could not be read.')));
      req.on('aborted', () => finish(new HttpError(400, 'The client aborted the request.')));
      req.on('end', () => {
        if (done) return;
        const raw = Buffer.concat(chunks, size);
        if (coding === 'identity') return finish(undefined, raw);
        const inflate = coding === 'deflate' ? zlib.inflate : zlib.gunzip;
        // maxOutputLength bounds the decompressed size (zip bombs).
        inflate(raw, { maxOutputLength: max }, (err, out) => {
          if (!err) finish(undefined, out);
          else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
            finish(new HttpError(413, `The decompressed body is larger than the limit of ${max} bytes.`));
          } else {
            finish(new HttpError(400, `The body is not valid ${coding === 'deflate' ? 'deflate' : 'gzip'} data.`));
          }
        });
      });
    });
  }

  private received(source: 'openai' | 'otlp', encoding: Encoding, r: IngestResult, transport?: 'grpc'): void {
    this.totals.spans += r.spans;
    this.totals.traces += r.traces;
    this.totals.rejected += r.rejected;
    if (r.rejected) this.options.log?.warn(`Capture receiver: ${r.rejected} item(s) rejected: ${r.errors.join(' ')}`);
    this.options.log?.debug(`Capture receiver: ${source} ${encoding} request with ${r.spans} span(s), ${r.traces} trace(s).`);
    const event: ReceiveEvent = { source, encoding, spans: r.spans, traces: r.traces, rejected: r.rejected, sessionIds: r.sessionIds };
    if (r.logs !== undefined) event.logs = r.logs;
    if (transport) event.transport = transport;
    for (const l of [...this.receiveListeners]) {
      try {
        l(event);
      } catch {
        // listeners must not break the response
      }
    }
  }

  private fail(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string, encoding: Encoding, noRetry = false, openAi = false): void {
    this.totals.failedRequests++;
    const path = (req.url ?? '/').split('?')[0].slice(0, 100);
    this.options.log?.warn(`Capture receiver: ${req.method ?? '?'} ${path} → ${status}: ${reason}`);
    for (const l of [...this.failListeners]) {
      try {
        l({ status, reason, path });
      } catch {
        // ignore
      }
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The OpenAI exporter retries 5xx unless told not to; a retry cannot help here.
    if (noRetry) res.setHeader('x-should-retry', 'false');
    // After an early error the rest of a body may still be arriving: don't reuse the connection.
    if (status === 413 || status === 408 || !req.complete) res.setHeader('Connection', 'close');
    if (encoding === 'protobuf') {
      send(res, status, 'application/x-protobuf', Buffer.from(encodeRpcStatus(rpcCode(status), reason)));
    } else if (openAi) {
      send(res, status, 'application/json', JSON.stringify({ error: { message: reason } }));
    } else {
      send(res, status, 'application/json', JSON.stringify({ code: rpcCode(status), message: reason }));
    }
  }
}

/** Starts a receiver; `close()` stops it. The shape every in-process server here has. */
export async function startReceiver(options: ReceiverOptions): Promise<{ url: string; port: number; receiver: CaptureReceiver; close(): Promise<void> }> {
  const receiver = new CaptureReceiver(options);
  const { url, port } = await receiver.start();
  return { url, port, receiver, close: () => receiver.stop() };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function utf8(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJson(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
}

/** Loopback names only (a Host of evil.example resolving to 127.0.0.1 is DNS rebinding). */
function hostAllowed(host: string | undefined): boolean {
  if (host === undefined || host === '') return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === LOOPBACK || name.toLowerCase() === 'localhost' || name === '[::1]';
}

/** google.rpc.Code for an HTTP status (OTLP error bodies). */
function rpcCode(status: number): number {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 405:
      return 12; // UNIMPLEMENTED
    case 408:
      return 4; // DEADLINE_EXCEEDED
    default:
      return 13; // INTERNAL
  }
}

function listenError(err: NodeJS.ErrnoException, port: number): BackendError {
  if (err.code === 'EADDRINUSE') {
    return new BackendError('config', `Live capture cannot start: port ${port} on ${LOOPBACK} is already in use (often by an OpenTelemetry Collector). Stop that program or set "spanInspector.capture.port" to a free port.`, {
      nextSteps: ['openSettings', 'retry'],
      cause: err,
    });
  }
  if (err.code === 'EACCES') {
    return new BackendError('config', `Live capture cannot start: port ${port} is not allowed for this user. Set "spanInspector.capture.port" to a port above 1024.`, {
      nextSteps: ['openSettings'],
      cause: err,
    });
  }
  return new BackendError('network', `Live capture cannot start on ${LOOPBACK}:${port}: ${err.message}`, { cause: err });
}
