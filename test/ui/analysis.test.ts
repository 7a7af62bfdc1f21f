// Cost and the Summary in the real workbench: the tree's descriptions, the
// panel header, a span's cost, "no price" with its link to the setting, and
// the aggregates tables and charts (Chart.js under the panel's CSP), on the
// Q Connect emulator's fixture sessions (hand-computed figures in
// test/unit/analysis/pricing.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { prepareDemo, type DemoEnvironment } from '../../scripts/demoEnvironment';
import { collapseTree, expand, launchWorkbench, openSessionTimeline, openSpanInPanel, openSpanInspector, treeRow, type Workbench } from './workbench';

const QC = 'Amazon Q Connect (emulator)';
const BILLING = 'Billing dispute - order 4471';
const PASSWORD = 'Password reset';
const REFORMULATION = '5f2a9c1e7b6d02d9';

async function text(frame: Frame, selector: string): Promise<string> {
  const el = frame.locator(selector).first();
  await el.waitFor({ timeout: 30_000 });
  return ((await el.textContent()) ?? '').trim();
}

describe('UI: cost and summary (analysis)', function () {
  let demo: DemoEnvironment;
  let wb: Workbench;
  const errors: string[] = [];

  before(async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-analysis-')));
    wb = await launchWorkbench({ workspace: demo.workspace, env: demo.env, theme: 'Default Dark Modern' });
    // CSP violations and script errors inside the panel's frames end up on the console.
    wb.page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to|EvalError/i.test(m.text())) errors.push(m.text());
    });
    await openSpanInspector(wb.page);
  });

  after(async () => {
    await wb?.stop();
    await demo?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`FAILED-analysis-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('shows cost in the tree: per LLM span, per session, per backend', async () => {
    const { page } = wb;
    await collapseTree(page);
    await expand(page, QC);
    await expand(page, BILLING);
    const session = treeRow(page, BILLING);
    await page.waitForFunction((el) => /\$0\.032/.test(el?.textContent ?? ''), await session.elementHandle(), { timeout: 60_000 });
    await expand(page, 'SelfServiceOrchestrator');
    const call = treeRow(page, 'QueryReformulation');
    assert.match((await call.locator('.label-description').textContent()) ?? '', /\$0\.00084/);
    const backend = treeRow(page, QC);
    await page.waitForFunction((el) => /\$0\.032/.test(el?.textContent ?? ''), await backend.elementHandle(), { timeout: 30_000 });
  });

  it('shows the session total in the panel header and a span\'s cost in its details', async () => {
    const { page } = wb;
    await collapseTree(page);
    const frame = await openSessionTimeline(page, QC, BILLING);
    await frame.locator('[data-testid="session-cost"]').waitFor({ timeout: 60_000 });
    assert.equal(await text(frame, '[data-testid="session-cost"]'), '$0.032');
    assert.match((await frame.locator('[data-testid="session-cost"]').getAttribute('title')) ?? '', /3 priced LLM calls/);
    await openSpanInPanel(frame, REFORMULATION);
    assert.equal(await text(frame, '[data-testid="span-cost-value"]'), '$0.00084');
    assert.match((await frame.locator('[data-testid="span-cost-value"]').getAttribute('title')) ?? '', /claude-3-5-haiku, price of 2024-11-04/);
  });

  it('an LLM call without token counts reads "no price", never $0, and links to the setting', async () => {
    const { page } = wb;
    await collapseTree(page);
    const frame = await openSessionTimeline(page, QC, PASSWORD);
    const cost = frame.locator('[data-testid="session-cost"]');
    await cost.waitFor({ timeout: 60_000 });
    assert.match(await text(frame, '[data-testid="session-cost"]'), /^\$0\.0058 \+ 1 unpriced/);
    await frame.locator('[data-testid="session-cost-settings"]').click();
    // The host opens the Settings editor at spanInspector.pricing.
    await page.locator('.settings-editor').first().waitFor({ timeout: 30_000 });
    await page.locator('.setting-item-contents', { hasText: 'Pricing' }).first().waitFor({ timeout: 30_000 });
    // Close it (it may open as a modal editor that covers the tree).
    for (let i = 0; i < 3 && (await page.locator('.settings-editor').count()); i++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
      if (await page.locator('.monaco-modal-editor-block').count()) continue;
      await page.keyboard.press('Control+W');
      await page.waitForTimeout(300);
    }
  });

  it('summarizes agents, tools, models and prompts as tables and charts', async () => {
    const { page } = wb;
    await collapseTree(page);
    const frame = await openSessionTimeline(page, QC, BILLING);
    await frame.locator('[data-testid="session-cost"]').waitFor({ timeout: 60_000 });
    await frame.locator('[data-testid="show-summary"]').click();
    const models = frame.locator('[data-testid="aggregates-model"] tbody tr');
    await models.first().waitFor({ timeout: 30_000 });
    const rows = await models.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td') as ArrayLike<{ textContent: string | null }>, (td) => (td.textContent ?? '').trim())));
    // Two claude-3-7-sonnet calls ($0.01662 + $0.0141132) and one claude-3-5-haiku call.
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[5]]), [
      ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', '2', '$0.031'],
      ['us.anthropic.claude-3-5-haiku-20241022-v1:0', '1', '$0.00084'],
    ]);
    const agents = await frame.locator('[data-testid="aggregates-agent"] tbody tr td:first-child').allTextContents();
    assert.ok(agents.includes('SelfServiceOrchestrator'), agents.join());
    const tools = await frame.locator('[data-testid="aggregates-tool"] tbody tr td:first-child').allTextContents();
    assert.deepEqual([...tools].sort(), ['GetOrderCharges', 'Retrieve']);
    // The model chart is drawn (a canvas with pixels) without CSP errors.
    const drawn = await frame.locator('[data-testid="aggregates-chart-model"] canvas').evaluate((c: { width: number; height: number }) => c.width > 0 && c.height > 0);
    assert.ok(drawn, 'chart canvas has a size');
    assert.deepEqual(errors, [], 'no CSP errors');
    await page.keyboard.press('Escape');
  });
});
