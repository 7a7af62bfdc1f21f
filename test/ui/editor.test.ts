// A trace file opened from the Explorer like a user does: the custom editor
// shows the session in the panel's own views (the waterfall rows of the
// spans), without any backend configured.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchWorkbench, panelFrame, ROOT, runCommand, type Workbench } from './workbench';

describe('trace files as documents (custom editor)', function () {
  let wb: Workbench;
  before(async () => {
    wb = await launchWorkbench({
      settings: { 'spanInspector.backends': [] },
      files: { 'runs/customer.trace.jsonl': fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'openai', 'python-sdk.jsonl')) },
    });
  });
  after(async () => wb?.stop());

  it('opens a .trace.jsonl file from the Explorer in the waterfall', async () => {
    const { page } = wb;
    // The workbench may restore another view container first: show the Explorer.
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await runCommand(page, 'View: Show Explorer');
    // Expand the folder unless an earlier attempt did (a click would fold it again).
    const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'runs' }).first();
    await folder.waitFor({ timeout: 90_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'customer.trace.jsonl' }).first().dblclick({ timeout: 30_000 });
    const frame = await panelFrame(page, 'waterfall-row');
    const rows = frame.locator('[data-testid="waterfall-row"]:not([hidden])');
    assert.ok((await rows.count()) >= 2, 'the spans of the file are in the waterfall');
    // The panel names its tab after the session, as the inspector panel does.
    const tab = page.locator('.tabs-container .tab.active');
    assert.match((await tab.textContent()) ?? '', /Customer service/);
    await wb.screenshot('editor-trace-document');
  });
});
