// Trace stats per definition and the findings on definitions, on spans the
// real agno backend decodes from the Agno fixture (SQLite), plus the schema
// check and prompt drift on hand-made spans.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAllSpans } from '../../../src/backends/types';
import { driftOf, findingsOf, mergeIndexes, percentile, statsLine, StatsIndex } from '../../../src/codeStats/aggregate';
import { findDefinitions } from '../../../src/codeStats/definitions';
import { checkSchema, schemaFromPythonDef } from '../../../src/codeStats/schema';
import type { Span } from '../../../src/model/types';
import { agnoFixture, FX, writeAgnoSqlite } from '../../fixtures/agno';
import { agno } from '../backends/agno/contract';

function span(extra: Partial<Span>): Span {
  return { id: Math.random().toString(16).slice(2), sessionId: 's', name: 'x', kind: 'tool', status: 'ok', startTime: 0, durationMs: 100, attributes: {}, ...extra };
}

describe('code stats — aggregation, findings, schema, drift', function () {
  let spans: Span[];
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codestats-'));
    const db = path.join(dir, 'traces.db');
    await writeAgnoSqlite(db, agnoFixture());
    const backend = agno({ database: db });
    spans = await loadAllSpans(backend, FX.financeSession);
    backend.dispose?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts calls, errors, latency and tokens per tool and agent; the lens reads like "2 calls · p95 …"', () => {
    const index = new StatsIndex<string>();
    for (const s of spans) index.add(s, s.id);
    const news = index.byRef.get('tool:get_news');
    const price = index.byRef.get('tool:get_price');
    assert.ok(news && price, `tools indexed: ${[...index.byRef.keys()].join(', ')}`);
    assert.deepEqual([news.calls, news.errors, price.calls, price.errors], [1, 1, 1, 0]);
    const agent = [...index.byRef.values()].find((s) => s.ref.kind === 'agent');
    assert.ok(agent && agent.calls === 2, 'both Finance Agent runs count as calls of the agent');
    assert.match(statsLine(agent), /^2 calls · p95 4\.2 s/);
    assert.match(statsLine(news), /1 call · p95 800 ms · 1 error/);
    // The model calls mention the tools in their messages but are not calls of them.
    assert.equal(price.calls, 1);
  });

  it('reports the failed tool call with its error, on the tool', () => {
    const index = new StatsIndex<string>();
    for (const s of spans) index.add(s, s.id);
    const f = findingsOf(index.byRef.get('tool:get_news')!, index.toolSchemas);
    assert.equal(f.length, 1);
    assert.equal(f[0].kind, 'toolError');
    assert.match(f[0].message, /failed in 1 of 1 recorded calls: HTTP 503 from news API/);
    assert.equal(f[0].hit.handle, FX.toolError);
  });

  it('checks tool arguments against the schema the model call declared', () => {
    const index = new StatsIndex<string>();
    const schema = { type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', required: ['order_id'], properties: { order_id: { type: 'string' }, limit: { type: 'integer' } }, additionalProperties: false } } };
    index.add(span({ kind: 'llm', name: 'call', attributes: { 'llm.tools.0.tool.json_schema': JSON.stringify(schema) } }), 'llm');
    index.add(span({ name: 'lookup_order', tool: { name: 'lookup_order', arguments: '{"order_id": "1"}' } }), 'good');
    index.add(span({ name: 'lookup_order', tool: { name: 'lookup_order', arguments: { limit: 2.5, extra: true } } }), 'bad');
    const f = findingsOf(index.byRef.get('tool:lookup_order')!, index.toolSchemas);
    assert.equal(f.length, 1);
    assert.equal(f[0].hit.handle, 'bad');
    assert.match(f[0].message, /missing required order_id/);
    assert.match(f[0].message, /limit should be integer, got number/);
    assert.match(f[0].message, /unexpected argument extra/);
    assert.deepEqual(checkSchema({ a: [1, 'x'] }, { type: 'object', properties: { a: { type: 'array', items: { type: 'number' } } } }).map((p) => p.message), ['a[1] should be number, got string']);
  });

  it('attributes guardrail blocks inside an agent run to the agent, and maps code.filepath/lineno to exact lines', () => {
    const index = new StatsIndex<string>();
    const agent = { kind: 'agent' as const, name: 'Support Agent' };
    index.add(span({ kind: 'agent', name: 'Support Agent', agent: { name: 'Support Agent' } }), 'root');
    index.add(span({ kind: 'guardrail', name: 'pii_check', guardrails: [{ name: 'PII', action: 'blocked', policies: [{ type: 'sensitiveInformation', action: 'BLOCKED' }] }] }), 'g', agent);
    const stats = index.byRef.get('agent:Support Agent')!;
    assert.equal(stats.blocked, 1);
    const f = findingsOf(stats, index.toolSchemas);
    assert.equal(f[0].kind, 'guardrail');
    assert.match(f[0].message, /PII blocked \(sensitiveInformation\)/);
    index.add(span({ name: 'helper', attributes: { 'code.filepath': 'agents/tools.py', 'code.lineno': 12, 'code.function.name': 'helper' } }), 'c');
    assert.equal(index.codeStatsFor('/home/me/project/agents/tools.py')?.get(12)?.calls, 1);
    assert.equal(index.codeStatsFor('/home/me/project/other/tools.py'), undefined);
  });

  it('finds prompt drift when the recorded system instructions carry sentences the template lacks', () => {
    const index = new StatsIndex<string>();
    const template = 'system: You write short, friendly email replies for the support team.\nmessages: []';
    index.add(span({ kind: 'llm', name: 'EmailResponse', prompt: { name: 'EmailResponse' }, system: [{ type: 'text', text: 'You write short, friendly email replies for the support team.' }] }), 'same');
    assert.equal(driftOf(index.byRef.get('prompt:EmailResponse')!, template), undefined);
    index.add(span({ kind: 'llm', name: 'EmailResponse', prompt: { name: 'EmailResponse' }, system: [{ type: 'text', text: 'You write long, formal email replies. Always cite the policy.' }] }), 'drifted');
    const d = driftOf(index.byRef.get('prompt:EmailResponse')!, template);
    assert.equal(d?.hit.handle, 'drifted');
    assert.match(d!.message, /differ from this template \(2 sentences not in it/);
  });

  it('finds drift between an agent defined in code and the instructions its model calls recorded', () => {
    const index = new StatsIndex<string>();
    const agent = { kind: 'agent' as const, name: 'Support Agent' };
    const source = 'agent = Agent(\n    name="Support Agent",\n    instructions="You are a support agent. Look up the order before answering. Answer briefly.",\n)\n';
    index.add(span({ kind: 'agent', name: 'Support_Agent.run', agent: { name: 'Support Agent' } }), 'run');
    index.add(span({ kind: 'llm', name: 'OpenAIChat.invoke', system: [{ type: 'text', text: 'You are a support agent. Look up the order before answering. Answer briefly.' }] }), 'same', agent);
    assert.equal(driftOf(index.byRef.get('agent:Support Agent')!, source), undefined);
    index.add(span({ kind: 'llm', name: 'OpenAIChat.invoke', system: [{ type: 'text', text: 'You are a support agent. Answer briefly and never apologize.' }] }), 'old', agent);
    const d = driftOf(index.byRef.get('agent:Support Agent')!, source);
    assert.equal(d?.hit.handle, 'old');
    assert.equal(d?.warning, false, 'Information for agents: code may build instructions at run time');
    assert.match(d!.message, /^Agent "Support Agent": the recorded system instructions differ from this definition/);
  });

  it('finds definitions through the navigation core, not mentions', () => {
    const text = 'from agents import function_tool\n\n@function_tool\ndef get_news(ticker: str) -> str:\n    return get_news_impl(ticker)\n';
    const hits = findDefinitions(text, 'tools.py', [{ kind: 'tool', name: 'get_news' }]);
    assert.deepEqual(hits.map((h) => h.line), [3]);
    const refs = [{ kind: 'tool' as const, name: 'unrelated' }, { kind: 'prompt' as const, name: 'EmailResponse', id: 'f9a3c6e2-5d1b-4e84-a7c9-0b2d8e4f6a15' }];
    assert.deepEqual(findDefinitions('system: You write replies.\n', '/ws/prompts/EmailResponse.yaml', refs).map((h) => [h.ref, h.line, h.label]), [[1, 0, 'file name']], 'a file named after the prompt');
    assert.deepEqual(findDefinitions('nothing here', '/ws/other.yaml', refs), []);
  });

  it('merges per-session indexes into the same numbers as one index', () => {
    const whole = new StatsIndex<string>();
    const a = new StatsIndex<string>();
    const b = new StatsIndex<string>();
    spans.forEach((s, i) => {
      whole.add(s, s.id);
      (i % 2 ? a : b).add(s, s.id);
    });
    const merged = mergeIndexes([a, b]);
    assert.deepEqual([...merged.byRef.keys()].sort(), [...whole.byRef.keys()].sort());
    for (const [key, s] of whole.byRef) {
      const m = merged.byRef.get(key)!;
      assert.deepEqual([m.calls, m.errors, m.tokens, [...m.durations].sort()], [s.calls, s.errors, s.tokens, [...s.durations].sort()], key);
    }
    assert.equal(merged.spans, spans.length);
  });

  it('derives a tool schema from a Python signature, and checks calls against it when no span declares one', () => {
    const src = 'from agents import function_tool, RunContextWrapper\n\n@function_tool\ndef refund(ctx: RunContextWrapper[Any], order_id: str, amount: float, reason: Optional[str] = None,\n           notify: bool = True) -> str:\n    ...\n';
    const schema = schemaFromPythonDef(src, src.indexOf('def refund'));
    assert.deepEqual(schema, { type: 'object', properties: { order_id: { type: 'string' }, amount: { type: 'number' }, reason: { type: 'string' }, notify: { type: 'boolean' } }, required: ['order_id', 'amount'], additionalProperties: false });
    assert.equal(schemaFromPythonDef('def f(**kwargs): pass', 0), undefined, '**kwargs accepts anything');
    const index = new StatsIndex<string>();
    index.add(span({ name: 'refund', tool: { name: 'refund', arguments: { order_id: 'A1', amount: '12' } } }), 'bad');
    const f = findingsOf(index.byRef.get('tool:refund')!, index.toolSchemas, schema);
    assert.match(f[0]?.message ?? '', /do not match the signature in the source: amount should be number, got string/);
  });

  it('computes percentiles', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([5, 1, 3, 2, 4], 95), 5);
    assert.equal(percentile([], 95), undefined);
  });
});
