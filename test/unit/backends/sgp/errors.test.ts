// The SGP client and backend error paths against the emulator over HTTP:
// where the key comes from, each HTTP failure's message and next steps,
// retries with backoff (and Retry-After) for 429/5xx/network trouble,
// timeouts, cancellation, and that the API key never leaks.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRetryAfter, serverDetail } from '../../../../src/backends/http/jsonClient';
import { SgpClient } from '../../../../src/backends/sgp/client';
import { BackendError } from '../../../../src/backends/errors';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { expectReject, makeBackend, withEnvKey } from './helpers';

describe('sgp errors and retries', () => {
  let emu: SgpEmulator;

  before(async () => {
    emu = await startSgpEmulator({ shiftToNow: false });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearFaults();
    emu.requests.length = 0;
  });

  function client(extra: Partial<ConstructorParameters<typeof SgpClient>[0]> = {}): SgpClient {
    return new SgpClient({
      backendId: 'sgp-test',
      baseUrl: emu.url,
      accountId: emu.accountId,
      getApiKey: async () => emu.apiKey,
      retry: { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 10 },
      timeoutMs: 2000,
      ...extra,
    });
  }

  it('sends the headers, query and JSON body SGP expects', async () => {
    const page = await client({ projectId: 'proj-9' }).searchSpans(
      { limit: 2, sort_by: 'start_timestamp', sort_order: 'asc', from_ts: '2025-06-01T00:00:00Z' },
      { trace_ids: ['trc-support-turn-1'] },
    );
    assert.equal(page.items.length, 2);
    assert.equal(page.has_more, true);
    assert.equal(page.total, 0, 'keyset search sends total 0');
    const r = emu.requests[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.apiKeyOk, true);
    assert.equal(r.accountId, 'acct-demo');
    assert.equal(r.projectId, 'proj-9');
    assert.deepEqual(r.query, { limit: '2', sort_by: 'start_timestamp', sort_order: 'asc', from_ts: '2025-06-01T00:00:00Z' });
    assert.deepEqual(r.body, { trace_ids: ['trc-support-turn-1'] });
  });

  it('reads the key from the backend secret, then the shared secret, then SGP_API_KEY', async () => {
    await withEnvKey('env-key-wrong', async () => {
      // Backend-specific secret wins over the shared one and the environment.
      const a = await makeBackend(emu, {}, { 'sgp.apiKey:sgp-test': emu.apiKey, 'sgp.apiKey': 'shared-wrong' });
      await a.backend.listSessions({ limit: 1 });
      assert.deepEqual(a.context.secretReads, ['sgp.apiKey:sgp-test']);
      // Shared secret next.
      const b = await makeBackend(emu, {}, { 'sgp.apiKey': emu.apiKey });
      await b.backend.listSessions({ limit: 1 });
      assert.deepEqual(b.context.secretReads, ['sgp.apiKey:sgp-test', 'sgp.apiKey']);
    });
    await withEnvKey(emu.apiKey, async () => {
      const c = await makeBackend(emu, {}, {});
      assert.equal((await c.backend.listSessions({ limit: 1 })).sessions.length, 1);
    });
  });

  it('asks for a key when none is set, without calling the server', async () => {
    await withEnvKey(undefined, async () => {
      const { backend } = await makeBackend(emu, {}, {});
      const err = await expectReject(backend.listSessions({ limit: 5 }));
      assert.ok(err instanceof BackendError);
      assert.equal(err.code, 'auth');
      assert.deepEqual(err.nextSteps, ['setApiKey', 'openSettings']);
      assert.match(err.message, /SGP backend "sgp-test": no API key is set\. Run "Span Inspector: Set API Key…" or set the SGP_API_KEY/);
      assert.equal(emu.requests.length, 0);
    });
  });

  it('401: says the key was rejected and offers Set API Key, without retrying or leaking the key', async () => {
    const secret = 'sk-live-VERY-SECRET-123456';
    const { backend, context } = await makeBackend(emu, {}, { 'sgp.apiKey:sgp-test': secret });
    // A misbehaving server that echoes the key back must not get it into our message.
    emu.inject({ kind: 'status', status: 401, body: { detail: `Invalid API key ${secret}` } });
    const err = await expectReject(backend.listSessions({ limit: 5 }));
    assert.ok(err instanceof BackendError);
    assert.equal(err.code, 'auth');
    assert.deepEqual(err.nextSteps, ['setApiKey', 'openSettings', 'retry']);
    assert.match(err.message, /the API key was rejected \(HTTP 401\)\. Set a valid key with "Span Inspector: Set API Key…"/);
    assert.match(err.message, /account "acct-demo"/);
    assert.match(err.message, /Invalid API key \*\*\*/);
    assert.equal(emu.requests.length, 1);
    // The emulator's own check rejects the wrong key too.
    const again = await expectReject(backend.listSessions({ limit: 5 }));
    assert.match(again.message, /The server said: Invalid API key\./);
    for (const text of [err.message, err.detail ?? '', again.message, String(err.stack), ...context.lines]) {
      assert.ok(!text.includes(secret), 'the key appears in an error or log line');
    }
  });

  it('403: points at accountId', async () => {
    const { backend } = await makeBackend(emu, { accountId: 'acct-other' });
    const err = await expectReject(backend.listSessions({ limit: 5 }));
    assert.equal((err as BackendError).code, 'forbidden');
    assert.deepEqual((err as BackendError).nextSteps, ['openSettings', 'setApiKey', 'retry']);
    assert.match(err.message, /access denied \(HTTP 403\) for account "acct-other"\. Check "accountId"\/"projectId" in settings/);
    assert.match(err.message, /You do not have access to account acct-other\./);
  });

  it('422: shows the server validation message as a config error', async () => {
    const err = await expectReject(client().searchSpans({ limit: 5 }, { statuses: ['DONE'], bogus: 1 }));
    assert.equal((err as BackendError).code, 'config');
    assert.deepEqual((err as BackendError).nextSteps, ['openSettings', 'openLog']);
    assert.match(err.message, /the span search was rejected \(HTTP 422\)\. The server said: body\.bogus: Extra inputs are not permitted; body\.statuses\.0: Input should be 'SUCCESS', 'ERROR' or 'CANCELED'/);
    assert.equal(emu.requests.length, 1, '422 is not retried');
  });

  it('404: the baseUrl is wrong', async () => {
    const { backend } = await makeBackend(emu, { baseUrl: `${emu.url}/nope` });
    const err = await expectReject(backend.listSessions({ limit: 5 }));
    assert.equal((err as BackendError).code, 'notFound');
    assert.match(err.message, /has no \/v5\/spans\/search endpoint \(HTTP 404\)\. Check "baseUrl"/);
  });

  it('retries a 429 burst honouring Retry-After, then succeeds', async () => {
    emu.inject({ kind: 'status', status: 429, times: 2, retryAfter: 0 }, { kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const page = await client().searchSpans({ limit: 3 }, { parents_only: true });
    const elapsed = Date.now() - started;
    assert.equal(page.items.length, 3);
    assert.equal(emu.requests.length, 4);
    // The third 429 asked for one second; the backoff alone would be ~10 ms.
    assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
    assert.ok(elapsed < 3000, `waited ${elapsed} ms`);
  });

  it('gives up on 429 after the configured attempts with a throttled error', async () => {
    emu.inject({ kind: 'status', status: 429, times: 10, retryAfter: 0 });
    const err = await expectReject(client().searchSpans({ limit: 3 }, {}));
    assert.equal((err as BackendError).code, 'throttled');
    assert.deepEqual((err as BackendError).nextSteps, ['retry']);
    assert.match(err.message, /still rate limited \(HTTP 429\) after 4 attempts\. Wait a minute, then retry\./);
    assert.equal(emu.requests.length, 4);
  });

  it('retries 5xx, resets and truncated JSON, then reports each kind precisely', async () => {
    emu.inject({ kind: 'status', status: 500 }, { kind: 'reset' }, { kind: 'truncate' }, { kind: 'status', status: 502 });
    const page = await client({ retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 } }).searchSpans({ limit: 2 }, {});
    assert.equal(page.items.length, 2);
    assert.equal(emu.requests.length, 5);

    emu.inject({ kind: 'status', status: 503, times: 4, body: { detail: 'maintenance' } });
    const server = await expectReject(client().searchSpans({ limit: 2 }, {}));
    assert.equal((server as BackendError).code, 'server');
    assert.deepEqual((server as BackendError).nextSteps, ['retry', 'openLog']);
    assert.match(server.message, /the server failed \(HTTP 503\) on 4 attempts\. .*The server said: maintenance/);

    emu.inject({ kind: 'reset', times: 4 });
    const reset = await expectReject(client().searchSpans({ limit: 2 }, {}));
    assert.equal((reset as BackendError).code, 'network');
    assert.match(reset.message, new RegExp(`cannot reach ${emu.url.replace(/[.]/g, '\\.')} \\(.+\\) after 4 attempts\\. Check "baseUrl"`));

    emu.inject({ kind: 'truncate', times: 4 });
    const bad = await expectReject(client().searchSpans({ limit: 2 }, {}));
    assert.equal((bad as BackendError).code, 'badData');
    assert.match(bad.message, /sent malformed JSON \(\d+ bytes\) for a span search after 4 attempts/);
  });

  it('reports an unreachable server as a network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await expectReject(client({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 2, baseDelayMs: 1 } }).searchSpans({}, {}));
    assert.equal((err as BackendError).code, 'network');
    assert.match(err.message, /ECONNREFUSED/);
  });

  it('times out slow answers per request and retries them', async () => {
    emu.inject({ kind: 'slow', delayMs: 400 });
    const page = await client({ timeoutMs: 150 }).searchSpans({ limit: 1 }, {});
    assert.equal(page.items.length, 1);
    emu.inject({ kind: 'slow', delayMs: 400, times: 2 });
    const err = await expectReject(client({ timeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1 } }).searchSpans({ limit: 1 }, {}));
    assert.equal((err as BackendError).code, 'timeout');
    assert.match(err.message, /did not answer in time \(no response within 100 ms, 2 attempts\)/);
  });

  it('cancels promptly during a request and during a backoff wait', async () => {
    emu.inject({ kind: 'slow', delayMs: 2000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    let t = Date.now();
    const during = await expectReject(client().searchSpans({}, {}, ac.signal));
    assert.equal((during as BackendError).code, 'cancelled');
    assert.ok(Date.now() - t < 1000);

    emu.clearFaults();
    emu.inject({ kind: 'status', status: 429, retryAfter: 30 });
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 100);
    t = Date.now();
    const waiting = await expectReject(client().searchSpans({}, {}, ac2.signal));
    assert.equal((waiting as BackendError).code, 'cancelled');
    assert.ok(Date.now() - t < 1000);
  });

  it('parses Retry-After and FastAPI error bodies', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(null), undefined);
    const inFuture = parseRetryAfter(new Date(Date.now() + 5000).toUTCString())!;
    assert.ok(inFuture > 3000 && inFuture <= 5000);
    assert.equal(serverDetail('{"detail":"nope"}'), 'nope');
    assert.equal(serverDetail('{"detail":[{"loc":["query","limit"],"msg":"too big"}]}'), 'query.limit: too big');
    assert.equal(serverDetail('<html>502</html>'), undefined);
  });
});
