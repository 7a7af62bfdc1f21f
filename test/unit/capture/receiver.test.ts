// The receiver's HTTP behaviour: binding, limits, content types, error
// answers per the OTLP/HTTP spec, and robustness against arbitrary bodies.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import * as fc from 'fast-check';
import protoRoot from 'otlp-proto-root/build/src/generated/root';
import { Reader } from 'protobufjs/minimal';
import { BackendError } from '../../../src/backends/errors';
import { CaptureReceiver, startReceiver, type ReceiveFailure } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/backends/store/captureStore';
import { recordingLogger, request } from './helpers';

const T = (protoRoot as unknown as { opentelemetry: { proto: { collector: { trace: { v1: Record<string, { encode(m: unknown): { finish(): Uint8Array }; decode(b: Uint8Array): unknown; fromObject(o: unknown): unknown; toObject(m: unknown, o?: unknown): Record<string, unknown> }> } } } } }).opentelemetry.proto.collector.trace.v1;

const TRACE = '5b8efff798038103d269b633813fc60c';
const otlpSpan = (spanId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  traceId: TRACE, spanId, name: `span ${spanId}`, kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000001000000000',
  attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }], ...extra,
});
const otlpBody = (spans: unknown[]): string => JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('capture receiver (HTTP)', function () {
  this.timeout(20_000);
  let store: CaptureStore;
  let server: Awaited<ReturnType<typeof startReceiver>>;
  const failures: ReceiveFailure[] = [];
  const log = recordingLogger();

  before(async () => {
    store = CaptureStore.inMemory();
    server = await startReceiver({ store, port: 0, maxBodyBytes: 64 * 1024, requestTimeoutMs: 400, log });
    server.receiver.onDidFail((f) => failures.push(f));
  });

  after(() => server.close());

  it('binds to 127.0.0.1 only and refuses other hosts', async () => {
    assert.equal(server.receiver.address?.address, '127.0.0.1');
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.throws(() => new CaptureReceiver({ store, host: '0.0.0.0' }), (e: unknown) => e instanceof BackendError && /127\.0\.0\.1 only/.test(e.message));
    // DNS rebinding: a request naming another host is refused.
    const r = await request(server.url, { path: '/v1/traces', headers: { ...JSON_HEADERS, Host: 'evil.example:4318' }, body: '{}' });
    assert.equal(r.status, 403);
    const ok = await request(server.url, { path: '/v1/traces', headers: { ...JSON_HEADERS, Host: `localhost:${server.port}` }, body: '{}' });
    assert.equal(ok.status, 200);
  });

  it('reports a port in use as an actionable configuration error', async () => {
    const other = new CaptureReceiver({ store, port: server.port });
    await assert.rejects(other.start(), (e: unknown) => e instanceof BackendError && e.code === 'config' && /already in use/.test(e.message) && /spanInspector\.capture\.port/.test(e.message));
  });

  it('answers OTLP JSON with {} and accepts the OpenAI ingest format with any Authorization', async () => {
    const r = await request(server.url, { path: '/v1/traces', headers: JSON_HEADERS, body: otlpBody([otlpSpan('00f067aa0ba902b7')]) });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.text), {});
    const o = await request(server.url, {
      path: '/v1/traces/ingest',
      headers: { ...JSON_HEADERS, Authorization: 'Bearer sk-secret-value', 'OpenAI-Beta': 'traces=v1' },
      body: JSON.stringify({ data: [{ object: 'trace', id: 'trace_1', workflow_name: 'wf', group_id: null, metadata: {} }] }),
    });
    assert.equal(o.status, 200);
    assert.ok(store.getSession('trace_1'));
    assert.ok(!log.lines.join('\n').includes('sk-secret-value'));
  });

  it('rejects wrong paths, methods, content types and encodings with a reason', async () => {
    const cases: [Parameters<typeof request>[1], number, RegExp][] = [
      [{ path: '/v1/metrics', headers: JSON_HEADERS, body: '{}' }, 404, /Unknown path/],
      [{ path: '/v1/traces', method: 'GET' }, 405, /Only POST/],
      [{ path: '/v1/traces', headers: { 'Content-Type': 'text/plain' }, body: '{}' }, 415, /application\/json or application\/x-protobuf/],
      [{ path: '/v1/traces/ingest', headers: { 'Content-Type': 'application/x-protobuf' }, body: 'x' }, 415, /must be application\/json/],
      [{ path: '/v1/traces/ingest', body: '{"data":[]}' }, 415, /must be application\/json/],
      [{ path: '/v1/traces', headers: { ...JSON_HEADERS, 'Content-Encoding': 'br' }, body: '{}' }, 415, /Content-Encoding "br"/],
      [{ path: '/v1/traces', headers: JSON_HEADERS, body: '{"resourceSpans": [' }, 400, /not valid JSON/],
      [{ path: '/v1/traces', headers: JSON_HEADERS, body: '{"resourceSpans": 5}' }, 400, /must be an array/],
      [{ path: '/v1/traces', headers: JSON_HEADERS, body: '[1,2]' }, 400, /not a JSON object/],
      [{ path: '/v1/traces/ingest', headers: JSON_HEADERS, body: '{"items":[]}' }, 400, /"data" array/],
      [{ path: '/v1/traces', headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' }, body: 'not gzip' }, 400, /not valid gzip/],
    ];
    for (const [req, status, reason] of cases) {
      const r = await request(server.url, req);
      assert.equal(r.status, status, `${req.method ?? 'POST'} ${req.path} ${JSON.stringify(req.headers)}`);
      const body = JSON.parse(r.text) as { message?: string; error?: { message: string } };
      assert.match(body.message ?? body.error?.message ?? '', reason);
      assert.equal(failures.at(-1)?.status, status);
    }
  });

  it('answers protobuf errors with a google.rpc.Status body', async () => {
    const r = await request(server.url, { path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]) });
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/x-protobuf');
    const rd = Reader.create(r.body);
    assert.equal(rd.uint32(), (1 << 3) | 0);
    assert.equal(rd.int32(), 3); // INVALID_ARGUMENT
    assert.equal(rd.uint32(), (2 << 3) | 2);
    assert.match(rd.string(), /not a valid OTLP protobuf/);
  });

  it('enforces the size limit: declared, streamed, and after decompression', async () => {
    const big = 'x'.repeat(70 * 1024);
    const declared = await request(server.url, { path: '/v1/traces', headers: JSON_HEADERS, body: JSON.stringify({ pad: big }) }).catch((e: Error) => e);
    if (!(declared instanceof Error)) assert.equal(declared.status, 413);
    // chunked, no Content-Length: counted while reading
    const streamed = await request(server.url, { path: '/v1/traces', headers: { ...JSON_HEADERS, 'Transfer-Encoding': 'chunked' }, body: JSON.stringify({ pad: big }) }).catch((e: Error) => e);
    if (!(streamed instanceof Error)) assert.equal(streamed.status, 413);
    const bomb = zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 64 * 1024);
    const r = await request(server.url, { path: '/v1/traces', headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' }, body: bomb });
    assert.equal(r.status, 413);
    assert.match(JSON.parse(r.text).message, /decompressed body is larger/);
    assert.ok(failures.filter((f) => f.status === 413).length >= 2);
  });

  it('gives up on a request that does not arrive in time (408)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"resourceSpans"`);
      });
      let data = '';
      sock.on('data', (d) => (data += d.toString()));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
      setTimeout(() => sock.destroy(), 5000);
    });
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('reports partial success for spans without ids, in JSON and protobuf', async () => {
    const j = await request(server.url, { path: '/v1/traces', headers: JSON_HEADERS, body: otlpBody([otlpSpan('1111111111111111'), { name: 'no ids' }]) });
    assert.equal(j.status, 200);
    const pj = JSON.parse(j.text).partialSuccess;
    assert.equal(pj.rejectedSpans, '1');
    assert.match(pj.errorMessage, /no valid traceId\/spanId/);

    const req = T.ExportTraceServiceRequest.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [
        { traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from('2222222222222222', 'hex'), name: 'ok', startTimeUnixNano: '1700000000000000000' },
        { name: 'no ids' },
      ] }] }],
    });
    const p = await request(server.url, { path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.from(T.ExportTraceServiceRequest.encode(req).finish()) });
    assert.equal(p.status, 200);
    assert.equal(p.headers['content-type'], 'application/x-protobuf');
    const resp = T.ExportTraceServiceResponse.toObject(T.ExportTraceServiceResponse.decode(p.body), { longs: String });
    assert.deepEqual((resp.partialSuccess as { rejectedSpans: string }).rejectedSpans, '1');
    assert.ok(store.getSpans(TRACE)?.some((s) => s.id === '2222222222222222'));
  });

  it('decodes every AnyValue form and bytes ids from protobuf', async () => {
    const req = T.ExportTraceServiceRequest.fromObject({
      resourceSpans: [{ scopeSpans: [{ spans: [{
        traceId: Buffer.from('aa'.repeat(16), 'hex'), spanId: Buffer.from('bb'.repeat(8), 'hex'), parentSpanId: Buffer.from('cc'.repeat(8), 'hex'),
        name: 'values', startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000223456789', status: { code: 2, message: 'bad' },
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'b', value: { boolValue: true } },
          { key: 'i', value: { intValue: '9007199254740993' } },
          { key: 'small', value: { intValue: 42 } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: 2 }] } } },
          { key: 'kv', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
          { key: 'by', value: { bytesValue: Buffer.from('hi') } },
        ],
      }] }] }],
    });
    const r = await request(server.url, { path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.from(T.ExportTraceServiceRequest.encode(req).finish()) });
    assert.equal(r.status, 200);
    const span = store.getSpans('aa'.repeat(16))!.find((s) => s.name === 'values')!;
    assert.equal(span.id, 'bb'.repeat(8));
    assert.equal(span.parentId, 'cc'.repeat(8));
    assert.equal(span.status, 'error');
    assert.equal(span.statusMessage, 'bad');
    assert.equal(span.startTime, 1700000000123.456789);
    assert.ok(Math.abs(span.durationMs! - 100) < 1e-6);
    const a = span.attributes;
    assert.deepEqual([a.s, a.b, a.i, a.small, a.d, a.a, a.kv, a.by], ['x', true, '9007199254740993', 42, 1.5, ['p', 2], { k: false }, Buffer.from('hi').toString('base64')]);
  });

  it('never crashes, whatever the body', async () => {
    const paths = ['/v1/traces', '/v1/traces/ingest'];
    const types = ['application/json', 'application/x-protobuf'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom(...types),
        fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.json().map((s) => Buffer.from(s)), fc.anything().map((v) => Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [v] }] }], data: [v] }) ?? ''))),
        async (path, type, body) => {
          const r = await request(server.url, { path, headers: { 'Content-Type': type }, body });
          assert.ok([200, 400, 415].includes(r.status), `status ${r.status}`);
        },
      ),
      { numRuns: 150 },
    );
    // A deeply nested AnyValue (built as text: JSON.stringify itself would overflow) is a rejected span, not a crash.
    const depth = 100_000;
    const deepValue = '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"leaf"}' + ']}}'.repeat(depth);
    // once in a span's attributes, once in the resource's
    const deepBody = otlpBody([otlpSpan('3333333333333333', { attributes: 'DEEP' })]).replace('"attributes":[]', `"attributes":[{"key":"deep","value":${deepValue}}]`).replace('"DEEP"', `[{"key":"deep","value":${deepValue}}]`);
    const roomy = await startReceiver({ store, port: 0 });
    try {
      const deep = await request(roomy.url, { path: '/v1/traces', headers: JSON_HEADERS, body: deepBody });
      assert.ok([200, 400].includes(deep.status), `status ${deep.status}`);
      if (deep.status === 200) assert.equal(JSON.parse(deep.text).partialSuccess.rejectedSpans, '1');
    } finally {
      await roomy.close();
    }
    const ok = await request(server.url, { path: '/v1/traces', headers: JSON_HEADERS, body: otlpBody([otlpSpan('4444444444444444')]) });
    assert.equal(ok.status, 200);
  });

  it('stops and starts again', async () => {
    const rec = new CaptureReceiver({ store, port: 0 });
    const { port } = await rec.start();
    assert.ok(rec.listening);
    await rec.stop();
    assert.equal(rec.listening, false);
    await assert.rejects(request(`http://127.0.0.1:${port}`, { path: '/v1/traces', headers: JSON_HEADERS, body: '{}' }));
    await rec.start();
    assert.ok(rec.listening);
    await rec.stop();
  });
});
