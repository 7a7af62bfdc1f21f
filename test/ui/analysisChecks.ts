// The analysis features a session of any backend must show in the panel:
// cost in the header, the Summary (aggregates tables) and the agent graph,
// whose model node filters the waterfall. Shared by analysis.test.ts (the demo
// backends) and stores.test.ts (Jaeger, Phoenix).
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';

// Functions passed to evaluate() run in the browser; the Node tsconfig has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

export interface AnalysisSeen {
  cost: string;
  models: string[];
  nodes: string[];
  bands: number;
}

export async function checkAnalysis(page: Page, frame: Frame): Promise<AnalysisSeen> {
  await frame.locator('[data-testid="waterfall-row"]').first().waitFor({ timeout: 60_000 });
  // Every session here has LLM calls: the header prices them, or says "no price" (never $0).
  const costEl = frame.locator('[data-testid="session-cost"]');
  await costEl.waitFor({ timeout: 60_000 });
  const link = frame.locator('[data-testid="session-cost-settings"]');
  const linkText = (await link.count()) ? ((await link.textContent()) ?? '') : '';
  const cost = ((await costEl.textContent()) ?? '').replace(linkText, '').trim();
  assert.match(cost, /^(\$\d[\d.]*( \+ \d+ unpriced)?|no price)$/, `header cost "${cost}"`);
  assert.notEqual(cost, '$0');
  // Unpriced calls link to the pricing setting.
  assert.equal(/unpriced|no price/.test(cost), linkText !== '', `"Set prices…" link with "${cost}"`);
  const bands = await frame.locator('[data-testid="trace-band"]:not([hidden])').count();

  await frame.locator('[data-testid="show-summary"]').click();
  const modelRows = frame.locator('[data-testid="aggregates-model"] tbody tr');
  await modelRows.first().waitFor({ timeout: 30_000 });
  const models = await frame.locator('[data-testid="aggregates-model"] tbody tr td:first-child').allTextContents();
  assert.ok(models.length > 0, 'a model row');
  await page.keyboard.press('Escape');

  // A retry may find this panel still filtered by its first attempt.
  const leftover = frame.locator('[data-testid="timeline-only-clear"]');
  if (await leftover.count()) await leftover.click();
  await frame.locator('[data-testid="show-graph"]').click();
  const nodes = frame.locator('[data-testid="graph-node"]');
  await nodes.first().waitFor({ timeout: 30_000 });
  const ids = (await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
  const model = ids.find((id) => id.startsWith('model:'));
  assert.ok(model, `a model node among ${ids.join()}`);
  const before = await frame.locator('[data-testid="waterfall-row"]:not([hidden])').count();
  await frame.locator(`[data-testid="graph-node"][data-id="${model.replace(/"/g, '\\"')}"]`).click();
  await frame.locator('[data-testid="timeline-only-clear"]').waitFor({ timeout: 10_000 });
  // The filter is applied on the next frame: wait for it, then say what is shown if it is wrong.
  await frame
    .waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-testid="waterfall-row"]:not([hidden])')];
        return rows.length > 0 && rows.length <= n && rows.every((r) => r.getAttribute('data-kind') === 'llm');
      },
      before,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  const kinds = await frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
  assert.ok(kinds.every((k) => k === 'llm'), `the model node keeps its LLM calls: ${kinds.join()}`);
  await frame.locator('[data-testid="timeline-only-clear"]').click();
  await page.keyboard.press('Escape');
  return { cost, models, nodes: ids, bands };
}
