// The editor features in a real workbench (code-server): the diff editor on
// two runs of the same real Agno agent with a changed prompt
// (test/python/agno_prompt_change.py, read by the agno backend from SQLite), CodeLens / hover / Problems with their code actions on the
// fixture workspace's definitions, a trace file opened in the custom editor,
// Copy as Markdown with .env secrets masked, and the language-model tool.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareResult } from '../../src/compare/commands';
import { COMPARE_SCHEME } from '../../src/compare/documents';
import { RECORDED_SCHEME } from '../../src/codeStats/register';
import type { Session, Span } from '../../src/model/types';
import { PROMPT_CHANGE, PROMPT_V1, PROMPT_V2 } from '../fixtures/agno';
import { runPython } from '../support/python';
import { api, extensionPath, setBackends, waitFor } from './helpers';

const AGNO = { id: 'editor-agno', type: 'agno', label: 'Support runs', database: 'editor-data/support.db' };
const STATS = { id: 'editor-stats', type: 'file', label: 'Editor stats', path: 'editor-data/stats' };
const SECRET_VALUE = 'whk_live_4f3e2d1c0b9a8877';
const STATS_SESSION = 'editor-stats-session';

function root(): string {
  return vscode.workspace.workspaceFolders![0].uri.fsPath;
}

function lineOf(rel: string, needle: string): number {
  const line = fs.readFileSync(path.join(root(), rel), 'utf8').split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `"${needle}" is in ${rel}`);
  return line;
}

/** Spans for the stats/problems tests: a drifted EmailResponse prompt, a failing and a schema-breaking get_order_status call, a guardrail block in Triage Agent. */
function statsSession(): { session: Session; spans: Span[] } {
  const t = Date.UTC(2025, 6, 1, 9);
  const base = { sessionId: STATS_SESSION, traceId: 'trace-stats', status: 'ok' as const, attributes: {} };
  const schema = { type: 'function', function: { name: 'get_order_status', parameters: { type: 'object', required: ['order_id'], properties: { order_id: { type: 'string' } }, additionalProperties: false } } };
  const spans: Span[] = [
    { ...base, id: 'agent-1', name: 'Triage Agent', kind: 'agent', startTime: t, durationMs: 4000, agent: { name: 'Triage Agent' } },
    { ...base, id: 'llm-1', parentId: 'agent-1', name: 'EmailResponse', kind: 'llm', startTime: t + 10, durationMs: 1200, prompt: { id: 'f9a3c6e2-5d1b-4e84-a7c9-0b2d8e4f6a15', name: 'EmailResponse' }, system: [{ type: 'text', text: 'You write long, formal email replies. Always quote the refund policy.' }], usage: { input: 300, output: 40 }, attributes: { 'llm.tools.0.tool.json_schema': JSON.stringify(schema) }, input: [{ role: 'user', parts: [{ type: 'text', text: `my webhook secret is ${SECRET_VALUE}` }] }] },
    { ...base, id: 'tool-ok', parentId: 'agent-1', name: 'get_order_status', kind: 'tool', startTime: t + 1300, durationMs: 200, tool: { name: 'get_order_status', arguments: { order_id: 'A1' }, result: 'shipped' } },
    { ...base, id: 'tool-bad', parentId: 'agent-1', name: 'get_order_status', kind: 'tool', status: 'error', statusMessage: 'order service timed out', startTime: t + 1600, durationMs: 3000, tool: { name: 'get_order_status', arguments: { order: 'A2' }, error: 'order service timed out' } },
    { ...base, id: 'guard-1', parentId: 'agent-1', name: 'pii_check', kind: 'guardrail', startTime: t + 3700, durationMs: 50, guardrails: [{ name: 'PII', action: 'blocked', policies: [{ type: 'sensitiveInformation', action: 'BLOCKED' }] }] },
  ];
  return { session: { backendId: STATS.id, id: STATS_SESSION, name: 'Order triage', startTime: t, spanCount: spans.length }, spans };
}

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function activeDiff(): vscode.TabInputTextDiff | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input : undefined;
}

let saved: unknown;

describe('editor: diff, code stats, problems, trace documents, copy, LM tool', () => {
  before(async function () {
    this.timeout(300_000);
    saved = vscode.workspace.getConfiguration('spanInspector').inspect('backends')?.workspaceValue;
    const dir = path.join(root(), 'editor-data');
    fs.mkdirSync(path.join(dir, 'stats'), { recursive: true });
    // Two runs of the real Agno library (its own tracing into SQLite; the LLM is a local stand-in).
    const run = await runPython(['agno_prompt_change.py', path.join(dir, 'support.db')], { timeoutMs: 240_000 });
    assert.equal(run.code, 0, `the Agno producer failed: ${run.stderr.slice(-2000)}`);
    fs.writeFileSync(path.join(dir, 'stats', 'triage.json'), JSON.stringify(statsSession(), null, 2));
    fs.writeFileSync(path.join(root(), '.env'), `WEBHOOK_SIGNING=${SECRET_VALUE}\nLOG_LEVEL=debug\n`);
    const a = await api();
    await setBackends([AGNO, STATS]);
    await waitFor('editor backends', () => (a.backends.list().some((b) => b.id === STATS.id) ? true : undefined));
  });

  afterEach(closeEditors);

  after(async () => {
    await vscode.workspace.getConfiguration('spanInspector').update('problems.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await setBackends((saved as unknown[] | undefined) ?? []);
    fs.rmSync(path.join(root(), '.env'), { force: true });
    // The stats session names tools and prompts: left behind, it would be one more "definition" for other suites.
    fs.rmSync(path.join(root(), 'editor-data'), { recursive: true, force: true });
  });

  async function statsLoaded(): Promise<void> {
    const a = await api();
    const { session } = statsSession();
    await a.sessions.get(STATS.id, session).ensureLoaded();
    await vscode.commands.executeCommand('spanInspector.refreshCodeStats');
  }

  it('Compare Sessions opens the diff editor on two Agno runs with a changed prompt, aligned span by span', async () => {
    const r = await vscode.commands.executeCommand<CompareResult>('spanInspector.compareSessions', { backendId: AGNO.id, sessionId: PROMPT_CHANGE.before }, { backendId: AGNO.id, sessionId: PROMPT_CHANGE.after });
    assert.ok(r, 'the command returns the comparison');
    const diff = await waitFor('the diff editor', () => activeDiff());
    assert.equal(diff.original.scheme, COMPARE_SCHEME);
    assert.equal(diff.modified.toString(), r.right.toString());
    const left = (await vscode.workspace.openTextDocument(diff.original)).getText();
    const right = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    assert.ok(left.includes(PROMPT_V1) && right.includes(PROMPT_V2), 'each side has its own system prompt');
    assert.match(right, /### · tool lookup_order.*\(only in B\)/, 'the new tool call is an inserted block');
    assert.deepEqual([r.alignment.onlyA, r.alignment.onlyB], [0, 2]);
    assert.ok(left.startsWith('# Span Inspector comparison'), 'the summary is on top');
  });

  it('Compare with Previous Run finds the earlier session of the same agent', async () => {
    const a = await api();
    const later = a.sessions.peek(AGNO.id, PROMPT_CHANGE.after)?.session;
    assert.ok(later, 'loaded by the previous test');
    const r = await vscode.commands.executeCommand<CompareResult>('spanInspector.compareWithPrevious', { backendId: AGNO.id, session: later });
    assert.ok(r, 'a previous run was found');
    const left = (await vscode.workspace.openTextDocument(r.left)).getText();
    assert.ok(left.includes(PROMPT_V1));
  });

  it('Compare Spans compares two spans with their children', async () => {
    const a = await api();
    const key = (sessionId: string) => a.sessions.peek(AGNO.id, sessionId)!.forest.roots()[0].key;
    const r = await vscode.commands.executeCommand<CompareResult>('spanInspector.compareSpans', { backendId: AGNO.id, sessionId: PROMPT_CHANGE.before, spanKey: key(PROMPT_CHANGE.before) }, { backendId: AGNO.id, sessionId: PROMPT_CHANGE.after, spanKey: key(PROMPT_CHANGE.after) });
    assert.ok(r);
    assert.equal(activeDiff()?.modified.toString(), r.right.toString());
    assert.deepEqual([r.alignment.onlyA, r.alignment.onlyB], [0, 2]);
  });

  it('shows trace stats as a CodeLens and a hover on the tool and agent definitions', async () => {
    // No explicit refresh: the lenses follow the session as it loads.
    const a = await api();
    await a.sessions.get(STATS.id, statsSession().session).ensureLoaded();
    const uri = vscode.Uri.file(path.join(root(), 'agents', 'triage.py'));
    await vscode.window.showTextDocument(uri);
    const toolLine = lineOf('agents/triage.py', 'def get_order_status(');
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return l?.some((x) => x.range.start.line === toolLine && x.command?.title.includes('calls')) ? l : undefined;
    });
    const tool = lenses.find((x) => x.range.start.line === toolLine && x.command?.title.includes('calls'))!;
    assert.match(tool.command!.title, /2 calls · p95 3\.0 s · 1 error/);
    assert.equal(tool.command!.command, 'spanInspector.showDefinitionSpans');
    const agentLine = lineOf('agents/triage.py', 'name="Triage Agent"');
    assert.ok(lenses.some((x) => x.range.start.line === agentLine && /1 call .*1 blocked/.test(x.command?.title ?? '')), 'the agent lens counts the guardrail block');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(toolLine, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Latency p50 \/ p95/);
    assert.match(text, /order service timed out/);
  });

  it('puts failed calls, schema mismatches, guardrail blocks and prompt drift in Problems, with Open span / Show drift', async () => {
    await statsLoaded();
    const triage = vscode.Uri.file(path.join(root(), 'agents', 'triage.py'));
    const prompt = vscode.Uri.file(path.join(root(), 'prompts', 'EmailResponse.yaml'));
    await vscode.window.showTextDocument(triage);
    await vscode.window.showTextDocument(prompt, { preview: false });
    const onTriage = await waitFor('diagnostics on triage.py', () => {
      const d = vscode.languages.getDiagnostics(triage).filter((x) => x.source === 'Span Inspector');
      return d.length >= 3 ? d : undefined;
    });
    const messages = onTriage.map((d) => d.message).join('\n');
    assert.match(messages, /get_order_status" failed in 1 of 2 recorded calls: order service timed out/);
    assert.match(messages, /do not match its declared schema: missing required order_id; unexpected argument order/);
    assert.match(messages, /Guardrail PII blocked/);
    const drift = await waitFor('drift on the prompt file', () => vscode.languages.getDiagnostics(prompt).find((d) => d.code === 'drift'));
    assert.equal(drift.severity, vscode.DiagnosticSeverity.Warning);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', prompt, drift.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((x) => x.title);
    assert.ok(titles.some((t) => t.startsWith('Open span')), titles.join(', '));
    const show = actions.find((x) => x.title === 'Show drift');
    assert.ok(show?.command, 'Show drift is offered');
    await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
    const diff = await waitFor('the drift diff', () => activeDiff());
    assert.equal(diff.original.scheme, RECORDED_SCHEME);
    assert.equal(diff.modified.fsPath, prompt.fsPath);

    const toolDiag = onTriage.find((d) => d.code === 'toolError')!;
    const toolActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', triage, toolDiag.range, vscode.CodeActionKind.QuickFix.value);
    const open = toolActions.find((x) => x.title.startsWith('Open span'));
    assert.ok(open?.command);
    await vscode.commands.executeCommand(open.command.command, ...(open.command.arguments ?? []));
    const a = await api();
    await waitFor('the failed span in the panel', () => (a.panels.activeTarget()?.spanKey === 'tool-bad' ? true : undefined));

    await vscode.workspace.getConfiguration('spanInspector').update('problems.enabled', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('problems turned off', () => (vscode.languages.getDiagnostics(triage).some((d) => d.source === 'Span Inspector') ? undefined : true));
    await vscode.workspace.getConfiguration('spanInspector').update('problems.enabled', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('opens an OpenAI Agents JSONL file in the trace editor and shows its session in the panel views', async () => {
    const file = path.join(root(), 'editor-data', 'run.trace.jsonl');
    fs.copyFileSync(extensionPath('test', 'fixtures', 'openai', 'python-sdk.jsonl'), file);
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('the custom editor tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom ? input : undefined;
    });
    assert.equal(tab.viewType, 'spanInspector.traceFile');
    const a = await api();
    const id = `file:${uri.toString()}`;
    assert.ok(a.backends.list().some((b) => b.id === id), 'the file is a backend while open');
    // The panel's webview loads the session once it says `ready`.
    const loaded = await waitFor('the session loaded by the editor webview', () => a.sessions.forBackend(id).find((l) => l.state === 'done' && l.spanCount > 0));
    assert.ok(loaded.spanCount > 1);
    assert.equal(a.panels.activeTarget()?.backendId, id, 'the panel manager knows the editor\'s panel (palette commands act on it)');
    await closeEditors();
    await waitFor('the file backend removed on close', () => (a.backends.list().some((b) => b.id === id) ? undefined : true));
  });

  it('offers the trace editor for any .json under Reopen Editor With… (priority option) without taking over', async () => {
    const uri = vscode.Uri.file(path.join(root(), 'config', 'deployed-prompts.json'));
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitFor('a text editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === uri.fsPath ? true : undefined));
    const file = path.join(root(), 'editor-data', 'stats', 'triage.json');
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'spanInspector.traceFileAny');
    const tab = await waitFor('the custom editor tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom ? input : undefined;
    });
    assert.equal(tab.viewType, 'spanInspector.traceFileAny');
  });

  it('copies a span as Markdown with the .env secret masked', async () => {
    const text = await vscode.commands.executeCommand<string>('spanInspector.copySpanAsMarkdown', { backendId: STATS.id, sessionId: STATS_SESSION, spanKey: 'llm-1' });
    assert.ok(text, 'the command returns the Markdown');
    assert.match(text, /^### llm EmailResponse/);
    assert.ok(!text.includes(SECRET_VALUE), 'the .env value is masked');
    assert.match(text, /my webhook secret is ‹secret›/);
    const clip = await vscode.env.clipboard.readText();
    if (clip !== '') assert.equal(clip, text);
    const session = await vscode.commands.executeCommand<string>('spanInspector.copySessionAsMarkdown', { backendId: STATS.id, sessionId: STATS_SESSION });
    assert.match(session, /^## Session Order triage/);
    assert.match(session, /5 spans/);
  });

  it('registers the language-model tool where the API exists and answers with the selected span', async function () {
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    if (!lm?.tools || !lm.invokeTool) this.skip();
    const tool = lm.tools!.find((t) => t.name === 'spanInspector_selectedSpan');
    assert.ok(tool, `registered: ${lm.tools!.map((t) => t.name).join(', ')}`);
    const a = await api();
    const { session } = statsSession();
    await a.panels.openSpan({ backendId: STATS.id, session, spanKey: 'tool-bad' });
    await waitFor('active panel', () => (a.panels.activeTarget()?.spanKey === 'tool-bad' ? true : undefined));
    const result = await lm.invokeTool!('spanInspector_selectedSpan', { input: { scope: 'span' }, toolInvocationToken: undefined });
    const answer = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(answer, /tool get_order_status/);
    assert.match(answer, /order service timed out/);
  });
});
