// Behaviour every Agno database must show, run against SQLite and PostgreSQL
// holding the same fixture (test/fixtures/agno).
import * as assert from 'node:assert/strict';
import { createAgnoBackend } from '../../../../src/backends/agno/backend';
import { NO_SESSION_ID } from '../../../../src/backends/agno/map';
import { BackendError } from '../../../../src/backends/errors';
import { loadAllSpans, type Backend, type BackendConfig, type SpanPage } from '../../../../src/backends/types';
import { getRaw } from '../../../../src/model/raw';
import type { Span } from '../../../../src/model/types';
import { FX, FX_COUNTS, T0 } from '../../../fixtures/agno/index';
import { recordingContext, type RecordingContext } from '../../../support/context';

/** A recording context whose relative paths resolve against `root`. */
export function testContext(root: string): RecordingContext {
  return recordingContext({}, { root });
}

export function agno(config: Partial<BackendConfig> & { database: string }, root = '/'): Backend {
  return createAgnoBackend({ id: 'agno-test', type: 'agno', ...config }, testContext(root));
}

export async function pages(backend: Backend, sessionId: string, resumeFrom?: string): Promise<SpanPage[]> {
  const out: SpanPage[] = [];
  for await (const p of backend.loadSpans(sessionId, { resumeFrom })) out.push(p);
  return out;
}

export async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<BackendError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BackendError, `expected a BackendError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail(`expected a ${code} error`);
}

function byId(spans: Span[], id: string): Span {
  const s = spans.find((x) => x.id === id);
  assert.ok(s, `span ${id} missing`);
  return s;
}

/** Registers the shared suite; `make` returns a backend over the fixture (default tables). */
export function agnoContract(dialect: 'sqlite' | 'postgres', make: (extra?: Partial<BackendConfig>) => Backend): void {
  let backend: Backend;
  before(() => {
    backend = make();
  });
  after(() => backend.dispose?.());

  it('lists sessions newest first with names, counts, status, and "No session"', async () => {
    const page = await backend.listSessions({});
    assert.deepEqual(page.sessions.map((s) => s.id), [NO_SESSION_ID, FX.workflowSession, FX.teamSession, FX.financeSession]);
    const [none, wf, team, fin] = page.sessions;
    assert.equal(none.name, 'No session');
    assert.equal(none.spanCount, FX_COUNTS.noSession);
    assert.equal(none.attributes?.['agno.orphanTraces'], 1);
    assert.equal(wf.name, 'Blog_Workflow');
    assert.equal(wf.spanCount, FX_COUNTS.workflow);
    assert.equal(team.name, 'Research_Team');
    assert.equal(team.spanCount, FX_COUNTS.team);
    assert.equal(team.status, 'ok');
    assert.equal(fin.name, 'Finance_Agent');
    assert.equal(fin.spanCount, FX_COUNTS.finance);
    assert.equal(fin.status, 'error', 'one run failed');
    assert.equal(fin.startTime, T0);
    assert.equal(fin.endTime, T0 + 5 * 60_000 + 3900);
    assert.deepEqual(fin.attributes, { 'agno.runs': 2, 'agno.errorRuns': 1, 'user.id': FX.user, 'agno.agent.id': 'finance-agent' });
    assert.equal(page.cursor, undefined);
    const traces = dialect === 'postgres' ? 'ai.agno_traces' : 'agno_traces';
    assert.deepEqual(page.warnings, [`1 trace(s) have spans in ${dialect === 'postgres' ? 'ai.' : ''}agno_spans but no row in ${traces}; their spans are listed under "No session".`]);
  });

  it('pages sessions by cursor', async () => {
    const first = await backend.listSessions({ limit: 2 });
    assert.deepEqual(first.sessions.map((s) => s.id), [NO_SESSION_ID, FX.workflowSession, FX.teamSession]);
    assert.equal(first.cursor, '2');
    const second = await backend.listSessions({ limit: 2, cursor: first.cursor });
    assert.deepEqual(second.sessions.map((s) => s.id), [FX.financeSession]);
    assert.equal(second.cursor, undefined);
  });

  it('loads and decodes a session: runs, model calls, tools, errors, raw rows', async () => {
    const spans = await loadAllSpans(backend, FX.financeSession);
    assert.equal(spans.length, FX_COUNTS.finance);
    assert.ok(spans.every((s) => s.sessionId === FX.financeSession));
    assert.deepEqual(new Set(spans.map((s) => s.traceId)), new Set([FX.traceOk, FX.traceError]));

    const root = byId(spans, FX.rootOk);
    assert.equal(root.kind, 'agent');
    assert.equal(root.parentId, undefined);
    assert.deepEqual(root.agent, { id: 'finance-agent', name: 'Finance Agent' });
    assert.deepEqual(root.input, [{ role: 'user', parts: [{ type: 'text', text: 'What is NVDA trading at?' }] }]);
    assert.equal(root.startTime, T0);
    assert.equal(root.durationMs, 4200);
    // The run's trace row rides on its root span, for labelling runs.
    assert.equal(root.attributes['agno.trace.run_id'], FX.runOk);
    assert.equal(root.attributes['agno.trace.name'], 'Finance_Agent.run');
    assert.equal(root.attributes['agno.trace.status'], 'OK');
    assert.equal(root.attributes['agno.trace.duration_ms'], 4200);
    assert.equal(root.attributes['agno.run.id'], FX.runOk);
    assert.equal(root.attributes['session.id'], FX.financeSession);

    const llm = byId(spans, FX.llmFirst);
    assert.equal(llm.kind, 'llm');
    assert.equal(llm.parentId, FX.rootOk);
    assert.deepEqual(llm.model, { request: 'gpt-4o-mini', provider: 'OpenAI', temperature: 0.2, topP: 0.9, maxTokens: 512 });
    assert.deepEqual(llm.usage, { input: 212, output: 18, total: 230 });
    assert.equal(llm.system?.length, 1);
    assert.deepEqual(llm.output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_price_1', name: 'get_price', arguments: { ticker: 'NVDA' } }] }]);
    assert.equal(llm.attributes['agno.trace.run_id'], undefined, 'only roots carry the run record');
    assert.equal(llm.attributes['otel.span_kind'], 'INTERNAL');

    const second = byId(spans, FX.llmSecond);
    assert.equal(second.usage?.cacheRead, 192);
    assert.deepEqual(second.input?.[2], { role: 'tool', parts: [{ type: 'toolResult', id: 'call_price_1', parts: [{ type: 'text', text: '{"ticker": "NVDA", "price": 123.4, "change_pct": 2.1}' }] }] });

    const tool = byId(spans, FX.toolPrice);
    assert.deepEqual(tool.tool, { name: 'get_price', arguments: { ticker: 'NVDA' }, result: '{"ticker": "NVDA", "price": 123.4, "change_pct": 2.1}' });
    assert.equal(tool.attributes['tool.description'], 'Latest price for a ticker.');

    const failed = byId(spans, FX.toolError);
    assert.equal(failed.status, 'error');
    assert.equal(failed.statusMessage, 'HTTP 503 from news API');
    assert.equal(failed.tool?.error, 'HTTP 503 from news API');

    assert.equal(getRaw(tool), undefined, 'rows are not held beside the spans');
    const raw = (await backend.rawRecord!(tool)) as Record<string, unknown>;
    assert.equal(raw.span_id, FX.toolPrice);
    assert.equal((raw.attributes as Record<string, unknown>)['tool.name'], 'get_price', 'raw keeps every original attribute');
    assert.ok(!Object.keys(raw).some((k) => k.startsWith('t__')));
    assert.ok(typeof tool.attributes['agno.created_at'] === 'string', 'columns without a slot are kept');

    // The model call's request JSON is not held beside its decoded messages: its Raw record has it.
    assert.equal(llm.attributes['input.value'], undefined);
    const llmRaw = (await backend.rawRecord!(llm)) as { attributes: string | Record<string, unknown> };
    const llmAttrs = typeof llmRaw.attributes === 'string' ? (JSON.parse(llmRaw.attributes) as Record<string, unknown>) : llmRaw.attributes;
    assert.match(String(llmAttrs['input.value']), /"messages"/);
  });

  it('pages spans by keyset and resumes from a cursor without duplicates', async () => {
    const small = make({ pageSize: 3 });
    try {
      const all = await pages(small, FX.financeSession);
      assert.deepEqual(all.map((p) => p.spans.length), [3, 3, 2]);
      assert.ok(all[0].cursor && all[1].cursor);
      assert.equal(all[2].cursor, undefined);
      const ids = all.flatMap((p) => p.spans.map((s) => s.id));
      assert.equal(new Set(ids).size, FX_COUNTS.finance);
      const resumed = await pages(small, FX.financeSession, all[0].cursor);
      assert.deepEqual(resumed.flatMap((p) => p.spans.map((s) => s.id)), ids.slice(3));
    } finally {
      small.dispose?.();
    }
  });

  it('shows runs without a session and spans without a trace row under "No session"', async () => {
    const all = await pages(backend, NO_SESSION_ID);
    const spans = all.flatMap((p) => p.spans);
    assert.equal(spans.length, FX_COUNTS.noSession);
    assert.ok(spans.every((s) => s.sessionId === NO_SESSION_ID));
    assert.deepEqual(new Set(spans.map((s) => s.traceId)), new Set([FX.traceNoSession, FX.traceOrphan]));
    const orphan = byId(spans, FX.orphanRoot);
    assert.equal(orphan.attributes['agno.trace.run_id'], undefined);
    const helperRoot = spans.find((s) => s.traceId === FX.traceNoSession && !s.parentId);
    assert.equal(helperRoot?.attributes['agno.trace.run_id'], FX.runNoSession);
    const warnings = all.flatMap((p) => p.warnings ?? []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`Trace ${FX.traceOrphan} has spans but no row`));
  });

  it('keeps malformed attributes visible and warns, while the rest of the session loads', async () => {
    const all = await pages(backend, FX.teamSession);
    const spans = all.flatMap((p) => p.spans);
    assert.equal(spans.length, FX_COUNTS.team);
    const bad = byId(spans, FX.malformed);
    const warnings = all.flatMap((p) => p.warnings ?? []);
    // SQLite stores the broken text; JSONB cannot hold it, so the PostgreSQL
    // fixture stores it as a JSON string: both read back as unparsable text.
    assert.match(String(bad.attributes['agno.attributes_raw']), /^\{"openinference.span.kind": "TOOL"/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`Span "duckduckgo_search" \\(${FX.malformed}\\) has malformed JSON`));
    assert.equal(bad.name, 'duckduckgo_search');
    const team = spans.find((s) => !s.parentId);
    assert.deepEqual(team?.agent, { id: 'research-team', name: 'Research Team', type: 'team' });
    assert.equal(team?.attributes['agno.trace.team_id'], 'research-team');
    const member = spans.find((s) => s.name === 'Web_Researcher.run');
    assert.equal(member?.kind, 'agent');
    const claude = spans.find((s) => s.model?.provider === 'Anthropic' && s.usage?.cacheWrite);
    assert.equal(claude?.usage?.cacheWrite, 512);
  });

  it('resolves sessions by id, run id, trace id, span id and name', async () => {
    const ids = async (q: string) => (await backend.resolveSession(q)).map((s) => s.id);
    assert.deepEqual(await ids(FX.financeSession), [FX.financeSession]);
    assert.deepEqual(await ids(FX.runError), [FX.financeSession]);
    assert.deepEqual(await ids(FX.traceTeam), [FX.teamSession]);
    assert.deepEqual(await ids(FX.toolPrice), [FX.financeSession]);
    assert.deepEqual(await ids('research'), [FX.teamSession]);
    assert.deepEqual(await ids('FINANCE_agent'), [FX.financeSession]);
    assert.deepEqual(await ids(FX.runNoSession), [NO_SESSION_ID]);
    assert.deepEqual(await ids(FX.traceOrphan), [NO_SESSION_ID]);
    assert.deepEqual(await ids('No session'), [NO_SESSION_ID]);
    assert.deepEqual(await ids('100%_nothing'), []);
    const [s] = await backend.resolveSession(FX.runError);
    assert.equal(s.spanCount, FX_COUNTS.finance);
  });

  it('gets one session, and reports an unknown one precisely', async () => {
    const s = await backend.getSession(FX.teamSession);
    assert.equal(s?.spanCount, FX_COUNTS.team);
    assert.equal((await backend.getSession(NO_SESSION_ID))?.spanCount, FX_COUNTS.noSession);
    assert.equal(await backend.getSession('sess-unknown'), undefined);
    await rejectsWith(loadAllSpans(backend, 'sess-unknown'), 'notFound', /No Agno session "sess-unknown"/);
  });
}
