// The team stores in the real workbench: a real Jaeger v2 and a real Phoenix
// (auth on), fed by the OTel Python SDK, browsed through the Sessions tree.
import * as assert from 'node:assert/strict';
import type { BackendNode, SessionNode, TreeNode } from '../../src/views/nodes';
import { startJaeger, waitForTrace, type TestJaeger } from '../support/jaeger';
import { startPhoenix, type TestPhoenix } from '../support/phoenix';
import { runPyProducer, type ProducerSummary } from '../support/traceStores';
import { api, childLabels, setBackends, waitFor } from './helpers';

describe('team stores in the Sessions tree (real Jaeger and Phoenix)', function () {
  this.timeout(900_000);
  let jaeger: TestJaeger;
  let phoenix: TestPhoenix;
  let jp: ProducerSummary;
  let pp: ProducerSummary;

  before(async function () {
    this.timeout(900_000);
    [jaeger, phoenix] = await Promise.all([startJaeger(), startPhoenix({ auth: true })]);
    const args = ['--conversations', '1', '--traces-per-conversation', '2', '--openinference-sessions', '1', '--plain', '1'];
    jp = await runPyProducer(jaeger.otlpHttpUrl, [...args, '--service', 'support-agent']);
    pp = await runPyProducer(phoenix.otlpHttpUrl, [...args, '--project', 'support'], { authorization: `Bearer ${phoenix.token}` });
    for (const t of jp.conversations['conv-py-0']) await waitForTrace(jaeger.baseUrl, t, 4);
    // The CLI-style environment fallback for the API key (SecretStorage is the UI path).
    process.env.PHOENIX_API_KEY = phoenix.token;
  });

  after(async () => {
    await setBackends([]);
    delete process.env.PHOENIX_API_KEY;
    await jaeger?.close();
    await phoenix?.close();
  });

  async function backendNode(id: string): Promise<BackendNode> {
    const a = await api();
    return (await waitFor(`backend ${id}`, async () => (await a.tree.getChildren()).find((n) => n.id === `b:${id}`), 60_000)) as BackendNode;
  }

  /** A conversation of two traces: session → one row per trace (its root span) → the root's children. */
  async function conversationRows(session: SessionNode): Promise<{ traces: string[]; children: string[] }> {
    const a = await api();
    await a.tree.getChildren(session);
    await session.loaded.ensureLoaded();
    assert.equal(session.loaded.state, 'done');
    assert.equal(session.loaded.traces.size, 2);
    const runs = (await a.tree.getChildren(session)) as TreeNode[];
    assert.deepEqual(runs.map((r) => r.type), ['span', 'span'], 'one row per trace, each its root span');
    return { traces: await childLabels(a, session), children: await childLabels(a, runs[0]) };
  }

  it('Jaeger: services traces grouped into conversations, a conversation opens as a span tree', async () => {
    const a = await api();
    await setBackends([{ id: 'team-jaeger', type: 'jaeger', label: 'Team Jaeger', baseUrl: jaeger.baseUrl, service: 'support-agent' }]);
    const backend = await backendNode('team-jaeger');
    const sessions = (await a.tree.getChildren(backend)) as SessionNode[];
    assert.deepEqual(sessions.map((s) => s.session.id).sort(), ['session:conv-py-0', 'session:sess-py-0', `trace:${jp.plain[0]}`].sort());
    const labels = await childLabels(a, backend);
    assert.ok(labels.includes('invoke_agent Travel agent'), labels.join(' | '));
    const conv = sessions.find((s) => s.session.id === 'session:conv-py-0')!;
    const rows = await conversationRows(conv);
    assert.deepEqual(rows.traces, ['invoke_agent Travel agent', 'invoke_agent Travel agent']);
    assert.deepEqual(rows.children, ['chat gpt-4o', 'execute_tool find_flights', 'chat gpt-4o']);
    assert.equal(conv.loaded.spanCount, 8);
  });

  it('Phoenix: project sessions then lone traces, a session opens as a span tree', async () => {
    const a = await api();
    await setBackends([{ id: 'team-phoenix', type: 'phoenix', label: 'Team Phoenix', baseUrl: phoenix.baseUrl, project: 'support' }]);
    const backend = await backendNode('team-phoenix');
    const sessions = (await waitFor('phoenix sessions', async () => {
      const s = (await a.tree.getChildren(backend)) as SessionNode[];
      return s.length >= 3 ? s : undefined;
    }, 120_000));
    assert.deepEqual(sessions.map((s) => s.session.id), ['session:sess-py-0', 'session:conv-py-0', `trace:${pp.plain[0]}`]);
    const oi = sessions[0];
    await a.tree.getChildren(oi);
    await oi.loaded.ensureLoaded();
    const [root] = await a.tree.getChildren(oi);
    assert.equal((await a.tree.getTreeItem(root)).label, 'Support agent');
    assert.deepEqual((await childLabels(a, root)).sort(), ['ChatCompletion', 'lookup_order']);
    const rows = await conversationRows(sessions[1]);
    assert.equal(rows.traces.length, 2);
    assert.deepEqual(rows.children, ['chat gpt-4o', 'execute_tool find_flights', 'chat gpt-4o']);
  });
});
