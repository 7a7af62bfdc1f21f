// Hardening of the live-capture receiver (src/capture/receiver.ts) against
// hostile or broken local processes (issue #10): it is reachable through the
// loopback interface only, refuses oversized bodies, cuts off slow-loris
// clients, and survives a 10-second burst of 10,000 spans/s with bounded
// memory and exact accounting. All traffic stays on this machine.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import { startReceiver } from '../../../src/capture/receiver';
import { CaptureStore } from '../../../src/backends/store/captureStore';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('ETIMEDOUT');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** Sends raw bytes, then `trickle` (one byte per `everyMs`); resolves with what the server said and when it closed. */
function slowClient(port: number, head: string, everyMs: number, maxMs: number): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(head);
      timer = setInterval(() => {
        if (!sock.destroyed && sock.writable) sock.write('x');
      }, everyMs);
    });
    sock.on('data', (d) => (answer += d.toString()));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    const giveUp = setTimeout(() => sock.destroy(), maxMs);
  });
}

function post(port: number, path: string, body: string | Buffer, headers: Record<string, string | number>, agent?: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('reliability: capture receiver hardening', function () {
  this.timeout(60_000);

  it('is bound to 127.0.0.1: connecting through another interface address of this machine is refused', async function () {
    const store = CaptureStore.inMemory();
    const server = await startReceiver({ store, port: 0 });
    try {
      assert.equal(server.receiver.address?.address, '127.0.0.1');
      assert.equal(await tryConnect('127.0.0.1', server.port), 'connected');
      const ext = externalAddress();
      if (!ext) {
        // No non-loopback interface here: the bound address is the proof.
        this.test!.title += ' (no non-loopback interface on this machine: checked the bound address only)';
        return;
      }
      // Control: a socket bound to all interfaces IS reachable through that address,
      // so a refusal below is due to the receiver's binding, not to routing or a firewall.
      const open = net.createServer((s) => s.destroy());
      await new Promise<void>((r) => open.listen(0, '0.0.0.0', r));
      const control = await tryConnect(ext, (open.address() as net.AddressInfo).port);
      open.close();
      if (control !== 'connected') {
        this.test!.title += ` (${ext} unreachable even for 0.0.0.0 (${control}): checked the bound address only)`;
        return;
      }
      assert.equal(await tryConnect(ext, server.port), 'ECONNREFUSED', `the receiver answered on ${ext}`);
    } finally {
      await server.close();
    }
  });

  it('refuses requests addressed to another host name (DNS rebinding from a web page) with 403', async () => {
    const server = await startReceiver({ store: CaptureStore.inMemory(), port: 0 });
    try {
      const r = await post(server.port, '/v1/traces', '{}', { ...JSON_HEADERS, Host: 'attacker.example' });
      assert.equal(r.status, 403);
      // A form post from a web page (text/plain, no preflight) is refused too.
      const form = await post(server.port, '/v1/traces/ingest', '{"data":[]}', { 'Content-Type': 'text/plain' });
      assert.equal(form.status, 415);
    } finally {
      await server.close();
    }
  });

  it('answers 413 to a body over the limit, declared or streamed, and keeps serving', async () => {
    const store = CaptureStore.inMemory();
    const server = await startReceiver({ store, port: 0, maxBodyBytes: 32 * 1024 });
    try {
      const big = JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(64 * 1024) });
      const declared = await post(server.port, '/v1/traces', big, JSON_HEADERS);
      assert.equal(declared.status, 413);
      assert.match(JSON.parse(declared.text).message, /larger than the limit of 32768 bytes/);
      // No Content-Length: the receiver counts while reading and stops at the limit.
      const streamed = await new Promise<string>((resolve) => {
        const sock = net.connect(server.port, '127.0.0.1', () => {
          sock.write('POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
          const chunk = 'y'.repeat(8192);
          for (let i = 0; i < 16; i++) sock.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        });
        let data = '';
        sock.on('data', (d) => (data += d.toString()));
        sock.on('error', () => undefined);
        sock.on('close', () => resolve(data));
        setTimeout(() => sock.destroy(), 5000);
      });
      assert.match(streamed, /^HTTP\/1\.1 413/);
      assert.equal(store.stats().spans, 0);
      const ok = await post(server.port, '/v1/traces', '{"resourceSpans":[]}', JSON_HEADERS);
      assert.equal(ok.status, 200, 'still serving after the oversized requests');
    } finally {
      await server.close();
    }
  });

  it('cuts off slow-loris clients: a body trickled byte by byte, and headers that never end', async () => {
    const server = await startReceiver({ store: CaptureStore.inMemory(), port: 0, requestTimeoutMs: 600 });
    try {
      // Headers complete, then one body byte every 100 ms: the socket is never idle,
      // so only a limit on the whole request stops it.
      const body = await slowClient(server.port, 'POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{', 100, 10_000);
      assert.match(body.answer, /^HTTP\/1\.1 408/);
      assert.ok(body.closedAfterMs < 3000, `connection closed after ${body.closedAfterMs} ms`);
      // Headers trickled forever.
      const head = await slowClient(server.port, 'POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 100, 10_000);
      assert.ok(head.closedAfterMs < 3000, `connection closed after ${head.closedAfterMs} ms`);
      const ok = await post(server.port, '/v1/traces', '{"resourceSpans":[]}', JSON_HEADERS);
      assert.equal(ok.status, 200, 'still serving');
    } finally {
      await server.close();
    }
  });

  it('survives broken clients (reset mid-body, truncated gzip, non-JSON, bad protobuf) and keeps exact counts', async () => {
    const zlib = await import('node:zlib');
    const store = CaptureStore.inMemory();
    const server = await startReceiver({ store, port: 0, requestTimeoutMs: 1000 });
    const good = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'ok', startTimeUnixNano: '1700000000000000000' }] }] }] });
    try {
      // Reset after half the declared body.
      await new Promise<void>((resolve) => {
        const sock = net.connect(server.port, '127.0.0.1', () => {
          sock.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${good.length}\r\n\r\n${good.slice(0, 40)}`);
          setTimeout(() => sock.resetAndDestroy(), 50);
        });
        sock.on('error', () => undefined);
        sock.on('close', () => resolve());
      });
      const gz = zlib.gzipSync(good);
      const answers = [
        await post(server.port, '/v1/traces', gz.subarray(0, gz.length - 8), { ...JSON_HEADERS, 'Content-Encoding': 'gzip' }),
        await post(server.port, '/v1/traces', good.slice(0, -3), JSON_HEADERS),
        await post(server.port, '/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'Content-Type': 'application/x-protobuf' }),
        await post(server.port, '/v1/traces/ingest', '{"data":', JSON_HEADERS),
      ];
      assert.deepEqual(answers.map((a) => a.status), [400, 400, 400, 400]);
      assert.equal(store.stats().spans, 0, 'nothing half-received was stored');
      const ok = await post(server.port, '/v1/traces', good, JSON_HEADERS);
      assert.equal(ok.status, 200);
      assert.equal(store.stats().spans, 1);
      assert.equal(server.receiver.stats().spans, 1);
      assert.ok(server.receiver.stats().failedRequests >= 4);
    } finally {
      await server.close();
    }
  });

  it('takes a 10 s burst of 10,000 spans/s from a local load generator: no crash, bounded memory, every span counted', async function () {
    const MAX_SPANS = 20_000;
    const store = CaptureStore.inMemory({ maxSpans: MAX_SPANS });
    const server = await startReceiver({ store, port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const BATCH = 500;
    const SECONDS = 10;
    const RATE = 10_000;
    const batches = (RATE / BATCH) * SECONDS;
    const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
    const body = (b: number): string => {
      const trace = hex(b + 1, 32);
      const spans: string[] = [];
      for (let i = 0; i < BATCH; i++) {
        const id = hex(b * BATCH + i + 1, 16);
        const parent = i ? `,"parentSpanId":"${hex(b * BATCH + 1, 16)}"` : '';
        spans.push(`{"traceId":"${trace}","spanId":"${id}"${parent},"name":"chat gpt-4o","kind":3,"startTimeUnixNano":"${1_700_000_000_000_000_000n + BigInt(b * BATCH + i) * 1_000_000n}","endTimeUnixNano":"${1_700_000_000_000_000_000n + BigInt(b * BATCH + i + 5) * 1_000_000n}","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"${i}"}}],"status":{"code":1}}`);
      }
      return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"load"}}]},"scopeSpans":[{"scope":{"name":"load"},"spans":[${spans.join(',')}]}]}]}`;
    };
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const statuses = new Map<number, number>();
    try {
      const started = Date.now();
      const inFlight = new Set<Promise<void>>();
      for (let b = 0; b < batches; b++) {
        // Paced at 10,000 spans/s; at most 8 requests in flight (bounded client memory).
        const due = started + (b * BATCH * 1000) / RATE;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        while (inFlight.size >= 8) await Promise.race(inFlight);
        const p = post(server.port, '/v1/traces', body(b), JSON_HEADERS, agent).then((r) => {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await Promise.all(inFlight);
      const seconds = (Date.now() - started) / 1000;
      const sent = batches * BATCH;
      assert.deepEqual([...statuses], [[200, batches]], 'every request was answered 200');
      const stats = server.receiver.stats();
      assert.equal(stats.spans, sent, 'the receiver counted every span');
      assert.equal(stats.failedRequests, 0);
      const s = store.stats();
      assert.ok(s.spans <= MAX_SPANS, `the store keeps at most maxSpans (${s.spans})`);
      assert.equal(s.spans + s.evictedSpans, sent, 'spans kept + spans evicted (reported overflow) = spans sent');
      assert.ok(s.evictedSessions > 0, 'the overflow is reported as evicted sessions');
      assert.ok(seconds < 20, `the burst took ${seconds.toFixed(1)} s`);
      const growth = (peakRss - before.rss) / 1024 / 1024;
      this.test!.title += ` [${(sent / seconds).toFixed(0)} spans/s, peak RSS +${growth.toFixed(0)} MB]`;
      assert.ok(growth < 500, `peak RSS grew by ${growth.toFixed(0)} MB`);
    } finally {
      clearInterval(sampler);
      agent.destroy();
      await server.close();
    }
  });
});
