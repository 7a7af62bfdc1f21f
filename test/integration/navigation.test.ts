// Navigation inside a real VS Code, against the fixture workspace
// (test/fixtures/workspace, copied to a temp folder by the harness): Go to
// Prompt Source for each kind of reference, the quick pick on ambiguity, the
// read-only template from the Q Connect emulator, Find Session for every id
// format and a miss, Reveal in Tree, Copy and Export.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { main as cli } from '../../src/cli';
import type { FindSessionResult } from '../../src/navigation/findSession';
import type { GoToResult } from '../../src/navigation/goToSource';
import type { QConnectEmulator } from '../emulators/qconnect/emulator';
import { api, setBackends, waitFor } from './helpers';

const FIXTURE = { id: 'fixture-traces', type: 'file', label: 'Fixture traces', path: 'traces' };
const QC_SESSION = '3c7a1e9b-5d4f-4a26-b8e3-6c0f9d2a1b74'; // "Password reset" in the emulator fixture
const QC_INTENT_SPAN = '5f2a9c1e-7bed-0a71-8000-000000000000'; // IntentLabeling prompt e1b5…, defined nowhere in the workspace
const QC_INTENT_PROMPT = 'e1b5d8a3-9c4f-4a72-8d16-3b7e0f9a5c28';
const NAV_SESSION = 'nav-cases-0001'; // testdata/navigation-cases.json, read by the NAV_CASES backend
const NAV_CASES = { id: 'nav-cases', type: 'file', label: 'Navigation cases', path: 'testdata' };

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return folder.uri.fsPath;
}

/** 0-based line of the first line of a workspace file containing `needle`. */
function lineOf(rel: string, needle: string): number {
  const line = fs.readFileSync(path.join(root(), rel), 'utf8').split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `"${needle}" is in ${rel}`);
  return line;
}

function target(sessionId: string, spanKey?: string, backendId = FIXTURE.id) {
  return { backendId, sessionId, spanKey };
}

/** Runs a command that shows a quick pick and accepts its first (best) item once it is visible. */
async function acceptFirst<T>(running: Thenable<T>): Promise<T> {
  let done = false;
  const result = Promise.resolve(running).finally(() => {
    done = true;
  });
  const deadline = Date.now() + 20_000;
  while (!done && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

function editorAt(): { rel: string; line: number; selected: string; scheme: string } {
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor, 'an editor is active');
  return {
    rel: editor.document.uri.scheme === 'file' ? path.relative(root(), editor.document.uri.fsPath).split(path.sep).join('/') : editor.document.uri.path,
    line: editor.selection.active.line,
    selected: editor.document.getText(editor.selection),
    scheme: editor.document.uri.scheme,
  };
}

/**
 * The clipboard holds `text`. A browser-hosted workbench may refuse the page
 * clipboard reads (permission), in which case readText() is empty and only
 * the command's return value is checked.
 */
async function clipboardHolds(text: string): Promise<void> {
  const clip = await vscode.env.clipboard.readText();
  if (clip !== '') assert.equal(clip, text);
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

let savedBackends: unknown;

describe('navigation: Go to Prompt Source, Find Session, Reveal, Copy, Export (file backend)', () => {
  before(async () => {
    savedBackends = vscode.workspace.getConfiguration('spanInspector').inspect('backends')?.workspaceValue;
    const a = await api();
    await setBackends([FIXTURE]);
    await waitFor('fixture backend', () => (a.backends.list().some((b) => b.id === FIXTURE.id) ? true : undefined));
  });

  afterEach(closeEditors);

  after(async () => {
    await setBackends((savedBackends as unknown[] | undefined) ?? []);
  });

  const jumps: [string, string, string, string, string, string][] = [
    // what, session, span, file, text on the expected line, text inside the selection
    ['Q Connect prompt → CDK CfnAIPrompt', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7b6d-02d9-8000-000000000000', 'infra/lib/prompts-stack.ts', "name: 'QueryReformulationPrompt'", 'QueryReformulationPrompt'],
    ['Q Connect prompt → exact ARN', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7b7d-03cc-8000-000000000000', 'config/deployed-prompts.json', '"arn":', 'arn:aws:wisdom:us-east-1:111122223333:ai-prompt/6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13/d7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69'],
    ['Q Connect prompt → AWS::Wisdom::AIPrompt', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7bbd-0798-8000-000000000000', 'infra/template.yaml', 'Name: SelfServiceAnswerGeneration', 'SelfServiceAnswerGeneration'],
    ['Q Connect AI agent → AWS::Wisdom::AIAgent', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7b4d-00f3-8000-000000000000', 'infra/template.yaml', 'Name: SelfServiceOrchestrator', 'SelfServiceOrchestrator'],
    ['Q Connect prompt → file named after it', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7c6d-1209-8000-000000000000', 'prompts/EmailResponse.yaml', 'anthropic_version', ''],
    ['toolUse in messages → @function_tool', '7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07', '5f2a9c1e-7bad-06a5-8000-000000000000', 'agents/billing_tools.py', 'def get_order_charges(', 'get_order_charges'],
    ['OpenAI agent span → Agent(name=…)', 'group_5b1e9f0c2d7a4e63', 'span_a1b2c3d4e5f60718293a4b5c', 'agents/triage.py', 'name="Triage Agent"', 'Triage Agent'],
    ['OpenAI function span → @function_tool', 'group_5b1e9f0c2d7a4e63', 'span_b1b2c3d4e5f60718293a4b5c', 'agents/triage.py', 'def get_order_status(', 'get_order_status'],
    ['agent → TS new Agent({ name })', 'group_5b1e9f0c2d7a4e63', 'span_c1b2c3d4e5f60718293a4b5c', 'src/agents/billing.ts', "name: 'Billing Agent'", 'Billing Agent'],
    ['tool → TS tool({ name })', 'group_5b1e9f0c2d7a4e63', 'span_d1b2c3d4e5f60718293a4b5c', 'src/agents/billing.ts', "name: 'refund_order'", 'refund_order'],
    ['Agno {Name}.run → Agent(name=…)', 'c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f', 'b7ad6b7169203331', 'agents/research.py', 'name="Research Agent"', 'Research Agent'],
    ['Agno tool.name → def', 'c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f', 'd9cf8d9381425553', 'agents/research.py', 'def fetch_weather(', 'fetch_weather'],
    ['gen_ai.agent.name → TS new Agent', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 'src/agents/support.ts', "name: 'Support Agent'", 'Support Agent'],
  ];
  for (const [what, sessionId, spanId, file, lineText, selectedText] of jumps) {
    it(`Go to Prompt Source: ${what}`, async () => {
      const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', target(sessionId, spanId));
      assert.equal(r?.via, 'direct');
      const at = editorAt();
      assert.equal(at.rel, file);
      assert.equal(at.line, lineOf(file, lineText));
      assert.ok(at.selected.includes(selectedText), `selection "${at.selected}" holds "${selectedText}"`);
      const editor = vscode.window.activeTextEditor!;
      await waitFor('the match scrolled into view', () => (editor.visibleRanges.some((v) => v.start.line <= at.line && at.line <= v.end.line) ? true : undefined), 5_000);
    });
  }

  it('Go to Prompt Source from the palette uses the span shown in the active panel', async () => {
    const a = await api();
    const session = (await (await a.backends.get(FIXTURE.id)).getSession('group_5b1e9f0c2d7a4e63'))!;
    await a.panels.openSpan({ backendId: FIXTURE.id, session, spanKey: 'span_d1b2c3d4e5f60718293a4b5c' });
    await waitFor('active panel', () => (a.panels.activeTarget()?.spanKey === 'span_d1b2c3d4e5f60718293a4b5c' ? true : undefined));
    const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource');
    assert.equal(r?.via, 'direct');
    assert.deepEqual([editorAt().rel, editorAt().line], ['src/agents/billing.ts', lineOf('src/agents/billing.ts', "name: 'refund_order'")]);
  });

  it('Go to Prompt Source asks with a quick pick when two definitions match equally (best first)', async () => {
    const r = await acceptFirst(vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', target('4bf92f3577b34da6a3ce929d0e0e4736', '10f067aa0ba902b8')));
    assert.equal(r?.via, 'pick');
    assert.ok((r?.candidates ?? 0) >= 2, `${r?.candidates} candidates`);
    const at = editorAt();
    assert.equal(at.rel, 'agents/billing_tools.py');
    assert.equal(at.line, lineOf('agents/billing_tools.py', 'def lookup_customer('));
  });

  describe('Go to Prompt Source: partial names, mentions only, dependencies, code locations (testdata/navigation-cases.json)', () => {
    const navTarget = (spanKey: string) => target(NAV_SESSION, spanKey, NAV_CASES.id);
    before(async () => {
      const a = await api();
      await setBackends([FIXTURE, NAV_CASES]);
      await waitFor('navigation cases backend', () => (a.backends.list().some((b) => b.id === NAV_CASES.id) ? true : undefined));
    });
    after(async () => {
      const a = await api();
      await setBackends([FIXTURE]);
      await waitFor('navigation cases backend removed', () => (a.backends.list().some((b) => b.id === NAV_CASES.id) ? undefined : true));
    });

    const direct: [string, string, string, string, string][] = [
      // what, span, file, text on the expected line, text inside the selection
      ['OTel code.filepath (container path) → that line', 'nav-code-location', 'agents/research.py', 'def fetch_weather(', ''],
      ['SGP tool:<name> → def', 'nav-sgp-tool', 'agents/research.py', 'def fetch_weather(', 'fetch_weather'],
    ];
    for (const [what, spanId, file, lineText, selectedText] of direct) {
      it(`jumps directly: ${what}`, async () => {
        const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', navTarget(spanId));
        assert.equal(r?.via, 'direct');
        const at = editorAt();
        assert.deepEqual([at.rel, at.line], [file, lineOf(file, lineText)]);
        assert.ok(at.selected.includes(selectedText), `selection "${at.selected}" holds "${selectedText}"`);
      });
    }

    it('Go to Prompt Source offers a partial name only in a labelled quick pick, never jumping to it', async () => {
      const r = await acceptFirst(vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', navTarget('nav-partial-agent')));
      assert.equal(r?.via, 'pick');
      assert.match(r?.offered?.[0] ?? '', /^Partial name matches \(not the whole name\): partial match: Agent\(name=…\)$/);
      assert.deepEqual([editorAt().rel, editorAt().line], ['agents/triage.py', lineOf('agents/triage.py', 'name="Triage Agent"')]);
    });

    it('Go to Prompt Source says what was searched when only mentions exist, and opens nothing', async () => {
      const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', navTarget('nav-mentions-only'));
      assert.equal(r?.via, 'none');
      assert.match(r?.message ?? '', /^No definition of tool "quote_shipping" found in \d+ files matching spanInspector\.promptSources, without dependencies, build output, docs, test data, logs, trace files/);
      assert.match(r?.message ?? '', /1 mentions \(comments, docs, test data, logs\) are not definitions\./);
      assert.equal(vscode.window.activeTextEditor, undefined, 'no mention was opened as if it were the definition');
    });

    it('Go to Prompt Source says a library tool is defined in a dependency, with the user\'s import line', async () => {
      const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', navTarget('nav-dependency-tool'));
      assert.equal(r?.via, 'dependency');
      assert.equal(r?.dependency, 'agno');
      assert.equal(r?.message, 'tool "search_news" is defined in the dependency "agno", not in your workspace. Your import: from agno.tools.duckduckgo import DuckDuckGoTools');
      assert.equal(vscode.window.activeTextEditor, undefined, 'no file inside .venv was opened');
    });
  });

  it('Go to Prompt Source says so when a span names no prompt, agent or tool', async () => {
    const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', target('sgp-trace-20251001-0042', '5f2d0c3b-8e4a-4b96-c7f1-2a3e4d5c6b7a'));
    assert.equal(r?.via, 'none');
  });

  const lookups: [string, string, string][] = [
    // query, format, session id found
    ['group_5b1e9f0c2d7a4e63', 'OpenAI group id', 'group_5b1e9f0c2d7a4e63'],
    ['trace_8c2e4a6f0b1d3e5a7c9f1b3d5e7a9c0e', 'OpenAI trace id', 'trace_8c2e4a6f0b1d3e5a7c9f1b3d5e7a9c0e'],
    ['4bf92f3577b34da6a3ce929d0e0e4736', 'OTel trace id (32 hex)', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f', 'Agno session id (UUID)', 'c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f'],
    ['sgp-trace-20251001-0042', 'SGP trace id', 'sgp-trace-20251001-0042'],
    ['  Order status chat ', 'a session name', 'group_5b1e9f0c2d7a4e63'],
  ];
  for (const [query, format, sessionId] of lookups) {
    it(`Find Session: ${format} opens the session and reveals it in the tree`, async () => {
      const a = await api();
      const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', query);
      assert.equal(r?.found?.backendId, FIXTURE.id);
      assert.equal(r?.found?.session.id, sessionId);
      await waitFor('panel', () => (a.panels.activeTarget()?.session.id === sessionId ? true : undefined));
      await waitFor('tree selection', () => (a.treeView.selection[0]?.id === `b:${FIXTURE.id}/s:${sessionId}` ? true : undefined));
    });
  }

  it('Find Session reports a miss naming the backends asked', async () => {
    const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', 'trace_00000000000000000000000000000000');
    assert.equal(r?.found, undefined);
    assert.equal(r?.miss, 'No session with id "trace_00000000000000000000000000000000" in backends fixture-traces.');
  });

  it('Find Session offers recent sessions first', async () => {
    await vscode.commands.executeCommand('spanInspector.findSession', 'trace_8c2e4a6f0b1d3e5a7c9f1b3d5e7a9c0e');
    await closeEditors();
    const r = await acceptFirst(vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession'));
    assert.equal(r?.found?.session.id, 'trace_8c2e4a6f0b1d3e5a7c9f1b3d5e7a9c0e');
    assert.equal(r?.found?.backendId, FIXTURE.id);
  });

  it('Reveal in Tree selects the span, loading its session', async () => {
    const a = await api();
    await vscode.commands.executeCommand('spanInspector.revealInTree', target('group_5b1e9f0c2d7a4e63', 'span_d1b2c3d4e5f60718293a4b5c'));
    await waitFor('span selected', () =>
      a.treeView.selection[0]?.id === `b:${FIXTURE.id}/s:group_5b1e9f0c2d7a4e63/sp:span_d1b2c3d4e5f60718293a4b5c` ? true : undefined,
    );
    assert.ok(a.treeView.visible);
  });

  it('copies span and session ids and a known session ARN', async () => {
    const spanId = await vscode.commands.executeCommand<string>('spanInspector.copySpanId', target('group_5b1e9f0c2d7a4e63', 'span_d1b2c3d4e5f60718293a4b5c'));
    assert.equal(spanId, 'span_d1b2c3d4e5f60718293a4b5c');
    await clipboardHolds('span_d1b2c3d4e5f60718293a4b5c');
    assert.equal(await vscode.commands.executeCommand<string>('spanInspector.copySessionId', target('c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f')), 'c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f');
    await clipboardHolds('c0a80164-2b1e-4d7f-9e3a-5f6b7c8d9e0f');
    const arn = await vscode.commands.executeCommand<string>('spanInspector.copyArn', target('7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07'), 'session');
    assert.equal(arn, 'arn:aws:wisdom:us-east-1:111122223333:session/6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13/7a3d9e2b-4c1f-4b8a-9d6e-2f5c8b1a4e07');
    await clipboardHolds(arn!);
  });

  it('exports a session exactly as the CLI does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nav-export-'));
    try {
      const out = vscode.Uri.file(path.join(dir, 'from-extension.json'));
      const written = await vscode.commands.executeCommand<vscode.Uri>('spanInspector.exportSession', target('group_5b1e9f0c2d7a4e63'), { uri: out });
      assert.equal(written?.fsPath, out.fsPath);
      const config = path.join(dir, 'settings.json');
      fs.writeFileSync(config, JSON.stringify({ 'spanInspector.backends': [{ ...FIXTURE, path: path.join(root(), 'traces') }] }));
      const cliOut = path.join(dir, 'from-cli.json');
      const errors: string[] = [];
      const code = await cli(['export', '--config', config, '--backend', FIXTURE.id, '--session', 'group_5b1e9f0c2d7a4e63', '--out', cliOut], {
        stdout: () => undefined,
        stderr: (t) => errors.push(t),
        env: process.env,
      });
      assert.equal(code, 0, errors.join(''));
      const ours = fs.readFileSync(out.fsPath, 'utf8');
      assert.equal(ours, fs.readFileSync(cliOut, 'utf8'));
      const doc = JSON.parse(ours) as { session: { spanCount: number }; spans: { startTime: number }[] };
      assert.equal(doc.session.spanCount, 4);
      assert.deepEqual(doc.spans.map((s) => s.startTime), [...doc.spans.map((s) => s.startTime)].sort((x, y) => x - y));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('navigation: Q Connect (emulator)', () => {
  let emulator: QConnectEmulator;
  let promptText: string;
  const env: Record<string, string | undefined> = {};
  const QC_ID = 'qconnect-emulator';

  before(async function () {
    this.timeout(60_000);
    let mod: typeof import('../emulators/qconnect/emulator');
    try {
      mod = await import('../emulators/qconnect/emulator');
    } catch (err) {
      throw new Error(`The Q Connect emulator could not be loaded inside the bundled suite (does it find its fixture file from out/integration?): ${(err as Error).message}`);
    }
    emulator = await mod.startQConnectEmulator();
    promptText = mod.loadFixture().prompts.find((p) => p.aiPromptId === QC_INTENT_PROMPT)!.versions[0].text;
    // The backend's SDK client uses the default credential chain: environment first.
    for (const [k, v] of Object.entries({
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
    })) {
      env[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    savedBackends = vscode.workspace.getConfiguration('spanInspector').inspect('backends')?.workspaceValue;
    const a = await api();
    await setBackends([FIXTURE, { id: QC_ID, type: 'qconnect', label: 'Q Connect (emulator)', region: emulator.region, assistantId: emulator.assistantId, endpoint: emulator.url }]);
    await waitFor('qconnect backend', () => (a.backends.list().some((b) => b.id === QC_ID) ? true : undefined));
  });

  afterEach(closeEditors);

  after(async () => {
    await setBackends((savedBackends as unknown[] | undefined) ?? []);
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await emulator?.close();
  });

  it('opens a prompt the workspace lacks as a read-only YAML document fetched with GetAIPrompt, and saves it', async () => {
    const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', target(QC_SESSION, QC_INTENT_SPAN, QC_ID));
    assert.equal(r?.via, 'template');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.scheme, 'span-inspector-prompt');
    assert.equal(doc.languageId, 'yaml');
    assert.equal(doc.getText(), promptText);
    assert.ok(emulator.requests.some((q) => q.op === 'GetAIPrompt' && q.status === 200), 'GetAIPrompt was called');

    const saved = vscode.Uri.file(path.join(root(), 'prompts', 'saved', 'IntentLabeling.yaml'));
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri>('spanInspector.savePromptTemplate', doc.uri, saved);
      assert.equal(written?.fsPath, saved.fsPath);
      assert.equal(fs.readFileSync(saved.fsPath, 'utf8'), promptText);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, saved.fsPath, 'the saved file is opened');
    } finally {
      fs.rmSync(path.dirname(saved.fsPath), { recursive: true, force: true });
    }
  });

  it('still jumps to local sources for Q Connect spans that have them', async () => {
    const r = await vscode.commands.executeCommand<GoToResult>('spanInspector.goToPromptSource', target('0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05', '5f2a9c1e-7bbd-0798-8000-000000000000', QC_ID));
    assert.equal(r?.via, 'direct');
    assert.deepEqual([editorAt().rel, editorAt().line], ['infra/template.yaml', lineOf('infra/template.yaml', 'Name: SelfServiceAnswerGeneration')]);
  });

  it('Find Session: a Q Connect session id (UUID) goes to the qconnect backend', async () => {
    const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', QC_SESSION);
    assert.equal(r?.found?.backendId, QC_ID);
    assert.equal(r?.found?.session.id, QC_SESSION);
    const a = await api();
    await waitFor('tree selection', () => (a.treeView.selection[0]?.id === `b:${QC_ID}/s:${QC_SESSION}` ? true : undefined));
  });

  it('Find Session: a Q Connect session ARN resolves on the backend of that region and assistant', async () => {
    const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', emulator.sessionArn('0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05'));
    assert.equal(r?.found?.backendId, QC_ID);
    assert.equal(r?.found?.session.id, '0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05');
  });

  it('Find Session: an ARN of another region says no backend can hold it', async () => {
    const arn = emulator.sessionArn('0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05').replace(`:${emulator.region}:`, ':eu-west-1:');
    const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', arn);
    assert.equal(r?.found, undefined);
    assert.equal(r?.miss, `No session with id "${arn}" in backends fixture-traces. No Amazon Q Connect backend is configured for assistant ${emulator.assistantId} in region eu-west-1.`);
  });

  it('Find Session: a miss lists every backend asked', async () => {
    const r = await vscode.commands.executeCommand<FindSessionResult>('spanInspector.findSession', 'trace_00000000000000000000000000000000');
    assert.equal(r?.miss, `No session with id "trace_00000000000000000000000000000000" in backends fixture-traces, ${QC_ID}.`);
  });

  it('copies the prompt ARN and the session ARN of a Q Connect span', async () => {
    const t = target(QC_SESSION, QC_INTENT_SPAN, QC_ID);
    assert.equal(await vscode.commands.executeCommand<string>('spanInspector.copyArn', t, 'prompt'), emulator.promptArn(QC_INTENT_PROMPT));
    assert.equal(await vscode.commands.executeCommand<string>('spanInspector.copyArn', t, 'session'), emulator.sessionArn(QC_SESSION));
  });
});
