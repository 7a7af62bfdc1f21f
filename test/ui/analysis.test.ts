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
import { collapseTree, expand, launchWorkbench, openSessionTimeline, openSpanInPanel, openSpanInspector, panelFrame, runCommand, treeRow, type Workbench } from './workbench';

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

  describe('sessions table', () => {
    /** [name, backend, cost] of the rows in view, top to bottom. */
    async function tableRows(frame: Frame): Promise<string[][]> {
      return frame.locator('[data-testid="session-row"]:not([hidden])').evaluateAll((rows) =>
        rows
          .map((r) => ({ top: parseFloat((r as unknown as { style: { top: string } }).style.top), r }))
          .sort((a, b) => a.top - b.top)
          .map(({ r }) => ['name', 'backend', 'cost'].map((c) => (r.querySelector(`[data-col="${c}"]`)?.textContent ?? '').trim())),
      );
    }

    async function until(frame: Frame, check: (rows: string[][]) => boolean, what: string): Promise<string[][]> {
      const deadline = Date.now() + 60_000;
      let rows: string[][] = [];
      while (Date.now() < deadline) {
        rows = await tableRows(frame);
        if (check(rows)) return rows;
        await frame.waitForTimeout(250);
      }
      assert.fail(`${what}; rows: ${JSON.stringify(rows)}`);
    }

    async function setFilter(frame: Frame, testid: string, value: string): Promise<void> {
      await frame.locator(`[data-testid="${testid}"]`).fill(value);
    }

    it('lists the sessions of every backend with span-derived columns, sorts and filters', async () => {
      const { page } = wb;
      await runCommand(page, 'Span Inspector: Open Sessions Table');
      const frame = await panelFrame(page, 'table-head');
      const rows = await until(frame, (r) => ['Amazon Q Connect (emulator)', 'Scale GenAI Platform (emulator)', 'Agno (tmp/traces.db)'].every((b) => r.some((x) => x[1] === b)), 'sessions of Q Connect, SGP and Agno');
      assert.ok(rows.length >= 5, `${rows.length} rows`);
      // The visible rows' details load: the fixture sessions' costs appear.
      await until(frame, (r) => r.some((x) => x[0] === BILLING && x[2] === '$0.032'), 'Billing dispute cost');
      await until(frame, (r) => r.some((x) => x[0] === PASSWORD && x[2] === '$0.0058 + 1 unpriced'), 'Password reset cost');

      // Sort by cost, highest first (Billing, $0.032, is the most expensive fixture); rows without a price last.
      const usd = (t: string) => (/^\$([\d.e-]+)/.exec(t) ? Number(/^\$([\d.e-]+)/.exec(t)![1]) : undefined);
      const ordered = (r: string[][], desc: boolean) => {
        const v = r.map((x) => usd(x[2]));
        const firstMissing = v.findIndex((x) => x === undefined);
        const priced = (firstMissing < 0 ? v : v.slice(0, firstMissing)) as number[];
        return priced.length > 3 && v.slice(priced.length).every((x) => x === undefined) && priced.every((x, i) => i === 0 || (desc ? priced[i - 1] >= x : priced[i - 1] <= x));
      };
      await frame.locator('[data-testid="sort-cost"]').click();
      assert.equal(await frame.locator('[data-testid="sort-cost"]').getAttribute('aria-sort'), 'descending');
      await until(frame, (r) => r[0]?.[0] === BILLING && ordered(r, true), 'cost descending, Billing first');
      await frame.locator('[data-testid="sort-cost"]').click();
      assert.equal(await frame.locator('[data-testid="sort-cost"]').getAttribute('aria-sort'), 'ascending');
      await until(frame, (r) => ordered(r, false), 'cost ascending');
      // Sort by name.
      await frame.locator('[data-testid="sort-name"]').click();
      await until(frame, (r) => r.length > 1 && r.every((x, i) => i === 0 || r[i - 1][0].toLowerCase() <= x[0].toLowerCase()), 'names ascending');

      // Filters: backend, minimum cost, text.
      await frame.locator('[data-testid="filter-backend"]').selectOption('qconnect');
      await until(frame, (r) => r.length > 0 && r.every((x) => x[1] === QC), 'Q Connect sessions only');
      await setFilter(frame, 'filter-minCost', '0.02');
      await until(frame, (r) => r.length === 1 && r[0][0] === BILLING, 'only Billing costs at least $0.02');
      await setFilter(frame, 'filter-minCost', '');
      await setFilter(frame, 'filter-text', 'password');
      await until(frame, (r) => r.length === 1 && r[0][0] === PASSWORD, 'text filter');
      assert.match(await text(frame, '[data-testid="table-status"]'), /^1 of \d+ sessions/);
    });

    it('keeps its filters across a window reload and opens a row\'s session', async () => {
      const { page } = wb;
      await page.reload();
      await page.locator('.monaco-workbench').first().waitFor({ timeout: 90_000 });
      const frame = await panelFrame(page, 'table-head', undefined, 90_000);
      await until(frame, (r) => r.length === 1 && r[0][0] === PASSWORD, 'restored text and backend filters');
      assert.equal(await frame.locator('[data-testid="filter-text"]').inputValue(), 'password');
      assert.equal(await frame.locator('[data-testid="filter-backend"]').inputValue(), 'qconnect');
      assert.equal(await frame.locator('[data-testid="sort-name"]').getAttribute('aria-sort'), 'ascending');
      await frame.locator('[data-testid="session-row"]:not([hidden]) [data-testid="row-open"]').first().click();
      const panel = await panelFrame(page, 'panel-root', PASSWORD);
      await panel.locator('[data-testid="waterfall-row"]').first().waitFor({ timeout: 60_000 });
    });
  });

  it('Filter Sessions filters the tree and shows its state in the view description', async () => {
    const { page } = wb;
    await collapseTree(page);
    await runCommand(page, 'Span Inspector: Filter Sessions…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('password backend:qconnect');
    await page.keyboard.press('Enter');
    const description = page.locator('.pane-header .description', { hasText: 'Filter: password backend:qconnect' });
    await description.first().waitFor({ timeout: 30_000 });
    await expand(page, QC);
    await treeRow(page, PASSWORD).waitFor({ timeout: 30_000 });
    await treeRow(page, /sessions hidden by the filter$/).waitFor({ timeout: 30_000 });
    assert.equal(await treeRow(page, BILLING).count(), 0, 'Billing is filtered out');
    await runCommand(page, 'Span Inspector: Clear Sessions Filter');
    await description.first().waitFor({ state: 'detached', timeout: 30_000 });
    await treeRow(page, BILLING).waitFor({ timeout: 30_000 });
  });
});
