// The `jaeger` backend against the real Jaeger v2 (built from the Go module
// proxy, test/support/jaeger.ts), fed by the real OTel SDKs (Python and JS).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testJaegerConnection } from '../../../../src/backends/jaeger/connection';
import { SPAN_CHUNK } from '../../../../src/backends/jaeger/backend';
import { createBackend } from '../../../../src/backends/registry';
import type { Backend, BackendConfig } from '../../../../src/backends/types';
import { buildForest } from '../../../../src/model/tree';
import type { Session } from '../../../../src/model/types';
import { startCollector, startJaeger, waitForTrace, type TestJaeger } from '../../../support/jaeger';
import { expectBackendError, listAll, loadPages, makeContext, runAgnoProducer, runJsProducer, runOpenAiAgentsProducer, runPyProducer, spansOf, startTokenProxy, type ProducerSummary } from '../../../support/traceStores';

const FAST = { maxAttempts: 2, baseDelayMs: 5 };

/** Jaeger ingests asynchronously: waits until the session has `spans` spans. */
async function waitForSession(backend: Backend, id: string, spans: number): Promise<Session[]> {
  for (let i = 0; ; i++) {
    const found = await backend.resolveSession(id);
    if (found[0] && (found[0].spanCount ?? 0) >= spans) return found;
    assert.ok(i < 100, `session ${id} did not arrive`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function config(jaeger: { baseUrl: string }, extra: Record<string, unknown> = {}): BackendConfig {
  return { id: 'team-jaeger', type: 'jaeger', baseUrl: jaeger.baseUrl, retry: FAST, timeoutMs: 60_000, ...extra };
}

describe('jaeger backend (real Jaeger v2, in-memory storage)', function () {
  this.timeout(600_000);
  let jaeger: TestJaeger;
  let py: ProducerSummary;
  let js: string[];
  let backend: Backend;

  before(async () => {
    jaeger = await startJaeger();
    py = await runPyProducer(jaeger.otlpHttpUrl, ['--service', 'agent-py', '--conversations', '3', '--traces-per-conversation', '2', '--openinference-sessions', '1', '--plain', '2']);
    js = await runJsProducer(jaeger.otlpHttpUrl, 'conv-js-0');
    for (const t of Object.values(py.conversations).flat()) await waitForTrace(jaeger.baseUrl, t, 4);
    for (const t of Object.values(py.sessions).flat()) await waitForTrace(jaeger.baseUrl, t, 3);
    for (const t of py.plain) await waitForTrace(jaeger.baseUrl, t, 2);
    for (const t of js) await waitForTrace(jaeger.baseUrl, t, 3);
    backend = await createBackend(config(jaeger), makeContext());
  });

  after(async () => {
    backend?.dispose?.();
    await jaeger?.close();
  });

  it('lists sessions newest first, page by page through the window, grouped by conversation / session id', async () => {
    const { sessions, pages } = await listAll(backend, 2);
    assert.ok(pages >= 4, `expected several pages, got ${pages}`);
    const ids = sessions.map((s) => s.id);
    for (const c of ['conv-py-0', 'conv-py-1', 'conv-py-2', 'conv-js-0', 'sess-py-0']) assert.ok(ids.includes(`session:${c}`), `missing session:${c} in ${ids.join(', ')}`);
    for (const t of py.plain) assert.ok(ids.includes(`trace:${t}`), `missing plain trace ${t}`);
    assert.equal(sessions.length, 5 + py.plain.length);
    const conv = sessions.find((s) => s.id === 'session:conv-py-1');
    assert.deepEqual([...(conv?.attributes?.['jaeger.traceIds'] as string[])].sort(), [...py.conversations['conv-py-1']].sort());
    assert.equal(conv?.name, 'invoke_agent Travel agent');
    assert.equal(conv?.spanCount, 8);
    // Newest first: the JS conversation was sent last.
    assert.equal(sessions[0].id, 'session:conv-js-0');
  });

  it('loads a conversation as a tree through the shared GenAI decoder, unknown fields kept', async () => {
    const spans = spansOf(await loadPages(backend, 'session:conv-py-0'));
    assert.equal(spans.length, 8);
    const forest = buildForest(spans);
    assert.equal(forest.roots().length, 2);
    assert.deepEqual(forest.issues, []);
    const root = forest.roots()[0];
    assert.equal(root.span.kind, 'agent');
    assert.equal(root.span.sessionId, 'session:conv-py-0');
    const kids = forest.childrenOf(root).map((n) => n.span);
    assert.deepEqual(kids.map((s) => s.kind), ['llm', 'tool', 'llm']);
    const chat = kids[0];
    assert.equal(chat.model?.request, 'gpt-4o');
    assert.equal(chat.input?.[0]?.role, 'user');
    assert.equal(chat.attributes['store.unknown_field'], 'kept');
    assert.equal((chat.attributes['otel.resource'] as Record<string, unknown>)['service.name'], 'agent-py');
    const failed = spans.filter((s) => s.status === 'error');
    assert.equal(failed.length, 1, 'turn 0 tool call failed');
    assert.equal(failed[0].statusMessage, 'flight search timed out');
  });

  it('loads OpenInference spans (JS and Python producers alike)', async () => {
    const oi = spansOf(await loadPages(backend, 'session:sess-py-0'));
    const llm = oi.find((s) => s.kind === 'llm');
    assert.equal(llm?.model?.request ?? llm?.model?.response, 'gpt-4o-mini');
    assert.equal(llm?.usage?.input, 12);
    const jsSpans = spansOf(await loadPages(backend, 'session:conv-js-0'));
    assert.equal(jsSpans.length, 6);
    assert.equal(jsSpans.filter((s) => s.kind === 'tool' && s.status === 'error').length, 2);
  });

  it('Find Session resolves a 32-hex trace id (to its conversation) and a session id', async () => {
    const fresh = await createBackend(config(jaeger), makeContext());
    const byTrace = await fresh.resolveSession(py.conversations['conv-py-2'][1]);
    assert.equal(byTrace[0]?.id, 'session:conv-py-2');
    assert.deepEqual([...(byTrace[0].attributes?.['jaeger.traceIds'] as string[])].sort(), [...py.conversations['conv-py-2']].sort());
    const plain = await fresh.resolveSession(py.plain[0].toUpperCase());
    assert.equal(plain[0]?.id, `trace:${py.plain[0]}`);
    const bySession = await fresh.resolveSession('sess-py-0');
    assert.equal(bySession[0]?.id, 'session:sess-py-0');
    assert.deepEqual(await fresh.resolveSession('ffffffffffffffffffffffffffffffff'), []);
    assert.deepEqual(await fresh.resolveSession('no-such-session'), []);
    // A session found by id loads without having been listed.
    assert.equal(spansOf(await loadPages(fresh, 'session:conv-py-2')).length, 8);
  });

  it('filters by service and by tags', async () => {
    const bySvc = await createBackend(config(jaeger, { service: 'agent-js' }), makeContext());
    assert.deepEqual((await listAll(bySvc, 10)).sessions.map((s) => s.id), ['session:conv-js-0']);
    const byTag = await createBackend(config(jaeger, { tags: { 'job.kind': 'nightly' } }), makeContext());
    assert.deepEqual((await listAll(byTag, 10)).sessions.map((s) => s.id).sort(), py.plain.map((t) => `trace:${t}`).sort());
  });

  it('tests the connection for Add Backend… and lists the services', async () => {
    const r = await testJaegerConnection(config(jaeger), makeContext());
    assert.deepEqual(r.choices, ['agent-js', 'agent-py']);
    const down = await expectBackendError(testJaegerConnection(config({ baseUrl: 'http://127.0.0.1:9' }), makeContext()));
    assert.equal(down.code, 'network');
    assert.ok(down.nextSteps.includes('openSettings'));
  });

  it('a wrong or missing token (401 from the gateway in front) → Set API Key…, the right one works', async () => {
    const proxy = await startTokenProxy(jaeger.baseUrl, 'team-secret-token');
    try {
      const wrong = await createBackend(config({ baseUrl: proxy.url }), makeContext({ 'jaeger.apiKey:team-jaeger': 'wrong-token' }));
      const err = await expectBackendError(wrong.listSessions({ limit: 5 }));
      assert.equal(err.code, 'auth');
      assert.equal(err.nextSteps[0], 'setApiKey');
      assert.match(err.message, /token was rejected \(HTTP 401\)/);
      assert.doesNotMatch(err.message + (err.detail ?? ''), /wrong-token/);
      const none = await createBackend(config({ baseUrl: proxy.url }), makeContext());
      assert.match((await expectBackendError(none.listSessions({ limit: 5 }))).message, /none is set/);
      const right = await createBackend(config({ baseUrl: proxy.url }), makeContext({ 'jaeger.apiKey': 'team-secret-token' }));
      assert.ok((await right.listSessions({ limit: 50 })).sessions.length >= 5);
    } finally {
      await proxy.close();
    }
  });

  it('agents → OTel Collector → Jaeger: traces arrive with the collector\'s deployment tag and filter by it', async () => {
    const collector = await startCollector(jaeger, 'prod-eu');
    try {
      const sent = await runPyProducer(collector.otlpHttpUrl, ['--service', 'agent-collected', '--conversations', '1', '--traces-per-conversation', '1', '--openinference-sessions', '0', '--plain', '0', '--tag', 'col']);
      await waitForTrace(jaeger.baseUrl, sent.conversations['conv-col-0'][0], 4);
      const viaTag = await createBackend(config(jaeger, { tags: { 'deployment.environment': 'prod-eu' } }), makeContext());
      const { sessions } = await listAll(viaTag, 10);
      assert.deepEqual(sessions.map((s) => s.id), ['session:conv-col-0']);
      assert.equal(spansOf(await loadPages(viaTag, sessions[0].id)).length, 4);
    } finally {
      await collector.close();
    }
  });

  it('an Agno agent traced by OpenInference: one session by session.id, agent → LLM / tool spans, the failing tool marked', async () => {
    await runAgnoProducer(jaeger.otlpHttpUrl, 'agno-jaeger-1');
    const fresh = await createBackend(config(jaeger), makeContext());
    const [session] = await waitForSession(fresh, 'agno-jaeger-1', 8);
    assert.equal(session.name, 'Weather_agent.run');
    const spans = spansOf(await loadPages(fresh, session.id));
    const forest = buildForest(spans);
    assert.deepEqual(forest.roots().map((r) => r.span.kind), ['agent', 'agent'], 'two runs');
    assert.deepEqual(forest.childrenOf(forest.roots()[1]).map((n) => [n.span.kind, n.span.tool?.name ?? n.span.name, n.span.status]), [
      ['llm', 'OpenAIChat.invoke', 'ok'],
      ['tool', 'book_table', 'error'],
      ['llm', 'OpenAIChat.invoke', 'ok'],
    ]);
    assert.equal(spans.find((s) => s.tool?.name === 'get_weather')?.status, 'ok');
  });

  it('the OpenAI Agents SDK traced by OpenInference: agent → turns → generation and tool spans', async () => {
    await runOpenAiAgentsProducer(jaeger.otlpHttpUrl);
    const agents = await createBackend(config(jaeger, { service: 'openai-agents' }), makeContext());
    let sessions: Session[] = [];
    for (let i = 0; !(sessions[0]?.spanCount && sessions[0].spanCount >= 8); i++) {
      assert.ok(i < 100, 'the OpenAI Agents spans did not arrive');
      await new Promise((r) => setTimeout(r, 300));
      sessions = (await listAll(agents, 10)).sessions;
    }
    assert.equal(sessions.length, 1);
    const spans = spansOf(await loadPages(agents, sessions[0].id));
    assert.deepEqual(spans.map((s) => s.kind).sort(), ['agent', 'agent', 'chain', 'chain', 'chain', 'llm', 'llm', 'tool']);
    const tool = spans.find((s) => s.kind === 'tool');
    assert.equal(tool?.tool?.name, 'get_weather');
    const weather = spans.find((s) => s.name === 'Weather agent');
    assert.ok(weather && tool && buildForest(spans).get(weather.id), 'the agent span is in the tree');
    assert.equal(spans.filter((s) => s.kind === 'llm').every((s) => (s.input?.length ?? 0) > 0 && (s.output?.length ?? 0) > 0), true, 'generations carry their messages');
  });

  it('cancels a load between pages', async () => {
    const controller = new AbortController();
    const got: number[] = [];
    const err = await expectBackendError((async () => {
      for await (const page of backend.loadSpans('session:conv-py-1', { signal: controller.signal })) {
        got.push(page.spans.length);
        controller.abort();
      }
    })());
    assert.equal(err.code, 'cancelled');
    assert.deepEqual(got, [4], 'the first trace arrived, the second was not fetched');
  });

  it('a store that stops answering → a time-out row with Retry', async () => {
    const hung = http.createServer(() => undefined); // accepts, never answers (a stuck gateway)
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      const slow = await createBackend(config({ baseUrl: url }, { timeoutMs: 300 }), makeContext());
      const err = await expectBackendError(slow.listSessions({ limit: 5 }));
      assert.equal(err.code, 'timeout');
      assert.equal(err.nextSteps[0], 'retry');
      assert.match(err.message, /did not answer in time/);
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('a wrong baseUrl (not a Jaeger query API) → error with Open settings', async () => {
    const wrong = await createBackend(config({ baseUrl: `${jaeger.baseUrl}/prefix` }), makeContext());
    const err = await expectBackendError(wrong.listSessions({ limit: 5 }));
    assert.ok(err.nextSteps.includes('openSettings'), err.message);
  });
});

describe('jaeger backend: a 100,000-span trace', function () {
  this.timeout(900_000);
  let jaeger: TestJaeger;
  let summary: ProducerSummary;

  before(async () => {
    jaeger = await startJaeger();
    summary = await runPyProducer(jaeger.otlpHttpUrl, ['--conversations', '0', '--openinference-sessions', '0', '--plain', '0', '--big', '100000']);
    await waitForTrace(jaeger.baseUrl, summary.big as string, 100_000, 180_000);
  });

  after(async () => {
    await jaeger?.close();
  });

  it('pages it into one tree without losing or repeating a span', async () => {
    const backend = await createBackend(config(jaeger), makeContext());
    const sessions = (await backend.resolveSession(summary.big as string));
    assert.equal(sessions[0]?.id, `trace:${summary.big}`);
    assert.equal(sessions[0].spanCount, 100_000);
    const forest = buildForest([]);
    let pages = 0;
    for await (const page of backend.loadSpans(sessions[0].id)) {
      pages++;
      assert.ok(page.spans.length <= SPAN_CHUNK);
      forest.add(page.spans);
    }
    assert.equal(pages, 100_000 / SPAN_CHUNK);
    assert.equal(forest.size, 100_000);
    assert.deepEqual(forest.issues, []);
    assert.equal(forest.roots().length, 1);
    assert.equal(forest.childrenOf(forest.roots()[0]).length, 50);
  });
});

describe('jaeger backend: the store stops mid-load (Badger storage, restarted)', function () {
  this.timeout(600_000);
  let jaeger: TestJaeger;
  let summary: ProducerSummary;

  before(async () => {
    jaeger = await startJaeger({ storage: 'badger' });
    summary = await runPyProducer(jaeger.otlpHttpUrl, ['--conversations', '1', '--traces-per-conversation', '3', '--openinference-sessions', '0', '--plain', '0', '--tag', 'mid']);
    for (const t of summary.conversations['conv-mid-0']) await waitForTrace(jaeger.baseUrl, t, 4);
  });

  after(async () => {
    await jaeger?.close();
  });

  it('fails with Retry, and Retry resumes from the last page without duplicates', async () => {
    const backend = await createBackend(config(jaeger), makeContext());
    const { sessions } = await listAll(backend, 10);
    assert.equal(sessions.length, 1);
    const sid = sessions[0].id;
    const got: string[] = [];
    let cursor: string | undefined;
    const err = await expectBackendError((async () => {
      for await (const page of backend.loadSpans(sid)) {
        got.push(...page.spans.map((s) => s.id));
        cursor = page.cursor;
        if (got.length === 4) await jaeger.stop(); // the store goes down after the first trace
      }
    })());
    assert.equal(err.code, 'network');
    assert.equal(err.nextSteps[0], 'retry');
    assert.match(err.message, /cannot reach/);
    assert.equal(got.length, 4);
    assert.ok(cursor, 'a resume position was handed out');
    await jaeger.restart();
    const rest = spansOf(await loadPages(backend, sid, cursor)).map((s) => s.id);
    assert.equal(rest.length, 8);
    const all = new Set([...got, ...rest]);
    assert.equal(all.size, 12, 'every span once');
  });
});
