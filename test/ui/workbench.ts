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

export async function launchWorkbench(options: { settings: Record<string, unknown>; theme?: string; env?: Record<string, string>; files?: Record<string, string | Buffer> }): Promise<Workbench> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-ui-'));
  const fixture = path.join(ROOT, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.settings, null, 2));
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), content);
  }
  const server = await startCodeServer({
    workspace,
    userSettings: { 'workbench.colorTheme': options.theme ?? 'Default Dark Modern' },
    env: options.env,
  });
  const { browser, page } = await openWorkbench(server.url);
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

/** Opens the Span Inspector activity-bar container and waits for the Sessions view. */
export async function openSpanInspector(page: Page): Promise<void> {
  const tab = page.locator('.activitybar [aria-label^="Span Inspector"]').first();
  await tab.waitFor({ timeout: 90_000 });
  const pane = page.locator('.pane-header[aria-label^="Sessions"], .pane-header:has-text("Sessions")').first();
  if (!(await pane.isVisible().catch(() => false))) {
    await tab.click();
  }
  await page.locator('.monaco-list[aria-label*="Sessions"], .tree-explorer-viewlet-tree-view').first().waitFor({ timeout: 30_000 });
}

/** A tree row by its visible label (exact), waiting for it to appear. */
export function treeRow(page: Page, label: string | RegExp) {
  const rows = page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row');
  return typeof label === 'string'
    ? rows.filter({ has: page.locator('.label-name', { hasText: label }) }).first()
    : rows.filter({ hasText: label }).first();
}

export async function expand(page: Page, label: string | RegExp): Promise<void> {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 60_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
  await page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 30_000 });
}

/** Runs a command through the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The frame holding the panel's content (webviews are nested iframes). */
export async function panelFrame(page: Page, testId = 'span-header', timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.locator(`[data-testid="${testId}"]`).count()) return f;
      } catch {
        // frame detached while looking
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame with [data-testid="${testId}"] after ${timeoutMs} ms`);
}
