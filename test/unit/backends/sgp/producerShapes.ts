// What our SGP backend must make of spans the real scale-gp-beta client wrote
// (test/python/sgp_producer.py): shared by the live producer test and the fast
// test on the recorded spans.
import * as assert from 'node:assert/strict';
import { loadAllSpans, type Backend } from '../../../../src/backends/types';
import type { Span } from '../../../../src/model/types';

export async function checkSgpShapes(backend: Backend): Promise<void> {
  const { sessions } = await backend.listSessions({});
  assert.deepEqual(sessions.map((s) => s.id).sort(), ['group:grp-sdk', 'trace:task-7f1e']);

  // create + batch + upsert, two traces of one group.
  const group = await loadAllSpans(backend, 'group:grp-sdk');
  const named = (name: string) => group.filter((s) => s.name === name);
  assert.equal(new Set(group.map((s) => s.id)).size, group.length, 'span ids are unique in the session');
  // The same id in two traces is two spans (SGP keys spans by trace_id and id).
  const shared = named('summarize');
  assert.deepEqual(shared.map((s) => [s.traceId, s.id, s.parentId, s.status]), [
    ['trc-sdk-1', 'spn-shared', 'spn-root', 'ok'],
    ['trc-sdk-2', 'trc-sdk-2/spn-shared', 'spn-root-2', 'error'],
  ]);
  assert.equal(group.length, 7);
  // Upserts keep the completed span over a later in-progress copy.
  assert.ok(shared[0].endTime && shared[0].endTime > shared[0].startTime);
  assert.deepEqual(shared[0].output?.[0].parts, [{ type: 'text', text: 'Refund R-9 for order 4471.' }]);
  const [llm] = named('chat-completion');
  assert.equal(llm.kind, 'llm');
  assert.deepEqual(llm.output?.[0].parts.find((p) => p.type === 'toolUse'), { type: 'toolUse', id: 'call_r1', name: 'open_refund', arguments: { order_id: '4471' } });
  assert.equal(llm.usage?.total, 19);
  const [tool] = named('open_refund');
  assert.deepEqual([tool.kind, tool.tool?.name, tool.tool?.callId, tool.tool?.result], ['tool', 'open_refund', 'call_r1', 'refund R-9 opened']);
  const [guard] = named('output-guardrail');
  assert.deepEqual([guard.kind, guard.guardrails?.[0].source], ['guardrail', 'output']);

  // Agentex: `tool:<name>` CUSTOM spans are tools; metadata names the agent.
  const agentex = await loadAllSpans(backend, 'trace:task-7f1e');
  const by = (name: string): Span[] => agentex.filter((s) => s.name === name);
  assert.equal(agentex.length, 6, 'each span once, though Agentex writes it at start and at end');
  const [weather] = by('tool:get_weather');
  assert.equal(weather.kind, 'tool');
  assert.deepEqual(weather.tool, { name: 'get_weather', arguments: "{'city': 'Paris'}", result: 'Sunny, 21 C' });
  const [forecast] = by('tool:get_forecast');
  assert.deepEqual([forecast.kind, forecast.tool?.name, forecast.tool?.error], ['tool', 'get_forecast', 'forecast service timed out']);
  const [convert] = by('tool:convert_units');
  assert.deepEqual(convert.tool, { name: 'convert_units', arguments: { value: 21, from: 'C', to: 'F' }, result: 69.8 });
  const llms = by('llm:gpt-4o-mini');
  assert.deepEqual(llms.map((s) => s.kind), ['llm', 'llm']);
  assert.equal(llms[0].agent?.name, 'weather-agent');
  assert.ok(llms.every((s) => s.endTime !== undefined), 'the completed upsert replaced the in-progress one');
  // LangChain messages (`type` human/ai/tool, tool calls `{name, args}`) are a transcript.
  assert.deepEqual(llms[0].input?.map((m) => m.role), ['system', 'user']);
  assert.deepEqual(llms[0].output, [{ role: 'assistant', parts: [{ type: 'toolUse', id: '', name: 'get_weather', arguments: { city: 'Paris' } }] }]);
  assert.deepEqual(llms[1].input?.map((m) => m.role), ['system', 'user', 'assistant', 'tool']);
  assert.deepEqual(llms[1].input?.[2].parts, [{ type: 'toolUse', id: 'call_wx_1', name: 'get_weather', arguments: { city: 'Paris' } }]);
  assert.deepEqual(llms[1].input?.[3].parts, [{ type: 'toolResult', id: '', parts: [{ type: 'text', text: 'Sunny, 21 C' }] }]);
  assert.deepEqual(llms[1].output?.[0].parts, [{ type: 'text', text: 'It is sunny in Paris, 21 C.' }]);
  assert.equal(llms[1].attributes['sgp.input'], undefined, 'nothing of the transcript is left over');
}
