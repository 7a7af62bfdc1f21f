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
import { checkAnalysis } from './analysisChecks';
import { collapseTree, expand, launchWorkbench, openSessionTimeline, openSpanInPanel, openSpanInspector, panelFrame, reloadWindow, runCommand, treeRow, waitForTreeRow, type Workbench } from './workbench';

// Functions passed to evaluate() run in the browser; the Node tsconfig has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const QC = 'Amazon Q Connect (emulator)';
const BILLING = 'Billing dispute - order 4471';
const PASSWORD = 'Password reset';
const REFORMULATION = '5f2a9c1e-7b6d-02d9-8000-000000000000';

async function text(frame: Frame, selector: string): Promise<string> {
  const el = frame.locator(selector).first();
  await el.waitFor({ timeout: 30_000 });
  return ((await el.textContent()) ?? '').trim();
}

const TURNS = 'Three turns over 56 minutes (generated)';

/** Three 20-second turns, 28 minutes apart; the middle one fails. */
function threeTurns(): unknown {
  const t0 = Date.UTC(2025, 9, 2, 9, 0, 0);
  const spans: unknown[] = [];
  for (let i = 0; i < 3; i++) {
    const at = t0 + i * 28 * 60_000;
    spans.push(
      { id: `turn-${i}`, sessionId: 'turns', name: `turn ${i + 1}`, kind: 'agent', status: i === 1 ? 'error' : 'ok', startTime: at, endTime: at + 20_000, attributes: {} },
      { id: `llm-${i}`, parentId: `turn-${i}`, sessionId: 'turns', name: `answer ${i + 1}`, kind: 'llm', status: 'ok', startTime: at + 1000, endTime: at + 6000, model: { request: 'gpt-4o-mini' }, usage: { input: 1000, output: 200 }, attributes: {} },
    );
  }
  return { session: { backendId: 'exports', id: 'turns', name: TURNS, startTime: t0, endTime: t0 + 56 * 60_000 + 20_000 }, spans };
}

const TRACES = 'Three traces over 56 minutes (generated)';

/** The same three turns, each its own trace (an SGP group, Agno runs, an OpenAI group_id look like this). */
function threeTraces(): unknown {
  const doc = threeTurns() as { session: Record<string, unknown>; spans: Record<string, unknown>[] };
  return {
    session: { ...doc.session, id: 'traces', name: TRACES },
    spans: doc.spans.map((s) => ({ ...s, sessionId: 'traces', traceId: `trace-${String(s.id).slice(-1)}` })),
  };
}

describe('UI: cost and summary (analysis)', function () {
  let demo: DemoEnvironment;
  let wb: Workbench;
  const errors: string[] = [];

  before(async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-analysis-')));
    fs.writeFileSync(path.join(demo.workspace, 'traces', 'analysis-turns.json'), JSON.stringify(threeTurns()));
    fs.writeFileSync(path.join(demo.workspace, 'traces', 'analysis-traces.json'), JSON.stringify(threeTraces()));
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
    await waitForTreeRow(page, BILLING, (r) => /\$0\.032/.test(r.text), 60_000);
    await expand(page, 'SelfServiceOrchestrator');
    const call = treeRow(page, 'QueryReformulation');
    assert.match((await call.locator('.label-description').textContent()) ?? '', /\$0\.00084/);
    await waitForTreeRow(page, QC, (r) => /\$0\.032/.test(r.text));
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
      await reloadWindow(page);
      // VS Code restores the table tab when it saved the editor layout before the reload;
      // either way the filters come from the workspace state.
      const frame = await panelFrame(page, 'table-head', undefined, 30_000).catch(async () => {
        await runCommand(page, 'Span Inspector: Open Sessions Table');
        return panelFrame(page, 'table-head');
      });
      await until(frame, (r) => r.length === 1 && r[0][0] === PASSWORD, 'restored text and backend filters');
      assert.equal(await frame.locator('[data-testid="filter-text"]').inputValue(), 'password');
      assert.equal(await frame.locator('[data-testid="filter-backend"]').inputValue(), 'qconnect');
      assert.equal(await frame.locator('[data-testid="sort-name"]').getAttribute('aria-sort'), 'ascending');
      await frame.locator('[data-testid="session-row"]:not([hidden]) [data-testid="row-open"]').first().click();
      // After the window reload the preview panel may be restored and then shown this session: its page can load
      // once more, detaching the frame found first. The rows must show in the page that stays.
      for (let attempt = 1; ; attempt++) {
        const panel = await panelFrame(page, 'panel-root', PASSWORD);
        try {
          await panel.locator('[data-testid="waterfall-row"]').first().waitFor({ timeout: 60_000 });
          break;
        } catch (err) {
          if (attempt >= 3 || !/detached/i.test(String(err))) throw err;
        }
      }
    });
  });

  it('Filter Sessions filters the tree and shows its state in the view description', async () => {
    const { page } = wb;
    await collapseTree(page);
    await runCommand(page, 'Span Inspector: Filter Sessions…');
    // The command's input box (its prompt explains the syntax), not the palette.
    await page.locator('.quick-input-widget', { hasText: 'cost>0.01' }).waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-widget input').fill('password backend:qconnect');
    await page.keyboard.press('Enter');
    // The view's description (the pane header may be hidden when the view is alone) and its message.
    const description = page.locator('.description', { hasText: 'Filter: password backend:qconnect' });
    try {
      await description.first().waitFor({ state: 'attached', timeout: 30_000 });
      await page.locator('.tree-explorer-viewlet-tree-view, .pane-body', { hasText: 'Filter: password backend:qconnect' }).first().waitFor({ timeout: 30_000 });
      await expand(page, QC);
      await treeRow(page, PASSWORD).waitFor({ timeout: 30_000 });
      await treeRow(page, /sessions hidden by the filter$/).waitFor({ timeout: 30_000 });
      assert.equal(await treeRow(page, BILLING).count(), 0, 'Billing is filtered out');
    } finally {
      await runCommand(page, 'Span Inspector: Clear Sessions Filter');
    }
    await description.first().waitFor({ state: 'detached', timeout: 30_000 });
    await treeRow(page, BILLING).waitFor({ timeout: 30_000 });
  });

  describe('timeline', () => {
    /** Bar widths as shares of their track, by row key. */
    async function barShares(frame: Frame): Promise<Record<string, number>> {
      return frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((rows) => {
        const out: Record<string, number> = {};
        for (const r of rows as unknown as { dataset: { key: string }; querySelector(s: string): { getBoundingClientRect(): { width: number }; hidden?: boolean } | null }[]) {
          const bar = r.querySelector('.wf-bar');
          const track = r.querySelector('.wf-track');
          if (bar && track && !bar.hidden) out[r.dataset.key] = bar.getBoundingClientRect().width / track.getBoundingClientRect().width;
        }
        return out;
      });
    }

    it('folds idle gaps so every turn of a 56-minute session has a readable bar', async () => {
      const { page } = wb;
      await collapseTree(page);
      const frame = await openSessionTimeline(page, 'Exported sessions (traces/)', TURNS);
      await frame.locator('[data-testid="axis-break"]').first().waitFor({ timeout: 30_000 });
      assert.equal(await frame.locator('[data-testid="axis-break"]').count(), 2);
      assert.match((await frame.locator('[data-testid="axis-break"]').first().getAttribute('title')) ?? '', /^27m 40s idle/);
      const folded = await barShares(frame);
      for (const k of ['turn-0', 'turn-1', 'turn-2']) assert.ok(folded[k] > 0.15, `${k} bar is ${(folded[k] * 100).toFixed(1)}% of the track`);
      // Unfolded, a 20 s turn is 0.6% of 56 minutes.
      await frame.locator('[data-testid="timeline-fold"]').click();
      await frame.waitForFunction(() => !document.querySelector('[data-testid="axis-break"]'));
      const plain = await barShares(frame);
      assert.ok(plain['turn-1'] < 0.02, `unfolded turn bar ${plain['turn-1']}`);
      await frame.locator('[data-testid="timeline-fold"]').click();
      await frame.locator('[data-testid="axis-break"]').first().waitFor();
    });

    it('filters by kind and status and counts the hidden spans', async () => {
      const frame = await panelFrame(wb.page, 'panel-root', TURNS);
      const visible = () => frame.locator('[data-testid="waterfall-row"]:not([hidden])').count();
      assert.equal(await visible(), 6);
      await frame.locator('[data-testid="timeline-kind-llm"]').click();
      await frame.locator('[data-testid="timeline-hidden"]', { hasText: '3 hidden' }).waitFor({ timeout: 10_000 });
      assert.equal(await visible(), 3);
      await frame.locator('[data-testid="timeline-kind-llm"]').click();
      await frame.locator('[data-testid="timeline-errors"]').click();
      await frame.locator('[data-testid="timeline-hidden"]', { hasText: '5 hidden' }).waitFor({ timeout: 10_000 });
      const keys = await frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      assert.deepEqual(keys, ['turn-1']);
      await frame.locator('[data-testid="timeline-errors"]').click();
      await frame.waitForFunction(() => document.querySelector('[data-testid="timeline-hidden"]')?.textContent === '');
      // The critical path: the last turn (it ends the session) and its LLM call.
      await frame.locator('[data-testid="timeline-critical"]').click();
      await frame.waitForFunction(() => document.querySelectorAll('.wf-row.critical:not([hidden])').length === 2);
      const critical = await frame.locator('.wf-row.critical:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      assert.deepEqual(critical.sort(), ['llm-2', 'turn-2']);
      await frame.locator('[data-testid="timeline-critical"]').click();
      await frame.waitForFunction(() => !document.querySelector('.wf-row.critical:not([hidden])'));
    });

    it('zooms and pans with the keyboard and the minimap, and resets', async () => {
      const frame = await panelFrame(wb.page, 'panel-root', TURNS);
      const before = await barShares(frame);
      await frame.locator('.wf-scroller').focus();
      await wb.page.keyboard.press('+');
      await frame.locator('[data-testid="timeline-zoom"]', { hasText: '2.0×' }).waitFor({ timeout: 10_000 });
      assert.equal(await frame.locator('[data-testid="minimap-window"]').isVisible(), true);
      // Bars repaint on the next animation frame.
      let zoomed = await barShares(frame);
      for (let i = 0; i < 50 && !Object.keys(zoomed).some((x) => x in before && zoomed[x] > before[x] * 1.5); i++) {
        await frame.waitForTimeout(100);
        zoomed = await barShares(frame);
      }
      const k = Object.keys(zoomed).find((x) => x in before && zoomed[x] > before[x] * 1.5);
      assert.ok(k, `a bar got wider when zoomed: ${JSON.stringify({ before, zoomed })}`);
      // Pan to the end: the last turn is in view, the first is not.
      for (let i = 0; i < 4; i++) await wb.page.keyboard.press('Shift+ArrowRight');
      let panned = await barShares(frame);
      for (let i = 0; i < 50 && !((panned['turn-2'] ?? 0) > 0 && !('turn-0' in panned)); i++) {
        await frame.waitForTimeout(100);
        panned = await barShares(frame);
      }
      assert.ok((panned['turn-2'] ?? 0) > 0 && !('turn-0' in panned), JSON.stringify(panned));
      await wb.page.keyboard.press('0');
      await frame.waitForFunction(() => document.querySelector('[data-testid="timeline-zoom"]')?.textContent === '');
      // Ctrl + wheel over the bars zooms too.
      const box = (await frame.locator('.wf-track').first().boundingBox())!;
      await wb.page.mouse.move(box.x + box.width / 2, box.y + 5);
      await wb.page.keyboard.down('Control');
      await wb.page.mouse.wheel(0, -100);
      await wb.page.keyboard.up('Control');
      await frame.locator('[data-testid="timeline-zoom"]', { hasText: '×' }).waitFor({ timeout: 10_000 });
      await wb.page.keyboard.press('Escape');
    });

    it('gives each trace of a multi-trace session its own axis, with a band naming it', async () => {
      const { page } = wb;
      await collapseTree(page);
      const frame = await openSessionTimeline(page, 'Exported sessions (traces/)', TRACES);
      const bands = frame.locator('[data-testid="trace-band"]:not([hidden])');
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="trace-band"]:not([hidden])').length === 3, undefined, { timeout: 30_000 });
      assert.deepEqual((await bands.locator('.wf-name').allTextContents()).map((s) => s.trim()), ['Trace 1: turn 1', 'Trace 2: turn 2', 'Trace 3: turn 3']);
      assert.match((await bands.first().locator('.wf-name').getAttribute('title')) ?? '', /^Trace 1 of 3 · trace-0 · .+ · 20(\.0)?s · 2 spans$/);
      // Each band draws its own trace's ticks (20 s, not 56 minutes).
      const ticks = await bands.first().locator('.wf-band-axis .wf-tick').allTextContents();
      assert.ok(ticks.length > 1 && ticks.every((x) => !/\dm(?!s)/.test(x)), ticks.join());
      assert.equal(await text(frame, '[data-testid="axis-label"]'), 'Trace 1 of 3');
      // Every turn fills its own axis, folded or not (on one axis, unfolded, a turn is 0.6% wide).
      for (const fold of [true, false]) {
        let shares = await barShares(frame);
        for (let i = 0; i < 50 && !['turn-0', 'turn-1', 'turn-2'].every((k) => shares[k] > 0.95); i++) {
          await frame.waitForTimeout(100);
          shares = await barShares(frame);
        }
        for (const k of ['turn-0', 'turn-1', 'turn-2']) assert.ok(shares[k] > 0.95, `fold ${fold}: ${k} is ${((shares[k] ?? 0) * 100).toFixed(1)}% of its track`);
        assert.ok(shares['llm-1'] > 0.2 && shares['llm-1'] < 0.3, `the LLM call is a quarter of its turn: ${shares['llm-1']}`);
        await frame.locator('[data-testid="timeline-fold"]').click();
      }
      // Bands are not spans: the rows are still the six spans, and arrows step over the bands.
      assert.equal(await frame.locator('[data-testid="waterfall-row"]:not([hidden])').count(), 6);
      await frame.locator('.wf-scroller').focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown');
      await frame.locator('.wf-row.cursor[data-key="turn-1"]').waitFor({ timeout: 10_000 });
    });
  });

  it('draws the agent graph and a click on a node filters the waterfall to its spans', async () => {
    const { page } = wb;
    await collapseTree(page);
    const frame = await openSessionTimeline(page, QC, BILLING);
    await frame.locator('[data-testid="show-graph"]').click();
    const nodes = frame.locator('[data-testid="graph-node"]');
    await nodes.first().waitFor({ timeout: 30_000 });
    const ids = (await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort();
    assert.deepEqual(ids, [
      'agent:SelfServiceOrchestrator',
      'model:us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'model:us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'tool:GetOrderCharges',
      'tool:Retrieve',
    ]);
    const sonnet = frame.locator('[data-testid="graph-edge"][data-from="agent:SelfServiceOrchestrator"][data-to="model:us.anthropic.claude-3-7-sonnet-20250219-v1:0"]');
    assert.match((await sonnet.textContent()) ?? '', /^2×/);
    await frame.locator('[data-testid="graph-node"][data-id="tool:Retrieve"]').click();
    await frame.locator('[data-testid="timeline-only-clear"]').waitFor({ timeout: 10_000 });
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="waterfall-row"]:not([hidden])').length === 1);
    const keys = await frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    assert.deepEqual(keys, ['5f2a9c1e-7b8d-04bf-8000-000000000000']);
    await frame.locator('[data-testid="timeline-only-clear"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="waterfall-row"]:not([hidden])').length > 1);
    assert.equal(await frame.locator('[data-testid="graph-node"].selected').count(), 0, 'the chip unmarks the node');
    // Cleared from the chip, the node is picked again by one click (not toggled off).
    await frame.locator('[data-testid="graph-node"][data-id="tool:Retrieve"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="waterfall-row"]:not([hidden])').length === 1);
    assert.equal(await frame.locator('[data-testid="graph-node"].selected').getAttribute('data-id'), 'tool:Retrieve');
    await frame.locator('[data-testid="graph-node"][data-id="tool:Retrieve"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="waterfall-row"]:not([hidden])').length > 1);
    assert.equal(await frame.locator('[data-testid="timeline-only-clear"]').count(), 0, 'a second click on the node shows all again');
    assert.deepEqual(errors, [], 'no CSP errors');
  });

  describe('on every demo backend', () => {
    /** [backend id, tree label, a session with LLM calls, its traces with their own axis]. Jaeger and Phoenix: stores.test.ts. */
    const SESSIONS: [string, string, string, number][] = [
      ['qconnect', QC, BILLING, 0],
      // An SGP group of three traces, an Agno session of two runs, two OpenAI traces of one group_id.
      ['sgp', 'Scale GenAI Platform (emulator)', 'Support Agent: support-agent.run', 3],
      ['agno', 'Agno (tmp/traces.db)', 'Finance_Agent', 2],
      ['openai-jsonl', 'OpenAI Agents SDK (logs/openai-traces.jsonl)', 'Customer service', 2],
      ['otel-files', 'OpenTelemetry files (logs/otel-traces.jsonl)', 'invoke_agent Support', 0],
      ['exports', 'Exported sessions (traces/)', TRACES, 3],
      ['capture', 'Live capture', 'Acme support (sample)', 0],
    ];

    before(async () => {
      await demo.postCaptureSamples();
      await treeRow(wb.page, 'Live capture').waitFor({ timeout: 60_000 });
    });

    for (const [id, backend, session, traces] of SESSIONS) {
      it(`${id}: header cost, Summary tables and the agent graph filtering the waterfall`, async () => {
        const { page } = wb;
        await page.keyboard.press('Escape');
        await collapseTree(page);
        const frame = await openSessionTimeline(page, backend, session);
        const seen = await checkAnalysis(page, frame);
        assert.equal(seen.bands, traces, `one axis per trace: ${JSON.stringify(seen)}`);
        assert.deepEqual(errors, [], 'no CSP errors');
      });
    }

    it('the sessions table lists every backend\'s sessions with their cost', async () => {
      const { page } = wb;
      await runCommand(page, 'Span Inspector: Open Sessions Table');
      const frame = await panelFrame(page, 'table-head');
      // Earlier tests left a text filter (kept per workspace).
      await frame.locator('[data-testid="filter-text"]').fill('');
      for (const [id, backend, session] of SESSIONS) {
        await frame.locator('[data-testid="filter-backend"]').selectOption(id);
        const deadline = Date.now() + 60_000;
        let rows: string[][] = [];
        for (; Date.now() < deadline; await frame.waitForTimeout(250)) {
          rows = await frame.locator('[data-testid="session-row"]:not([hidden])').evaluateAll((els) =>
            els.map((r) => ['name', 'backend', 'cost'].map((c) => (r.querySelector(`[data-col="${c}"]`)?.textContent ?? '').trim())),
          );
          const row = rows.find((r) => r[0] === session);
          if (row && rows.every((r) => r[1] === backend) && /^(\$\d|no price)/.test(row[2])) break;
        }
        const row = rows.find((r) => r[0] === session);
        assert.ok(row && rows.every((r) => r[1] === backend) && /^(\$\d|no price)/.test(row[2]), `${id}: ${JSON.stringify(rows)}`);
      }
      await frame.locator('[data-testid="filter-backend"]').selectOption('');
    });
  });
});
