// The `phoenix` backend against the real Arize Phoenix server (pinned in the
// test venv) with auth on, once on SQLite and once on PostgreSQL, fed through
// its own OTLP endpoint by the real OTel SDKs (Python and JS).
import * as assert from 'node:assert/strict';
import { testPhoenixConnection } from '../../../../src/backends/phoenix/connection';
import { createBackend } from '../../../../src/backends/registry';
import type { Backend, BackendConfig } from '../../../../src/backends/types';
import { buildForest } from '../../../../src/model/tree';
import { startPhoenix, type TestPhoenix } from '../../../support/phoenix';
import { startPostgres, type TestPostgres } from '../../../support/postgres';
import { expectBackendError, listAll, loadPages, makeContext, runAgnoProducer, runJsProducer, runOpenAiAgentsProducer, runPyProducer, spansOf, type ProducerSummary } from '../../../support/traceStores';

const PROJECT = 'team-agents';

function config(phoenix: { baseUrl: string }, extra: Record<string, unknown> = {}): BackendConfig {
  return { id: 'team-phoenix', type: 'phoenix', baseUrl: phoenix.baseUrl, project: PROJECT, retry: { maxAttempts: 2, baseDelayMs: 5 }, timeoutMs: 60_000, ...extra };
}

async function waitForSpans(phoenix: TestPhoenix, traceIds: string[], perTrace: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = new URL(`${phoenix.baseUrl}/v1/projects/${PROJECT}/spans/otlpv1`);
    for (const t of traceIds) url.searchParams.append('trace_id', t);
    url.searchParams.set('limit', '1000');
    const r = await fetch(url, { headers: { authorization: `Bearer ${phoenix.token}` } });
    const n = r.ok ? ((await r.json()) as { data: unknown[] }).data.length : 0;
    if (n >= traceIds.length * perTrace) return;
    if (Date.now() > deadline) throw new Error(`Phoenix has ${n}/${traceIds.length * perTrace} spans after 120 s`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

/** An evaluation result as Phoenix's evals / client log it: a span annotation through the REST API. */
async function annotate(phoenix: TestPhoenix, spanId: string): Promise<void> {
  const r = await fetch(`${phoenix.baseUrl}/v1/span_annotations?sync=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${phoenix.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      data: [
        { span_id: spanId, name: 'correctness', annotator_kind: 'LLM', result: { label: 'correct', score: 0.9, explanation: 'Matches the order record.' } },
        { span_id: spanId, name: 'helpfulness', annotator_kind: 'HUMAN', result: { label: 'helpful', score: 1 } },
      ],
    }),
  });
  assert.equal(r.status, 200, await r.text());
}

for (const db of ['SQLite', 'PostgreSQL'] as const) {
  describe(`phoenix backend (real Phoenix on ${db}, auth on)`, function () {
    this.timeout(600_000);
    let pg: TestPostgres | undefined;
    let phoenix: TestPhoenix;
    let py: ProducerSummary;
    let js: string[];
    let backend: Backend;
    let secrets: Record<string, string>;

    before(async () => {
      if (db === 'PostgreSQL') pg = await startPostgres();
      phoenix = await startPhoenix({ auth: true, databaseUrl: pg?.url });
      const auth = { authorization: `Bearer ${phoenix.token}` };
      py = await runPyProducer(phoenix.otlpHttpUrl, ['--project', PROJECT, '--conversations', '2', '--traces-per-conversation', '2', '--openinference-sessions', '2', '--plain', '2'], auth);
      js = await runJsProducer(phoenix.otlpHttpUrl, 'conv-js-0', { headers: auth, project: PROJECT });
      await waitForSpans(phoenix, [...Object.values(py.conversations).flat(), ...Object.values(py.sessions).flat()], 3);
      await waitForSpans(phoenix, [...py.plain, ...js], 2);
      secrets = { 'phoenix.apiKey:team-phoenix': phoenix.token as string };
      backend = await createBackend(config(phoenix), makeContext(secrets));
    });

    after(async () => {
      await phoenix?.close();
      await pg?.close();
    });

    it('lists the project: Phoenix sessions first, then the traces in no session, with cursor paging', async () => {
      const { sessions, pages } = await listAll(backend, 2);
      assert.ok(pages >= 4, `pages: ${pages}`);
      const ids = sessions.map((s) => s.id);
      const expected = ['session:conv-py-0', 'session:conv-py-1', 'session:sess-py-0', 'session:sess-py-1', 'session:conv-js-0', ...py.plain.map((t) => `trace:${t}`)];
      assert.deepEqual([...ids].sort(), [...expected].sort());
      // Sessions before lone traces.
      assert.ok(ids.findIndex((i) => i.startsWith('trace:')) > ids.findLastIndex((i) => i.startsWith('session:')));
      const conv = sessions.find((s) => s.id === 'session:conv-py-1');
      assert.deepEqual([...(conv?.attributes?.['phoenix.traceIds'] as string[])].sort(), [...py.conversations['conv-py-1']].sort());
      assert.match(conv?.name ?? '', /^invoke_agent Travel agent/);
      assert.equal(sessions.find((s) => s.id === `trace:${py.plain[0]}`)?.name, 'cron job');
    });

    it('loads a session as a tree: OpenInference and GenAI decoded by the shared decoders', async () => {
      const oi = spansOf(await loadPages(backend, 'session:sess-py-1'));
      assert.equal(oi.length, 3);
      const forest = buildForest(oi);
      assert.equal(forest.roots().length, 1);
      assert.equal(forest.roots()[0].span.kind, 'agent');
      const llm = oi.find((s) => s.kind === 'llm');
      assert.equal(llm?.model?.request ?? llm?.model?.response, 'gpt-4o-mini');
      assert.equal(llm?.input?.[0]?.role, 'user');
      assert.equal(llm?.usage?.input, 12);
      assert.equal(oi.find((s) => s.kind === 'tool')?.tool?.name, 'lookup_order');
      const genai = spansOf(await loadPages(backend, 'session:conv-py-0'));
      assert.equal(genai.length, 8);
      assert.equal(buildForest(genai).roots().length, 2);
      assert.ok(genai.some((s) => s.kind === 'llm' && s.attributes['store.unknown_field'] === 'kept'), 'unknown attributes are kept');
      const jsSpans = spansOf(await loadPages(backend, 'session:conv-js-0'));
      assert.equal(jsSpans.filter((s) => s.kind === 'tool' && s.status === 'error').length, 2);
    });

    it('shows span annotations and evaluation scores on the spans they belong to', async () => {
      const before = spansOf(await loadPages(backend, 'session:sess-py-0'));
      const llm = before.find((s) => s.kind === 'llm');
      assert.ok(llm);
      assert.equal(llm.annotations, undefined);
      await annotate(phoenix, llm.id);
      const after = spansOf(await loadPages(backend, 'session:sess-py-0'));
      const annotated = after.find((s) => s.id === llm.id);
      assert.deepEqual(annotated?.annotations?.map((a) => [a.name, a.label, a.score, a.annotatorKind]), [
        ['correctness', 'correct', 0.9, 'LLM'],
        ['helpfulness', 'helpful', 1, 'HUMAN'],
      ]);
      assert.equal(annotated?.annotations?.[0].explanation, 'Matches the order record.');
      assert.equal(after.filter((s) => s.annotations).length, 1);
    });

    it('an Agno agent traced by OpenInference: its Phoenix session, agent → LLM / tool spans, the failing tool marked', async () => {
      await runAgnoProducer(phoenix.otlpHttpUrl, `agno-${db}`, { headers: { authorization: `Bearer ${phoenix.token}` }, project: PROJECT });
      let spans: Awaited<ReturnType<typeof loadPages>> = [];
      for (let i = 0; spansOf(spans).length < 8; i++) {
        assert.ok(i < 100, 'the Agno spans did not arrive');
        await new Promise((r) => setTimeout(r, 300));
        const fresh = await createBackend(config(phoenix), makeContext(secrets));
        if ((await fresh.resolveSession(`agno-${db}`)).length) spans = await loadPages(fresh, `session:agno-${db}`);
      }
      const forest = buildForest(spansOf(spans));
      assert.deepEqual(forest.roots().map((r) => [r.span.kind, r.span.name]), [['agent', 'Weather_agent.run'], ['agent', 'Weather_agent.run']]);
      const second = forest.childrenOf(forest.roots()[1]).map((n) => [n.span.kind, n.span.tool?.name ?? n.span.name, n.span.status]);
      assert.deepEqual(second, [['llm', 'OpenAIChat.invoke', 'ok'], ['tool', 'book_table', 'error'], ['llm', 'OpenAIChat.invoke', 'ok']]);
      assert.ok((forest.childrenOf(forest.roots()[0])[0].span.input?.length ?? 0) >= 1, 'the LLM call has its messages');
    });

    it('the OpenAI Agents SDK traced by OpenInference: a trace in no session, generation and tool spans decoded', async () => {
      await runOpenAiAgentsProducer(phoenix.otlpHttpUrl, { headers: { authorization: `Bearer ${phoenix.token}` }, project: PROJECT });
      let spans: Awaited<ReturnType<typeof loadPages>> = [];
      for (let i = 0; spansOf(spans).length < 8; i++) {
        assert.ok(i < 100, 'the OpenAI Agents spans did not arrive');
        await new Promise((r) => setTimeout(r, 300));
        const fresh = await createBackend(config(phoenix), makeContext(secrets));
        const run = (await listAll(fresh, 50)).sessions.find((s) => s.name === 'Agent workflow');
        if (run) spans = await loadPages(fresh, run.id);
      }
      const all = spansOf(spans);
      assert.deepEqual(all.map((s) => s.kind).sort(), ['agent', 'agent', 'chain', 'chain', 'chain', 'llm', 'llm', 'tool']);
      assert.equal(all.find((s) => s.kind === 'tool')?.tool?.name, 'get_weather');
    });

    it('pages spans with Phoenix cursors (small pages) without repeats', async () => {
      const small = await createBackend(config(phoenix, { pageSize: 3 }), makeContext(secrets));
      const pages = await loadPages(small, 'session:conv-py-1');
      assert.ok(pages.length >= 3);
      const ids = spansOf(pages).map((s) => s.id);
      assert.equal(ids.length, 8);
      assert.equal(new Set(ids).size, 8);
    });

    it('Find Session resolves a 32-hex trace id and a session id', async () => {
      const fresh = await createBackend(config(phoenix), makeContext(secrets));
      assert.equal((await fresh.resolveSession(py.conversations['conv-py-0'][1]))[0]?.id, 'session:conv-py-0');
      assert.equal((await fresh.resolveSession(py.plain[1]))[0]?.id, `trace:${py.plain[1]}`);
      assert.equal((await fresh.resolveSession('sess-py-1'))[0]?.id, 'session:sess-py-1');
      assert.deepEqual(await fresh.resolveSession('ffffffffffffffffffffffffffffffff'), []);
      assert.deepEqual(await fresh.resolveSession('no-such-session'), []);
    });

    it('a wrong API key → 401 → Set API Key…; the connection test lists the projects', async () => {
      const wrong = await createBackend(config(phoenix), makeContext({ 'phoenix.apiKey': 'not-the-key' }));
      const err = await expectBackendError(wrong.listSessions({ limit: 5 }));
      assert.equal(err.code, 'auth');
      assert.equal(err.nextSteps[0], 'setApiKey');
      assert.doesNotMatch(err.message, /not-the-key/);
      const r = await testPhoenixConnection(config(phoenix), makeContext(secrets));
      assert.ok(r.choices.includes(PROJECT), r.choices.join(', '));
      const noKey = await expectBackendError(testPhoenixConnection(config(phoenix), makeContext()));
      assert.equal(noKey.code, 'auth');
      const missing = await createBackend(config(phoenix, { project: 'no-such-project' }), makeContext(secrets));
      const nf = await expectBackendError(missing.listSessions({ limit: 5 }));
      assert.equal(nf.code, 'notFound');
      assert.ok(nf.nextSteps.includes('openSettings'));
    });

    if (db === 'SQLite') {
      it('the server stops mid-load: error with Retry; Retry resumes from the last page', async () => {
        const small = await createBackend(config(phoenix, { pageSize: 3 }), makeContext(secrets));
        const got: string[] = [];
        let cursor: string | undefined;
        const err = await expectBackendError((async () => {
          for await (const page of small.loadSpans('session:conv-py-1')) {
            got.push(...page.spans.map((s) => s.id));
            cursor = page.cursor;
            await phoenix.stop();
          }
        })());
        assert.equal(err.code, 'network');
        assert.equal(err.nextSteps[0], 'retry');
        assert.equal(got.length, 3);
        await phoenix.restart();
        const rest = spansOf(await loadPages(small, 'session:conv-py-1', cursor)).map((s) => s.id);
        assert.equal(new Set([...got, ...rest]).size, 8);
        assert.equal(got.length + rest.length, 8);
      });
    }
  });
}
