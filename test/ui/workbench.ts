// Drives the real workbench (code-server in Chromium) for UI tests: start it
// with the extension and a workspace, open the Span Inspector view, work the
// tree like a user (click, expand), and reach into the panel's webview frame.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
// @ts-expect-error plain ESM helper shared with the launcher and the demo
import { ROOT, openWorkbench, startCodeServer } from '../host/codeServer.mjs';

export { ROOT };

export interface Workbench {
  page: Page;
  browser: Browser;
  workspace: string;
  stop(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

/**
 * Starts the workbench on `workspace` (prepared by the caller, e.g. with
 * prepareDemo), or on a fresh copy of the fixture workspace with `settings`.
 */
export async function launchWorkbench(options: { workspace?: string; settings?: Record<string, unknown>; theme?: string; env?: Record<string, string>; files?: Record<string, string | Buffer>; userSettings?: Record<string, unknown>; viewport?: { width: number; height: number } }): Promise<Workbench> {
  let workspace = options.workspace;
  if (!workspace) {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-ui-'));
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  }
  if (options.settings) {
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), content);
  }
  const server = await startCodeServer({
    workspace,
    userSettings: {
      'workbench.colorTheme': options.theme ?? 'Default Dark Modern',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.layoutControl.enabled': false,
      ...options.userSettings,
    },
    env: options.env,
  });
  const { browser, page } = await openWorkbench(server.url, options.viewport ? { viewport: options.viewport } : undefined);
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    page,
    browser,
    workspace,
    async stop() {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
    async screenshot(name: string) {
      const file = path.join(SHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  };
}

export type LaunchOptions = Parameters<typeof launchWorkbench>[0];

/** Opens the Span Inspector activity-bar container and waits for the Sessions view. */
export async function openSpanInspector(page: Page): Promise<void> {
  const tab = page.locator('.activitybar [aria-label^="Span Inspector"]').first();
  await tab.waitFor({ timeout: 90_000 });
  const list = page.locator('.monaco-list[aria-label*="Sessions"], .tree-explorer-viewlet-tree-view').first();
  // The activity bar icon toggles: a click while the view shows (or while the sidebar is
  // still restoring itself after a reload) closes it. Click only while it is hidden.
  // (A container with one view has no pane header, so the tree itself is what to look for.)
  for (let attempt = 0; attempt < 3 && !(await list.isVisible().catch(() => false)); attempt++) {
    await tab.click();
    await list.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await list.waitFor({ timeout: 30_000 });
  await widenSidebar(page, 470);
}

/** Drags the sidebar's sash so tree labels are readable in screenshots. */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.waitForTimeout(400);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** A tree row by its visible label (exact), waiting for it to appear. */
export function treeRow(page: Page, label: string | RegExp) {
  const rows = page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row');
  const exact = typeof label === 'string' ? new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : label;
  return rows.filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

/**
 * Waits until the tree row labelled `label` satisfies `test`. The row is looked up afresh
 * on every poll: tree rows are a recycled pool, so a handle taken once can come to show
 * another node after a refresh.
 */
export async function waitForTreeRow(page: Page, label: string | RegExp, test: (row: { text: string; expanded: string | null }) => boolean, timeoutMs = 30_000): Promise<void> {
  const row = treeRow(page, label);
  const deadline = Date.now() + timeoutMs;
  let last = { text: '', expanded: null as string | null };
  while (Date.now() < deadline) {
    try {
      last = { text: (await row.textContent({ timeout: 1_000 })) ?? '', expanded: await row.getAttribute('aria-expanded', { timeout: 1_000 }) };
      if (test(last)) return;
    } catch {
      // row re-rendering or not on screen yet
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`tree row ${String(label)} did not reach the expected state in ${timeoutMs} ms (text "${last.text}", aria-expanded ${last.expanded})`);
}

export async function expand(page: Page, label: string | RegExp): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 60_000 });
  // A click that lands while the tree re-renders the row (sessions loading, a refresh) is
  // lost: click again until the row reports itself expanded.
  for (let attempt = 1; ; attempt++) {
    if ((await row.getAttribute('aria-expanded').catch(() => null)) === 'true') return;
    await row.locator('.monaco-tl-twistie').click({ timeout: 10_000 }).catch(() => undefined);
    try {
      await waitForTreeRow(page, label, (r) => r.expanded === 'true', attempt < 4 ? 5_000 : 30_000);
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

/** Runs a command through the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // The palette can open inert for a moment (a closing widget or hover still owns focus):
  // close it and open it again rather than wait on it.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor();
      await input.fill(`>${title}`, { timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Reloads the window the way a user does (Developer: Reload Window): the
 * workbench flushes its storage (editor layout, webview state) before it
 * reloads, which a bare page.reload() does not wait for.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const sessions = page.locator('.tree-explorer-viewlet-tree-view').first();
  const hadSessions = await sessions.isVisible().catch(() => false);
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await navigated;
  await page.locator('.monaco-workbench').first().waitFor({ timeout: 90_000 });
  // The workbench restores the sidebar by itself; a click on its activity icon while it
  // does so would toggle it shut again (openSpanInspector clicks only when it is hidden).
  if (hadSessions) await sessions.waitFor({ timeout: 60_000 });
}

/**
 * The frame holding the panel's content (webviews are nested iframes). With
 * `hasText`, the frame whose element also shows that text: several panels
 * (one per session) may exist at once.
 */
export async function panelFrame(page: Page, testId = 'span-header', hasText?: string | RegExp, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        const el = f.locator(`[data-testid="${testId}"]`, hasText ? { hasText } : undefined);
        if ((await el.count()) && (await el.first().isVisible())) return f;
      } catch {
        // frame detached while looking
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame showing [data-testid="${testId}"]${hasText ? ` with "${hasText}"` : ''} after ${timeoutMs} ms`);
}

/** Collapses the Sessions tree so the rows a test needs are on screen (the list is virtualized). */
export async function collapseTree(page: Page): Promise<void> {
  const button = page.locator('#workbench\\.parts\\.sidebar .action-label[aria-label^="Collapse All"]').first();
  await page.locator('.tree-explorer-viewlet-tree-view').first().hover();
  await button.click({ timeout: 10_000 });
}

// ---------------------------------------------------------------- panel helpers (panel and hostile UI tests)

// Functions passed to evaluate() run in the browser; the Node tsconfig has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(el: any): any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const CSS: any;

/** Opens a session's panel from the tree with the row's "Open Session Timeline" action. */
// The panel is found by its session's label, a pattern too: the preview panel shows the previous
// session until the new one's page loads, and that frame is detached right after.
export async function openSessionTimeline(page: Page, backendLabel: string, sessionLabel: string | RegExp, panelTitle: string | RegExp = sessionLabel): Promise<Frame> {
  await expand(page, backendLabel);
  const row = treeRow(page, sessionLabel);
  await row.waitFor({ timeout: 60_000 });
  // The tree re-renders rows while sessions load (names, counts, live updates): a click landing
  // on a row being replaced is lost, so try again when no panel shows up. VS Code also hands an
  // inline action `undefined` instead of its row while that view refreshes
  // (microsoft/vscode#144250): the command then says "Select a session…". Before trying again,
  // close that message and have the view fetch the backend's rows anew (collapse, expand).
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Select a session' }).locator('.codicon-notifications-clear').click({ timeout: 2_000 }).catch(() => undefined);
      const backend = treeRow(page, backendLabel);
      if ((await backend.getAttribute('aria-expanded').catch(() => null)) === 'true') await backend.locator('.monaco-tl-twistie').click({ timeout: 10_000 }).catch(() => undefined);
      await expand(page, backendLabel);
      await row.waitFor({ timeout: 60_000 });
    }
    await row.hover();
    await row.locator('.action-label[aria-label^="Open Session Timeline"]').click();
    try {
      const frame = await panelFrame(page, 'panel-root', panelTitle, attempt < 4 ? 10_000 : 60_000);
      await frame.locator('[data-testid="waterfall-row"]:not([hidden])').first().waitFor({ timeout: 60_000 });
      // Leave the tree: its hover card would cover the panel's first rows.
      await page.mouse.move(20, (page.viewportSize()?.height ?? 900) / 2);
      return frame;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

/** Brings an open panel (editor tab) back to the front and returns its frame. */
export async function focusPanel(page: Page, title: string): Promise<Frame> {
  await page.locator('.tabs-container .tab', { hasText: title }).first().click();
  return panelFrame(page, 'panel-root', title);
}

/**
 * The waterfall row of a span, scrolled fully inside the virtualized viewport (only rows near
 * the viewport exist, and they are a recycled pool: a row half outside would make the click
 * scroll the list and land on another span).
 */
export async function waterfallRow(frame: Frame, key: string) {
  const row = frame.locator(`[data-testid="waterfall-row"][data-key="${key}"]:not([hidden])`);
  for (let i = 0; i < 400; i++) {
    const state = await frame.evaluate(
      ([k, first]) => {
        const sc = document.querySelector('.wf-scroller');
        const el = document.querySelector(`[data-testid="waterfall-row"][data-key="${CSS.escape(k)}"]:not([hidden])`);
        const s = sc.getBoundingClientRect();
        if (el) {
          const r = el.getBoundingClientRect();
          if (r.top >= s.top && r.bottom <= s.top + sc.clientHeight) return 'visible';
          sc.scrollTop += r.top - s.top - sc.clientHeight / 2;
          return 'moved';
        }
        const before = sc.scrollTop;
        sc.scrollTop = first ? 0 : sc.scrollTop + Math.max(22, sc.clientHeight / 2);
        return first || sc.scrollTop !== before ? 'moved' : 'end';
      },
      [key, i === 0] as const,
    );
    // Let the list render the new scroll position.
    await frame.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    if (state === 'visible') break;
    if (state === 'end') break;
  }
  return row;
}

/**
 * Clicks a span's waterfall row (on its bar when `onBar`), waits for the span view and shows
 * its Details tab (the panel remembers the last tab, Raw included, across spans).
 */
export async function openSpanInPanel(frame: Frame, key: string, onBar = false): Promise<void> {
  const view = frame.locator(`[data-testid="span-view"][data-key="${key}"]`);
  // Rows are a recycled pool: a render between finding the row and clicking it can give
  // the element another span. Wait for a quiet frame, and click again if that happened.
  for (let attempt = 1; ; attempt++) {
    const row = await waterfallRow(frame, key);
    await (onBar ? row.locator('.wf-bar') : row.locator('.wf-name')).click();
    try {
      await view.waitFor({ timeout: attempt < 3 ? 5_000 : 30_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  if ((await frame.locator('[data-testid="span-tabs"]').getAttribute('activeid')) === 'tab-raw') {
    await frame.locator('[data-testid="details-tab"]').click();
  }
  await frame.locator('[data-testid="span-tabs"][activeid="tab-details"]').waitFor({ timeout: 10_000 });
}

/** Sets the panel's Markdown switch (a vscode-checkbox) and waits until it shows the state. */
export async function setMarkdown(frame: Frame, on: boolean): Promise<void> {
  const toggle = frame.locator('[data-testid="markdown-toggle"]');
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await frame.locator(`[data-testid="markdown-toggle"][aria-checked="${on}"]`).waitFor();
}

/** The value shown for `label` in a header field group (`timing`, `model`, `usage`…). */
export async function fieldValue(frame: Frame, group: string, label: string): Promise<string | undefined> {
  const dd = frame.locator(`[data-testid="${group}"] dd[data-field="${label}"]`);
  return (await dd.count()) ? ((await dd.first().textContent()) ?? '').trim() : undefined;
}

/** A CSS colour expression (e.g. `var(--vscode-editor-background)`) resolved to `rgb(…)` in a page or frame. */
export async function resolveColor(target: Page | Frame, expression: string, within = 'body'): Promise<string> {
  return target.evaluate(
    ([expr, sel]) => {
      const probe = document.createElement('div');
      probe.style.color = expr;
      (document.querySelector(sel) ?? document.body).appendChild(probe);
      const value = getComputedStyle(probe).color;
      probe.remove();
      return value;
    },
    [expression, within] as const,
  );
}

/** [r, g, b, a] of a computed CSS colour. */
export function parseColor(css: string): [number, number, number, number] {
  // color-mix() computes to `color(srgb r g b / a)` with 0…1 channels.
  const srgb = /color\(srgb\s+([^)]+)\)/.exec(css);
  if (srgb) {
    const [r, g, b, a = 1] = srgb[1].split(/[\s/]+/).filter(Boolean).map(Number);
    return [r * 255, g * 255, b * 255, a];
  }
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [r, g, b, a];
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance(css: string): number {
  const [r, g, b] = parseColor(css).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two opaque colours (1…21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
