// A 50,000-span trace over HTTP: it must arrive page by page (the tree fills
// while loading), completely, without duplicates, and stop when cancelled.
import * as assert from 'node:assert/strict';
import { BackendError } from '../../../../src/backends/errors';
import type { Backend } from '../../../../src/backends/types';
import { ForestBuilder } from '../../../../src/model/tree';
import { generateTrace } from '../../../emulators/sgp/generate';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { expectReject, makeBackend } from './helpers';

const N = 50_000;
const TRACE = 'trc-load-50k';
/** More traces than one root page (100) holds. */
const GROUP_TRACES = 250;
const traceName = (i: number) => `trc-many-${String(i).padStart(3, '0')}`;

describe('sgp large traces', function () {
  this.timeout(60_000);
  let emu: SgpEmulator;
  let backend: Backend;

  before(async () => {
    const many = Array.from({ length: GROUP_TRACES }, (_, i) => generateTrace({ traceId: traceName(i), spans: 12, groupId: 'grp-many', start: Date.parse('2025-07-01T00:00:00Z') + i * 60_000 }));
    emu = await startSgpEmulator({ spans: [...generateTrace({ traceId: TRACE, spans: N, groupId: 'grp-load' }), ...many.flat()] });
    ({ backend } = await makeBackend(emu));
  });
  after(() => emu.close());

  it('loads 50,000 spans progressively, 1000 per request, into one tree', async () => {
    const started = Date.now();
    const forest = new ForestBuilder();
    const ids = new Set<string>();
    let pages = 0;
    let firstPageAt = 0;
    let lastCursor: string | undefined = 'start';
    for await (const page of backend.loadSpans(`group:grp-load`)) {
      pages++;
      if (pages === 1) firstPageAt = Date.now() - started;
      assert.equal(page.spans.length, 1000);
      for (const s of page.spans) ids.add(s.id);
      forest.add(page.spans);
      lastCursor = page.cursor;
    }
    const total = Date.now() - started;
    assert.equal(pages, 50);
    assert.equal(ids.size, N);
    assert.equal(lastCursor, undefined);
    assert.deepEqual(forest.issues, []);
    assert.deepEqual(forest.orphanIssues(), []);
    assert.equal(forest.roots().length, 1);
    // Progressive: the first page is there long before the last.
    assert.ok(firstPageAt < total / 5, `first page after ${firstPageAt} ms of ${total} ms`);
    const spanRequests = emu.requests.filter((r) => (r.body as { trace_ids?: string[] })?.trace_ids);
    assert.equal(spanRequests.length, 50);
    assert.ok(spanRequests.every((r) => r.query.limit === '1000'));
  });

  it('stops loading when cancelled between pages', async () => {
    const ac = new AbortController();
    let pages = 0;
    emu.requests.length = 0;
    const err = await expectReject(
      (async () => {
        for await (const page of backend.loadSpans(`trace:${TRACE}`, { signal: ac.signal })) {
          pages++;
          assert.equal(page.spans.length, 1000);
          if (pages === 3) ac.abort();
        }
      })(),
    );
    assert.ok(err instanceof BackendError);
    assert.equal(err.code, 'cancelled');
    assert.equal(pages, 3);
    assert.equal(emu.requests.length, 3);
  });

  it('starts a many-trace group after one page of its roots, and resumes across root pages', async () => {
    const rootRequests = () => emu.requests.filter((r) => (r.body as { parents_only?: boolean })?.parents_only).length;
    emu.requests.length = 0;
    const got: string[] = [];
    let cursor: string | undefined;
    let rootsBeforeFirstPage = -1;
    // Requests: roots 1, its spans (2 pages), roots 2, its first span page, then a failure
    // amid the second root page's traces: the cursor holds both positions.
    emu.inject({ kind: 'status', status: 400, skip: 5 });
    const err = await expectReject(
      (async () => {
        for await (const page of backend.loadSpans('group:grp-many')) {
          if (rootsBeforeFirstPage < 0) rootsBeforeFirstPage = rootRequests();
          got.push(...page.spans.map((s) => s.id));
          cursor = page.cursor;
        }
      })(),
    );
    assert.ok(err instanceof BackendError);
    assert.equal(rootsBeforeFirstPage, 1, 'the first spans came after one page of roots');
    assert.ok(got.length > 0 && got.length < GROUP_TRACES * 12, `${got.length} spans before the failure`);
    assert.ok(cursor);
    assert.equal(got.length, 100 * 12 + 1000);
    for await (const page of backend.loadSpans('group:grp-many', { resumeFrom: cursor })) got.push(...page.spans.map((s) => s.id));
    assert.equal(got.length, GROUP_TRACES * 12);
    assert.equal(new Set(got).size, GROUP_TRACES * 12);
    // Oldest trace first, as the roots are read.
    assert.ok(got[0].startsWith(traceName(0)));
    assert.ok(got[got.length - 1].startsWith(traceName(GROUP_TRACES - 1)));
  });
});
