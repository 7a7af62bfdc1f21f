// The demo a newcomer starts with `npm run demo`, driven like a user in the
// real workbench: every backend in the tree, a span of each in the panel,
// live capture, and the screenshots the README shows.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { prepareDemo, type DemoEnvironment } from '../../scripts/demoEnvironment';
import { collapseTree, expand, launchWorkbench, openSpanInspector, panelFrame, treeRow, type Workbench } from './workbench';

describe('demo workbench (dark theme)', () => {
  let demo: DemoEnvironment;
  let wb: Workbench;

  before(async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-demo-')));
    wb = await launchWorkbench({ workspace: demo.workspace, env: demo.env });
    await openSpanInspector(wb.page);
  });

  beforeEach(async () => {
    await collapseTree(wb.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await wb?.screenshot(`FAILED-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await wb?.stop();
    await demo?.close();
  });

  it('lists every configured backend in the Sessions tree', async () => {
    for (const label of ['Amazon Q Connect (emulator)', 'Scale GenAI Platform (emulator)', 'Agno (tmp/traces.db)', 'OpenAI Agents SDK (logs/openai-traces.jsonl)', 'Exported sessions (traces/)']) {
      await treeRow(wb.page, label).waitFor({ timeout: 60_000 });
    }
  });

  it('shows a Q Connect session and a span transcript with tool use, citations and guardrails', async () => {
    const { page } = wb;
    await expand(page, 'Amazon Q Connect (emulator)');
    await expand(page, 'Billing dispute - order 4471');
    await expand(page, 'SelfServiceOrchestrator');
    await treeRow(page, 'AnswerGeneration').click();
    const frame = await panelFrame(page, 'span-name', 'AnswerGeneration');
    assert.match(await frame.locator('[data-testid="transcript"]').innerText(), /two charges of \$84\.20 for order 4471/);
    assert.ok((await frame.locator('[data-testid="citation"]').count()) > 0, 'citations shown');
    assert.ok((await frame.locator('[data-testid="prompt-ref"]').count()) > 0, 'prompt reference shown');
    await wb.screenshot('qconnect-span');
  });

  it('shows an SGP group → traces → spans and a completion transcript with tool calls', async () => {
    const { page } = wb;
    await expand(page, 'Scale GenAI Platform (emulator)');
    await expand(page, /^Support Agent/);
    await treeRow(page, 'support-agent.run').waitFor();
    const traces = page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^support-agent\.run$/ }) });
    assert.equal(await traces.count(), 3, 'one row per trace of the group');
    await expand(page, 'support-agent.run');
    await treeRow(page, 'chat gpt-4o').click();
    const frame = await panelFrame(page, 'span-name', 'chat gpt-4o');
    assert.equal((await frame.locator('[data-testid="span-kind"]').textContent())?.trim().toLowerCase(), 'llm');
    assert.ok((await frame.locator('[data-testid="tool-use"]').count()) > 0, 'tool call rendered from OpenAI tool_calls');
  });

  it('shows an Agno session → run → spans and the model call transcript', async () => {
    const { page } = wb;
    await expand(page, 'Agno (tmp/traces.db)');
    await expand(page, /^Finance_Agent/);
    await expand(page, 'Finance_Agent.run');
    await treeRow(page, 'OpenAIChat.invoke').click();
    const frame = await panelFrame(page, 'span-name', 'OpenAIChat.invoke');
    const transcript = await frame.locator('[data-testid="transcript"]').innerText();
    assert.match(transcript, /NVDA/);
    assert.match(await frame.locator('[data-testid="model"]').innerText(), /gpt-4o/);
  });

  it('shows live-captured spans as they arrive and opens the session timeline', async () => {
    const { page } = wb;
    await demo.postCaptureSamples();
    await treeRow(page, 'Live capture').waitFor({ timeout: 60_000 });
    await expand(page, 'Live capture');
    await treeRow(page, 'Acme support (sample)').waitFor({ timeout: 30_000 });
    await expand(page, 'Acme support (sample)');
    const row = treeRow(page, 'Acme support (sample)');
    await row.hover();
    await row.locator('.action-label[aria-label^="Open Session Timeline"]').click();
    const frame = await panelFrame(page, 'panel-root', 'Acme support (sample)');
    await frame.locator('[data-testid="waterfall-row"]').first().waitFor();
    assert.ok((await frame.locator('[data-testid="waterfall-row"]').count()) >= 3, 'waterfall rows for the captured spans');
  });

  it('takes the README screenshots: span view and session waterfall', async () => {
    const { page } = wb;
    await page.keyboard.press('Escape');
    await expand(page, 'Amazon Q Connect (emulator)');
    await treeRow(page, 'Billing dispute - order 4471').waitFor();
    await expand(page, 'Billing dispute - order 4471');
    await expand(page, 'SelfServiceOrchestrator');
    await treeRow(page, 'Orchestration.Converse').click();
    await panelFrame(page, 'span-name', 'Orchestration.Converse');
    await page.waitForTimeout(800);
    // Into test-results/ only; `node scripts/update-screenshots.mjs` copies them to the README's media/.
    await wb.screenshot('span-view');
    const row = treeRow(page, 'Billing dispute - order 4471');
    await row.hover();
    await row.locator('.action-label[aria-label^="Open Session Timeline"]').click();
    const wf = await panelFrame(page, 'panel-root', 'Billing dispute - order 4471');
    await wf.locator('[data-testid="waterfall-row"]').first().waitFor();
    await page.waitForTimeout(800);
    await wb.screenshot('session-waterfall');
  });
});
