// Fault injection against the SGP emulator over HTTP (issue #10): 500s, 429
// bursts, resets, slow and truncated answers, non-JSON bodies, repeated and
// empty pages, for span loading and the session list. Pages already yielded
// stay valid, the failure is a precise BackendError, and Retry from the last
// cursor received completes the session without duplicates.
import * as assert from 'node:assert/strict';
import { createBackend } from '../../../src/backends/registry';
import type { Backend } from '../../../src/backends/types';
import { generateTrace } from '../../emulators/sgp/generate';
import { startSgpEmulator, type SgpEmulator, type SgpFault } from '../../emulators/sgp/server';
import { assertComplete, consume, listAll } from './support/consume';
import { recordingContext } from '../../support/context';

const TRACE = 'trc-reliability';
const SID = `trace:${TRACE}`;
const SIZE = 1250;
const PAGE = 250; // → 5 pages; a trace session costs no request before its pages

describe('reliability: SGP faults over HTTP (fetch ↔ emulator)', function () {
  this.timeout(30_000);
  let emu: SgpEmulator;
  const records = generateTrace({ traceId: TRACE, spans: SIZE });
  const expected = records.map((r) => r.id);
  /** Ascending start order, as the backend pages: the last id of each page. */
  const pageEnd = (n: number) => [...records].sort((a, b) => Date.parse(a.start_timestamp!) - Date.parse(b.start_timestamp!) || (a.id < b.id ? -1 : 1))[n * PAGE - 1].id;

  beforeEach(async () => {
    emu = await startSgpEmulator({ spans: records });
  });
  afterEach(async () => {
    await emu.close();
  });

  async function backend(extra: Record<string, unknown> = {}): Promise<Backend> {
    const config = { id: 'sgp-r', type: 'sgp' as const, baseUrl: emu.url, accountId: emu.accountId, lookbackDays: 0, pageSize: PAGE, timeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 }, ...extra };
    return createBackend(config, recordingContext({ 'sgp.apiKey:sgp-r': emu.apiKey }));
  }

  /** Pages 1–2 pass, then `fault` hits page 3 (three times: every attempt). */
  async function failThenResume(fault: SgpFault, extra?: Record<string, unknown>) {
    const b = await backend(extra);
    emu.inject({ times: 3, ...fault, skip: 2 });
    const first = await consume(b, SID);
    assert.ok(first.error, 'the load failed');
    assert.equal(first.spans.length, 2 * PAGE, 'the pages received before the failure are kept');
    emu.clearFaults();
    const rest = await consume(b, SID, { resumeFrom: first.cursor });
    assert.equal(rest.error, undefined, rest.error?.message);
    assertComplete([first, rest], expected);
    return first.error!;
  }

  it('500: a "server" error with Retry after the client’s retries; resume completes without duplicates', async () => {
    const e = await failThenResume({ kind: 'status', status: 500 });
    assert.equal(e.code, 'server');
    assert.equal(e.message, 'SGP backend "sgp-r": the server failed (HTTP 500) on 3 attempts. Retry later; if it persists, check the service status. The server said: Internal Server Error');
    assert.ok(e.nextSteps.includes('retry'));
  });

  it('429 bursts: shorter than the retries is absorbed; longer is "throttled" with Retry', async () => {
    const b = await backend();
    emu.inject({ kind: 'status', status: 429, retryAfter: 0, times: 2, skip: 1 });
    const ok = await consume(b, SID);
    assert.equal(ok.error, undefined);
    assertComplete([ok], expected);

    const e = await failThenResume({ kind: 'status', status: 429, retryAfter: '0' });
    assert.equal(e.code, 'throttled');
    assert.match(e.message, /^SGP backend "sgp-r": still rate limited \(HTTP 429\) after 3 attempts\. Wait a minute, then retry\./);
    assert.deepEqual(e.nextSteps, ['retry']);
  });

  it('connection reset: a "network" error naming the base URL, with Retry', async () => {
    const e = await failThenResume({ kind: 'reset' });
    assert.equal(e.code, 'network');
    assert.match(e.message, new RegExp(`^SGP backend "sgp-r": cannot reach ${emu.url.replace(/\./g, '\\.')} \\(\\w+\\) after 3 attempts\\.`));
    assert.ok(e.nextSteps.includes('retry'));
  });

  it('answers slower than the timeout: a "timeout" error within the time bound, with Retry', async () => {
    const started = Date.now();
    const e = await failThenResume({ kind: 'slow', delayMs: 1500 }, { timeoutMs: 300 });
    assert.ok(Date.now() - started < 8000);
    assert.equal(e.code, 'timeout');
    assert.match(e.message, /did not answer in time \(no response within 300 ms, 3 attempts\)/);
    assert.ok(e.nextSteps.includes('retry'));
  });

  it('truncated JSON and a non-JSON body are "badData" with Retry', async () => {
    const cut = await failThenResume({ kind: 'truncate' });
    assert.equal(cut.code, 'badData');
    assert.match(cut.message, /^SGP backend "sgp-r": the server sent malformed JSON \(\d+ bytes\) for a span search after 3 attempts\./);
    assert.ok(cut.nextSteps.includes('retry'));

    // An HTML error page from a proxy, with status 200.
    const html = await failThenResume({ kind: 'status', status: 200, body: '<html><body>Bad gateway</body></html>' });
    assert.equal(html.code, 'badData');
    assert.match(html.message, /a response without an "items" array/);
    assert.ok(html.nextSteps.includes('retry'));
  });

  it('a page that repeats the previous cursor stops the load (no endless loop); Retry completes without duplicates', async () => {
    const e = await failThenResume({ kind: 'repeatCursor', times: 1 });
    assert.equal(e.code, 'badData');
    assert.match(e.message, /returned a page position it had already returned \(span search\), so paging stopped/);
    assert.ok(e.nextSteps.includes('retry'));
  });

  it('a server that repeats forever is stopped promptly', async () => {
    const b = await backend();
    emu.inject({ kind: 'repeatCursor', times: Infinity, skip: 1 });
    const r = await consume(b, SID, { maxPages: 10, timeoutMs: 5000 });
    assert.equal(r.error?.code, 'badData');
    assert.ok(emu.requests.length <= 4, `stopped after ${emu.requests.length} requests`);
    assert.equal(new Set(r.spans.map((s) => s.id)).size, r.spans.length);
  });

  it('an empty page that carries a cursor is followed; one without a way on is a warning, not a silent stop', async () => {
    const b = await backend();
    // Page 3 comes back empty with a new opaque cursor for where page 3 starts
    // (the emulator's `cur_<base64url id>` form): loading goes on. (The same
    // cursor as requested would be a loop, and is reported as one above.)
    emu.inject({ kind: 'status', status: 200, body: { items: [], has_more: true, next_cursor: `cur_${Buffer.from(pageEnd(2)).toString('base64url')}` }, skip: 2 });
    const all = await consume(b, SID, { maxPages: 20 });
    assert.equal(all.error, undefined);
    assert.equal(all.pages.filter((p) => p.spans.length === 0).length, 1);
    assertComplete([all], expected);

    emu.inject({ kind: 'status', status: 200, body: { items: [], has_more: true }, skip: 2 });
    const cut = await consume(b, SID, { maxPages: 20 });
    assert.equal(cut.spans.length, 2 * PAGE);
    assert.ok(cut.warnings.some((w) => /sent an empty page; the session may be incomplete/.test(w)), 'the user is told the session may be incomplete');
  });

  describe('session list paging', () => {
    async function listBackend(): Promise<Backend> {
      // Many one-trace sessions, listed five per page.
      await emu.close();
      const roots = Array.from({ length: 23 }, (_, i) => generateTrace({ traceId: `t-${String(i).padStart(2, '0')}`, spans: 1, start: Date.parse('2025-06-03T00:00:00Z') + i * 60_000 })[0]);
      emu = await startSgpEmulator({ spans: roots });
      return backend();
    }

    it('a 500 on a later page keeps the earlier pages; Retry with the same cursor completes the list without duplicates', async () => {
      const b = await listBackend();
      const first = await b.listSessions({ limit: 5 });
      const second = await b.listSessions({ limit: 5, cursor: first.cursor });
      emu.inject({ kind: 'status', status: 500, times: 3 });
      const failed = await b.listSessions({ limit: 5, cursor: second.cursor }).then(() => undefined, (e) => e);
      assert.equal(failed?.code, 'server');
      assert.ok(failed.nextSteps.includes('retry'));
      const sessions = [...first.sessions, ...second.sessions];
      let cursor = second.cursor;
      for (let i = 0; cursor && i < 20; i++) {
        const page = await b.listSessions({ limit: 5, cursor });
        sessions.push(...page.sessions);
        cursor = page.cursor;
      }
      const ids = sessions.map((s) => s.id);
      assert.equal(ids.length, 23);
      assert.equal(new Set(ids).size, 23);
    });

    it('a list page that repeats its cursor is reported, not paged forever', async () => {
      const b = await listBackend();
      emu.inject({ kind: 'repeatCursor', times: Infinity, skip: 1 });
      const all = await listAll(b, { limit: 5, maxPages: 20, timeoutMs: 5000 });
      assert.equal(all.error?.code, 'badData');
      assert.match(all.error!.message, /already returned \(session list\)/);
      assert.ok(all.error!.nextSteps.includes('retry'));
    });
  });
});
