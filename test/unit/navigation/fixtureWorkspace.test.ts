// The fixture workspace (test/fixtures/workspace) through the same pure code
// the extension runs after findFiles: every span reference of the fixture
// traces must land where the integration suite expects it. Catches a fixture
// or ranking change without starting VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileBackend } from '../../../src/backends/file/backend';
import { loadAllSpans } from '../../../src/backends/types';
import type { Span } from '../../../src/model/types';
import { findDefinitions } from '../../../src/navigation/definitions';
import { gitignoreGlobs, globToRegExp, isExcluded } from '../../../src/navigation/places';
import { refsOf } from '../../../src/navigation/refs';
import type { SourceFile } from '../../../src/navigation/scan';

const ROOT = path.resolve(__dirname, '../../fixtures/workspace');

/** Test-only listing (the extension uses workspace.findFiles); trace data is excluded as the extension does, .gitignore in locate(). */
function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== path.join(ROOT, 'traces') && p !== path.join(ROOT, 'testdata')) listFiles(p, out);
    } else if (/\.(yaml|yml|json|py|ts|tsx|js|mjs|md|prompt)$/.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

/** The spans of `traces/` and of `testdata/` (the navigation cases, a backend of their own in the integration suite). */
async function spans(): Promise<Map<string, Span>> {
  const out = new Map<string, Span>();
  for (const dir of ['traces', 'testdata']) {
    const backend = createFileBackend({ id: `fixture-${dir}`, type: 'file', path: dir }, { log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} }, getSecret: async () => undefined, resolvePath: (p) => path.join(ROOT, p) });
    for (const s of (await backend.listSessions({})).sessions) {
      for (const span of await loadAllSpans(backend, s.id)) out.set(span.id, span);
    }
  }
  return out;
}

/** 0-based line of the first line containing `needle`. */
function lineOf(rel: string, needle: string): number {
  const line = fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} in ${rel}`);
  return line;
}

async function locate(span: Span, templateAvailable = false) {
  const refs = refsOf(span);
  const all: SourceFile[] = listFiles(ROOT).map((f) => ({ key: f, name: f, rel: path.relative(ROOT, f), path: f }));
  // As the extension lists them: no .gitignore'd files; vendored files only for "defined in a dependency".
  const ignored = gitignoreGlobs(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).map(globToRegExp);
  const files = all.filter((f) => !isExcluded(f.rel!, ignored));
  const dependencies = all.filter((f) => f.rel!.startsWith('.venv/'));
  const { candidates, decision } = await findDefinitions(refs, files, { templateAvailable, dependencies: async () => dependencies });
  return { ranked: candidates, decision };
}

describe('navigation: the fixture workspace', () => {
  let all: Map<string, Span>;
  before(async () => {
    all = await spans();
  });

  const direct: [string, string, string, string][] = [
    // span id, what, file, text on the expected line
    ['5f2a9c1e-7b6d-02d9-8000-000000000000', 'CDK CfnAIPrompt by name', 'infra/lib/prompts-stack.ts', "name: 'QueryReformulationPrompt'"],
    ['5f2a9c1e-7b7d-03cc-8000-000000000000', 'exact prompt ARN', 'config/deployed-prompts.json', '"arn": "arn:aws:wisdom:us-east-1:111122223333:ai-prompt/'],
    ['5f2a9c1e-7bbd-0798-8000-000000000000', 'CloudFormation AIPrompt by name', 'infra/template.yaml', 'Name: SelfServiceAnswerGeneration'],
    ['5f2a9c1e-7b4d-00f3-8000-000000000000', 'CloudFormation AIAgent by name', 'infra/template.yaml', 'Name: SelfServiceOrchestrator'],
    ['5f2a9c1e-7c6d-1209-8000-000000000000', 'prompt file named after the prompt', 'prompts/EmailResponse.yaml', 'anthropic_version'],
    ['5f2a9c1e-7bad-06a5-8000-000000000000', 'toolUse part in messages → @function_tool (beats a YAML tools entry)', 'agents/billing_tools.py', 'def get_order_charges('],
    ['span_a1b2c3d4e5f60718293a4b5c', 'OpenAI agent → Python Agent(name=…)', 'agents/triage.py', 'name="Triage Agent"'],
    ['span_b1b2c3d4e5f60718293a4b5c', 'OpenAI function → @function_tool', 'agents/triage.py', 'def get_order_status('],
    ['span_c1b2c3d4e5f60718293a4b5c', 'agent → TS new Agent({ name })', 'src/agents/billing.ts', "name: 'Billing Agent'"],
    ['span_d1b2c3d4e5f60718293a4b5c', 'tool → TS tool({ name })', 'src/agents/billing.ts', "name: 'refund_order'"],
    ['b7ad6b7169203331', 'Agno {Name}.run → Agent(name=…)', 'agents/research.py', 'name="Research Agent"'],
    ['d9cf8d9381425553', 'Agno tool.name → def', 'agents/research.py', 'def fetch_weather('],
    ['00f067aa0ba902b7', 'gen_ai.agent.name → TS new Agent', 'src/agents/support.ts', "name: 'Support Agent'"],
    ['nav-code-location', 'OTel code.filepath from a container path', 'agents/research.py', 'def fetch_weather('],
    ['nav-sgp-tool', 'SGP tool:<name>', 'agents/research.py', 'def fetch_weather('],
  ];
  for (const [spanId, what, file, text] of direct) {
    it(`jumps directly: ${what}`, async () => {
      const span = all.get(spanId);
      assert.ok(span, spanId);
      const { decision } = await locate(span);
      assert.equal(decision.action, 'open');
      if (decision.action !== 'open') return;
      assert.equal(path.relative(ROOT, decision.candidate.file), file);
      assert.equal(decision.candidate.line, lineOf(file, text));
    });
  }

  it('asks when two definitions are equally good (lookup_customer in Python and TypeScript), Python first', async () => {
    const { ranked, decision } = await locate(all.get('10f067aa0ba902b8')!);
    assert.equal(decision.action, 'pick');
    assert.deepEqual(
      ranked.filter((c) => c.tier === 'definition').map((c) => `${path.relative(ROOT, c.file)}:${c.line}`),
      [`agents/billing_tools.py:${lineOf('agents/billing_tools.py', 'def lookup_customer(')}`, `src/agents/support.ts:${lineOf('src/agents/support.ts', "name: 'lookup_customer'")}`],
    );
  });

  it('has no source for the Q Connect emulator prompt the template fallback test uses', async () => {
    const span: Span = { id: 'x', sessionId: 's', name: 'IntentLabeling', kind: 'llm', status: 'ok', startTime: 0, attributes: {}, prompt: { id: 'e1b5d8a3-9c4f-4a72-8d16-3b7e0f9a5c28', name: 'IntentLabeling', version: 1 } };
    const { ranked, decision } = await locate(span, true);
    assert.deepEqual(ranked, []);
    assert.equal(decision.action, 'template');
  });

  it('offers "Triage Agent" as a labelled partial match for the agent "Triage", never jumping', async () => {
    const { ranked, decision } = await locate(all.get('nav-partial-agent')!);
    assert.equal(decision.action, 'pick');
    assert.equal(path.relative(ROOT, ranked[0].file), 'agents/triage.py');
    assert.equal(ranked[0].line, lineOf('agents/triage.py', 'name="Triage Agent"'));
    assert.equal(ranked[0].match, 'partial');
  });

  it('says not found for a tool only mentioned in docs', async () => {
    assert.equal((await locate(all.get('nav-mentions-only')!)).decision.action, 'none');
  });

  it('says "defined in a dependency" for the Agno toolkit method, with the import line', async () => {
    const { decision } = await locate(all.get('nav-dependency-tool')!);
    assert.equal(decision.action, 'dependency');
    if (decision.action !== 'dependency') return;
    assert.equal(decision.dependency.package, 'agno');
    assert.equal(path.relative(ROOT, decision.dependency.importLine!.file), 'agents/news.py');
    assert.equal(decision.dependency.importLine!.line, lineOf('agents/news.py', 'from agno.tools.duckduckgo import DuckDuckGoTools'));
  });

  it('names nothing to look up for a span without references', async () => {
    assert.deepEqual(refsOf(all.get('5f2d0c3b-8e4a-4b96-c7f1-2a3e4d5c6b7a')!), []);
  });
});
