// findDefinitions, cause by cause (issue 15): whole names, generic
// definitions, places that are not the source, vendored and generated
// copies, naming styles, backend conventions, OTel code locations,
// mentions-only and ranking. Files are in memory (the same reader path the
// extension uses for non-`file:` workspaces).
import * as assert from 'node:assert/strict';
import { definitionsIn, findDefinitions, type FindOptions } from '../../../src/navigation/definitions';
import { SYMBOL_LABEL, type Candidate } from '../../../src/navigation/patterns';
import { refsOf, type SourceRef } from '../../../src/navigation/refs';
import type { SourceFile } from '../../../src/navigation/scan';
import type { Span } from '../../../src/model/types';
import { span as makeSpan } from '../../support/spans';

function mem(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([rel, text]) => ({ key: rel, name: `/w/${rel}`, rel, read: async () => Buffer.from(text, 'utf8') }));
}

/** 1-based line of the first line containing `needle`. */
function lineIn(text: string, needle: string): number {
  const n = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(n >= 0, needle);
  return n + 1;
}

async function answer(refs: SourceRef[], files: Record<string, string>, options: FindOptions = {}) {
  return findDefinitions(refs, mem(files), options);
}

/** `open file:line` / `pick file:line` (first item) / `dependency pkg` / `none`. */
async function first(refs: SourceRef[], files: Record<string, string>, options: FindOptions = {}): Promise<string> {
  const { decision, candidates } = await answer(refs, files, options);
  const at = (c: Candidate | undefined) => (c ? `${c.file}:${c.line + 1}` : '-');
  if (decision.action === 'open') return `open ${at(decision.candidate)}`;
  if (decision.action === 'pick') return `pick ${at(candidates[0])}`;
  if (decision.action === 'dependency') return `dependency ${decision.dependency.package}${decision.dependency.importLine ? ` ${at(decision.dependency.importLine)}` : ''}`;
  return decision.action;
}

const agent = (name: string): SourceRef[] => [{ kind: 'agent', name }];
const tool = (name: string): SourceRef[] => [{ kind: 'tool', name }];

const TRIAGE_PY = ['from agents import Agent', '', 'triage_agent = Agent[SupportContext](', '    name="Triage Agent",', '    instructions="Route.",', ')'].join('\n');

describe('findDefinitions: a prefix is not the whole name', () => {
  it('jumps to the whole name, and only offers a longer name as a labelled partial match', async () => {
    assert.equal(await first(agent('Triage Agent'), { 'agents.py': TRIAGE_PY }), 'open agents.py:4');
    const { decision, candidates } = await answer(agent('Triage'), { 'agents.py': TRIAGE_PY });
    assert.equal(decision.action, 'pick');
    assert.equal(candidates[0].match, 'partial');
    assert.match(candidates[0].label, /^partial match: Agent\(name=…\)/);
  });

  it('does not take a longer identifier or a v2 helper for the tool', async () => {
    const text = 'def get_order_status_v2(order_id):\n    pass\n';
    assert.equal(await first(tool('get_order_status_v3'), { 'tools.py': text }), 'none');
    const { decision } = await answer(tool('get_order_status'), { 'tools.py': text });
    assert.equal(decision.action, 'pick', 'a partial match is never jumped to');
  });
});

describe('findDefinitions: definitions written generically', () => {
  const cases: [string, SourceRef[], string, string, string][] = [
    ['Agent[Ctx](name=…) over lines', agent('Triage Agent'), 'a.py', TRIAGE_PY, 'name="Triage Agent"'],
    ['new Agent<Ctx>({ name })', agent('Billing Agent'), 'a.ts', "export const a = new Agent<Ctx>({\n  name: 'Billing Agent',\n  tools: [],\n});", "name: 'Billing Agent'"],
    ['Agent.create({ name })', agent('Voice'), 'a.ts', "export const a = Agent.create({\n  name: 'Voice',\n});", "name: 'Voice'"],
    ['@function_tool(name_override=…)', tool('fetch_invoice'), 't.py', '@function_tool(\n    name_override="fetch_invoice",\n)\ndef invoice_link(order_id: str) -> str:\n    return ""', 'name_override="fetch_invoice"'],
    ['as_tool(tool_name=…)', tool('translate'), 'a.py', 'x = Agent(\n  tools=[spanish.as_tool(\n    tool_name="translate",\n    tool_description="…",\n  )],\n)', 'tool_name="translate"'],
    ['Agno Toolkit method', tool('get_eta'), 'k.py', 'class OrderTools(Toolkit):\n    def __init__(self):\n        super().__init__(name="orders", tools=[self.get_eta])\n\n    def get_eta(self, order_id: str) -> str:\n        return ""', 'def get_eta(self'],
    ['Agno @tool(name=…)', tool('currency_convert'), 'k.py', '@tool(name="currency_convert", show_result=True)\ndef convert(amount: float) -> str:\n    return ""', '@tool(name="currency_convert"'],
    ['LangGraph create_react_agent(name=…)', agent('billing_expert'), 'g.py', 'billing_expert = create_react_agent(\n    model,\n    tools=[a, b],\n    name="billing_expert",\n)\nbuilder.add_node("billing_expert", billing_expert)', 'name="billing_expert"'],
    [
      'LangChain JS tool(fn, { name }) after a long body',
      tool('search_kb'),
      't.ts',
      ['export const searchKb = tool(', '  async ({ q }) => {', ...Array.from({ length: 40 }, (_, i) => `    const step${i} = await run(q, { depth: ${i} });`), '    return `${q}`;', '  },', '  {', "    name: 'search_kb',", "    description: 'Search.',", '  },', ');'].join('\n'),
      "name: 'search_kb'",
    ],
    ['MCP server.registerTool(\\n name, …)', tool('lookup_customer'), 's.ts', "server.registerTool(\n  'lookup_customer',\n  { description: 'Find' },\n  async () => ({ content: [] }),\n);", "'lookup_customer',"],
    ['FastMCP @mcp.tool(name=…)', tool('send_sms'), 's.py', '@mcp.tool(name="send_sms", description="Text")\ndef send_code(phone: str) -> str:\n    return ""', '@mcp.tool(name="send_sms"'],
    ['StructuredTool.from_function(name=…)', tool('page'), 'e.py', 'page = StructuredTool.from_function(\n    func=_page,\n    name="page",\n)', 'name="page"'],
    ['a name constant used by the construct', agent('Escalation Desk'), 'e.py', 'DESK_NAME = "Escalation Desk"\n\nagent = Agent(\n    name=DESK_NAME,\n)', 'name=DESK_NAME'],
    ['CDK CfnAIPrompt', [{ kind: 'prompt', name: 'Reformulation' }], 'stack.ts', "new wisdom.CfnAIPrompt(this, 'R', {\n  assistantId: id,\n  name: 'Reformulation',\n});", "name: 'Reformulation'"],
  ];
  for (const [what, refs, file, text, line] of cases) {
    it(`jumps directly: ${what}`, async () => {
      // A distractor: the same name mentioned in a runbook.
      assert.equal(await first(refs, { [file]: text, 'docs/runbook.md': `See ${refs[0].name} in the code.` }), `open ${file}:${lineIn(text, line)}`);
    });
  }

  it('beats a copy of the definition that is not the source', async () => {
    const files = { 'support/agents.py': TRIAGE_PY, '.venv/lib/python3.12/site-packages/agents/example.py': 'triage = Agent(name="Triage Agent")', 'build/lib/support/agents.py': TRIAGE_PY };
    assert.equal(await first(agent('Triage Agent'), files), 'open support/agents.py:4');
  });
});

describe('findDefinitions: places that are not the source', () => {
  const mentions = {
    'docs/runbooks/refunds.md': '```python\nAgent(name="Supervisor")\n```\n',
    'tests/fixtures/recorded/session.json': '{"span_data": {"type": "agent", "name": "Supervisor"}}',
    'tests/testdata/calls.yaml': '- agent:\n    name: Supervisor\n',
    'deploy/helm/support/values.yaml': 'agents:\n  - name: Supervisor\n',
    'logs/agents.log': 'agent=Supervisor name=Supervisor\n',
    'src/handoffs.py': '# TODO: a Supervisor agent\n',
    'README.md': 'The `Supervisor` agent is planned.\n',
  };

  it('are mentions at most: only mentions means not found', async () => {
    const { decision, candidates } = await answer(agent('Supervisor'), mentions);
    assert.equal(decision.action, 'none');
    assert.deepEqual(candidates, [], 'no quick pick of mentions as if they were definitions');
  });

  it('never outrank the source, which is jumped to', async () => {
    assert.equal(await first(agent('Supervisor'), { ...mentions, 'src/supervisor.py': 'supervisor = Agent(\n    name="Supervisor",\n)' }), 'open src/supervisor.py:2');
  });

  it('rank tests after the source and never jump to a test double', async () => {
    const conftest = 'def open_incident(severity, summary):\n    return "INC"\n';
    assert.equal(await first(tool('open_incident'), { 'tests/conftest.py': conftest }), 'pick tests/conftest.py:1');
    assert.equal(await first(tool('open_incident'), { 'tests/conftest.py': conftest, 'desk/agent.py': '@function_tool\ndef open_incident(severity: int) -> str:\n    return ""' }), 'open desk/agent.py:2');
  });
});

describe('findDefinitions: vendored and generated copies', () => {
  const CDK = "new CfnAIPrompt(this, 'Q', {\n  name: 'QueryReformulation',\n});";
  const CDK_OUT = '{"Resources": {"Q": {"Type": "AWS::Wisdom::AIPrompt", "Properties": {\n"Name": "QueryReformulation"}},\n "L": {"Type": "AWS::Wisdom::AIPrompt", "Properties": {\n"Name": "LegacyIntent"}}}}';
  const prompt = (name: string): SourceRef[] => [{ kind: 'prompt', name }];

  it('drops cdk.out when the CDK source has the name, offers it (never jumps) when it alone has it', async () => {
    const files = { 'infra/lib/stack.ts': CDK, 'infra/cdk.out/Stack.template.json': CDK_OUT };
    const { decision, candidates } = await answer(prompt('QueryReformulation'), files);
    assert.equal(decision.action, 'open');
    assert.ok(!candidates.some((c) => c.file.includes('cdk.out')));
    const legacy = await answer(prompt('LegacyIntent'), files);
    assert.equal(legacy.decision.action, 'pick');
    assert.equal(legacy.candidates[0].place, 'generated');
  });

  it('answers "defined in a dependency" with the user\'s import line, not a file inside .venv', async () => {
    const files = { 'app/agents.py': 'from agno.agent import Agent\nfrom agno.tools.duckduckgo import DuckDuckGoTools\n\nagent = Agent(tools=[DuckDuckGoTools()])\n' };
    const deps = mem({
      '.venv/lib/python3.12/site-packages/agno/tools/websearch.py': 'class WebSearchTools(Toolkit):\n    def search_news(self, query: str) -> str:\n        return ""\n',
    });
    const { decision } = await answer(tool('search_news'), files, { dependencies: async () => deps });
    assert.equal(decision.action, 'dependency');
    if (decision.action !== 'dependency') return;
    assert.equal(decision.dependency.package, 'agno');
    assert.equal(decision.dependency.importLine?.file, 'app/agents.py');
    assert.equal(decision.dependency.importLine?.line, 1, 'the import closest to the module (agno.tools.…)');
    assert.equal(decision.dependency.candidate?.place, 'dependency');
  });

  it('finds a node_modules tool class and the scoped package import', async () => {
    const files = { 'src/tools.ts': "import { z } from 'zod';\nimport { WikipediaQueryRun } from '@langchain/community/tools/wikipedia_query_run';\n" };
    const deps = mem({ 'node_modules/@langchain/community/dist/tools/wikipedia_query_run.js': 'export class WikipediaQueryRun extends Tool {\n  constructor() {\n    super();\n    this.name = "wikipedia-api";\n  }\n}\n' });
    assert.equal(await first(tool('wikipedia-api'), files, { dependencies: async () => deps }), 'dependency @langchain/community src/tools.ts:2');
  });

  it('does not ask the dependencies when the source defines the tool', async () => {
    let asked = false;
    await answer(tool('search_news'), { 'a.py': '@tool\ndef search_news(q):\n    pass\n' }, { dependencies: async () => ((asked = true), []) });
    assert.equal(asked, false);
  });
});

describe('findDefinitions: naming styles', () => {
  const files = {
    'web/billing.ts': "export const getOrderCharges = tool({\n  name: 'getOrderCharges',\n  execute,\n});",
    'svc/tools.py': '@function_tool\ndef get_order_charges(order_id: str) -> list:\n    return []',
    'infra/assistant.yaml': 'Resources:\n  A:\n    Type: AWS::Wisdom::AIAgent\n    Properties:\n      Configuration:\n        ToolConfigurations:\n          - ToolName: GetOrderCharges\n',
  };

  it('bridges GetOrderCharges / getOrderCharges / get_order_charges, the span\'s own spelling first', async () => {
    assert.equal(await first(tool('GetOrderCharges'), files), 'open infra/assistant.yaml:7');
    assert.equal(await first(tool('getOrderCharges'), files), 'open web/billing.ts:2');
    assert.equal(await first(tool('get_order_charges'), files), 'open svc/tools.py:2');
    const { candidates } = await answer(tool('get_order_charges'), files);
    assert.deepEqual(candidates.filter((c) => c.tier === 'definition').map((c) => c.file).sort(), ['infra/assistant.yaml', 'svc/tools.py', 'web/billing.ts']);
  });

  it('finds prompts/post-contact-summary.yaml for PostContactSummary', async () => {
    assert.equal(await first([{ kind: 'prompt', name: 'PostContactSummary' }], { 'prompts/post-contact-summary.yaml': 'system: Summarize the contact.\n' }), 'open prompts/post-contact-summary.yaml:1');
  });

  it('reads Agno span names (Research_Agent.run) as the agent "Research Agent"', async () => {
    const span: Span = { id: 's', sessionId: 'x', name: 'Research_Agent.run', kind: 'agent', status: 'ok', startTime: 0, attributes: {} };
    assert.equal(await first(refsOf(span), { 'app/agents.py': 'research_agent = Agent(\n    name="Research Agent",\n)' }), 'open app/agents.py:2');
  });
});

describe('findDefinitions: backend conventions', () => {
  const span = (over: Partial<Span>): Span => makeSpan({ id: 's', sessionId: 'x', name: 'span', kind: 'tool', ...over });
  const TOOLS = '@function_tool\ndef reship_order(order_id: str) -> str:\n    return ""\n';
  const conventions: [string, Span][] = [
    ['SGP / Agentex tool:<name>', span({ name: 'tool:reship_order', tool: { name: 'tool:reship_order' } })],
    ['Q Connect Tool.<Name>', span({ name: 'Tool.ReshipOrder', tool: { name: 'Tool.ReshipOrder' } })],
    ['OpenAI function span', span({ name: 'reship_order', tool: { name: 'reship_order' } })],
    ['OTel gen_ai.tool.name', span({ name: 'execute_tool reship_order', attributes: { 'gen_ai.tool.name': 'reship_order' } })],
    ['GenAI span name only', span({ name: 'execute_tool reship_order' })],
    ['OpenInference tool.name', span({ name: 'reship_order', kind: 'custom', attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'reship_order' } })],
  ];
  for (const [what, s] of conventions) {
    it(`reads the tool of ${what}`, async () => {
      assert.equal(await first(refsOf(s), { 'fulfil/tools.py': TOOLS }), 'open fulfil/tools.py:2');
    });
  }
});

describe('findDefinitions: OTel code.filepath / code.lineno / code.function.name', () => {
  const files = { 'services/support/tools.py': '\n\ndef cancel_order():\n    pass\n', 'build/lib/support/tools.py': 'def cancel_order():\n    pass\n' };
  const span = (attributes: Record<string, unknown>): Span => makeSpan({ id: 's', sessionId: 'x', name: 'cancel_order', kind: 'tool', attributes });

  it('jumps exactly there, also from a container path (/app/…)', async () => {
    assert.equal(await first(refsOf(span({ 'code.filepath': '/app/services/support/tools.py', 'code.lineno': 3, 'code.function.name': 'cancel_order' })), files), 'open services/support/tools.py:3');
    assert.equal(await first(refsOf(span({ 'code.filepath': 'services/support/tools.py', 'code.lineno': 4 })), files), 'open services/support/tools.py:4');
  });

  it('says "dependency" for code inside site-packages, and falls back to the function name for a file not in the workspace', async () => {
    assert.equal(await first(refsOf(span({ 'code.filepath': '/usr/lib/python3.12/site-packages/agno/agent/agent.py', 'code.lineno': 812 })), files), 'dependency agno');
    assert.equal(await first(refsOf(span({ 'code.filepath': '/srv/elsewhere/handler.py', 'code.lineno': 9, 'code.function.name': 'cancel_order' })), files), 'open services/support/tools.py:3');
  });
});

describe('findDefinitions: ranking', () => {
  it('puts the span\'s primary reference before its secondary ones', async () => {
    const s: Span = {
      id: 's', sessionId: 'x', name: 'Triage Agent', kind: 'agent', status: 'ok', startTime: 0, attributes: {}, agent: { name: 'Triage Agent' },
      output: [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'c', name: 'get_order_status', arguments: {} }] }],
    };
    const files = { 'a/tools.py': '@function_tool\ndef get_order_status(order_id: str) -> str:\n    return ""', 'a/agents.py': TRIAGE_PY };
    assert.equal(await first(refsOf(s), files), 'open a/agents.py:4');
    // Only the secondary reference is defined: offered, never jumped to.
    assert.equal(await first(refsOf({ ...s, agent: { name: 'Nobody' }, name: 'Nobody' }), files), 'pick a/tools.py:2');
  });

  it('asks between equal definitions, unless the language\'s symbol provider confirms exactly one', async () => {
    const files = { 'a/tools.py': '@function_tool\ndef lookup(q: str) -> str:\n    return ""', 'b/tools.py': '@function_tool\ndef lookup(q: str) -> str:\n    return ""' };
    assert.equal((await answer(tool('lookup'), files)).decision.action, 'pick');
    const symbol: Candidate = { file: 'b/tools.py', line: 0, column: 0, length: 0, tier: 'definition', score: 1, label: SYMBOL_LABEL, preview: 'Function lookup', ref: 0, place: 'source' };
    assert.equal(await first(tool('lookup'), files, { symbols: [symbol] }), 'open b/tools.py:2');
  });
});

describe('definitionsIn: one document', () => {
  it('lists the whole-name definitions of the refs in a file, best first, nothing in docs', () => {
    const text = ['# Triage Agent notes', TRIAGE_PY, '', '@function_tool', 'def get_order_status(order_id: str) -> str:', '    return ""', 'print("Triage")'].join('\n');
    const refs: SourceRef[] = [{ kind: 'agent', name: 'Triage Agent' }, { kind: 'tool', name: 'get_order_status' }, { kind: 'agent', name: 'Triage' }];
    assert.deepEqual(
      definitionsIn(text, 'a/agents.py', refs).map((c) => `${c.line + 1}:${c.ref}:${c.label}`),
      [`${lineIn(text, 'name="Triage Agent"')}:0:Agent(name=…)`, `${lineIn(text, 'def get_order_status')}:1:@function_tool def`],
    );
    assert.deepEqual(definitionsIn(text, 'docs/agents.md', refs), []);
  });
});
