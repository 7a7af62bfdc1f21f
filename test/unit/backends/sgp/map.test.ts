// How SGP spans become normalized spans, checked on spans fetched from the
// emulator over HTTP: the type → kind table, statuses, tokens, agents,
// OpenAI messages and tool calls, and that free-form payloads are kept.
import * as assert from 'node:assert/strict';
import type { SgpSpanRecord } from '../../../../src/backends/sgp/client';
import { loadAllSpans, type Backend } from '../../../../src/backends/types';
import { getRaw } from '../../../../src/model/raw';
import type { Span } from '../../../../src/model/types';
import { SGP_FIXTURE_IDS as IDS, loadFixtureSpans } from '../../../emulators/sgp/fixtures';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { makeBackend } from './helpers';

/** The documented mapping, spelled out here so a change to the table fails this test. */
const EXPECTED_KINDS: Record<string, [plain: string, toolLike: string]> = {
  COMPLETION: ['llm', 'llm'],
  COMPLETION_INPUT: ['chain', 'chain'],
  KB_RETRIEVAL: ['retrieval', 'retrieval'],
  DOCUMENT_SEARCH: ['retrieval', 'retrieval'],
  FILE_RETRIEVAL: ['retrieval', 'retrieval'],
  RERANKING: ['retrieval', 'retrieval'],
  KB_INPUT: ['chain', 'chain'],
  KB_ADD_CHUNK: ['custom', 'custom'],
  KB_MANAGEMENT: ['custom', 'custom'],
  GUARDRAIL: ['guardrail', 'guardrail'],
  AGENT_TRACER: ['agent', 'agent'],
  AGENT_WORKFLOW: ['agent', 'agent'],
  CUSTOM: ['custom', 'tool'],
  CODE_EXECUTION: ['custom', 'tool'],
  EXTERNAL_ENDPOINT: ['custom', 'tool'],
  TRACER: ['chain', 'chain'],
  STANDALONE: ['chain', 'chain'],
  TEXT_INPUT: ['chain', 'chain'],
  TEXT_OUTPUT: ['chain', 'chain'],
  PROMPT_ENGINEERING: ['chain', 'chain'],
  DOCUMENT_INPUT: ['chain', 'chain'],
  DOCUMENT_PROMPT: ['chain', 'chain'],
  MAP_REDUCE: ['chain', 'chain'],
  DATA_MANIPULATION: ['chain', 'chain'],
  EVALUATION: ['custom', 'custom'],
};

function rec(id: string, type: string | undefined, input: unknown, extra: Partial<SgpSpanRecord> = {}): SgpSpanRecord {
  return {
    id, object: 'span', account_id: 'acct-demo', trace_id: 'trc-types', parent_id: id === 'root' ? null : 'root', name: id,
    type, status: 'SUCCESS', start_timestamp: '2025-06-05T10:00:00Z', end_timestamp: '2025-06-05T10:00:01Z',
    input, output: { ok: true }, metadata: {}, ...extra,
  };
}

/** Every string/number/boolean inside a value; JSON strings count by their contents. */
function leaves(v: unknown, out = new Set<unknown>(), key?: string): Set<unknown> {
  if (v === null || v === undefined) return out;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return leaves(JSON.parse(t), out);
      } catch {
        /* plain text */
      }
    }
    // Structural markers the transcript expresses by its shape.
    if (key === 'type' && (v === 'function' || v === 'text')) return out;
    out.add(v);
  } else if (typeof v === 'number' || typeof v === 'boolean') {
    if (key !== 'index') out.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) leaves(x, out);
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, out, k);
  }
  return out;
}

describe('sgp mapping', () => {
  let emu: SgpEmulator;
  let backend: Backend;
  const byId = new Map<string, Span>();

  before(async () => {
    const typed: SgpSpanRecord[] = [rec('root', 'TRACER', {})];
    for (const t of Object.keys(EXPECTED_KINDS)) {
      typed.push(rec(`plain-${t}`, t, { x: 1 }));
      typed.push(rec(`toolish-${t}`, t, { tool_name: 'lookup', arguments: { q: 'a' } }));
    }
    typed.push(rec('unknown-type', 'SOMETHING_NEW', { x: 1 }), rec('no-type', undefined, { x: 1 }));
    typed.push(rec('span-type-wins', 'COMPLETION', { x: 1 }, { metadata: { __span_type__: 'GUARDRAIL' } }));
    typed.push(rec('span-type-unknown', 'KB_RETRIEVAL', { x: 1 }, { metadata: { __span_type__: 'mystery' } }));
    emu = await startSgpEmulator({ shiftToNow: false, fixtures: true, spans: typed });
    ({ backend } = await makeBackend(emu));
    for (const sid of [...IDS.sessions, 'trace:trc-types']) {
      for (const s of await loadAllSpans(backend, sid)) byId.set(s.id, s);
    }
  });
  after(() => emu.close());

  const span = (id: string): Span => {
    const s = byId.get(id);
    assert.ok(s, `span ${id} loaded`);
    return s;
  };

  it('maps every SGP span type to its kind (tool-like payloads make CUSTOM-like types tools)', () => {
    for (const [type, [plain, toolLike]] of Object.entries(EXPECTED_KINDS)) {
      assert.equal(span(`plain-${type}`).kind, plain, `${type} plain`);
      assert.equal(span(`toolish-${type}`).kind, toolLike, `${type} tool-like`);
      assert.equal(span(`plain-${type}`).attributes['sgp.type'], type);
    }
    assert.equal(span('unknown-type').kind, 'custom');
    assert.equal(span('unknown-type').attributes['sgp.type'], 'SOMETHING_NEW');
    assert.equal(span('no-type').kind, 'custom');
    assert.equal(span('span-type-wins').kind, 'guardrail');
    assert.equal(span('span-type-wins').attributes['sgp.span_type'], 'GUARDRAIL');
    assert.equal(span('span-type-unknown').kind, 'retrieval');
    assert.deepEqual(span('toolish-CUSTOM').tool, { name: 'lookup', arguments: { q: 'a' }, result: { ok: true } });
  });

  it('lets metadata.__span_type__ decide the kind of Agentex spans', () => {
    assert.equal(span(IDS.spans.spanTypeAgent).kind, 'agent');
    assert.equal(span(IDS.spans.spanTypeCompletion).kind, 'llm');
    assert.equal(span(IDS.spans.spanTypeHandoff).kind, 'handoff');
    const tool = span(IDS.spans.spanTypeTool);
    assert.equal(tool.kind, 'tool');
    // Declared a tool without a recognisable call: the payloads become its arguments and result.
    assert.deepEqual(tool.tool?.arguments, { query: 'EU AI Act implementation timeline 2025' });
    assert.equal((tool.tool?.result as { results: unknown[] }).results.length, 1);
    assert.equal(tool.attributes['sgp.input'], undefined);
  });

  it('maps statuses, times, tokens and agents', () => {
    const llm = span(IDS.spans.completionWithToolCall);
    assert.equal(llm.status, 'ok');
    assert.equal(llm.startTime, Date.parse('2025-06-02T08:10:00.150Z'));
    assert.equal(llm.endTime, Date.parse('2025-06-02T08:10:01.900Z'));
    assert.equal(llm.durationMs, 1750);
    assert.equal(llm.traceId, 'trc-support-turn-1');
    assert.equal(llm.parentId, 'spn-t1-root');
    assert.deepEqual(llm.usage, { input: 142, output: 21, total: 163 });
    assert.deepEqual(llm.agent, { name: 'Support Agent', id: 'agent-support-01' });
    assert.deepEqual(llm.attributes['sgp.metadata'], { __source__: 'agentex' });
    assert.equal(span('spn-t1-tool-weather').startTime, Date.parse('2025-06-02T08:10:01.950Z'));
    assert.equal(span(IDS.spans.errorTool).status, 'error');
    assert.equal(span(IDS.spans.cancelled).status, 'cancelled');
    const unset = span(IDS.spans.noStatus);
    assert.equal(unset.status, 'unset');
    assert.equal(unset.endTime, undefined);
    assert.equal(span('spn-t2-root').statusMessage, 'Tool update_ticket failed: CRM returned HTTP 503');
  });

  it('turns OpenAI messages, tool_calls and choices into a transcript', () => {
    const first = span(IDS.spans.completionWithToolCall);
    assert.equal(first.kind, 'llm');
    assert.deepEqual(first.input?.map((m) => m.role), ['system', 'user']);
    assert.deepEqual(first.input?.[1].parts, [{ type: 'text', text: "What's the weather in Paris, and do I need an umbrella?" }]);
    assert.deepEqual(first.output, [
      { role: 'assistant', parts: [{ type: 'toolUse', id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }] },
    ]);
    assert.deepEqual(first.model, { request: 'gpt-4o-2024-08-06', temperature: 0.2, maxTokens: 512, finishReasons: ['tool_calls'], response: 'gpt-4o-2024-08-06' });
    // Tool definitions and response envelope fields have no slot: kept as JSON.
    assert.deepEqual(Object.keys(first.attributes['sgp.input'] as object).sort(), ['tool_choice', 'tools']);
    assert.deepEqual(first.attributes['sgp.output'], { id: 'chatcmpl-A1b2C3', object: 'chat.completion' });

    const second = span(IDS.spans.completionWithToolResult);
    const toolMsg = second.input?.[3];
    assert.equal(toolMsg?.role, 'tool');
    assert.deepEqual(toolMsg?.parts, [
      { type: 'toolResult', id: 'call_weather_1', parts: [{ type: 'text', text: '{"temperature":18,"unit":"celsius","conditions":"light rain","precipitation_probability":0.7}' }] },
    ]);
    assert.equal(second.input?.[2].parts[0].type, 'toolUse');
    assert.deepEqual(second.output?.[0].parts, [{ type: 'text', text: "It's 18°C with light rain in Paris right now, so yes, take an umbrella." }]);

    const flat = span(IDS.spans.flatAssistantOutput);
    assert.equal(flat.output?.[0].role, 'assistant');
    assert.match((flat.output?.[0].parts[0] as { text: string }).text, /couldn't reopen T-1042/);

    const image = span(IDS.spans.imageContent);
    assert.deepEqual(image.input?.[0].parts, [
      { type: 'text', text: 'Here is my ID card, can you verify it?' },
      { type: 'unknown', raw: { type: 'image_url', image_url: { url: 'https://files.example.com/id-881.png', detail: 'low' } } },
      { type: 'unknown', raw: { name: 'customer-881' } },
    ]);
    assert.deepEqual(image.model?.finishReasons, ['stop']);

    const plain = span(IDS.spans.stringPromptCompletion);
    assert.deepEqual(plain.input, [{ role: 'user', parts: [{ type: 'text', text: 'Summarize Q2 sales by region in three sentences.' }] }]);
    assert.equal(plain.output?.[0].role, 'assistant');
    assert.deepEqual(plain.attributes['sgp.expected'], { summary: 'Q2 sales grew 12%; EU +18%; APAC flat.' });
  });

  it('maps tool spans with call ids, results and errors', () => {
    assert.deepEqual(span(IDS.spans.toolWeather).tool, {
      name: 'get_weather',
      callId: 'call_weather_1',
      arguments: { city: 'Paris', unit: 'celsius' },
      result: { temperature: 18, unit: 'celsius', conditions: 'light rain', precipitation_probability: 0.7 },
    });
    assert.equal(span(IDS.spans.toolWeather).attributes['sgp.input'], undefined);
    const crm = span(IDS.spans.errorTool);
    assert.equal(crm.kind, 'tool');
    assert.equal(crm.tool?.name, 'update_ticket');
    assert.equal(crm.tool?.callId, 'call_crm_1');
    assert.equal(crm.tool?.error, 'CRM returned HTTP 503 Service Unavailable');
    assert.equal(crm.statusMessage, 'CRM returned HTTP 503 Service Unavailable');
    assert.deepEqual(crm.attributes['sgp.input'], { endpoint: 'https://crm.example.com/api/tickets/T-1042' });
    assert.deepEqual(crm.attributes['sgp.output'], { error: { message: 'CRM returned HTTP 503 Service Unavailable', code: 503 }, attempts: 3 });
  });

  it('derives guardrail verdicts and keeps their payloads', () => {
    const blocked = span(IDS.spans.guardrailBlocked);
    assert.equal(blocked.kind, 'guardrail');
    assert.deepEqual(blocked.guardrails, [
      { name: 'prompt-injection-check', guardrailId: 'gr-injection-2', source: 'input', action: 'blocked', policies: [{ type: 'PROMPT_INJECTION', action: 'blocked', details: 'score 0.97' }] },
    ]);
    assert.ok(blocked.attributes['sgp.output']);
    const passed = span(IDS.spans.guardrailPassed);
    assert.equal(passed.guardrails?.[0].action, 'none');
    assert.equal(passed.guardrails?.[0].source, 'output');
  });

  it('keeps free-form payloads and unknown record fields as structured attributes', () => {
    const fixture = new Map(loadFixtureSpans().map((r) => [r.id, r]));
    const writer = span(IDS.spans.freeFormAgent);
    assert.equal(writer.kind, 'agent');
    assert.deepEqual(writer.attributes['sgp.input'], fixture.get(IDS.spans.freeFormAgent)!.input);
    assert.deepEqual(writer.attributes['sgp.output'], fixture.get(IDS.spans.freeFormAgent)!.output);
    const code = span(IDS.spans.codeExecution);
    assert.equal(code.kind, 'custom');
    assert.deepEqual(code.attributes['sgp.input'], fixture.get(IDS.spans.codeExecution)!.input);
    const kb = span(IDS.spans.retrieval);
    assert.equal(kb.kind, 'retrieval');
    assert.deepEqual(kb.attributes['sgp.output'], fixture.get(IDS.spans.retrieval)!.output);
    const unknown = span(IDS.spans.unknownType);
    assert.equal(unknown.attributes['sgp.cost_usd'], 0.0123);
    assert.equal(unknown.attributes['sgp.account_id'], 'acct-demo');
    const root = span('spn-t1-root');
    assert.deepEqual(root.attributes['sgp.created_by'], { type: 'user', id: 'user-42' });
    assert.equal(root.attributes['sgp.application_variant_id'], 'variant-support-v3');
    assert.equal(root.attributes['sgp.group_id'], IDS.supportGroup);
  });

  it('loses no value of any fixture payload and keeps the wire record as raw', () => {
    for (const r of loadFixtureSpans()) {
      const s = span(r.id);
      assert.deepEqual(getRaw(s), r, `raw of ${r.id}`);
      const have = leaves({ ...s, id: undefined });
      for (const field of ['input', 'output', 'metadata', 'expected'] as const) {
        for (const v of leaves(r[field])) {
          assert.ok(have.has(v), `${r.id}.${field}: value ${JSON.stringify(v)} is not in the normalized span`);
        }
      }
    }
  });
});
