import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAllSpans } from '../../../../src/backends/types';
import { createCaptureBackend } from '../../../../src/backends/store/storeBackend';
import { exportCapturedSession } from '../../../../src/capture/export';
import { startReceiver } from '../../../../src/capture/receiver';
import { CaptureStore, type StoreChange } from '../../../../src/backends/store/captureStore';
import { openCaptureStore } from '../../../../src/capture/persist';
import { getRaw } from '../../../../src/model/raw';
import { buildForest } from '../../../../src/model/tree';
import { request } from '../../capture/helpers';
import { recordingLogger } from '../../../support/context';

const iso = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

function span(traceId: string, id: string, parent: string | null, start: number, type = 'custom'): Record<string, unknown> {
  return { object: 'trace.span', id, trace_id: traceId, parent_id: parent, started_at: iso(start), ended_at: iso(start + 10), span_data: { type, name: id }, error: null };
}

function traceRec(id: string, group: string | null, name = 'wf'): Record<string, unknown> {
  return { object: 'trace', id, workflow_name: name, group_id: group, metadata: {} };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'capture-store-'));
}

describe('capture store', () => {
  it('tells a session\'s watcher each span stored in it: new, sent again, and moved in with its trace, until disposed', () => {
    const store = CaptureStore.inMemory();
    store.ingestOpenAi({ data: [traceRec('trace_g', 'group_w'), span('trace_g', 'span_1', null, 0)] });
    const seen: string[] = [];
    const watch = store.watchSpans('group_w', (s) => seen.push(`${s.id}@${s.sessionId}`));
    store.ingestOpenAi({ data: [span('trace_g', 'span_2', 'span_1', 5), span('trace_g', 'span_1', null, 0), span('trace_other', 'span_9', null, 1)] });
    // A trace filed under its own id until its record names the group: its spans move in.
    store.ingestOpenAi({ data: [span('trace_late', 'span_l', null, 2)] });
    store.ingestOpenAi({ data: [traceRec('trace_late', 'group_w')] });
    assert.deepEqual(seen, ['span_2@group_w', 'span_1@group_w', 'span_l@group_w']);
    watch.dispose();
    store.ingestOpenAi({ data: [span('trace_g', 'span_3', 'span_1', 7)] });
    assert.equal(seen.length, 3, 'nothing after dispose');
    assert.equal(store.getSession('group_w')?.spanCount, 4);
  });

  it('links children that arrive first, then moves the trace into its group when the trace record comes last', async () => {
    const store = CaptureStore.inMemory();
    const changes: StoreChange[] = [];
    store.onDidChange((c) => changes.push(c));
    const server = await startReceiver({ store, port: 0 });
    try {
      const post = (data: unknown[]): ReturnType<typeof request> =>
        request(server.url, { path: '/v1/traces/ingest', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: JSON.stringify({ data }) });
      // Spans end (and are sent) children first.
      assert.equal((await post([span('trace_a', 'span_c', 'span_b', 30)])).status, 200);
      assert.equal((await post([span('trace_a', 'span_b', 'span_r', 20)])).status, 200);
      assert.deepEqual(store.listSessions().map((s) => s.id), ['trace_a']);
      await post([span('trace_a', 'span_r', null, 0)]);
      await post([traceRec('trace_a', 'group_1', 'Support chat')]);

      assert.deepEqual(store.listSessions().map((s) => [s.id, s.name, s.spanCount]), [['group_1', 'Support chat', 3]]);
      assert.equal(store.getSession('trace_a'), undefined);
      assert.ok(changes.some((c) => c.sessionId === 'group_1'));
      assert.ok(changes.some((c) => c.sessionId === undefined), 'list change announced');
      const spans = await loadAllSpans(createCaptureBackend(store), 'group_1');
      assert.deepEqual(spans.map((s) => s.sessionId), ['group_1', 'group_1', 'group_1']);
      const forest = buildForest(spans);
      assert.equal(forest.roots().length, 1);
      assert.equal(forest.roots()[0].span.id, 'span_r');

      // A second trace of the same group, whose trace record arrives first, joins directly.
      await post([traceRec('trace_b', 'group_1', 'Support chat (2)'), span('trace_b', 'span_x', null, 100)]);
      assert.equal(store.getSession('group_1')?.spanCount, 4);
      assert.equal(store.getSession('group_1')?.name, 'Support chat', 'first workflow name kept');
      // A trace that never gets its trace record stays a session of its own.
      await post([span('trace_c', 'span_y', null, 200)]);
      assert.deepEqual(store.listSessions().map((s) => s.id).sort(), ['group_1', 'trace_c']);
      assert.equal(store.getSession('trace_c')?.name, 'span_y', 'named after its root span');
    } finally {
      await server.close();
    }
  });

  it('replaces a span sent twice (exporter retries) instead of duplicating it', () => {
    const store = CaptureStore.inMemory();
    store.ingestOpenAi({ data: [span('trace_d', 'span_1', null, 0)] });
    const again = span('trace_d', 'span_1', null, 0);
    again.error = { message: 'late failure' };
    store.ingestOpenAi({ data: [again] });
    assert.equal(store.getSession('trace_d')?.spanCount, 1);
    assert.equal(store.getSession('trace_d')?.status, 'error');
    assert.equal(store.stats().spans, 1);
  });

  it('rejects non-tracing items with a reason and keeps the rest', () => {
    const store = CaptureStore.inMemory();
    const r = store.ingestOpenAi({ data: [span('trace_e', 'span_1', null, 0), { object: 'response', id: 'x' }, 42, { object: 'trace.span' }] });
    assert.equal(r.spans, 1);
    assert.equal(r.rejected, 3);
    assert.ok(r.errors.some((e) => /"response"/.test(e)));
  });

  it('evicts the least recently updated sessions beyond the span cap and reports it', () => {
    const log = recordingLogger();
    const store = CaptureStore.inMemory({ maxSpans: 10, log });
    for (let t = 0; t < 5; t++) {
      store.ingestOpenAi({ data: [0, 1, 2, 3].map((i) => span(`trace_${t}`, `span_${t}_${i}`, null, t * 100 + i)) });
    }
    // 20 spans sent, cap 10: the three oldest sessions went (12 spans), two remain.
    assert.deepEqual(store.listSessions().map((s) => s.id), ['trace_4', 'trace_3']);
    assert.deepEqual(store.stats(), { sessions: 2, spans: 8, evictedSessions: 3, evictedSpans: 12, diskBytes: 0 });
    assert.ok(log.lines.some((l) => /over its limit of 10 spans/.test(l)));
    // Updating an old session makes it recent: the other one is evicted next.
    store.ingestOpenAi({ data: [span('trace_3', 'span_3_9', null, 999), span('trace_3', 'span_3_10', null, 1000), span('trace_3', 'span_3_11', null, 1001)] });
    assert.deepEqual(store.listSessions().map((s) => s.id), ['trace_3']);
    // A single session larger than the cap keeps its newest spans.
    store.ingestOpenAi({ data: Array.from({ length: 15 }, (_, i) => span('trace_3', `span_big_${i}`, null, 2000 + i)) });
    assert.equal(store.stats().spans, 10);
    assert.ok(store.getSpans('trace_3')!.some((s) => s.id === 'span_big_14'));
  });

  it('persists what it received and reloads it on start; clear() removes it', async () => {
    const dir = tmpDir();
    try {
      const store = await openCaptureStore({ storageDir: dir });
      store.ingestOpenAi({ data: [traceRec('trace_p', 'group_p', 'Persisted'), span('trace_p', 'span_1', null, 0, 'agent')] }, undefined);
      const text = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'otlp root', startTimeUnixNano: '1767225600000000000', attributes: [{ key: 'gen_ai.conversation.id', value: { stringValue: 'conv_p' } }] }] }] }] });
      store.ingestOtlp(JSON.parse(text), text);
      // Not written yet: read from the queued line; then from the file.
      const [queued] = store.getSpans('conv_p')!;
      assert.equal(getRaw(queued), undefined);
      const record = JSON.parse(text).resourceSpans[0].scopeSpans[0].spans[0];
      assert.deepEqual((await store.rawRecords([queued])).get(queued), record);
      await store.flush();
      assert.deepEqual((await store.rawRecords([queued])).get(queued), record);
      const files = fs.readdirSync(dir);
      assert.equal(files.length, 1);
      assert.match(files[0], /^capture-\d+\.jsonl$/);
      const lines = fs.readFileSync(path.join(dir, files[0]), 'utf8').trim().split('\n');
      assert.equal(lines.length, 2);
      assert.ok(lines[1].includes(text), 'the OTLP body is stored as received');
      assert.ok(store.stats().diskBytes > 0);

      // A crash mid-write leaves a torn line: skipped with a warning.
      fs.appendFileSync(path.join(dir, files[0]), '{"v":1,"at":1,"kind":"otlp","bo');
      const log = recordingLogger();
      const reloaded = await openCaptureStore({ storageDir: dir, log });
      assert.deepEqual(reloaded.listSessions().map((s) => s.id).sort(), ['conv_p', 'group_p']);
      assert.equal(reloaded.getSession('group_p')?.name, 'Persisted');
      assert.equal(reloaded.getSession('conv_p')?.name, 'otlp root');
      // The records are read again from the log, not held.
      const [otlpSpan] = reloaded.getSpans('conv_p')!;
      assert.equal(getRaw(otlpSpan), undefined);
      const raws = await reloaded.rawRecords([otlpSpan, ...reloaded.getSpans('group_p')!]);
      assert.deepEqual(raws.get(otlpSpan), JSON.parse(text).resourceSpans[0].scopeSpans[0].spans[0], 'the OTLP span record after reload');
      assert.equal((raws.get(reloaded.getSpans('group_p')![0]) as { id: string }).id, 'span_1', 'the OpenAI item after reload');
      assert.ok(log.lines.some((l) => /1 damaged line/.test(l)));
      // Reloading does not write the replayed data again.
      await reloaded.flush();
      assert.equal(fs.readdirSync(dir).length, 1);

      await reloaded.clear();
      assert.deepEqual(reloaded.listSessions(), []);
      assert.deepEqual(fs.readdirSync(dir), []);
      assert.deepEqual((await openCaptureStore({ storageDir: dir })).listSessions(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the capture log under its disk cap by deleting the oldest files', async () => {
    const dir = tmpDir();
    try {
      const store = await openCaptureStore({ storageDir: dir, maxDiskBytes: 20_000, maxFileBytes: 4_000 });
      const pad = 'p'.repeat(900);
      for (let i = 0; i < 60; i++) {
        store.ingestOpenAi({ data: [{ ...span(`trace_${i}`, `span_${i}`, null, i), pad }] });
        await store.flush();
      }
      const files = fs.readdirSync(dir);
      const total = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
      assert.ok(files.length > 1);
      assert.ok(total <= 20_000 + 4_000, `total ${total}`);
      // In memory, records are read again from the log: the newest still are, those of deleted files no longer.
      const [first] = store.getSpans('trace_0')!;
      const [last] = store.getSpans('trace_59')!;
      const raws = await store.rawRecords([first, last]);
      assert.equal(raws.has(first), false, 'its log file was deleted');
      assert.equal((raws.get(last) as { id: string; pad: string }).pad, pad);
      // What survives on disk is the newest data.
      const reloaded = await openCaptureStore({ storageDir: dir });
      assert.ok(reloaded.getSession('trace_59'));
      assert.equal(reloaded.getSession('trace_0'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports a session in the normalized format, and reports unknown sessions', async () => {
    const store = CaptureStore.inMemory();
    store.ingestOpenAi({ data: [span('trace_n', 'span_2', 'span_1', 20), span('trace_n', 'span_1', null, 0)] });
    const out = await exportCapturedSession(store, 'trace_n', 'normalized');
    assert.equal(out?.extension, '.json');
    const doc = JSON.parse(out!.text);
    assert.equal(doc.session.id, 'trace_n');
    assert.deepEqual(doc.spans.map((s: { id: string }) => s.id), ['span_1', 'span_2']);
    assert.equal(await exportCapturedSession(store, 'nope', 'native'), undefined);
    const backend = createCaptureBackend(store);
    await assert.rejects(loadAllSpans(backend, 'nope'), /no session "nope"/);
    assert.deepEqual((await backend.resolveSession('span_2')).map((s) => s.id), ['trace_n']);
  });
});
