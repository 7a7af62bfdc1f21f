// The paths a new user takes, in the real workbench on the demo workspace:
// Find Session by part of a name (live results, which backends were searched,
// Recent), Add Backend… step by step with checks and a test call, failed
// backends that say so while collapsed, "Open settings" at the entry, and
// the preview panel that the next session replaces until pinned.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareDemo, type DemoEnvironment } from '../../scripts/demoEnvironment';
import { useWorkbench } from './hooks';
import { collapseTree, expand, panelFrame, runCommand, treeRow } from './workbench';

const QC = 'Amazon Q Connect (emulator)';
const BOGUS = 'Q Connect (unreachable)';
const BADID = 'Q Connect (bad assistant id)';

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickRow = (page: Page, text: string | RegExp) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();

async function typeInQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.fill('');
  await input.pressSequentially(text, { delay: 20 });
}

/** The tab titles of the editor group. */
async function tabTitles(page: Page): Promise<string[]> {
  return page.locator('.tabs-container .tab .label-name').allInnerTexts();
}

describe('new user paths (demo workspace, dark theme)', () => {
  let demo: DemoEnvironment;
  const wb = useWorkbench('newuser', async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-newuser-')));
    // Two broken entries a user could have typed: an unreachable endpoint and an assistant "id" that is not one.
    const settingsFile = path.join(demo.workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown[]>;
    settings['spanInspector.backends'].push(
      { id: 'qc-bogus', type: 'qconnect', label: BOGUS, region: 'us-east-1', assistantId: demo.qconnect.assistantId, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
      { id: 'qc-badid', type: 'qconnect', label: BADID, region: 'us-east-1', assistantId: 'my-assistant' },
    );
    fs.writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
    return { workspace: demo.workspace, env: demo.env };
  });

  after(async () => {
    await demo?.close();
  });

  it('a failed backend shows an error icon and the cause while collapsed; its rows lead with the cause and what to do', async () => {
    const { page } = wb;
    await expand(page, BOGUS);
    const error = page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row', { has: page.locator('.codicon-error') }).filter({ hasText: /^Network error/ }).first();
    await error.waitFor({ timeout: 60_000 });
    assert.match(await error.locator('.label-name').innerText(), /^Network error during SearchSessions \(ECONNREFUSED\)$/);
    assert.doesNotMatch(await error.innerText(), /backend "qc-bogus"/, 'no repeated backend prefix');
    assert.match(await error.locator('.label-description').innerText(), /Retry/);
    await treeRow(page, /^Could not complete the request to the endpoint http:\/\/127\.0\.0\.1:9/).waitFor();
    await wb.screenshot('newuser-error-rows');
    // Collapsed, the backend row itself says it failed.
    await page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row', { hasText: BOGUS }).first().locator('.monaco-tl-twistie').click();
    const backendRow = page.locator('.tree-explorer-viewlet-tree-view .monaco-list-row', { hasText: BOGUS }).first();
    await backendRow.locator('.codicon-error').waitFor({ timeout: 10_000 });
    assert.match(await backendRow.locator('.label-description').innerText(), /^Network error/);
    assert.equal(await backendRow.getAttribute('aria-expanded'), 'false');
  });

  it('"Open settings" on a bad entry opens the workspace settings.json at that entry', async () => {
    const { page } = wb;
    await expand(page, BADID);
    const row = treeRow(page, /must be the assistant's UUID or ARN/);
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.locator('.label-description').innerText(), /Open settings/);
    await row.click();
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'settings.json' });
    await tab.waitFor({ timeout: 30_000 });
    // The workspace file (its breadcrumbs start at .vscode), not the user settings.
    assert.match(await page.locator('.breadcrumbs-control').first().innerText(), /\.vscode/);
    const lines = fs.readFileSync(path.join(demo.workspace, '.vscode', 'settings.json'), 'utf8').split('\n');
    const idLine = lines.findIndex((l) => l.includes('"id": "qc-badid"')) + 1;
    const status = page.locator('#status\\.editor\\.selection');
    await page.waitForFunction(([sel, want]) => new RegExp(`Ln ${want},`).test(document.querySelector(sel)?.textContent ?? ''), ['#status\\.editor\\.selection', idLine - 1] as const, { timeout: 10_000 });
    assert.match(await status.innerText(), new RegExp(`Ln ${idLine - 1},`));
    await wb.screenshot('newuser-open-settings');
    await page.keyboard.press('Control+W');
  });

  it('Find Session finds sessions by part of their name while typing and says what it searched on a miss', async () => {
    const { page } = wb;
    await runCommand(page, 'Span Inspector: Find Session');
    await quickInput(page).waitFor();
    await typeInQuickInput(page, 'Password');
    await quickRow(page, 'Password reset').waitFor({ timeout: 30_000 });
    assert.match(await quickRow(page, 'Password reset').innerText(), /Amazon Q Connect \(emulator\)/);
    await typeInQuickInput(page, 'Support Agent');
    await quickRow(page, /Support Agent/).waitFor({ timeout: 30_000 });
    await wb.screenshot('newuser-find-session');
    await typeInQuickInput(page, 'zz-no-such-session');
    const miss = quickRow(page, 'No session matches "zz-no-such-session"');
    await miss.waitFor({ timeout: 30_000 });
    assert.match(await miss.innerText(), /Searched .*Amazon Q Connect \(emulator\).*Scale GenAI Platform \(emulator\)/s);
    assert.ok(await quickInput(page).isVisible(), 'the picker stays open on a miss');
    await wb.screenshot('newuser-find-miss');
    await page.keyboard.press('Escape');
  });

  it('Recent lists a session opened from the tree; sessions open in one preview tab until pinned', async () => {
    const { page } = wb;
    await expand(page, QC);
    await expand(page, 'Billing dispute - order 4471');
    await expand(page, 'SelfServiceOrchestrator');
    await treeRow(page, 'AnswerGeneration').click();
    await panelFrame(page, 'span-name', 'AnswerGeneration');
    await collapseTree(page);
    await expand(page, 'Agno (tmp/traces.db)');
    await expand(page, /^Finance_Agent/);
    await expand(page, 'Finance_Agent.run');
    await treeRow(page, 'OpenAIChat.invoke').click();
    await panelFrame(page, 'span-name', 'OpenAIChat.invoke');
    let tabs = await tabTitles(page);
    assert.equal(tabs.filter((t) => /Billing dispute|Finance_Agent/.test(t)).length, 1, `one preview tab, got ${tabs.join(' | ')}`);
    assert.ok(tabs.some((t) => /\(preview\)/.test(t)), `the tab says preview: ${tabs.join(' | ')}`);

    // Pin (editor title action), then another session opens beside it.
    await page.locator('.editor-actions .action-label[aria-label^="Keep Panel Open"]').click();
    await page.waitForFunction(() => ![...document.querySelectorAll('.tabs-container .tab .label-name')].some((e) => /\(preview\)/.test(e.textContent ?? '')));
    await collapseTree(page);
    await expand(page, QC);
    await expand(page, 'Billing dispute - order 4471');
    await expand(page, 'SelfServiceOrchestrator');
    await treeRow(page, 'AnswerGeneration').click();
    await panelFrame(page, 'span-name', 'AnswerGeneration');
    tabs = await tabTitles(page);
    assert.equal(tabs.filter((t) => /Billing dispute|Finance_Agent/.test(t)).length, 2, `pinned tab kept: ${tabs.join(' | ')}`);

    await runCommand(page, 'Span Inspector: Find Session');
    await quickInput(page).waitFor();
    // Wait for the Find Session picker itself (the palette's rows show first).
    await page.waitForFunction(() => /Find Session/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    await quickRow(page, 'Billing dispute - order 4471').waitFor({ timeout: 10_000 }).catch(() => undefined);
    const texts = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(texts.some((t) => /Billing dispute - order 4471/.test(t)), `Recent: ${texts.join(' | ')}`);
    assert.ok(texts.some((t) => /Finance_Agent/.test(t)), `Recent: ${texts.join(' | ')}`);
    await page.keyboard.press('Escape');
  });

  it('Add Backend… is a titled multi-step input that checks each field, makes a test call and says where it saved', async () => {
    const { page } = wb;
    await runCommand(page, 'Span Inspector: Add Backend…');
    await quickRow(page, 'Amazon Q Connect').waitFor();
    await quickRow(page, 'Amazon Q Connect').click();
    const title = page.locator('.quick-input-widget .quick-input-title');
    await page.waitForFunction(() => /Add Backend: Amazon Q Connect \(2\/7\)/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    assert.match(await title.innerText(), /2\/7/);
    const message = page.locator('.quick-input-widget .quick-input-message');
    // Region, checked as typed.
    await typeInQuickInput(page, 'US East');
    await page.waitForFunction(() => /not an AWS region/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await wb.screenshot('newuser-wizard-region');
    await page.keyboard.press('Enter');
    assert.match(await title.innerText(), /2\/7/, 'an invalid value does not advance');
    await typeInQuickInput(page, demo.qconnect.region);
    await page.keyboard.press('Enter');
    // Assistant id: the old wizard saved a UUID typed into the "profile" box; every step is labelled now.
    await page.waitForFunction(() => /3\/7/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    assert.match(await message.innerText(), /Assistant id \(UUID\) or assistant ARN/);
    await typeInQuickInput(page, 'default');
    await page.waitForFunction(() => /Not a UUID/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await typeInQuickInput(page, demo.qconnect.assistantId);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /4\/7/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    assert.match(await message.innerText(), /AWS profile \(optional\)/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /5\/7/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    assert.match(await message.innerText(), /Endpoint override/);
    await typeInQuickInput(page, 'not a url');
    await page.waitForFunction(() => /Not an http\(s\) URL/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await typeInQuickInput(page, demo.qconnect.url);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /6\/7/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    await typeInQuickInput(page, 'QC from wizard');
    await page.waitForFunction(() => /id: qc-from-wizard/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await page.keyboard.press('Enter');
    await quickRow(page, 'Workspace settings').waitFor();
    await wb.screenshot('newuser-wizard-scope');
    await quickRow(page, 'Workspace settings').click();
    // The test call, then the message saying where it was written.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Added backend "qc-from-wizard"' });
    await toast.waitFor({ timeout: 60_000 });
    assert.match(await toast.innerText(), /workspace settings \(\.vscode\/settings\.json\)/);
    assert.match(await toast.innerText(), /Connected: \d+\+? sessions? found/);
    await wb.screenshot('newuser-wizard-saved');
    const saved = JSON.parse(fs.readFileSync(path.join(demo.workspace, '.vscode', 'settings.json'), 'utf8'))['spanInspector.backends'] as Record<string, unknown>[];
    const entry = saved.find((e) => e.id === 'qc-from-wizard');
    assert.deepEqual(entry, { id: 'qc-from-wizard', type: 'qconnect', label: 'QC from wizard', region: demo.qconnect.region, assistantId: demo.qconnect.assistantId, endpoint: demo.qconnect.url });
    await treeRow(page, 'QC from wizard').waitFor({ timeout: 30_000 });
  });

  it('Add Backend… refuses a missing SQLite file as it is typed', async () => {
    const { page } = wb;
    await runCommand(page, 'Span Inspector: Add Backend…');
    await quickRow(page, 'Agno').waitFor();
    await quickRow(page, /^\s*Agno/).click();
    await page.waitForFunction(() => /Add Backend: Agno \(2\/4\)/.test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''));
    await typeInQuickInput(page, 'tmp/missing.db');
    await page.waitForFunction(() => /No such file/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await page.keyboard.press('Enter');
    assert.match(await page.locator('.quick-input-widget .quick-input-title').innerText(), /2\/4/);
    await typeInQuickInput(page, 'tmp/traces.db');
    await page.waitForFunction(() => !/No such file/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''));
    await page.keyboard.press('Escape');
  });
});

// Functions passed to waitForFunction run in the browser.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
