// The openaiAgents (JSONL) and otlp (OTLP JSON files) backends, through the
// registry as the extension and CLI create them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../../src/backends/errors';
import { createBackend } from '../../../../src/backends/registry';
import { loadAllSpans, type Backend, type BackendChange, type BackendContext } from '../../../../src/backends/types';
import { getRaw } from '../../../../src/model/raw';
import { recordingLogger } from '../../../support/context';
import { waitFor } from '../../../support/waitFor';

const FIXTURE = path.join(__dirname, '../../../fixtures/openai/python-sdk.jsonl');
const OTLP_FIXTURE = path.join(__dirname, '../../../fixtures/otlp/collector-file-exporter.jsonl');

function context(dir: string): BackendContext & { log: ReturnType<typeof recordingLogger> } {
  return { log: recordingLogger(), getSecret: async () => undefined, resolvePath: (p) => path.resolve(dir, p) };
}

describe('openaiAgents JSONL backend', function () {
  this.timeout(15_000);
  let dir: string;
  let backend: Backend | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-jsonl-'));
  });

  afterEach(() => {
    backend?.dispose?.();
    backend = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads a file with a malformed line, reporting it as file:line while the rest loads', async () => {
    const lines = fs.readFileSync(FIXTURE, 'utf8').trim().split('\n');
    lines.splice(3, 0, '{"object": "trace.span", "id": broken');
    lines.splice(6, 0, '{"object": "something_else"}');
    fs.writeFileSync(path.join(dir, 'run.jsonl'), lines.join('\n') + '\n');
    const ctx = context(dir);
    backend = await createBackend({ id: 'oai', type: 'openaiAgents', path: 'run.jsonl' }, ctx);
    assert.equal(backend.label, 'run.jsonl');
    const page = await backend.listSessions({});
    assert.deepEqual(page.sessions.map((s) => [s.id, s.spanCount, s.backendId]), [['conv_42', 13, 'oai']]);
    assert.deepEqual(page.warnings, [
      'run.jsonl:4: not valid JSON; line skipped.',
      'run.jsonl:7: not an OpenAI tracing item (expected "object": "trace" or "trace.span" with ids); line skipped.',
    ]);
    assert.ok(!ctx.log.lines.join('\n').includes('broken'), 'line content is never logged');
    const spans = await loadAllSpans(backend, 'conv_42');
    assert.equal(spans.length, 13);
    assert.equal(spans[0].name, 'Triage');
  });

  it('says how many spans its memory cap left out, in the list and at the end of a load; "maxSpans" is checked', async () => {
    const item = (trace: string, id: string, parent: string | null) =>
      JSON.stringify({ object: 'trace.span', id, trace_id: trace, parent_id: parent, started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:01Z', span_data: { type: 'agent', name: id }, error: null });
    const lines: string[] = [];
    for (const t of ['trace_a', 'trace_b']) {
      lines.push(JSON.stringify({ object: 'trace', id: t, workflow_name: t, group_id: null, metadata: {} }));
      lines.push(item(t, `${t}_1`, null), item(t, `${t}_2`, `${t}_1`), item(t, `${t}_3`, `${t}_1`));
    }
    fs.writeFileSync(path.join(dir, 'big.jsonl'), lines.join('\n') + '\n');
    await assert.rejects(createBackend({ id: 'capped', type: 'openaiAgents', path: 'big.jsonl', maxSpans: 0 }, context(dir)), /"maxSpans" must be a whole number/);
    backend = await createBackend({ id: 'capped', type: 'openaiAgents', path: 'big.jsonl', maxSpans: 4 }, context(dir));
    const page = await backend.listSessions({});
    assert.deepEqual(page.sessions.map((s) => s.id), ['trace_b']);
    assert.match(page.warnings?.[0] ?? '', /^3 span\(s\) of big\.jsonl are not shown: .* at most 4 spans .* Raise "maxSpans"/);
    const warnings: string[] = [];
    let spans = 0;
    for await (const p of backend.loadSpans('trace_b')) {
      spans += p.spans.length;
      warnings.push(...(p.warnings ?? []));
    }
    assert.equal(spans, 3);
    assert.deepEqual(warnings, [page.warnings?.[0]]);
  });

  it('keeps every span of a file past live capture\'s 200,000 by default (a file is its own store)', async function () {
    this.timeout(60_000);
    const n = 200_001;
    const lines = [JSON.stringify({ object: 'trace', id: 'trace_big', workflow_name: 'big', group_id: null, metadata: {} })];
    for (let i = 0; i < n; i++) {
      lines.push(JSON.stringify({ object: 'trace.span', id: `span_${i}`, trace_id: 'trace_big', parent_id: i ? 'span_0' : null, started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:01Z', span_data: { type: 'custom', name: 'step', data: {} }, error: null }));
    }
    fs.writeFileSync(path.join(dir, 'many.jsonl'), lines.join('\n') + '\n');
    backend = await createBackend({ id: 'many', type: 'openaiAgents', path: 'many.jsonl' }, context(dir));
    assert.equal((await loadAllSpans(backend, 'trace_big')).length, n);
    const page = await backend.listSessions({});
    assert.deepEqual(page.sessions.map((s) => [s.id, s.spanCount]), [['trace_big', n]]);
    assert.equal(page.warnings, undefined, 'nothing left out, so nothing to warn about');
  });

  it('reads each span\'s item again from its line for the Raw tab (for copies of a span too), and gives none, logged, once the file is gone', async () => {
    const file = path.join(dir, 'run.jsonl');
    fs.copyFileSync(FIXTURE, file);
    const items = fs.readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    const ctx = context(dir);
    backend = await createBackend({ id: 'oai', type: 'openaiAgents', path: file }, ctx);
    const [session] = (await backend.listSessions({})).sessions;
    const spans = await loadAllSpans(backend, session.id);
    assert.ok(spans.length > 3);
    for (const span of spans) {
      assert.equal(getRaw(span), undefined, 'not held');
      assert.deepEqual(await backend.rawRecord!(span), items.find((i) => i.id === span.id), `the item of ${span.name}`);
    }
    // Loads hand out copies of tool spans with their calls paired: the record is the stored span's.
    assert.deepEqual(await backend.rawRecord!({ ...spans[1] }), items.find((i) => i.id === spans[1].id));
    // The file is gone: no record, and the log says why (the panel shows the normalized span).
    fs.rmSync(file);
    assert.equal(await backend.rawRecord!(spans[0]), undefined);
    assert.ok(ctx.log.lines.some((l) => /warn: The original record of 1 span\(s\) could not be read again: .*ENOENT/.test(l)), ctx.log.lines.join('\n'));
  });

  it('picks up appended lines live (a partly written line waits for its newline)', async () => {
    const file = path.join(dir, 'live.jsonl');
    const trace = JSON.stringify({ object: 'trace', id: 'trace_live', workflow_name: 'Live', group_id: null, metadata: {} });
    fs.writeFileSync(file, trace + '\n');
    backend = await createBackend({ id: 'live', type: 'openaiAgents', path: file }, context(dir));
    assert.equal((await backend.getSession('trace_live'))?.spanCount, 0);
    const changes: BackendChange[] = [];
    backend.onDidChange!((c) => changes.push(c));

    const s1 = JSON.stringify({ object: 'trace.span', id: 'span_1', trace_id: 'trace_live', parent_id: null, started_at: '2026-01-01T00:00:00Z', ended_at: '2026-01-01T00:00:01Z', span_data: { type: 'agent', name: 'A' }, error: null });
    const s2 = JSON.stringify({ object: 'trace.span', id: 'span_2', trace_id: 'trace_live', parent_id: 'span_1', started_at: '2026-01-01T00:00:00.5Z', ended_at: '2026-01-01T00:00:00.7Z', span_data: { type: 'function', name: 'f', input: '{}', output: 'ok' }, error: null });
    fs.appendFileSync(file, s1 + '\n' + s2.slice(0, 40));
    await waitFor('a change event', () => changes.some((c) => c.sessionId === 'trace_live'), 5000);
    assert.equal((await backend.getSession('trace_live'))?.spanCount, 1);
    fs.appendFileSync(file, s2.slice(40) + '\n');
    await waitFor('a second change event', () => changes.filter((c) => c.sessionId === 'trace_live').length >= 2, 5000);
    const spans = await loadAllSpans(backend, 'trace_live');
    assert.deepEqual(spans.map((s) => s.id), ['span_1', 'span_2']);
    assert.deepEqual((await backend.listSessions({})).warnings, undefined);

    // A rewritten (shorter) file is read again from the start.
    fs.writeFileSync(file, trace + '\n');
    const again = await loadAllSpans(backend, 'trace_live');
    assert.deepEqual(again, []);
  });

  it('reads a folder of .jsonl files and reports a missing path precisely', async () => {
    fs.copyFileSync(FIXTURE, path.join(dir, 'a.jsonl'));
    fs.writeFileSync(path.join(dir, 'b.jsonl'), JSON.stringify({ object: 'trace', id: 'trace_other', workflow_name: 'Other', group_id: null }) + '\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    backend = await createBackend({ id: 'dir', type: 'openaiAgents', path: dir }, context(dir));
    const sessions = (await backend.listSessions({})).sessions;
    assert.deepEqual(sessions.map((s) => s.id).sort(), ['conv_42', 'trace_other']);
    assert.deepEqual((await backend.resolveSession('other')).map((s) => s.id), ['trace_other']);

    const missing = await createBackend({ id: 'gone', type: 'openaiAgents', path: 'nope.jsonl' }, context(dir));
    await assert.rejects(missing.listSessions({}), (e: unknown) => e instanceof BackendError && e.code === 'notFound' && e.message.includes('nope.jsonl') && /Check "path"/.test(e.message));
    await assert.rejects(createBackend({ id: 'x', type: 'openaiAgents' }, context(dir)), (e: unknown) => e instanceof BackendError && e.code === 'config' && /"path" is required/.test(e.message));
  });
});

describe('otlp file backend', function () {
  this.timeout(15_000);
  let dir: string;
  let backend: Backend | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otlp-files-'));
  });

  afterEach(() => {
    backend?.dispose?.();
    backend = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads collector file-exporter output (one request per line) and a pretty-printed request', async () => {
    const lines = fs.readFileSync(OTLP_FIXTURE, 'utf8').trim().split('\n');
    fs.writeFileSync(path.join(dir, 'traces.jsonl'), [...lines, '{"resourceSpans": 3}', '{oops'].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'single.json'), JSON.stringify(JSON.parse(lines[0]), null, 2));
    backend = await createBackend({ id: 'files', type: 'otlp', path: dir, label: 'Collector output' }, context(dir));
    assert.equal(backend.label, 'Collector output');
    const page = await backend.listSessions({});
    assert.deepEqual(page.sessions.map((s) => s.id), ['conv-otlp-1']);
    assert.deepEqual(page.warnings, [
      `traces.jsonl:${lines.length + 1}: "resourceSpans" is not an array; skipped.`,
      `traces.jsonl:${lines.length + 2}: not valid JSON; line skipped.`,
    ]);
    const spans = await loadAllSpans(backend, 'conv-otlp-1');
    // single.json repeats the first line's spans: same ids, not duplicated
    assert.equal(spans.length, 3);
    const chat = spans.find((s) => s.kind === 'llm')!;
    assert.equal(chat.model?.request, 'gpt-4o-mini');
    assert.deepEqual(chat.input, [{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }]);
    const tool = spans.find((s) => s.kind === 'tool')!;
    assert.equal(tool.parentId, spans.find((s) => s.kind === 'agent')!.id);
  });

  it('reads a span\'s OTLP record again from its line for the Raw tab instead of holding it', async () => {
    const lines = fs.readFileSync(OTLP_FIXTURE, 'utf8').trim().split('\n');
    // A multi-byte first line: offsets are bytes, not characters.
    const file = path.join(dir, 'traces.jsonl');
    fs.writeFileSync(file, ['{"resourceSpans": []}', ...lines].join('\r\n').replace('"resourceSpans": []', '"resourceSpans": [], "note": "日本語 ✓"') + '\n');
    backend = await createBackend({ id: 'raw', type: 'otlp', path: file }, context(dir));
    const spans = await loadAllSpans(backend, 'conv-otlp-1');
    const wire = lines.flatMap((l) => (JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans)));
    for (const span of spans) {
      assert.equal(getRaw(span), undefined, 'not held');
      const raw = (await backend.rawRecord!(span)) as { spanId: string };
      assert.deepEqual(raw, wire.find((w) => w.spanId === raw.spanId), `the record of ${span.name}`);
    }
    assert.equal(new Set(await Promise.all(spans.map(async (s) => ((await backend!.rawRecord!(s)) as { spanId: string }).spanId))).size, spans.length, 'each span gets its own record');
  });

  it('follows a growing file', async () => {
    const lines = fs.readFileSync(OTLP_FIXTURE, 'utf8').trim().split('\n');
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, lines[0] + '\n');
    backend = await createBackend({ id: 'grow', type: 'otlp', path: file }, context(dir));
    assert.equal((await backend.getSession('conv-otlp-1'))?.spanCount, 2);
    const changes: BackendChange[] = [];
    backend.onDidChange!((c) => changes.push(c));
    fs.appendFileSync(file, lines.slice(1).join('\n') + '\n');
    await waitFor('a change event', () => changes.some((c) => c.sessionId === 'conv-otlp-1'), 5000);
    assert.equal((await backend.getSession('conv-otlp-1'))?.spanCount, 3);
  });
});

describe('file sources stream large files', function () {
  this.timeout(60_000);
  const CONV = 'conv-big';
  const TOTAL = 1 + 2000 + 1; // the tool span, the fillers, the chat span that pairs it
  let dir: string;
  let file: string;

  /** One OTLP request line holding `spans`. */
  const request = (spans: object[]) => JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] });
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const otlpSpan = (id: string, name: string, attrs: { key: string; value: unknown }[], start: number) => ({
    traceId: 'a'.repeat(32),
    spanId: id,
    parentSpanId: '0'.repeat(15) + '1',
    name,
    kind: 1,
    startTimeUnixNano: String(start * 1e6),
    endTimeUnixNano: String((start + 1) * 1e6),
    attributes: [attr('gen_ai.conversation.id', CONV), ...attrs],
    status: { code: 1 },
  });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-'));
    file = path.join(dir, 'big.jsonl');
    const lines: string[] = [];
    // A tool span whose arguments and result only appear in a transcript at the very end of the file.
    lines.push(request([otlpSpan('0'.repeat(15) + '2', 'execute_tool lookup', [attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', 'lookup'), attr('gen_ai.tool.call.id', 'call_late')], 1)]));
    // ~20 MB of fillers: more than two 8 MB read chunks.
    const text = 'x'.repeat(10_000);
    for (let i = 0; i < 2000; i += 20) {
      const batch = [];
      for (let j = i; j < i + 20; j++) batch.push(otlpSpan((j + 16).toString(16).padStart(16, '0'), `filler ${j}`, [attr('note', text)], 2 + j));
      lines.push(request(batch));
    }
    const messages = JSON.stringify([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_late', name: 'lookup', arguments: { q: 'late' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_late', response: 'found it' }] },
    ]);
    lines.push(request([otlpSpan('f'.repeat(16), 'chat m', [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.input.messages', messages)], 5000)]));
    fs.writeFileSync(file, lines.join('\n') + '\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = () => createBackend({ id: 'big', type: 'otlp', path: file }, context(dir));

  it('yields the first page before the whole file is read, each span once, paired as a whole-file read pairs it', async () => {
    // The whole-file answer: look the session up (reads everything), then load.
    const whole = await open();
    assert.equal((await whole.getSession(CONV))?.spanCount, TOTAL);
    const expected = new Map((await loadAllSpans(whole, CONV)).map((s) => [s.id, s]));
    whole.dispose?.();

    const streamed = await open();
    const store = (streamed as unknown as { store: { getSpans(id: string): unknown[] | undefined } }).store;
    const got = new Map<string, unknown>();
    let storedAtFirstPage: number | undefined;
    let pages = 0;
    for await (const page of streamed.loadSpans(CONV)) {
      storedAtFirstPage ??= store.getSpans(CONV)?.length;
      pages++;
      for (const s of page.spans) {
        assert.ok(!got.has(s.id), `span ${s.id} sent twice`);
        got.set(s.id, s);
      }
    }
    streamed.dispose?.();
    assert.ok(storedAtFirstPage !== undefined && storedAtFirstPage < TOTAL, `the first page came after ${storedAtFirstPage} of ${TOTAL} spans were read`);
    assert.ok(pages > 1);
    assert.equal(got.size, TOTAL);
    assert.deepEqual(got, expected);
    const tool = [...got.values()].find((s) => (s as { kind?: string }).kind === 'tool') as { tool?: { arguments?: unknown; result?: unknown } };
    assert.deepEqual(tool.tool?.arguments, { q: 'late' }, 'paired from the transcript at the end of the file');
    assert.equal(tool.tool?.result, 'found it');
  });

  it('a retry resumes with the spans not sent yet', async () => {
    const backend = await open();
    const first = new Set<string>();
    let cursor: string | undefined;
    for await (const page of backend.loadSpans(CONV)) {
      for (const s of page.spans) first.add(s.id);
      cursor = page.cursor;
      break; // the load stops here, as after a failure
    }
    assert.ok(cursor && first.size > 0 && first.size < TOTAL);
    const rest = new Set<string>();
    for await (const page of backend.loadSpans(CONV, { resumeFrom: cursor })) {
      for (const s of page.spans) {
        assert.ok(!first.has(s.id) && !rest.has(s.id), `span ${s.id} sent twice`);
        rest.add(s.id);
      }
    }
    backend.dispose?.();
    assert.equal(first.size + rest.size, TOTAL);
  });

  it('lists the sessions seen so far while the file is read, then the rest, each once', async () => {
    const backend = await open();
    const changes: BackendChange[] = [];
    const sub = backend.onDidChange!((c) => changes.push(c));
    const first = await backend.listSessions({});
    assert.deepEqual(first.sessions.map((s) => s.id), [CONV]);
    assert.ok(first.cursor, 'a cursor while the file is still being read');
    assert.ok(first.sessions[0].spanCount! < TOTAL);
    const listed = [...first.sessions];
    const cursors = new Set<string>([first.cursor]);
    for (let cursor: string | undefined = first.cursor; cursor; ) {
      const page = await backend.listSessions({ cursor });
      listed.push(...page.sessions);
      cursor = page.cursor;
      if (cursor) {
        assert.ok(!cursors.has(cursor), 'a new cursor per page');
        cursors.add(cursor);
      }
    }
    assert.deepEqual(listed.map((s) => s.id), [CONV], 'listed once');
    // The read has ended: a list change tells the tree to list again, and the list is whole.
    await waitFor('a list change after the read', () => changes.some((c) => c.sessionId === undefined), 10_000);
    const after = await backend.listSessions({});
    assert.equal(after.cursor, undefined);
    assert.equal(after.sessions[0].spanCount, TOTAL);
    sub.dispose();
    backend.dispose?.();
  });
});
