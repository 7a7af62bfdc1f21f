// Watchdog (issue 17): every pathological session (test/fixtures/pathological.ts)
// is fed through the real workbench — opened from the Sessions tree, scrolled,
// its deepest/heaviest span opened (Details and Raw), the session conversation
// shown, searched, exported with the palette command — while a long-task
// observer in the panel's webview and in the workbench page records the
// longest main-thread task, and each step's extension-host round trip (search
// answered, export written) is timed. A task or round trip over 5 s is a
// freeze and fails the test. Each session must also show what it could not
// expand or what is wrong with it (cycle, duplicate, absurd numbers).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { BIG_ATTR, BIG_TOKENS, pathologicalSessions, type PathoSession } from '../fixtures/pathological';
import { collapseTree, launchWorkbench, openSessionTimeline, openSpanInspector, runCommand, type Workbench } from './workbench';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const PerformanceObserver: any;

/** The freeze threshold of the issue: no task, no round trip over 5 s. */
const FREEZE_MS = 5_000;

/** Starts (once per document) recording long tasks; returns the longest since the last call and resets. */
async function longestTask(target: Page | Frame): Promise<number> {
  return target.evaluate(() => {
    const w = window;
    if (!w.__watchdog) {
      w.__watchdog = { longest: 0 };
      // buffered: long tasks from before the observer (the first render) count too.
      new PerformanceObserver((list: { getEntries(): { duration: number }[] }) => {
        for (const e of list.getEntries()) w.__watchdog.longest = Math.max(w.__watchdog.longest, e.duration);
      }).observe({ type: 'longtask', buffered: true });
    }
    const v = w.__watchdog.longest;
    w.__watchdog.longest = 0;
    return v;
  });
}

interface Step {
  session: string;
  step: string;
  ms: number;
  webviewTask: number;
  pageTask: number;
}

describe('watchdog: pathological sessions never freeze the editor', function () {
  this.timeout(15 * 60_000);
  let wb: Workbench;
  const sessions = pathologicalSessions();
  const table: Step[] = [];

  before(async () => {
    const files: Record<string, string> = {};
    for (const s of sessions) files[`patho/${s.id}.json`] = s.text();
    wb = await launchWorkbench({
      settings: { 'spanInspector.backends': sessions.map((s) => ({ id: `patho-${s.id}`, type: 'file', label: `Patho ${s.id}`, path: `patho/${s.id}.json` })) },
      files,
    });
    await openSpanInspector(wb.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      console.log(`      ${this.currentTest.title}: ${String(this.currentTest.err?.message).slice(0, 800)}`);
      const shot = wb?.screenshot(`FAILED-watchdog-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
      await Promise.race([shot, new Promise((r) => setTimeout(r, 5000))]);
    }
    // Leave the workbench as the next session expects it: no panels, no dialog, a collapsed tree.
    await wb.page.keyboard.press('Escape').catch(() => undefined);
    await runCommand(wb.page, 'View: Close All Editors').catch(() => undefined);
    await collapseTree(wb.page).catch(() => undefined);
  });

  after(async () => {
    // A table, not an assertion: how long each step took and its longest task.
    console.table(table.map((r) => ({ ...r, ms: Math.round(r.ms), webviewTask: Math.round(r.webviewTask), pageTask: Math.round(r.pageTask) })));
    await wb?.stop();
  });

  /** Runs one user step, then checks that neither the webview nor the workbench had a task over 5 s. */
  /** `run` may return the time of its host round trip (else the whole step counts). */
  async function step(s: PathoSession, name: string, frame: Frame | undefined, run: () => Promise<number | void>, roundTrip = false): Promise<void> {
    const started = Date.now();
    const measured = await run();
    const ms = typeof measured === 'number' ? measured : Date.now() - started;
    const webviewTask = frame ? await longestTask(frame) : 0;
    const pageTask = await longestTask(wb.page);
    table.push({ session: s.id, step: name, ms, webviewTask, pageTask });
    assert.ok(webviewTask < FREEZE_MS, `${s.id} / ${name}: the panel's main thread was busy for ${Math.round(webviewTask)} ms in one task`);
    assert.ok(pageTask < FREEZE_MS, `${s.id} / ${name}: the workbench's main thread was busy for ${Math.round(pageTask)} ms in one task`);
    if (roundTrip) assert.ok(ms < FREEZE_MS, `${s.id} / ${name}: the extension host took ${ms} ms to answer`);
  }

  async function search(f: Frame, query: string): Promise<string> {
    const input = f.locator('[data-testid="search-input"] input');
    if ((await input.inputValue()) === query) await input.fill('');
    await input.fill(query);
    // The count says which query it answers: a late answer to the previous query (re-asked when the load ended) does not end the wait.
    const count = f.locator('[data-testid="search-count"]');
    await f.waitForFunction((q) => {
      const c = document.querySelector('[data-testid="search-count"]');
      return c?.getAttribute('data-query') === q && /of|No results/.test(c.textContent ?? '');
    }, query, { timeout: 60_000 });
    return (await count.textContent()) ?? '';
  }

  for (const s of sessions) {
    it(`${s.name}: opens, scrolls, shows its heaviest span and conversation, searches and exports`, async () => {
      const { page } = wb;
      await longestTask(page);
      let f!: Frame;
      await step(s, 'open timeline', undefined, async () => {
        f = await openSessionTimeline(page, `Patho ${s.id}`, s.name);
      });
      // The steps below act on the whole session: a search while it still loads answers from the spans so far.
      await f.waitForSelector('[data-testid="load-status"]:not([data-state="loading"]):not([data-state="idle"])', { timeout: 120_000 });
      await longestTask(f);
      // Scroll the waterfall to the end and back (End/Home keys on the tree grid).
      await step(s, 'scroll', f, async () => {
        await f.locator('.wf-scroller').focus();
        await page.keyboard.press('End');
        await f.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        await page.keyboard.press('Home');
        await f.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      });
      // Search (a host round trip) for the focus span's id, which opens it.
      // (It opens the first match too: the webview's part is watched by the long-task observer.)
      await step(s, 'search', f, async () => {
        const count = await search(f, s.focus.replace(/~\d+$/, ''));
        assert.match(count, /of [\d,]+/);
      });
      // Search for what no span holds: every span's text is scanned and nothing is re-rendered — the host round trip.
      await step(s, 'search again', f, async () => {
        const count = await search(f, 'no-such-text-anywhere');
        assert.equal(count, 'No results');
      }, true);
      await step(s, 'open focus span', f, async () => {
        await openSpan(f, s.focus.replace(/~\d+$/, ''), s.focus);
      });
      await step(s, 'raw tab', f, async () => {
        await f.locator('[data-testid="raw-tab"]').click();
        await f.locator('[data-testid="raw-json"]').waitFor({ timeout: 60_000 });
        await f.locator('[data-testid="details-tab"]').click();
      });
      await step(s, 'conversation', f, async () => {
        await f.locator('[data-testid="show-session"]').click();
        await f.locator('[data-testid="session-transcript"] [data-testid="turn"], [data-testid="conversation-empty"]').first().waitFor({ timeout: 60_000 });
      });
      await step(s, 'export', f, async () => {
        const out = path.join(wb.workspace, `${s.name.replace(/[^\w.-]+/g, '_')}.json`);
        fs.rmSync(out, { force: true });
        await f.locator('[data-testid="span-header"], [data-testid="session-transcript"]').first().click({ trial: true }).catch(() => undefined);
        await runCommand(page, 'Span Inspector: Export Session…');
        const input = page.locator('.quick-input-widget input');
        await page.waitForFunction((name) => (document.querySelector('.quick-input-widget input')?.value ?? '').endsWith(name), path.basename(out));
        // The host's part: from accepting the file name until the whole file is on disk (it ends with a newline).
        const accepted = Date.now();
        await input.press('Enter');
        let ms = 0;
        while (!ms && Date.now() - accepted < 60_000) {
          const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
          if (text.endsWith('}\n')) ms = Date.now() - accepted;
          else await new Promise((r) => setTimeout(r, 50));
        }
        await page.locator('.notification-toast', { hasText: /Exported .* spans to/ }).first().waitFor({ timeout: 60_000 });
        const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
        assert.ok(Array.isArray(doc.spans) && doc.spans.length > 0, 'the export holds the spans');
        return ms || Date.now() - accepted;
      }, true);
      await checks(s, f, page);
    });
  }

  /** Opens a span by searching for its id (stepping to the match with that key), in the Details tab. */
  async function openSpan(f: Frame, id: string, key = id): Promise<void> {
    await search(f, id);
    const shownKey = () => f.evaluate(() => document.querySelector('[data-testid="span-view"]')?.dataset.key ?? '');
    // The first match opens by itself; other spans match the id too (duplicates share it): step on until the wanted key shows.
    // A repeated query does not jump by itself: the next match opens the first.
    if (!(await f.locator('[data-testid="span-view"]').first().waitFor({ timeout: 5_000 }).then(() => true, () => false))) await f.locator('[data-testid="search-next"]').click();
    for (let i = 0; ; i++) {
      await f.locator('[data-testid="span-view"]').first().waitFor({ timeout: 30_000 });
      const before = await shownKey();
      if (before === key) break;
      if (i >= 20) throw new Error(`span ${key} did not open`);
      await f.locator('[data-testid="search-next"]').click();
      await f.waitForFunction((b) => (document.querySelector('[data-testid="span-view"]')?.dataset.key ?? '') !== b, before, { timeout: 30_000 });
    }
    if ((await f.locator('[data-testid="span-tabs"]').getAttribute('activeid')) === 'tab-raw') await f.locator('[data-testid="details-tab"]').click();
  }

  const flags = (f: Frame) => f.locator('[data-testid="span-flag"]').allTextContents();
  /** The waterfall row marked open; the waterfall marks it on the frame after the span view shows. */
  async function selectedRow(f: Frame, key: string) {
    await f.waitForFunction((k) => document.querySelector('[data-testid="waterfall-row"].selected')?.dataset.key === k, key, { timeout: 30_000 });
    return f.locator('[data-testid="waterfall-row"].selected');
  }

  /** What each session must show about itself: what it could not expand, what is wrong with it. */
  async function checks(s: PathoSession, f: Frame, page: Page): Promise<void> {
    const warnings = async () => (await f.locator('[data-testid="warnings"]').textContent()) ?? '';
    const spans = /^(?:chain|siblings)-(\d+)$/.exec(s.id);
    if (spans) {
      // Every row reached the waterfall: the host sends them a message at a time as the webview applies each.
      const rows = Number(spans[1]) + (s.id.startsWith('siblings-') ? 1 : 0);
      await f.waitForFunction((h) => (document.querySelector('.wf-scroller')?.scrollHeight ?? 0) >= h, rows * 22, { timeout: 60_000 });
    }
    if (s.id.startsWith('chain-')) {
      await openSpan(f, s.focus);
      const depth = Number(s.id.slice(6)) - 1;
      // Deep rows show their depth as a number instead of indenting further.
      assert.equal(((await (await selectedRow(f, s.focus)).locator('.wf-depth').textContent()) ?? '').trim(), String(depth));
      await step(s, 'keyboard up 20 rows', f, async () => {
        await f.locator('.wf-scroller').focus();
        for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowUp');
      });
    }
    if (s.id === 'wide-args') {
      await openSpan(f, 'wide-tool');
      const args = f.locator('[data-testid="tool-arguments"]');
      await args.locator('summary').nth(1).click();
      assert.match((await args.locator('[data-testid="show-more"]').first().textContent()) ?? '', /^Show 200 more of 99,800$|^Show 200 more of 99800$/);
    }
    if (s.id === 'deep-json') {
      await openSpan(f, 'deep-tool');
      // The structured argument was cut 64 levels down on the host: open level after level until "Show deeper".
      await step(s, 'show deeper', f, async () => {
        const args = f.locator('[data-testid="tool-span"] [data-testid="tool-arguments"]');
        for (let i = 0; i < 80 && !(await args.locator('[data-testid="show-deeper"]').count()); i++) {
          await args.evaluate((el: { querySelectorAll(s: string): ArrayLike<{ open: boolean }> }) => Array.from(el.querySelectorAll('details:not([open])'), (d) => (d.open = true)));
          await f.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
        }
        const before = await args.locator('details').count();
        await args.locator('[data-testid="show-deeper"]').first().click();
        await f.waitForFunction((n) => document.querySelectorAll('[data-testid="tool-span"] [data-testid="tool-arguments"] details').length > n, before);
      });
      // The result, JSON text nested 20,000 deep, is shown as a tree built as it is opened.
      const tree = f.locator('[data-testid="tool-span-result"]');
      assert.ok((await tree.locator('details').count()) >= 2, 'the result is a tree');
    }
    if (s.id === 'huge-text') {
      await openSpan(f, 'huge');
      const input = f.locator('[data-testid="message"][data-direction="input"] [data-testid="message-text"]');
      await step(s, 'unfold 2 MB (Markdown, sliced)', f, async () => {
        await input.locator('[data-testid="show-more"]').evaluate((b: { click(): void }) => b.click());
        await input.locator('[data-testid="render-progress"]').waitFor({ state: 'detached', timeout: 120_000 });
      });
      assert.equal(((await input.textContent()) ?? '').length, 2 * 1024 * 1024, 'all 2 MB shown');
      // Cancel stops the rendering and offers the rest.
      const output = f.locator('[data-testid="message"][data-direction="output"] .part-text [data-testid="message-text"]').first();
      // In one task: the first slice renders at once, the rest is queued; Cancel drops the queue.
      await output.evaluate((el: { querySelector(s: string): { click(): void } }) => {
        el.querySelector('[data-testid="show-more"]').click();
        el.querySelector('[data-testid="render-cancel"]').click();
      });
      await output.locator('[data-testid="show-more"]', { hasText: /^Show the rest/ }).waitFor();
    }
    if (s.id === 'cycles') {
      assert.match(await warnings(), /cycle/);
      await openSpan(f, 'self');
      assert.ok((await flags(f)).some((t) => t.includes('This span is part of a parent cycle; the cycle was broken here.')));
    }
    if (s.id === 'duplicates') {
      assert.match(await warnings(), /duplicate span id d0 \(kept as d0~2\)/);
      await openSpan(f, 'd999', 'd999~3');
      assert.ok((await flags(f)).some((t) => t.includes('Another span has the same id (d999); this one is shown as d999~3.')));
    }
    if (s.id === 'absurd') {
      await openSpan(f, 'big-tokens');
      const usage = (label: string) => f.locator(`[data-testid="usage"] dd[data-field="${label}"]`).textContent();
      assert.equal(await usage('Input tokens'), '18,446,744,073,709,551,615');
      assert.equal(await usage('Output tokens'), '-9,223,372,036,854,775,808');
      await f.locator('[data-testid="raw-tab"]').click();
      const raw = (await f.locator('[data-testid="raw-json"]').textContent()) ?? '';
      assert.ok(raw.includes(`"${BIG_TOKENS}"`) && raw.includes(`"${BIG_ATTR}"`), 'Raw shows the exact digits');
      await f.locator('[data-testid="details-tab"]').click();
      await openSpan(f, 'huge-start');
      assert.equal(await f.locator('[data-testid="timing"] dd[data-field="Start"]').textContent(), '1e+301 ms since 1970');
      assert.ok((await flags(f)).some((t) => t.includes('Start time 1e+301 ms is not a plausible date')));
      assert.ok(await (await selectedRow(f, 'huge-start')).locator('[data-testid="row-timing"]').isVisible(), 'the row has a warning badge');
      await openSpan(f, 'end-before-start');
      assert.ok((await flags(f)).some((t) => t.includes('End time is 9000 ms before the start time')));
      // The axis spans the plausible spans (a few ms), not 1e301.
      const ticks = await f.locator('.wf-tick').allTextContents();
      assert.ok(ticks.length > 1 && ticks.every((t) => !/e\+|h /.test(t)), `axis ticks: ${ticks.join(' ')}`);
    }
  }
});
