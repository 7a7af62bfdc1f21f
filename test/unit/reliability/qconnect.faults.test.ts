// Fault injection against the Q Connect emulator over HTTP (issue #10): the
// real SDK client meets 500s, throttling bursts, resets, slow and truncated
// answers, repeated and empty pages. Pages already yielded stay valid, the
// failure is a precise BackendError, and Retry from the last cursor received
// completes the session without duplicates. Everything is bounded in time.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendConfig } from '../../../src/backends/types';
import { startQConnectEmulator, type QConnectEmulator } from '../../emulators/qconnect/emulator';
import { generateSpans } from '../../emulators/qconnect/generate';
import { backendFor, isolateAwsEnv } from '../backends/qconnect/helpers';
import { assertComplete, consume, listAll } from './support/consume';

const SID = '5e1f0000-0000-4000-8000-00000000a250';
const SIZE = 250;
const PAGE = 50; // → 5 pages

describe('reliability: Q Connect faults over HTTP (SDK ↔ emulator)', function () {
  this.timeout(30_000);
  let emulator: QConnectEmulator;
  let env: ReturnType<typeof isolateAwsEnv>;
  let expected: string[];

  before(() => {
    env = isolateAwsEnv();
  });
  after(() => env.restore());
  beforeEach(async () => {
    emulator = await startQConnectEmulator({ generated: [{ sessionId: SID, spanCount: SIZE, seed: 3 }], sessionPageSize: 2 });
    expected = generateSpans(SIZE, { sessionId: SID, assistantId: emulator.assistantId, seed: 3 }).map((s) => String(s.spanId));
  });
  afterEach(async () => {
    await emulator.close();
  });

  /** maxAttempts 3, 5 ms backoff: the SDK's own retries, fast. */
  const backend = (extra: Partial<BackendConfig> = {}, requestTimeout?: number) =>
    backendFor(emulator, { pageSize: PAGE, ...extra }, requestTimeout ? { clientConfig: { requestHandler: { connectionTimeout: 2000, requestTimeout, throwOnRequestTimeout: true } } } : undefined);
  const listSpans = () => emulator.requests.filter((r) => r.op === 'ListSpans');

  /** First load fails at page 3; Retry (faults cleared) resumes from the last cursor. */
  async function failThenResume(b: ReturnType<typeof backend>) {
    const first = await consume(b, SID);
    assert.ok(first.error, 'the load failed');
    assert.equal(first.spans.length, 2 * PAGE, 'the two pages received before the failure are kept');
    assert.ok(first.cursor, 'a resume cursor was received');
    emulator.clearInjections();
    const rest = await consume(b, SID, { resumeFrom: first.cursor });
    assert.equal(rest.error, undefined);
    assertComplete([first, rest], expected);
    return first.error!;
  }

  it('500 Internal Server Error: kept pages, a "server" error with Retry, and resume completes without duplicates', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 2, error: 'InternalServerException', times: 3 });
    const e = await failThenResume(b);
    assert.equal(e.code, 'server');
    assert.equal(e.message, `Amazon Q Connect backend "qc": Amazon Q Connect failed on ListSpans for session ${SID} of assistant ${emulator.assistantId} (InternalServerException: Internal server error). The 100 spans loaded so far are kept; Retry continues from the last page received.`);
    assert.ok(e.nextSteps.includes('retry'));
    b.dispose();
  });

  it('ThrottlingException: a burst shorter than the SDK retries is absorbed, a longer one is "throttled" with Retry', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 1, error: 'ThrottlingException', times: 2 });
    const ok = await consume(b, SID);
    assert.equal(ok.error, undefined);
    assertComplete([ok], expected);

    emulator.inject({ op: 'ListSpans', afterPage: 2, error: 'ThrottlingException', times: 3 });
    const e = await failThenResume(b);
    assert.equal(e.code, 'throttled');
    assert.match(e.message, /^Amazon Q Connect backend "qc": Amazon Q Connect is throttling ListSpans requests \(still throttled after 3 attempts\)\. Wait a moment and retry\. The 100 spans loaded so far are kept/);
    assert.deepEqual(e.nextSteps, ['retry']);
    b.dispose();
  });

  it('HTTP 429 TooManyRequestsException is reported as throttling with Retry', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 2, error: 'TooManyRequestsException', status: 429, message: 'Too many requests', times: 3 });
    const e = await failThenResume(b);
    assert.equal(e.code, 'throttled');
    assert.ok(e.nextSteps.includes('retry'));
    b.dispose();
  });

  it('connection reset: a "network" error naming the endpoint, with Retry; resume completes', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'reset', times: 3 });
    const e = await failThenResume(b);
    assert.equal(e.code, 'network');
    assert.match(e.message, new RegExp(`network error during ListSpans .* could not complete the request to the endpoint ${emulator.url.replace(/\./g, '\\.')}\\. Check the connection and the "endpoint" setting\\. The 100 spans loaded so far are kept`));
    assert.ok(e.nextSteps.includes('retry'));
    b.dispose();
  });

  it('a response slower than the request timeout fails within the time bound, with Retry; resume completes', async () => {
    const b = backend({}, 300);
    emulator.inject({ op: 'ListSpans', afterPage: 2, delayMs: 1500, times: 3 });
    const started = Date.now();
    const e = await failThenResume(b);
    assert.ok(Date.now() - started < 10_000, 'bounded by the request timeout, not the slow server');
    assert.ok(['timeout', 'network'].includes(e.code), `code ${e.code}`);
    assert.match(e.message, /ListSpans/);
    assert.ok(e.nextSteps.includes('retry'));
    b.dispose();
  });

  it('the production client turns a passed request timeout into an error (throwOnRequestTimeout)', async () => {
    // The SDK only logs a warning at requestTimeout unless told to throw: a
    // server that stops answering would leave the session loading forever.
    const b = backend();
    await b.listSessions({}); // the handler resolves its options on first use
    const config = await (b.client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> }).httpHandlerConfigs();
    assert.equal(config.throwOnRequestTimeout, true);
    assert.ok(typeof config.requestTimeout === 'number' && config.requestTimeout > 0 && config.requestTimeout <= 120_000);
    b.dispose();
  });

  it('a server that never answers is cut off by the request timeout', async () => {
    const b = backend({ maxAttempts: 1 }, 300);
    emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'hang' });
    const e = await failThenResume(b);
    assert.ok(e.nextSteps.includes('retry'));
    b.dispose();
  });

  it('a body cut mid-stream is a "network" error; a complete but non-JSON body is "badData"; both offer Retry', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'truncate', times: 3 });
    const cut = await failThenResume(b);
    assert.equal(cut.code, 'network');
    assert.ok(cut.nextSteps.includes('retry'));

    emulator.requests.length = 0;
    emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'badJson', times: 3 });
    const bad = await failThenResume(b);
    assert.equal(bad.code, 'badData');
    assert.equal(bad.message, `Amazon Q Connect backend "qc": the ListSpans response for session ${SID} of assistant ${emulator.assistantId} was malformed or cut short (invalid JSON). The 100 spans loaded so far are kept; Retry continues from the last page received.`);
    assert.ok(bad.nextSteps.includes('retry'));
    b.dispose();
  });

  it('a page that repeats the previous nextToken stops the load (pagination loop); Retry completes without duplicates', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'repeatToken', times: 1 });
    const e = await failThenResume(b);
    assert.equal(e.code, 'badData');
    assert.match(e.message, /returned a page token it had already returned \(pagination loop\); stopped after 100 spans/);
    b.dispose();
  });

  it('a server that repeats its token forever is stopped at once, not looped on', async () => {
    const b = backend();
    emulator.inject({ op: 'ListSpans', afterPage: 1, fault: 'repeatToken', times: Infinity });
    const first = await consume(b, SID, { maxPages: 10, timeoutMs: 5000 });
    assert.equal(first.error?.code, 'badData');
    assert.ok(listSpans().length <= 3, `stopped after ${listSpans().length} requests`);
    // Retrying against a server that still loops stops again, without duplicating what is shown.
    const again = await consume(b, SID, { resumeFrom: first.cursor, maxPages: 10, timeoutMs: 5000 });
    assert.equal(again.error?.code, 'badData');
    const ids = [...first.spans, ...again.spans].map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates across retries');
    b.dispose();
  });

  it('empty pages that carry a token (first and middle) are followed: the session completes without duplicates', async () => {
    // A pass-through proxy in front of the emulator answers two ListSpans
    // requests itself with {spans: [], nextToken}; the tokens point where the
    // emulator would continue (its token is base64url JSON {s: scope, o: offset},
    // see test/emulators/qconnect/emulator.ts), spelled differently each time.
    const token = (o: number, swap = false) => Buffer.from(JSON.stringify(swap ? { o, s: `spans:${SID}` } : { s: `spans:${SID}`, o })).toString('base64url');
    let empties = 0;
    const proxy = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/spans')) {
        const t = url.searchParams.get('nextToken');
        const reply = (next: string) => {
          empties++;
          const body = JSON.stringify({ spans: [], nextToken: next });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (t === null) return reply(token(0)); // an empty first page
        if (t === token(2 * PAGE)) return reply(token(2 * PAGE, true)); // an empty page in the middle
      }
      const up = http.request({ host: '127.0.0.1', port: emulator.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const b = backendFor(emulator, { pageSize: PAGE, endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      const all = await consume(b, SID, { maxPages: 20 });
      assert.equal(all.error, undefined);
      assert.equal(empties, 2);
      assert.equal(all.pages.filter((p) => p.spans.length === 0).length, 2, 'the empty pages were passed through');
      assertComplete([all], expected);
      b.dispose();
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  describe('session list paging', () => {
    it('throttling on a later SearchSessions page keeps the earlier pages; Retry with the same cursor continues without duplicates', async () => {
      const b = backend();
      const all = await listAll(b);
      assert.equal(all.error, undefined);
      const total = all.sessions.map((s) => s.id);
      assert.ok(all.pages >= 3, 'several pages');

      emulator.inject({ op: 'SearchSessions', afterPage: 1, error: 'ThrottlingException', times: 3 });
      const first = await b.listSessions({});
      const failed = await b.listSessions({ cursor: first.cursor }).then(
        () => undefined,
        (e) => e,
      );
      assert.equal(failed?.code, 'throttled');
      assert.match(failed.message, /Amazon Q Connect is throttling SearchSessions requests/);
      assert.ok(failed.nextSteps.includes('retry'));
      emulator.clearInjections();
      const got = [...first.sessions];
      let cursor = first.cursor;
      for (let i = 0; cursor && i < 50; i++) {
        const page = await b.listSessions({ cursor });
        got.push(...page.sessions);
        cursor = page.cursor;
      }
      assert.deepEqual(got.map((s) => s.id), total);
      b.dispose();
    });

    it('a SearchSessions page that repeats its cursor is reported, not paged forever', async () => {
      const b = backend();
      emulator.inject({ op: 'SearchSessions', afterPage: 1, fault: 'repeatToken', times: Infinity });
      const all = await listAll(b, { maxPages: 20, timeoutMs: 5000 });
      assert.equal(all.error?.code, 'badData');
      assert.match(all.error!.message, /SearchSessions.*(loop|already returned)/);
      const ids = all.sessions.map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length, 'no session listed twice');
      b.dispose();
    });
  });
});
