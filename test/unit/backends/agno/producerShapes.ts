// What our agno backend must make of the rows real Agno 3.1 writes (see
// test/python/agno_producer.py): shared by the live producer test (SQLite and
// PostgreSQL) and the fast test on the recorded rows.
import * as assert from 'node:assert/strict';
import { NO_SESSION_ID } from '../../../../src/backends/agno/map';
import { loadAllSpans, type Backend } from '../../../../src/backends/types';
import type { Part, Span } from '../../../../src/model/types';
import type { AgnoData } from '../../../fixtures/agno/data';

const texts = (parts: Part[] | undefined, type = 'text') => (parts ?? []).filter((p) => p.type === type).map((p) => (p as { text: string }).text);

/** The rows themselves show the two traps: a recovered run's row says OK, a live run's row has no session. */
export function checkAgnoRows(data: AgnoData): void {
  const recover = data.traces.find((t) => t.session_id === 'sess-recover');
  assert.equal(recover?.status, 'OK', 'Agno keeps the last batch status on the row');
  assert.ok(data.spans.some((s) => s.trace_id === recover.trace_id && s.status_code === 'ERROR'));
  const live = data.spans.find((s) => s.name === 'Fact_Checker.run');
  assert.ok(live, 'the live team member run was written');
  const liveRow = data.traces.find((t) => t.trace_id === live.trace_id);
  assert.equal(liveRow?.session_id ?? null, null, 'a run in progress has no session_id on its row');
  assert.equal((live.attributes as Record<string, unknown>)['session.id'], 'sess-live');
}

export async function checkAgnoShapes(backend: Backend): Promise<void> {
  const { sessions } = await backend.listSessions({});
  const byId = new Map(sessions.map((s) => [s.id, s]));
  for (const id of ['sess-tools', 'sess-reasoning', 'sess-recover', 'sess-team', 'sess-live']) assert.ok(byId.has(id), `session ${id} listed`);
  // The run in progress sits in its session, not in "No session".
  assert.equal(byId.has(NO_SESSION_ID), false, 'nothing left in "No session"');
  assert.equal(byId.get('sess-live')!.spanCount, 5);
  assert.equal(byId.get('sess-live')!.attributes?.['agno.unfinishedRuns'], 1, 'its run span was never written');
  assert.equal(byId.get('sess-tools')!.attributes?.['agno.unfinishedRuns'], undefined);
  // Status from spans: the recovered run had a failed tool span.
  assert.equal(byId.get('sess-recover')!.status, 'error');
  assert.equal(byId.get('sess-tools')!.status, 'ok');

  const load = async (id: string) => {
    const spans = await loadAllSpans(backend, id);
    return { spans, named: (name: string) => spans.filter((s) => s.name === name) };
  };

  // An agent with a tool: agent → llm, tool, llm; the call and its result.
  const tools = await load('sess-tools');
  const [root] = tools.named('Weather_Agent.run');
  assert.equal(root.kind, 'agent');
  assert.equal(root.parentId, undefined);
  assert.deepEqual(tools.spans.filter((s) => s.parentId === root.id).map((s) => s.kind).sort(), ['llm', 'llm', 'tool']);
  const [weather] = tools.named('get_weather');
  assert.deepEqual(weather.tool, { name: 'get_weather', arguments: { city: 'Paris' }, result: 'Sunny, 21 C in Paris' });
  const firstLlm = tools.spans.filter((s) => s.kind === 'llm')[0];
  const use = firstLlm.output?.[0].parts.find((p) => p.type === 'toolUse') as { name: string; arguments: unknown } | undefined;
  assert.deepEqual([use?.name, use?.arguments], ['get_weather', { city: 'Paris' }]);
  assert.deepEqual(texts(root.output?.[0].parts), ['Done: Sunny, 21 C in Paris']);
  assert.equal(root.attributes['agno.trace.session_id'], 'sess-tools');

  // A reasoning model: the reasoning as a reasoning part, the answer text once.
  const reasoning = await load('sess-reasoning');
  const [think] = reasoning.spans.filter((s) => s.kind === 'llm');
  assert.equal(think.model?.request, 'deepseek-reasoner');
  assert.deepEqual(texts(think.output?.[0].parts, 'reasoning'), ['The user wants 6 times 7; that is 42.']);
  assert.deepEqual(texts(think.output?.[0].parts), ['42']);
  assert.equal(think.output?.[0].parts.length, 2, 'nothing else (no unknown part, no repeated answer)');

  // A tool that fails, then the run recovers: the failed call is an error span, the run is marked failed.
  const recover = await load('sess-recover');
  const calls = recover.named('lookup_order');
  assert.deepEqual(calls.map((s) => s.status), ['error', 'ok']);
  assert.equal(calls[0].statusMessage, 'order service unavailable for 4471');
  assert.equal(calls[0].tool?.error, 'order service unavailable for 4471');
  assert.equal(calls[1].tool?.result, 'Order 4471: shipped');
  const [support] = recover.named('Support_Agent.run');
  assert.equal(support.status, 'ok', 'the run itself recovered');
  assert.equal(support.attributes['agno.trace.status'], 'ERROR');
  assert.equal(support.attributes['agno.trace.row_status'], 'OK');
  assert.equal(support.attributes['agno.trace.error_spans'], 1);

  // A team: leader → delegate tool and the member's own agent run.
  const team = await load('sess-team');
  const [leader] = team.named('Research_Team.run');
  const [member] = team.named('Researcher.run');
  const [delegate] = team.named('delegate_task_to_member');
  assert.equal(member.kind, 'agent');
  assert.equal(member.parentId, leader.id);
  assert.equal(delegate.kind, 'tool');
  assert.deepEqual(delegate.tool?.arguments, { member_id: 'researcher', task: 'Find the author of Dune' });
  assert.equal(leader.attributes['agno.trace.team_id'], 'research-team');

  // The run in progress: the member finished, the leader's root span was never written.
  const live = await load('sess-live');
  assert.deepEqual(live.spans.map((s) => s.name).sort(), ['Fact_Checker.run', 'OpenAIChat.invoke', 'OpenAIChat.invoke', 'OpenAIChat.invoke', 'delegate_task_to_member']);
  const ids = new Set(live.spans.map((s: Span) => s.id));
  const missing = new Set(live.spans.filter((s) => s.parentId && !ids.has(s.parentId)).map((s) => s.parentId));
  assert.equal(missing.size, 1, 'the leader span the others hang from was never written');
  assert.equal(live.spans.filter((s) => missing.has(s.parentId)).length, 4);
}
