// Sessions of the SGP backend against the emulator over HTTP: grouping of
// traces by group_id, newest-first paging, the time window, lookups by trace,
// span and group id, and loading a group's spans across all its traces.
import * as assert from 'node:assert/strict';
import { BackendError } from '../../../../src/backends/errors';
import { loadAllSpans, type Backend, type SpanPage } from '../../../../src/backends/types';
import { SGP_FIXTURE_IDS as IDS, loadFixtureSpans } from '../../../emulators/sgp/fixtures';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { expectReject, makeBackend } from './helpers';

async function listAll(backend: Backend, limit: number): Promise<{ ids: string[]; pages: number; warnings: string[] }> {
  const ids: string[] = [];
  const warnings: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await backend.listSessions({ cursor, limit });
    pages++;
    ids.push(...page.sessions.map((s) => s.id));
    warnings.push(...(page.warnings ?? []));
    cursor = page.cursor;
  } while (cursor && pages < 50);
  return { ids, pages, warnings };
}

describe('sgp sessions', () => {
  let emu: SgpEmulator;
  let backend: Backend;

  before(async () => {
    emu = await startSgpEmulator({ shiftToNow: false });
    ({ backend } = await makeBackend(emu));
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.clearFaults();
    emu.requests.length = 0;
  });

  it('lists groups and ungrouped traces newest first, each once, across pages', async () => {
    // limit 2 puts the group's oldest trace on page 2, after the research trace:
    // it must widen the group already listed instead of listing it again.
    const { ids, pages } = await listAll(backend, 2);
    assert.deepEqual(ids, [...IDS.sessions]);
    assert.equal(pages, 3);
    const req = emu.requests[0];
    assert.equal(req.path, '/v5/spans/search');
    assert.deepEqual(req.body, { parents_only: true });
    assert.equal(req.query.sort_order, 'desc');
    assert.equal(req.query.sort_by, 'start_timestamp');
    assert.equal(req.query.limit, '2');
    // Later pages continue after the last root of the previous page.
    assert.equal(emu.requests[1].query.starting_after, 'spn-t2-root');
  });

  it('gives a group session the time range, traces and worst status of all its traces', async () => {
    await listAll(backend, 2);
    const group = await backend.getSession(`group:${IDS.supportGroup}`);
    assert.ok(group);
    assert.equal(group.name, 'Support Agent: support-agent.run');
    assert.equal(group.startTime, Date.parse('2025-06-02T08:10:00Z'));
    assert.equal(group.endTime, Date.parse('2025-06-02T09:06:00.900Z'));
    assert.equal(group.status, 'error'); // turn 2 failed
    assert.deepEqual([...(group.attributes?.['sgp.traceIds'] as string[])].sort(), [...IDS.supportTraces].sort());
    assert.equal(group.attributes?.['sgp.traceCount'], 3);
    assert.equal(group.attributes?.['sgp.groupId'], IDS.supportGroup);

    const trace = (await backend.listSessions({ limit: 50 })).sessions.find((s) => s.id === `trace:${IDS.reportTrace}`);
    assert.ok(trace);
    assert.equal(trace.name, 'nightly-report');
    assert.equal(trace.status, 'ok');
  });

  it('loads every span of every trace in a group, with trace ids for the per-trace level', async () => {
    const spans = await loadAllSpans(backend, `group:${IDS.supportGroup}`);
    const expected = loadFixtureSpans().filter((s) => IDS.supportTraces.includes(s.trace_id as never));
    assert.equal(spans.length, expected.length);
    assert.deepEqual(new Set(spans.map((s) => s.traceId)), new Set(IDS.supportTraces));
    assert.ok(spans.every((s) => s.sessionId === `group:${IDS.supportGroup}`));
    // Sorted by start: the oldest trace's root comes first.
    assert.equal(spans[0].id, 'spn-t1-root');
    const spanReq = emu.requests.find((r) => Array.isArray((r.body as { trace_ids?: unknown })?.trace_ids));
    assert.ok(spanReq);
    assert.deepEqual([...(spanReq.body as { trace_ids: string[] }).trace_ids].sort(), [...IDS.supportTraces].sort());
    assert.equal(spanReq.query.sort_order, 'asc');
  });

  it('loads a group whose spans carry group_id only on the roots, and a single-trace session', async () => {
    const one = await loadAllSpans(backend, `trace:${IDS.reportTrace}`);
    assert.equal(one.length, loadFixtureSpans().filter((s) => s.trace_id === IDS.reportTrace).length);
    assert.ok(one.every((s) => s.traceId === IDS.reportTrace && s.sessionId === `trace:${IDS.reportTrace}`));
    const onboarding = await loadAllSpans(backend, `group:${IDS.onboardingGroup}`);
    assert.deepEqual(onboarding.map((s) => s.id), ['spn-t6-root', 'spn-t6-llm']);
  });

  it('resolves trace ids, span ids, group ids, prefixed ids and root names', async () => {
    const ids = async (q: string) => (await backend.resolveSession(q)).map((s) => s.id);
    // A trace in a group resolves to its group: that is how it is listed.
    assert.deepEqual(await ids(IDS.supportTraces[1]), [`group:${IDS.supportGroup}`]);
    assert.deepEqual(await ids(IDS.reportTrace), [`trace:${IDS.reportTrace}`]);
    assert.deepEqual(await ids(IDS.spans.toolWeather), [`group:${IDS.supportGroup}`]);
    assert.deepEqual(await ids(IDS.spans.codeExecution), [`trace:${IDS.reportTrace}`]);
    assert.deepEqual(await ids(IDS.onboardingGroup), [`group:${IDS.onboardingGroup}`]);
    assert.deepEqual(await ids(`trace:${IDS.researchTrace}`), [`trace:${IDS.researchTrace}`]);
    assert.deepEqual(await ids(`group:${IDS.supportGroup}`), [`group:${IDS.supportGroup}`]);
    assert.deepEqual(await ids('research'), [`trace:${IDS.researchTrace}`]);
    assert.deepEqual(await ids('no-such-thing'), []);
    assert.equal(await backend.getSession('group:no-such-group'), undefined);
  });

  it('loads spans by a raw id too (the CLI passes what the user typed)', async () => {
    const bySpan = await loadAllSpans(backend, IDS.spans.errorTool);
    assert.ok(bySpan.every((s) => s.sessionId === `group:${IDS.supportGroup}`));
    assert.equal(new Set(bySpan.map((s) => s.traceId)).size, 3);
    const err = await expectReject(loadAllSpans(backend, 'nothing-like-this'));
    assert.ok(err instanceof BackendError);
    assert.equal(err.code, 'notFound');
    assert.match(err.message, /no trace, span or group "nothing-like-this" in account "acct-demo"/);
  });

  it('applies the lookback window as from_ts', async () => {
    const emu2 = await startSgpEmulator(); // fixtures moved to "10 minutes ago"
    try {
      const { backend: b7 } = await makeBackend(emu2, { lookbackDays: 7 });
      const page = await b7.listSessions({ limit: 50 });
      assert.deepEqual(page.sessions.map((s) => s.id), [...IDS.sessions]);
      const fromTs = Date.parse(emu2.requests[0].query.from_ts);
      assert.ok(Math.abs(fromTs - (Date.now() - 7 * 86_400_000)) < 60_000);
      // The unshifted fixtures (June 2025) are outside a one-day window.
      const { backend: old } = await makeBackend(emu, { lookbackDays: 1 });
      assert.deepEqual((await old.listSessions({ limit: 50 })).sessions, []);
    } finally {
      await emu2.close();
    }
  });

  it('sends x-project-id when projectId is set, and the emulator enforces it', async () => {
    const emu2 = await startSgpEmulator({ shiftToNow: false, projectId: 'proj-1' });
    try {
      const { backend: ok } = await makeBackend(emu2, { projectId: 'proj-1' });
      assert.equal((await ok.listSessions({ limit: 50 })).sessions.length, 4);
      assert.equal(emu2.requests[0].projectId, 'proj-1');
      const { backend: wrong } = await makeBackend(emu2, { projectId: 'proj-2' });
      const err = await expectReject(wrong.listSessions({ limit: 5 }));
      assert.equal((err as BackendError).code, 'forbidden');
      assert.match(err.message, /project "proj-2"/);
    } finally {
      await emu2.close();
    }
  });

  it('pages with the server next_cursor when it sends one', async () => {
    const emu2 = await startSgpEmulator({ shiftToNow: false, nextCursor: true });
    try {
      const { backend: b } = await makeBackend(emu2, { pageSize: 4 });
      const { ids } = await listAll(b, 2);
      assert.deepEqual(ids, [...IDS.sessions]);
      assert.match(emu2.requests[1].query.starting_after, /^cur_/);
      const spans = await loadAllSpans(b, `group:${IDS.supportGroup}`);
      assert.equal(spans.length, 13);
      assert.equal(new Set(spans.map((s) => s.id)).size, 13);
    } finally {
      await emu2.close();
    }
  });

  it('reports partial search results as a warning on the session page and the span page', async () => {
    emu.inject({ kind: 'partial' });
    const page = await backend.listSessions({ limit: 50 });
    assert.equal(page.sessions.length, 4);
    assert.equal(page.warnings?.length, 1);
    assert.match(page.warnings![0], /partial search results/);
    emu.inject({ kind: 'partial', skip: 1 }); // the group-roots lookup passes, the span page is partial
    const pages: SpanPage[] = [];
    for await (const p of backend.loadSpans(`group:${IDS.supportGroup}`)) pages.push(p);
    assert.match(pages[0].warnings?.[0] ?? '', /some spans may be missing/);
  });

  it('stops with a clear error when the server repeats a cursor', async () => {
    const { backend: b } = await makeBackend(emu, { pageSize: 3 });
    emu.inject({ kind: 'repeatCursor', skip: 2 }); // group roots, span page 1, then page 1 again
    const got: string[] = [];
    const err = await expectReject(
      (async () => {
        for await (const p of b.loadSpans(`group:${IDS.supportGroup}`)) got.push(...p.spans.map((s) => s.id));
      })(),
    );
    assert.equal((err as BackendError).code, 'badData');
    assert.match(err.message, /page position it had already returned/);
    assert.deepEqual((err as BackendError).nextSteps, ['retry', 'openLog']);
    assert.equal(got.length, 3); // the first page stays valid
    assert.equal(new Set(got).size, 3);

    emu.inject({ kind: 'repeatCursor', skip: 1 });
    const first = await backend.listSessions({ limit: 2 });
    const loop = await expectReject(backend.listSessions({ limit: 2, cursor: first.cursor }));
    assert.match(loop.message, /already returned \(session list\)/);
  });

  it('resumes after a failed page without duplicates or gaps', async () => {
    const { backend: b } = await makeBackend(emu, { pageSize: 4, retry: { maxAttempts: 1 } });
    emu.inject({ kind: 'status', status: 503, skip: 3 }); // roots, page 1, page 2 pass; page 3 fails
    const got: string[] = [];
    let cursor: string | undefined;
    const err = await expectReject(
      (async () => {
        for await (const p of b.loadSpans(`group:${IDS.supportGroup}`)) {
          got.push(...p.spans.map((s) => s.id));
          cursor = p.cursor;
        }
      })(),
    );
    assert.equal((err as BackendError).code, 'server');
    assert.equal(got.length, 8);
    assert.ok(cursor);
    for await (const p of b.loadSpans(`group:${IDS.supportGroup}`, { resumeFrom: cursor })) got.push(...p.spans.map((s) => s.id));
    assert.equal(got.length, 13);
    assert.equal(new Set(got).size, 13);

    const bad = await expectReject(loadAllSpansFrom(b, `group:${IDS.supportGroup}`, 'not-a-cursor'));
    assert.equal((bad as BackendError).code, 'badData');
    assert.match(bad.message, /resume position/);
  });

  it('rejects a bad configuration with a config error naming the key', async () => {
    const noAccount = await expectReject(makeBackend(emu, { accountId: undefined }));
    assert.equal((noAccount as BackendError).code, 'config');
    assert.match(noAccount.message, /Backend "sgp-test": "accountId" is required/);
    const badUrl = await expectReject(makeBackend(emu, { baseUrl: 'ftp://x' }));
    assert.match(badUrl.message, /"baseUrl" must start with https:\/\//);
    const badPage = await expectReject(makeBackend(emu, { pageSize: 5000 }));
    assert.match(badPage.message, /"pageSize" must be a number from 1 to 1000/);
  });
});

async function loadAllSpansFrom(b: Backend, id: string, resumeFrom: string): Promise<number> {
  let n = 0;
  for await (const p of b.loadSpans(id, { resumeFrom })) n += p.spans.length;
  return n;
}
