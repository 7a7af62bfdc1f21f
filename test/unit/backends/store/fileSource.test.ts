// The openaiAgents (JSONL) and otlp (OTLP JSON files) backends, through the
// registry as the extension and CLI create them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../../src/backends/errors';
import { createBackend } from '../../../../src/backends/registry';
import { loadAllSpans, type Backend, type BackendChange, type BackendContext } from '../../../../src/backends/types';
import { recordingLogger, waitFor } from '../../capture/helpers';

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
    await waitFor(() => changes.some((c) => c.sessionId === 'trace_live'), 5000, 'a change event');
    assert.equal((await backend.getSession('trace_live'))?.spanCount, 1);
    fs.appendFileSync(file, s2.slice(40) + '\n');
    await waitFor(() => changes.filter((c) => c.sessionId === 'trace_live').length >= 2, 5000, 'a second change event');
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

  it('follows a growing file', async () => {
    const lines = fs.readFileSync(OTLP_FIXTURE, 'utf8').trim().split('\n');
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, lines[0] + '\n');
    backend = await createBackend({ id: 'grow', type: 'otlp', path: file }, context(dir));
    assert.equal((await backend.getSession('conv-otlp-1'))?.spanCount, 2);
    const changes: BackendChange[] = [];
    backend.onDidChange!((c) => changes.push(c));
    fs.appendFileSync(file, lines.slice(1).join('\n') + '\n');
    await waitFor(() => changes.some((c) => c.sessionId === 'conv-otlp-1'), 5000, 'a change event');
    assert.equal((await backend.getSession('conv-otlp-1'))?.spanCount, 3);
  });
});
