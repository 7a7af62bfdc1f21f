// The real OpenAI Agents SDK (Python, 0.24) against the LLM stand-in: Runner.run
// and Runner.run_streamed, the Responses and the Chat Completions models, a
// handoff, a tripped input guardrail, a function tool that raises and an MCP
// tool listing. Its own BackendSpanExporter (set up by the README snippet)
// posts to our receiver, and a JSONL processor writes the same items for the
// openaiAgents backend; both must decode to the same spans.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBackend } from '../../../src/backends/registry';
import { loadAllSpans } from '../../../src/backends/types';
import { buildForest } from '../../../src/model/tree';
import type { Span } from '../../../src/model/types';
import { recordingLogger } from '../../support/context';
import type { LlmRequest } from '../../support/llm';
import { PRODUCERS, runProducer } from '../../support/producers';

const SESSION = 'span-inspector-tests';

/** Every scenario runs in its own SDK trace (metadata.scenario names it). */
const traceIds = new Map<string, string>();
function trace(spans: Span[], scenario: string): Span[] {
  return spans.filter((s) => s.traceId === traceIds.get(scenario));
}

function one(spans: Span[], pred: (s: Span) => boolean, what: string): Span {
  const found = spans.filter(pred);
  assert.equal(found.length, 1, `expected one ${what} among ${spans.map((s) => `${s.kind}:${s.name}`).join(', ')}`);
  return found[0];
}

describe('OpenAI Agents SDK (Python) → receiver and JSONL', function () {
  this.timeout(240_000);
  let requests: LlmRequest[];
  let dir: string;
  let spans: Span[];
  let fromFile: Span[];
  let result: Record<string, string>;

  before(async () => {
    const run = await runProducer(PRODUCERS.openaiAgents);
    result = run.result;
    requests = run.requests;
    spans = run.spans.filter((s) => s.sessionId === SESSION);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-py-'));
    const jsonl = path.join(dir, 'traces.jsonl');
    fs.writeFileSync(jsonl, run.jsonl);
    const file = await createBackend({ id: 'jsonl', type: 'openaiAgents', path: jsonl }, { log: recordingLogger(), getSecret: async () => undefined, resolvePath: (p) => p });
    fromFile = await loadAllSpans(file, SESSION);
    file.dispose?.();
    for (const line of run.jsonl.trim().split('\n')) {
      const item = JSON.parse(line);
      if (item.object === 'trace') traceIds.set(String(item.metadata?.scenario), item.id);
    }
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs every scenario the way a user runs it', () => {
    assert.match(result.streamed_chat, /^Done: Invoice INV-3: 42 EUR, paid \(\d+ raw events\)$/);
    delete result.streamed_chat;
    assert.deepEqual(result, {
      handoff: 'Done: {"assistant": "Billing agent"}',
      tool_error: 'Done: Refund failed: refunds for INV-9 are locked',
      streamed_responses: 'Streamed answer',
      guardrail: 'tripped: no_secrets',
      mcp: 'Done: 5',
    });
    assert.ok(requests.some((r) => r.api === 'responses' && r.stream));
    assert.ok(requests.some((r) => r.api === 'chat' && r.stream));
  });

  it('receives the same spans through BackendSpanExporter as the JSONL backend reads', () => {
    assert.ok(spans.length >= 30, `only ${spans.length} spans`);
    const key = (s: Span): string => JSON.stringify([s.id, s.name, s.kind, s.status, s.usage, s.tool, s.output]);
    assert.deepEqual(fromFile.map(key).sort(), spans.map(key).sort());
    const forest = buildForest(spans);
    assert.deepEqual(forest.orphanIssues(), []);
    assert.equal(forest.roots().length, 6, 'one root per scenario trace');
  });

  it('decodes a streamed Chat Completions generation (a Response object) with reasoning and a tool call', () => {
    const t = trace(spans, 'streamed_chat');
    const gens = t.filter((s) => s.kind === 'llm').sort((a, b) => a.startTime - b.startTime);
    assert.equal(gens.length, 2);
    assert.equal(gens[0].name, 'reasoner-chat');
    assert.deepEqual(gens[0].system, [{ type: 'text', text: 'Think, then answer.' }]);
    const [reasoning, call] = gens[0].output![0].parts;
    assert.deepEqual(reasoning, { type: 'reasoning', text: 'Thinking about: What about INV-3?' });
    assert.deepEqual(call, { type: 'toolUse', id: 'call_0011', name: 'lookup_invoice', arguments: { invoice_id: 'INV-3' } });
    assert.ok(gens[1].output![0].parts.some((p) => p.type === 'text' && p.text === 'Done: Invoice INV-3: 42 EUR, paid'));
    assert.deepEqual(gens[1].input!.at(-1), { role: 'tool', parts: [{ type: 'toolResult', id: 'call_0011', parts: [{ type: 'text', text: 'Invoice INV-3: 42 EUR, paid' }] }] });
    const tool = one(t, (s) => s.kind === 'tool', 'tool span');
    assert.deepEqual(tool.tool, { name: 'lookup_invoice', arguments: { invoice_id: 'INV-3' }, result: 'Invoice INV-3: 42 EUR, paid' });
  });

  it('names task spans after their workflow and shows turn and response usage', () => {
    const t = trace(spans, 'streamed_responses');
    const task = one(t, (s) => s.name === 'Agent workflow', 'task span');
    assert.deepEqual(task.usage, { input: 6, output: 6, total: 12, cacheRead: 0, cacheWrite: 0 });
    assert.equal(task.attributes.data && (task.attributes.data as Record<string, unknown>).sdk_span_type, 'task');
    const turn = one(t, (s) => s.name === 'turn 1', 'turn span');
    assert.equal(turn.agent?.name, 'Reasoning agent');
    assert.deepEqual(turn.usage, { input: 6, output: 6, cacheRead: 0, cacheWrite: 0 });
    const response = one(t, (s) => s.name === 'response', 'response span');
    assert.equal(response.kind, 'llm');
    assert.deepEqual(response.usage, { input: 6, output: 6, total: 12, cacheRead: 0, cacheWrite: 0 });
    assert.deepEqual(response.attributes.usage, { requests: 1, output_tokens_details: { reasoning_tokens: 4 } });
  });

  it('shows a handoff, a tripped guardrail, a failing tool with its cause and an MCP tool listing', () => {
    const h = one(trace(spans, 'handoff'), (s) => s.kind === 'handoff', 'handoff');
    assert.equal(h.name, 'handoff Triage agent → Billing agent');

    const g = one(trace(spans, 'guardrail'), (s) => s.kind === 'guardrail', 'guardrail');
    assert.deepEqual(g.guardrails, [{ name: 'no_secrets', action: 'triggered', policies: [] }]);
    const turn = one(trace(spans, 'guardrail'), (s) => s.name === 'turn 1', 'turn');
    assert.equal(turn.status, 'error');
    assert.equal(turn.statusMessage, 'Guardrail tripwire triggered');

    const f = one(trace(spans, 'tool_error'), (s) => s.kind === 'tool', 'failed tool');
    assert.equal(f.status, 'error');
    assert.equal(f.tool?.error, 'refunds for INV-9 are locked');
    assert.deepEqual(f.tool?.arguments, { invoice_id: 'INV-9' });
    assert.equal(f.tool?.result, 'Refund failed: refunds for INV-9 are locked');

    const mcp = trace(spans, 'mcp');
    const listing = mcp.filter((s) => s.name === 'list tools (calc)');
    assert.equal(listing.length, 2, 'the SDK lists the MCP tools once per turn');
    assert.deepEqual(listing[0].tool, { name: 'list_tools', arguments: { server: 'calc' }, result: ['add'] });
    const add = one(mcp, (s) => s.name === 'add', 'MCP tool call');
    assert.deepEqual(add.tool?.arguments, { a: 2, b: 3 });
    assert.deepEqual(add.attributes.mcp_data, { server: 'calc' });
  });
});
