// The span panel in the real workbench (issue #7): spans of every backend
// (Q Connect, SGP, Agno, OpenAI Agents JSONL, OTLP file, live capture,
// exported file) opened like a user does, and every element of the span
// view checked against the values in the fixture files; the session view,
// search and keyboard navigation; and theme colours in a dark and a light
// theme (one workbench launch per theme, same demo environment).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { prepareDemo, type DemoEnvironment } from '../../scripts/demoEnvironment';
import { recordAttributes } from '../../webview/renderable';
import { useWorkbench } from './hooks';
import {
  ROOT,
  collapseTree,
  contrastRatio,
  expand,
  fieldValue,
  focusPanel,
  luminance,
  openSessionTimeline,
  openSpanInPanel,
  panelFrame,
  resolveColor,
  runCommand,
  setMarkdown,
  treeRow,
  waterfallRow,
  type Workbench,
} from './workbench';

// Functions passed to evaluate() run in the browser; the Node tsconfig has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const navigator: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(el: any): any;

const QC = 'Amazon Q Connect (emulator)';
const BILLING = 'Billing dispute - order 4471';
const PASSWORD = 'Password reset';
const EXPORTS = 'Exported sessions (traces/)';

/** Span ids from test/fixtures/qconnect/sessions.json ("Billing dispute - order 4471" and "Password reset"). */
const Q = {
  root: '5f2a9c1e-7b4d-00f3-8000-000000000000',
  guardIn: '5f2a9c1e-7b5d-01e6-8000-000000000000',
  reformulation: '5f2a9c1e-7b6d-02d9-8000-000000000000',
  converse: '5f2a9c1e-7b7d-03cc-8000-000000000000',
  retrieve: '5f2a9c1e-7b8d-04bf-8000-000000000000',
  kbSearch: '5f2a9c1e-7b9d-05b2-8000-000000000000',
  charges: '5f2a9c1e-7bad-06a5-8000-000000000000',
  answer: '5f2a9c1e-7bbd-0798-8000-000000000000',
  guardOut: '5f2a9c1e-7bcd-088b-8000-000000000000',
  pwAgent: '5f2a9c1e-7bdd-097e-8000-000000000000',
  pwIntent: '5f2a9c1e-7bed-0a71-8000-000000000000',
  pwThrottled: '5f2a9c1e-7bfd-0b64-8000-000000000000',
  pwBlocked: '5f2a9c1e-7c0d-0c57-8000-000000000000',
  pwReset: '5f2a9c1e-7c1d-0d4a-8000-000000000000',
  pwSms: '5f2a9c1e-7c2d-0e3d-8000-000000000000',
};

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Local "YYYY-MM-DD HH:MM:SS.mmm", the way the header shows a start time. */
function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Local "HH:MM:SS", the way a message shows its time. */
function clock(ms: number): string {
  return localTime(ms).slice(11, 19);
}

async function text(frame: Frame, selector: string): Promise<string> {
  return ((await frame.locator(selector).first().textContent()) ?? '').trim();
}

async function allTexts(frame: Frame, selector: string): Promise<string[]> {
  return (await frame.locator(selector).allTextContents()).map((t) => t.trim());
}

async function visibleRows(frame: Frame): Promise<string[]> {
  return frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''));
}

/** The key of the first visible waterfall row showing `name` (live spans have random ids). */
async function rowKeyByName(frame: Frame, name: string): Promise<string> {
  const row = frame.locator('[data-testid="waterfall-row"]:not([hidden])', { has: frame.locator('.wf-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  await row.waitFor({ timeout: 30_000 });
  return (await row.getAttribute('data-key'))!;
}

/** Checks every header field group against `expected` (label → value; `undefined`: not shown). */
async function assertFields(frame: Frame, group: string, expected: Record<string, string | undefined>): Promise<void> {
  for (const [label, value] of Object.entries(expected)) {
    assert.equal(await fieldValue(frame, group, label), value, `${group} › ${label}`);
  }
}

async function clipboard(page: Page): Promise<string> {
  // The host writes through vscode.env.clipboard (the browser clipboard in code-server).
  await page.waitForTimeout(300);
  return page.evaluate(() => navigator.clipboard.readText());
}

/**
 * Data rows of the attribute grid (header excluded) once their keys are `keys`: the grid
 * re-renders its rows asynchronously after the filter changes.
 */
async function attributeGridRows(frame: Frame, keys: string[]): Promise<string[][]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await readGridRows(frame);
    if (Date.now() > deadline || JSON.stringify(rows.map((r) => r[0])) === JSON.stringify(keys)) {
      assert.deepEqual(rows.map((r) => r[0]), keys, 'attribute keys in the grid');
      return rows;
    }
    await frame.waitForTimeout(100);
  }
}

async function readGridRows(frame: Frame): Promise<string[][]> {
  // The grid fills its cells a frame after a filter or render: read them in the same
  // evaluation that sees every row with its key (a second read could catch a re-render).
  const rows = await frame.waitForFunction(() => {
    const list = [...document.querySelectorAll('[data-testid="attr-table"] vscode-data-grid-row[row-type="default"]')];
    const cells = list.map((r) => Array.from(r.querySelectorAll('vscode-data-grid-cell') as ArrayLike<{ textContent: string | null }>, (c) => (c.textContent ?? '').trim()));
    return cells.every((c) => (c[0] ?? '') !== '') && cells;
  });
  return (await rows.jsonValue()) as string[][];
}

/** [type, action, details] of every policy row of a guardrail. */
async function policyRows(guardrail: Locator): Promise<string[][]> {
  return guardrail.locator('[data-testid="guardrail-policy"]').evaluateAll((rows) =>
    rows.map((r) => Array.from(r.querySelectorAll('td') as ArrayLike<{ textContent: string | null }>, (td) => (td.textContent ?? '').trim())),
  );
}

/** A small export with a long Markdown answer: no fixture has text long enough to fold. */
function longAnswerExport(): unknown {
  const t0 = Date.UTC(2025, 9, 1, 12, 0, 0);
  const steps = Array.from({ length: 60 }, (_, i) => `${i + 1}. Step ${i + 1} of the refund checklist.`).join('\n');
  const answer = [
    '# Refund steps',
    '',
    'Your refund is **approved**. Run `refund --order 4471` or read [the refund guide](https://example.com/refunds).',
    'This [bad link](javascript:alert(1)) is not a link, and <b>raw html</b> stays text.',
    '',
    steps,
  ].join('\n');
  return {
    session: { backendId: 'exports', id: 'panel-long-answer', name: 'Long Markdown answer (generated)', startTime: t0, endTime: t0 + 2000, status: 'ok' },
    spans: [
      {
        id: 'long-1', sessionId: 'panel-long-answer', name: 'long.answer', kind: 'llm', status: 'ok', startTime: t0, endTime: t0 + 2000,
        input: [{ role: 'user', parts: [{ type: 'text', text: 'How do I get my refund?' }] }],
        output: [{ role: 'assistant', parts: [{ type: 'text', text: answer }] }],
        attributes: {},
      },
    ],
  };
}

/**
 * Theme colours: the panel paints with the workbench theme (body = editor
 * background and foreground, waterfall bars = the theme's chart colours) and
 * the span name is readable. Screenshot test-results/screenshots/panel-<name>.png.
 */
async function checkThemeColours(wb: Workbench, name: 'dark' | 'light'): Promise<void> {
  const { page } = wb;
  await collapseTree(page);
  const frame = await openSessionTimeline(page, QC, BILLING);
  await openSpanInPanel(frame, Q.answer);
  const themeColor = (v: string) => resolveColor(page, `var(${v})`, '.monaco-workbench');
  const [editorBg, editorFg] = [await themeColor('--vscode-editor-background'), await themeColor('--vscode-editor-foreground')];
  const body = await frame.evaluate(() => ({ bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color }));
  assert.equal(body.bg, editorBg, 'panel background is the editor background of the theme');
  assert.equal(body.fg, editorFg, 'panel text colour is the editor foreground of the theme');
  const nameColor = await frame.locator('[data-testid="span-name"]').evaluate((e) => getComputedStyle(e).color);
  const contrast = contrastRatio(nameColor, body.bg);
  assert.ok(contrast > 4.5, `span name contrast ${contrast.toFixed(2)} (${nameColor} on ${body.bg})`);
  if (name === 'dark') assert.ok(luminance(body.bg) < 0.1, `dark background ${body.bg}`);
  else assert.ok(luminance(body.bg) > 0.8, `light background ${body.bg}`);

  // Kind colours are the theme's chart colours; failed rows use the theme's error colour.
  const bars: [string, string][] = [
    [Q.root, '--vscode-charts-purple'],
    [Q.converse, '--vscode-charts-blue'],
    [Q.retrieve, '--vscode-symbolIcon-eventForeground'],
    [Q.guardIn, '--vscode-charts-yellow'],
    [Q.kbSearch, '--vscode-charts-green'],
  ];
  const seen = new Set<string>();
  for (const [key, variable] of bars) {
    const bar = await (await waterfallRow(frame, key)).locator('.wf-bar').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(bar, await themeColor(variable), `bar of ${key} is ${variable}`);
    seen.add(bar);
  }
  assert.equal(seen.size, bars.length, 'each kind has its own colour');
  const pill = await frame.locator('[data-testid="guardrail-action"]').first().evaluate((e) => getComputedStyle(e).color);
  assert.notEqual(pill, body.fg, 'the MASKED badge is coloured, not plain text');
  await page.waitForTimeout(500);
  await wb.screenshot(`panel-${name}`);
}

describe('span panel in the workbench', function () {
  let demo: DemoEnvironment;

  before(async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-panel-')));
    // The normalized sample sessions (Markdown, citation with a URL) and a long answer, read by the `file` backend.
    fs.copyFileSync(path.join(ROOT, 'media', 'demo', 'sample-sessions.json'), path.join(demo.workspace, 'traces', 'sample-sessions.json'));
    fs.writeFileSync(path.join(demo.workspace, 'traces', 'panel-long-answer.json'), JSON.stringify(longAnswerExport()));
  });

  after(async () => {
    await demo?.close();
  });

  describe('dark theme (Default Dark Modern)', () => {
    const wb = useWorkbench('panel', () => ({ workspace: demo.workspace, env: demo.env, theme: 'Default Dark Modern' }));

    it('Q Connect LLM span: header, prompt, system instructions, transcript, reasoning, tool calls, Raw tab', async () => {
      const { page } = wb;
      await expand(page, QC);
      await expand(page, BILLING);
      await expand(page, 'SelfServiceOrchestrator');
      await treeRow(page, 'Orchestration.Converse').click();
      const frame = await panelFrame(page, 'span-name', 'Orchestration.Converse');
      // A retry finds the panel on the tab its first attempt left open.
      await frame.locator('[data-testid="details-tab"]').click();

      // Header: values of span 5f2a9c1e-7b7d-03cc-8000-000000000000 in test/fixtures/qconnect/sessions.json.
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'Orchestration.Converse');
      assert.equal(await text(frame, '[data-testid="span-kind"]'), 'llm');
      assert.equal(await text(frame, '[data-testid="span-status"]'), 'ok');
      assert.equal(await frame.locator('[data-testid="span-status-message"]').count(), 0, 'no status message on an OK span');
      await assertFields(frame, 'timing', { Start: localTime(1760692801246), Duration: '2.27s', 'Time to first token': '731ms' });
      await assertFields(frame, 'agent', { Agent: 'SelfServiceOrchestrator', Type: 'ORCHESTRATION', Version: '3', 'Agent id': 'b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62' });
      await assertFields(frame, 'model', {
        Model: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        'Response model': undefined, // same as requested
        Provider: 'aws.bedrock',
        Temperature: '0.2',
        'Top P': '0.95',
        'Max tokens': '2048',
        'Finish reasons': 'tool_use',
      });
      await assertFields(frame, 'usage', { 'Input tokens': '3,190', 'Output tokens': '214', 'Total tokens': '3,404', 'Cache read': '0', 'Cache write': '1,024' });
      await assertFields(frame, 'request-ids', { 'Request id': '8d3e1f6a-2b9c-4d75-a1e8-5f7c3b9d2e61', 'Origin request id': '8d3e1f6a-2b9c-4d75-a1e8-5f7c3b9d2e61' });
      await assertFields(frame, 'ids', { 'Span id': Q.converse, 'Parent id': Q.root });
      // Go to Prompt Source has one place in the panel: the Prompt section's button.
      assert.equal(await frame.locator('[data-testid="goto-prompt-icon"]').count(), 0);
      for (const id of ['copy-span-id', 'reveal-in-tree']) {
        assert.ok(await frame.locator(`[data-testid="${id}"]`).isVisible(), `${id} button`);
      }

      // Prompt reference.
      const prompt = frame.locator('[data-testid="prompt-ref"]');
      const promptField = async (label: string) => ((await prompt.locator(`dd[data-field="${label}"]`).textContent()) ?? '').trim();
      assert.equal(await promptField('Name'), 'SelfServiceOrchestration');
      assert.equal(await promptField('Prompt id'), 'd7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69');
      assert.equal(await promptField('Version'), '5');
      assert.equal(await promptField('Type'), 'ORCHESTRATION');
      assert.equal(await promptField('ARN'), 'arn:aws:wisdom:us-east-1:111122223333:ai-prompt/6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13/d7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69');
      assert.ok(await frame.locator('[data-testid="goto-prompt"]').isVisible());

      // System instructions: both text values, in order.
      assert.deepEqual(await allTexts(frame, '[data-testid="system"] [data-testid="message-text"]'), [
        'You are the billing self-service assistant for Example Corp. Use the tools to look up facts; never guess amounts.',
        'Available tools: Retrieve (knowledge base), GetOrderCharges (billing ledger), Escalate (hand over to a human agent).',
      ]);

      // Transcript: the customer's turn and the bot's turn, with roles and times.
      assert.equal(await text(frame, '[data-testid="input-label"]'), 'Input (1)');
      assert.equal(await text(frame, '[data-testid="output-label"]'), 'Output (1)');
      const input = frame.locator('[data-testid="message"][data-direction="input"]');
      assert.equal(await input.getAttribute('data-role'), 'customer');
      assert.equal(await input.getAttribute('data-side'), 'user');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-role"]'), 'Customer');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-time"]'), clock(1760692800125));
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-text"]'), 'Hi, I was charged twice for order 4471 last Tuesday. Card ending 4242. Can you refund one of the charges?');
      const output = frame.locator('[data-testid="message"][data-direction="output"]');
      assert.equal(await output.getAttribute('data-role'), 'bot');
      assert.equal(await output.getAttribute('data-side'), 'model');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="output"] [data-testid="message-role"]'), 'Bot');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="output"] [data-testid="message-time"]'), clock(1760692803505));

      // Reasoning: collapsed, its text built only when opened.
      const reasoning = output.locator('[data-testid="reasoning"]');
      const reasoningText = 'The customer reports a duplicate charge. I need the refund policy and the actual ledger entries before answering.';
      assert.equal(await reasoning.evaluate((d) => d.hasAttribute('open')), false, 'reasoning is collapsed');
      assert.match((await reasoning.locator('summary').textContent()) ?? '', new RegExp(`Reasoning \\(${reasoningText.length} characters\\)`));
      assert.equal(await reasoning.locator('[data-testid="message-text"]').count(), 0);
      await reasoning.locator('summary').click();
      assert.equal(await text(frame, '[data-testid="reasoning"] [data-testid="message-text"]'), reasoningText);
      assert.ok(await reasoning.locator('[data-testid="message-text"]').isVisible());

      // Tool calls with their arguments as JSON and a copy button; the result is in the Tool.Retrieve span, shown with the call.
      const uses = output.locator('[data-testid="tool-use"]');
      assert.deepEqual(await uses.evaluateAll((els) => els.map((e) => e.getAttribute('data-tool-id'))), ['3e099367-fd78-4516-aac3-c73c606bcedf', 'a7d98afd-3aba-4cc3-a4a2-b049de2c239a']);
      assert.deepEqual(await allTexts(frame, '[data-testid="tool-use"] [data-testid="tool-name"]'), ['Retrieve', 'GetOrderCharges']);
      const args = uses.first().locator('[data-testid="tool-arguments"]');
      assert.match((await args.textContent()) ?? '', /"query".*"duplicate charge refund policy".*"maxResults".*3/s);
      assert.match((await uses.first().textContent()) ?? '', /Result.*Duplicate charges are refunded automatically/s);
      await args.locator('[data-testid="copy"]').click();
      assert.deepEqual(JSON.parse(await clipboard(page)), { query: 'duplicate charge refund policy', maxResults: 3 });

      // Raw tab: the original Q Connect record; the attribute table filters.
      await frame.locator('[data-testid="raw-tab"]').click();
      const raw = JSON.parse(await text(frame, '[data-testid="raw-json"]'));
      assert.equal(raw.spanId, Q.converse);
      assert.equal(raw.spanType, 'CLIENT');
      assert.equal(raw.startTimestamp, 1760692801.246);
      assert.equal(raw.attributes.promptName, 'SelfServiceOrchestration');
      assert.match(await text(frame, '.raw-head .section-title'), /Original record/);
      assert.ok(await frame.locator('[data-testid="copy-raw"]').isVisible());
      // Every field and attribute of the original record (plus the normalized leftovers).
      const keys = [...new Set([...Object.keys(recordAttributes(raw, undefined)), 'assistantId', 'operationName', 'originRequestId', 'requestId', 'spanType'])].sort();
      assert.equal(await text(frame, '[data-testid="attr-count"]'), `${keys.length} attributes`);
      assert.ok(keys.length >= 20, `${keys.length} attributes`);
      const all = await attributeGridRows(frame, keys.slice(0, 200));
      assert.deepEqual(all.find((r) => r[0] === 'operationName'), ['operationName', 'chat']);
      await frame.locator('[data-testid="attr-filter"] input').fill('request');
      await frame.locator('[data-testid="attr-count"]', { hasText: new RegExp(`^\\d+ of ${keys.length} attributes$`) }).waitFor();
      const requestRows = (await readGridRows(frame)).map((r) => r[0]);
      for (const k of ['originRequestId', 'requestId']) assert.ok(requestRows.includes(k), `${k} in ${requestRows.join(', ')}`);
      await frame.locator('[data-testid="attr-filter"] input').fill('');
      await frame.locator('[data-testid="attr-count"]', { hasText: new RegExp(`^${keys.length} attributes$`) }).waitFor();
      await frame.locator('[data-testid="details-tab"]').click();
      await frame.locator('[data-testid="transcript"]').waitFor();
    });

    it('Q Connect answer: citations, unknown content, unpaired tool results, guardrails with every policy', async () => {
      const frame = await openSessionTimeline(wb.page, QC, BILLING);
      await openSpanInPanel(frame, Q.answer);
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'AnswerGeneration');
      await assertFields(frame, 'usage', { 'Input tokens': '4,012', 'Output tokens': '118', 'Total tokens': '4,130', 'Cache read': '1,024', 'Cache write': '0' });
      await assertFields(frame, 'model', { Temperature: '0.3', 'Top P': '0.95', 'Max tokens': '1024', 'Finish reasons': 'end_turn' });

      // Tool results whose calls are in another span: labelled, with the call id.
      const results = frame.locator('[data-testid="message"][data-direction="input"] [data-testid="tool-result"]');
      assert.deepEqual(await results.evaluateAll((els) => els.map((e) => e.getAttribute('data-tool-id'))), ['3e099367-fd78-4516-aac3-c73c606bcedf', 'a7d98afd-3aba-4cc3-a4a2-b049de2c239a']);
      assert.match((await results.first().textContent()) ?? '', /Result of tool call.*Duplicate charges are refunded automatically once confirmed in the ledger\./s);

      // Citations under the answer text: title, content id, knowledge base, copy; no link without a URL.
      const out = frame.locator('[data-testid="message"][data-direction="output"]');
      assert.match(await out.locator('[data-testid="message-text"]').first().innerText(), /I can see two charges of \$84\.20 for order 4471 on October 14\./);
      const citation = out.locator('[data-testid="citations"] [data-testid="citation"]');
      assert.equal(await citation.count(), 1);
      const c = (await citation.innerText()).replace(/\s+/g, ' ');
      assert.match(c, /Refunds for duplicate charges/);
      assert.match(c, /Content id: 0c2e7a94-5b1d-4f83-9e6a-2d8c1f7b3e50/);
      assert.match(c, /Knowledge base: 4b9d2e7f-8c1a-4f35-a6e0-2d7c9b1f5e83/);
      assert.equal(await citation.locator('[data-testid="citation-link"]').count(), 0);
      await citation.locator('[data-testid="copy-citation"]').click();
      assert.equal(await clipboard(wb.page), '0c2e7a94-5b1d-4f83-9e6a-2d8c1f7b3e50');
      // The image value (an S3 receipt, not inline data) is a labelled image part with its JSON, not "Unknown content".
      const image = out.locator('[data-testid="image-part"]');
      assert.match((await image.innerText()).replace(/\s+/g, ' '), /Image · png/);
      assert.equal(await text(frame, '[data-testid="image-location"]'), 's3://example-corp-receipts/4471/ch_2.png');
      assert.equal(await out.locator('[data-testid="unknown-part"]').count(), 0);

      // Guardrails: name, id, source, overall action badge, every policy with type/action/details.
      assert.match(await text(frame, '[data-testid="guardrails"] .section-title'), /Guardrails \(2\)/);
      const guards = frame.locator('[data-testid="guardrail"]');
      assert.deepEqual(await allTexts(frame, '[data-testid="guardrail-name"]'), ['SupportSafety', 'BrandTone']);
      assert.deepEqual(await allTexts(frame, '[data-testid="guardrail-action"]'), ['MASKED', 'NONE']);
      assert.match(await guards.nth(0).locator('[data-testid="guardrail-action"]').getAttribute('class') ?? '', /tone-warning/);
      const head = (await guards.nth(0).locator('.guardrail-head').innerText()).replace(/\s+/g, ' ');
      assert.match(head, /Guardrail id: gr-8k2m4n6p/);
      assert.match(head, /Source: output/);
      const policies = await policyRows(guards.nth(0));
      assert.deepEqual(policies, [
        ['CONTENT_FILTER', 'NONE', 'HATE: NONE; INSULTS: NONE; SEXUAL: NONE; VIOLENCE: NONE; MISCONDUCT: NONE'],
        ['TOPIC', 'NONE', 'Denied topics checked: Legal advice, Investment advice'],
        ['WORD', 'NONE', 'Managed profanity list: no match'],
        ['SENSITIVE_INFORMATION_PII', 'MASKED', 'CREDIT_DEBIT_CARD_NUMBER: ANONYMIZED (1 match)'],
        ['SENSITIVE_INFORMATION_REGEX', 'MASKED', 'InternalLedgerId (L-\\d{4}): ANONYMIZED (1 match)'],
        ['CONTEXTUAL_GROUNDING', 'NONE', 'GROUNDING: 0.91 (threshold 0.75); RELEVANCE: 0.88 (threshold 0.5)'],
      ]);
      const second = (await guards.nth(1).innerText()).replace(/\s+/g, ' ');
      assert.match(second, /Guardrail id: gr-2q4s6u8w/);
      assert.match(second, /Source: input/);
      assert.match(second, /No policy details recorded\./);
    });

    it('Q Connect tool spans: each call paired with its nested result (JSON, citations, copy) and the tool section', async () => {
      const frame = await openSessionTimeline(wb.page, QC, BILLING);
      await openSpanInPanel(frame, Q.retrieve);
      assert.equal(await text(frame, '[data-testid="span-kind"]'), 'tool');
      const use = frame.locator('[data-testid="message"][data-direction="input"] [data-testid="tool-use"][data-tool-id="3e099367-fd78-4516-aac3-c73c606bcedf"]');
      const nested = use.locator('[data-testid="tool-result"][data-tool-id="3e099367-fd78-4516-aac3-c73c606bcedf"]');
      assert.equal(await nested.count(), 1, 'the result is nested under its call');
      assert.deepEqual((await nested.locator('[data-testid="message-text"]').allTextContents()).map((t) => t.trim()), [
        'Duplicate charges are refunded automatically once confirmed in the ledger. Refunds take 5-7 business days.',
        'Agents must not promise refunds for charges older than 90 days.',
      ]);
      assert.deepEqual((await nested.locator('[data-testid="citation"] .citation-title').allTextContents()).map((t) => t.trim()), ['Refunds for duplicate charges', 'Card payment FAQ', 'Refund limits']);
      // Where the result itself appears (the output message), a reference points back to the call.
      assert.match(await text(frame, '[data-testid="message"][data-direction="output"] [data-testid="tool-result-ref"]'), /Result of Retrieve — shown with its call above/);
      const toolSpan = frame.locator('[data-testid="tool-span"]');
      assert.match((await toolSpan.innerText()).replace(/\s+/g, ' '), /Tool: Retrieve.*Call id 3e099367-fd78-4516-aac3-c73c606bcedf/);
      assert.equal(await toolSpan.locator('[data-testid="tool-error"]').count(), 0);

      await openSpanInPanel(frame, Q.charges);
      const charges = frame.locator('[data-testid="tool-use"][data-tool-id="a7d98afd-3aba-4cc3-a4a2-b049de2c239a"] [data-testid="tool-result"]').first();
      const json = charges.locator('[data-testid="tool-result-json"]');
      assert.match((await json.innerText()).replace(/\s+/g, ' '), /"orderId": "4471" "charges": \[/);
      await json.locator('[data-testid="copy"]').click();
      const copied = JSON.parse(await clipboard(wb.page));
      assert.deepEqual(copied.charges.map((x: { id: string }) => x.id), ['ch_1', 'ch_2']);
      // A result nested in a result (the ledger lookup) is shown inside it.
      assert.match((await charges.innerText()).replace(/\s+/g, ' '), /7104b176-e065-4d70-a9ed-0b0e39d9d3c2.*Ledger L-2231: ch_2 flagged as probable duplicate/);
    });

    it('Q Connect failures: status message + error type, tool error highlighted, blocked text, error marks in the waterfall', async () => {
      const frame = await openSessionTimeline(wb.page, QC, PASSWORD);
      const failed = await frame.locator('[data-testid="waterfall-row"].failed:not([hidden])').evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-status')]));
      assert.deepEqual(failed, [[Q.pwAgent, 'error'], [Q.pwThrottled, 'error'], [Q.pwReset, 'error'], [Q.pwSms, 'timeout']]);
      for (const key of [Q.pwAgent, Q.pwThrottled, Q.pwReset, Q.pwSms]) {
        assert.ok(await (await waterfallRow(frame, key)).locator('.wf-error').isVisible(), `error icon on ${key}`);
      }
      for (const key of [Q.pwIntent, Q.pwBlocked]) {
        assert.ok(!(await (await waterfallRow(frame, key)).locator('.wf-error').isVisible()), `no error icon on ${key}`);
      }
      const errorColor = await resolveColor(frame, 'var(--vscode-testing-iconFailed, var(--vscode-errorForeground))');
      const outline = await (await waterfallRow(frame, Q.pwAgent)).locator('.wf-bar').evaluate((e) => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor]);
      assert.deepEqual(outline, ['solid', errorColor], 'failed bars have an error-coloured outline');

      await openSpanInPanel(frame, Q.pwAgent);
      assert.equal(await text(frame, '[data-testid="span-status"]'), 'error');
      assert.equal(await text(frame, '[data-testid="error-type"]'), 'tool_error');
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'tool_error: Self-service flow ended with an unresolved tool failure; contact transferred to an agent.');
      await assertFields(frame, 'agent', { Agent: 'AccountSelfService', Type: 'SELF_SERVICE', Version: '1' });
      const statusColor = await frame.locator('[data-testid="span-status-message"]').evaluate((e) => getComputedStyle(e).color);
      assert.equal(statusColor, await resolveColor(frame, 'var(--vscode-errorForeground)'));

      await openSpanInPanel(frame, Q.pwThrottled);
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'throttle: ThrottlingException: Too many tokens, please wait before trying again.');

      await openSpanInPanel(frame, Q.pwBlocked, true);
      assert.equal(await fieldValue(frame, 'model', 'Finish reasons'), 'guardrail_intervened');
      const blocked = frame.locator('[data-testid="message"][data-direction="output"] [data-testid="blocked-text"]');
      assert.match((await blocked.innerText()).replace(/\s+/g, ' '), /Blocked by guardrail Sorry, I can not help with that request\./);
      assert.equal(await blocked.evaluate((e) => getComputedStyle(e).borderTopStyle), 'dashed');
      assert.equal(await frame.locator('[data-testid="message"][data-direction="input"] [data-testid="blocked-text"]').count(), 0);
      const guard = frame.locator('[data-testid="guardrail"]');
      assert.equal(await guard.getAttribute('data-action'), 'blocked');
      assert.equal(await text(frame, '[data-testid="guardrail-action"]'), 'BLOCKED');
      assert.match((await guard.locator('[data-testid="guardrail-action"]').getAttribute('class')) ?? '', /tone-error/);
      assert.deepEqual(
        await policyRows(guard),
        [['CONTENT_FILTER', 'BLOCKED', 'PROMPT_ATTACK: HIGH'], ['TOPIC', 'BLOCKED', 'Denied topic: Credential disclosure']],
      );

      await openSpanInPanel(frame, Q.pwReset);
      const result = frame.locator('[data-testid="tool-use"][data-tool-id="125a408b-1056-4dcc-a564-30d6afa8a6d6"] [data-testid="tool-result"]');
      assert.equal(await result.getAttribute('data-error'), 'true');
      assert.equal(await text(frame, '[data-testid="tool-use"] [data-testid="tool-error"]'), 'User account is locked; a reset requires identity verification by an agent.');
      assert.equal(await result.evaluate((e) => getComputedStyle(e).borderTopColor), errorColor, 'the failed result has an error border');
      const errorEl = result.locator('[data-testid="tool-error"]');
      assert.equal(await errorEl.evaluate((e) => getComputedStyle(e).color), await resolveColor(frame, 'var(--vscode-errorForeground)'));
      assert.match(await text(frame, '[data-testid="tool-span"] [data-testid="tool-error"]'), /User account is locked/);

      await openSpanInPanel(frame, Q.pwSms);
      assert.equal(await text(frame, '[data-testid="span-status"]'), 'timeout');
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'timeout: Tool call exceeded 23000 ms.');
    });

    it('SGP: completion with a tool call paired with its JSON result, a failed tool, a guardrail, the Raw record', async () => {
      const frame = await openSessionTimeline(wb.page, 'Scale GenAI Platform (emulator)', 'Support Agent: support-agent.run');
      // Values from test/fixtures/sgp/spans.json (the emulator moves timestamps, durations stay).
      await openSpanInPanel(frame, 'spn-t1-llm-2');
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'chat gpt-4o');
      await assertFields(frame, 'timing', { Duration: '3.40s' });
      await assertFields(frame, 'agent', { Agent: 'Support Agent', 'Agent id': 'agent-support-01' });
      await assertFields(frame, 'model', { Model: 'gpt-4o-2024-08-06', Temperature: '0.2', 'Finish reasons': 'stop' });
      await assertFields(frame, 'usage', { 'Input tokens': '210', 'Output tokens': '32', 'Total tokens': '242' });
      assert.deepEqual(await frame.locator('[data-testid="message"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-direction')}:${e.getAttribute('data-role')}`)), [
        'input:system', 'input:user', 'input:assistant', 'input:tool', 'output:assistant',
      ]);
      const call = frame.locator('[data-testid="tool-use"][data-tool-id="call_weather_1"]');
      assert.equal(await text(frame, '[data-testid="tool-use"] [data-testid="tool-name"]'), 'get_weather');
      assert.match((await call.locator('[data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"city": "Paris" "unit": "celsius"/);
      assert.match((await call.locator('[data-testid="tool-result-json"]').innerText()).replace(/\s+/g, ' '), /"temperature": 18 "unit": "celsius" "conditions": "light rain"/);
      assert.match(await text(frame, '[data-testid="tool-result-ref"]'), /Result of get_weather/);
      assert.equal(await text(frame, '[data-testid="message"][data-direction="output"] [data-testid="message-text"]'), "It's 18°C with light rain in Paris right now, so yes, take an umbrella.");

      await frame.locator('[data-testid="raw-tab"]').click();
      const raw = JSON.parse(await text(frame, '[data-testid="raw-json"]'));
      assert.equal(raw.id, 'spn-t1-llm-2');
      assert.equal(raw.type, 'COMPLETION');
      assert.equal(raw.output.choices[0].finish_reason, 'stop');
      const sgpTotal = Number(/^(\d+) attributes$/.exec(await text(frame, '[data-testid="attr-count"]'))?.[1]);
      assert.ok(sgpTotal > 5, `the original SGP record's fields are listed (${sgpTotal})`);
      await frame.locator('[data-testid="attr-filter"] input').fill('group');
      await frame.locator('[data-testid="attr-count"]', { hasText: new RegExp(`^\\d+ of ${sgpTotal} attributes$`) }).waitFor();
      assert.ok((await readGridRows(frame)).some((r) => r[0] === 'sgp.group_id' && r[1] === 'grp-support-7f3a'), 'sgp.group_id row');
      await frame.locator('[data-testid="attr-filter"] input').fill('');
      await frame.locator('[data-testid="details-tab"]').click();

      await openSpanInPanel(frame, 'spn-t2-crm');
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'CRM returned HTTP 503 Service Unavailable');
      const tool = frame.locator('[data-testid="tool-span"]');
      assert.match((await tool.innerText()).replace(/\s+/g, ' '), /Tool: update_ticket Call id call_crm_1/);
      assert.equal(await text(frame, '[data-testid="tool-span"] [data-testid="tool-error"]'), 'CRM returned HTTP 503 Service Unavailable');
      assert.match((await tool.locator('[data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"ticket_id": "T-1042" "status": "open"/);

      await openSpanInPanel(frame, 'spn-t1-guard');
      assert.equal(await text(frame, '[data-testid="span-kind"]'), 'guardrail');
      assert.equal(await text(frame, '[data-testid="guardrail-name"]'), 'pii-output-check');
      assert.equal(await text(frame, '[data-testid="guardrail-action"]'), 'NONE');
      assert.match((await frame.locator('[data-testid="guardrail"] .guardrail-head').innerText()).replace(/\s+/g, ' '), /Source: output/);
      assert.deepEqual(
        await policyRows(frame.locator('[data-testid="guardrail"]')),
        [['PII', 'NONE', ''], ['PROFANITY', 'NONE', '']],
      );
    });

    it('Agno: model call with system instructions, tool pairing and cache-read tokens; a failed tool span', async () => {
      const frame = await openSessionTimeline(wb.page, 'Agno (tmp/traces.db)', 'Finance_Agent');
      // Values from test/fixtures/agno/data.ts (finance session, the OK run and the error run).
      await openSpanInPanel(frame, '000000000000b004');
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'OpenAIChat.invoke');
      await assertFields(frame, 'model', { Model: 'gpt-4o-mini', Provider: 'OpenAI', Temperature: '0.3', 'Max tokens': '1024' });
      await assertFields(frame, 'usage', { 'Input tokens': '268', 'Output tokens': '16', 'Total tokens': '284', 'Cache read': '192', 'Cache write': undefined });
      await assertFields(frame, 'timing', { Start: localTime(1748772001850), Duration: '2.30s' });
      assert.equal(await text(frame, '[data-testid="system"] [data-testid="message-text"]'), 'You are a finance assistant. Use tools for live data. Answer briefly.');
      const call = frame.locator('[data-testid="tool-use"][data-tool-id="call_price_1"]');
      assert.equal(await call.locator('[data-testid="tool-name"]').textContent(), 'get_price');
      assert.match((await call.locator('[data-testid="tool-result-json"]').innerText()).replace(/\s+/g, ' '), /"ticker": "NVDA" "price": 123\.4 "change_pct": 2\.1/);
      assert.equal(await text(frame, '[data-testid="message"][data-direction="output"] [data-testid="message-text"]'), 'NVDA is trading at $123.40, up 2.1% today.');

      await openSpanInPanel(frame, '000000000000b013');
      assert.equal(await text(frame, '[data-testid="span-status"]'), 'error');
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'HTTP 503 from news API');
      assert.equal(await text(frame, '[data-testid="tool-span"] [data-testid="tool-error"]'), 'HTTP 503 from news API');
      assert.match((await frame.locator('[data-testid="tool-span"] [data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"ticker": "NVDA" "limit": 3/);

      // Raw tab: the span's row, read again from the database (rows are not held in memory).
      await frame.locator('[data-testid="raw-tab"]').click();
      const raw = JSON.parse(await text(frame, '[data-testid="raw-json"]'));
      assert.equal(raw.span_id, '000000000000b013');
      assert.equal(raw.status_code, 'ERROR');
      assert.equal(raw.attributes['tool.name'], 'get_news', 'the attributes column, parsed');
      await frame.locator('[data-testid="details-tab"]').click();
    });

    it('OpenAI Agents JSONL: generation with system and tool call, failed function span, triggered guardrail', async () => {
      const frame = await openSessionTimeline(wb.page, 'OpenAI Agents SDK (logs/openai-traces.jsonl)', 'Customer service');
      // Values from test/fixtures/openai/python-sdk.jsonl.
      await openSpanInPanel(frame, 'span_000000000000000a11ce0003');
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'gpt-4o');
      await assertFields(frame, 'model', { Model: 'gpt-4o', Temperature: '0.3', 'Max tokens': '512' });
      await assertFields(frame, 'usage', { 'Input tokens': '50', 'Output tokens': '12', 'Total tokens': '62' });
      assert.equal(await text(frame, '[data-testid="system"] [data-testid="message-text"]'), 'You help customers.');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-text"]'), 'Refund order 17, please.');
      const call = frame.locator('[data-testid="tool-use"][data-tool-id="call_A1"]');
      assert.equal(await call.locator('[data-testid="tool-name"]').textContent(), 'refund');
      assert.match((await call.locator('[data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"order_id": 17/);

      await openSpanInPanel(frame, 'span_000000000000000a11ce0004');
      assert.equal(await text(frame, '[data-testid="span-status-message"]'), 'Error running tool (non-fatal)');
      // The SDK's message is generic; the tool's own cause comes from error.data.
      assert.equal(await text(frame, '[data-testid="tool-span"] [data-testid="tool-error"]'), 'Refund limit exceeded');

      await openSpanInPanel(frame, 'span_000000000000000a11ce0002');
      assert.equal(await text(frame, '[data-testid="guardrail-name"]'), 'no_pii');
      assert.equal(await text(frame, '[data-testid="guardrail-action"]'), 'TRIGGERED');
      assert.match((await frame.locator('[data-testid="guardrail-action"]').getAttribute('class')) ?? '', /tone-warning/);

      await frame.locator('[data-testid="raw-tab"]').click();
      const raw = JSON.parse(await text(frame, '[data-testid="raw-json"]'));
      assert.deepEqual(raw.span_data, { type: 'guardrail', name: 'no_pii', triggered: true });
      await frame.locator('[data-testid="details-tab"]').click();
    });

    it('OTLP file: GenAI chat span with provider, finish reasons, usage and a tool call; the OTLP record in Raw', async () => {
      const frame = await openSessionTimeline(wb.page, 'OpenTelemetry files (logs/otel-traces.jsonl)', 'invoke_agent Support');
      // Values from test/fixtures/otlp/collector-file-exporter.jsonl.
      await openSpanInPanel(frame, '53995c3f42cd8ad8');
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'chat gpt-4o-mini');
      assert.equal(await text(frame, '[data-testid="span-status"]'), 'unset');
      await assertFields(frame, 'model', { Model: 'gpt-4o-mini', Provider: 'openai', 'Finish reasons': 'tool_calls' });
      await assertFields(frame, 'usage', { 'Input tokens': '12', 'Output tokens': '4', 'Total tokens': '16' });
      await assertFields(frame, 'timing', { Start: localTime(1767225600100), Duration: '800ms' });
      await assertFields(frame, 'ids', { 'Span id': '53995c3f42cd8ad8', 'Trace id': '4bf92f3577b34da6a3ce929d0e0e4736', 'Parent id': '00f067aa0ba902b7' });
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-text"]'), 'Hello');
      const call = frame.locator('[data-testid="tool-use"][data-tool-id="call_1"]');
      assert.equal(await call.locator('[data-testid="tool-name"]').textContent(), 'lookup');
      assert.match((await call.locator('[data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"q": "hello"/);

      await frame.locator('[data-testid="raw-tab"]').click();
      const raw = JSON.parse(await text(frame, '[data-testid="raw-json"]'));
      assert.equal(raw.spanId, '53995c3f42cd8ad8');
      assert.equal(raw.startTimeUnixNano, '1767225600100000000');
      await frame.locator('[data-testid="attr-filter"] input').fill('otel.scope');
      await frame.locator('[data-testid="attr-count"]', { hasText: /^1 of \d+ attributes$/ }).waitFor();
      assert.match((await attributeGridRows(frame, ['otel.scope']))[0][1], /opentelemetry\.instrumentation\.openai_agents/);
      await frame.locator('[data-testid="attr-filter"] input').fill('');
      await frame.locator('[data-testid="details-tab"]').click();
    });

    it('live capture: captured OTLP and OpenAI spans open with their model, usage, system text and tool calls', async () => {
      const { page } = wb;
      await demo.postCaptureSamples();
      await treeRow(page, 'Live capture').waitFor({ timeout: 60_000 });
      // Values from src/capture/samples.ts (the spans the demo posts to the receiver).
      let frame = await openSessionTimeline(page, 'Live capture', 'invoke_agent Weather assistant');
      await openSpanInPanel(frame, await rowKeyByName(frame, 'chat gpt-4o'));
      await assertFields(frame, 'model', { Model: 'gpt-4o', 'Response model': 'gpt-4o-2024-08-06', Provider: 'openai', 'Finish reasons': 'tool_calls' });
      await assertFields(frame, 'usage', { 'Input tokens': '96', 'Output tokens': '18', 'Total tokens': '114' });
      assert.equal(await text(frame, '[data-testid="system"] [data-testid="message-text"]'), 'You answer weather questions briefly.');
      assert.equal(await text(frame, '[data-testid="message"][data-direction="input"] [data-testid="message-text"]'), 'What is the weather in Lisbon?');
      assert.match((await frame.locator('[data-testid="tool-use"][data-tool-id="call_w"] [data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"city": "Lisbon"/);

      await collapseTree(page);
      frame = await openSessionTimeline(page, 'Live capture', 'Acme support (sample)');
      await openSpanInPanel(frame, await rowKeyByName(frame, 'gpt-4o-mini'));
      await assertFields(frame, 'model', { Model: 'gpt-4o-mini', Temperature: '0.2', 'Max tokens': '400' });
      await assertFields(frame, 'usage', { 'Input tokens': '182', 'Output tokens': '21', 'Total tokens': '203' });
      assert.equal(await text(frame, '[data-testid="system"] [data-testid="message-text"]'), 'You are the triage agent of Acme support. Route billing questions to Billing.');
      const call = frame.locator('[data-testid="tool-use"][data-tool-id="call_lookup_1"]');
      assert.equal(await call.locator('[data-testid="tool-name"]').textContent(), 'lookup_order');
      assert.match((await call.locator('[data-testid="tool-arguments"]').innerText()).replace(/\s+/g, ' '), /"order_id": 1042/);
    });

    it('exported file: Markdown toggle (sanitized vs plain), citation link, "Show more" folding', async () => {
      const { page } = wb;
      // media/demo/sample-sessions.json, span sup-llm-2.
      let frame = await openSessionTimeline(page, EXPORTS, 'Refund request — order 88123');
      await openSpanInPanel(frame, 'sup-llm-2');
      await setMarkdown(frame, true);
      const answer = frame.locator('[data-testid="message"][data-direction="output"] [data-testid="message-text"]');
      assert.deepEqual(await answer.locator('strong').allTextContents(), ['$129.95', 'Nov 24']);
      assert.equal(await answer.getAttribute('class'), 'text md');
      const link = frame.locator('[data-testid="citation-link"]').first();
      assert.equal(await link.getAttribute('data-url'), 'https://example.com/help/refunds');
      assert.equal(await link.textContent(), 'Refund policy');
      assert.equal(await link.evaluate((e) => e.hasAttribute('href')), false, 'the host opens links, not the webview');
      assert.match((await frame.locator('[data-testid="citation"]').first().innerText()).replace(/\s+/g, ' '), /Content id: kb-refund-policy Knowledge base: kb-support/);
      await setMarkdown(frame, false);
      assert.equal(await answer.getAttribute('class'), 'text plain');
      assert.equal(await answer.locator('strong').count(), 0);
      assert.equal(
        (await answer.textContent())?.trim(),
        'Thanks for waiting! We received your return and your refund of **$129.95** is being processed. Refunds post within 3–5 business days, so expect it by **Nov 24**.',
      );
      await setMarkdown(frame, true);
      assert.equal(await answer.locator('strong').count(), 2);

      // A long Markdown answer: sanitized rendering, folded behind "Show more".
      await collapseTree(page);
      frame = await openSessionTimeline(page, EXPORTS, 'Long Markdown answer (generated)');
      await openSpanInPanel(frame, 'long-1');
      const long = frame.locator('[data-testid="message"][data-direction="output"] [data-testid="message-text"]');
      assert.equal(await long.locator('h1').textContent(), 'Refund steps');
      assert.equal(await long.locator('strong').textContent(), 'approved');
      assert.equal(await long.locator('code').textContent(), 'refund --order 4471');
      const guide = long.locator('a.link');
      assert.equal(await guide.count(), 1, 'only the https link is a link');
      assert.equal(await guide.getAttribute('data-url'), 'https://example.com/refunds');
      assert.equal(await guide.textContent(), 'the refund guide');
      assert.equal(await long.locator('b, script, img, iframe').count(), 0);
      const visible = await long.innerText();
      // markdown-it does not even parse a javascript: target as a link: the source stays text.
      assert.ok(visible.includes('[bad link](javascript:alert(1)) is not a link'), 'the javascript: link is text');
      assert.ok(visible.includes('and <b>raw html</b> stays text.'), 'raw HTML is shown literally');
      assert.ok(visible.includes('Step 30 of the refund checklist'));
      assert.ok(!visible.includes('Step 60 of the refund checklist'), 'the tail is folded');
      const more = long.locator('[data-testid="show-more"]');
      assert.match((await more.textContent()) ?? '', /^Show more \([\d,]+ more characters\)$/);
      await more.click();
      assert.ok((await long.innerText()).includes('Step 60 of the refund checklist'));
      assert.equal(await long.locator('[data-testid="show-more"]').count(), 0);
      await setMarkdown(frame, false);
      const plain = await long.innerText();
      assert.ok(plain.startsWith('# Refund steps'), 'plain text shows the Markdown source');
      assert.ok(plain.includes('[the refund guide](https://example.com/refunds)'));
      assert.equal(await long.locator('h1, a').count(), 0);
      assert.equal(await long.locator('[data-testid="show-more"]').count(), 1, 'folded again after re-rendering');
      await setMarkdown(frame, true);
    });

    it('exported file: prompt reference and "Go to prompt source" opens the prompt definition in an editor', async () => {
      const { page } = wb;
      const frame = await openSessionTimeline(page, EXPORTS, 'Billing dispute (exported from Q Connect)');
      // test/fixtures/workspace/traces/qconnect-billing.json, span QueryReformulation.
      await openSpanInPanel(frame, Q.reformulation);
      const prompt = frame.locator('[data-testid="prompt-ref"]');
      assert.match((await prompt.innerText()).replace(/\s+/g, ' '), /Name QueryReformulationPrompt Prompt id c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42 Version 2 Type QUERY_REFORMULATION/);
      await assertFields(frame, 'model', { Model: 'anthropic.claude-3-haiku-20240307-v1:0' });
      await frame.locator('[data-testid="goto-prompt"]').click();
      // The CDK stack defines the prompt (see test/fixtures/workspace/README.md).
      const file = path.join(demo.workspace, 'infra', 'lib', 'prompts-stack.ts');
      const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes("name: 'QueryReformulationPrompt'")) + 1;
      assert.ok(line > 0);
      await page.locator('.tabs-container .tab.active[aria-label^="prompts-stack.ts"]').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('.editor-group-container.active .breadcrumbs-control').innerText(), /infra[\s\S]*lib[\s\S]*prompts-stack\.ts/);
      await page.locator('.statusbar-item', { hasText: new RegExp(`^Ln ${line}, Col \\d+`) }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+W');
    });

    it('session view: waterfall rows with kinds and durations, clicking a bar opens the span, the conversation', async () => {
      const frame = await openSessionTimeline(wb.page, QC, BILLING);
      // Kinds follow the fixture's operationName (invoke_agent, apply_guardrail, chat, execute_tool, retrieve).
      const rows = await frame.locator('[data-testid="waterfall-row"]:not([hidden])').evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-kind'), e.querySelector('.wf-name')?.textContent, e.querySelector('.wf-dur')?.textContent, e.classList.contains(`kind-${e.getAttribute('data-kind')}`)]),
      );
      assert.deepEqual(rows, [
        [Q.root, 'agent', 'SelfServiceOrchestrator', '6.84s', true],
        [Q.guardIn, 'guardrail', 'Guardrail.Input', '203ms', true],
        [Q.reformulation, 'llm', 'QueryReformulation', '873ms', true],
        [Q.converse, 'llm', 'Orchestration.Converse', '2.27s', true],
        [Q.retrieve, 'tool', 'Tool.Retrieve', '613ms', true],
        [Q.kbSearch, 'retrieval', 'KnowledgeBase.Search', '568ms', true],
        [Q.charges, 'tool', 'Tool.GetOrderCharges', '974ms', true],
        [Q.answer, 'llm', 'AnswerGeneration', '2.12s', true],
        [Q.guardOut, 'guardrail', 'Guardrail.Output', '281ms', true],
      ]);
      assert.equal(await frame.locator('[data-testid="waterfall-row"].failed:not([hidden])').count(), 0);
      assert.equal(await text(frame, '[data-testid="session-title"]'), BILLING);
      assert.equal(await frame.locator('[data-testid="load-status"]').getAttribute('data-state'), 'done');

      await openSpanInPanel(frame, Q.kbSearch, true);
      assert.equal(await (await waterfallRow(frame, Q.kbSearch)).getAttribute('aria-selected'), 'true');
      await frame.locator('[data-testid="show-session"]').click();
      await frame.locator('[data-testid="session-transcript"]').waitFor();

      // The conversation: every LLM call once, history repeated by later calls noted, not shown again.
      const turns = frame.locator('[data-testid="turn"]');
      assert.deepEqual(await turns.evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))), [Q.reformulation, Q.converse, Q.answer]);
      assert.equal(await turns.nth(1).locator('[data-testid="turn-agent"]').innerText().then((t) => t.trim()), 'SelfServiceOrchestrator');
      assert.equal(await text(frame, '[data-testid="turn"] [data-testid="turn-model"]'), 'us.anthropic.claude-3-5-haiku-20241022-v1:0');
      assert.deepEqual(await allTexts(frame, '[data-testid="repeated-note"]'), [
        '1 earlier message repeated from the conversation above (not shown again).',
        '1 earlier message repeated from the conversation above (not shown again).',
      ]);
      const customer = 'Hi, I was charged twice for order 4471 last Tuesday. Card ending 4242. Can you refund one of the charges?';
      const texts = await allTexts(frame, '[data-testid="session-transcript"] [data-testid="message"][data-role="customer"] [data-testid="message-text"]');
      assert.deepEqual(texts, [customer], 'the customer message is shown once');
      assert.equal(await turns.first().locator('details[data-testid="system"]').count(), 1, 'system instructions of the first call');
      await turns.nth(2).locator('.turn-name').click();
      await frame.locator(`[data-testid="span-view"][data-key="${Q.answer}"]`).waitFor();
      await frame.locator('[data-testid="show-session"]').click();
      await frame.locator('[data-testid="session-transcript"]').waitFor();
    });

    it('hidden and shown again: the page reloads and comes back on the span it showed, not the session view it was opened with', async () => {
      const frame = await openSessionTimeline(wb.page, QC, BILLING);
      await openSpanInPanel(frame, Q.converse);
      // Another editor in the group hides the panel: its webview is destroyed.
      await runCommand(wb.page, 'File: New Untitled Text File');
      const untitled = wb.page.locator('.tabs-container .tab', { hasText: 'Untitled' });
      await untitled.and(wb.page.locator('.tab.active')).waitFor();
      const again = await focusPanel(wb.page, BILLING);
      await again.locator(`[data-testid="span-view"][data-key="${Q.converse}"]`).waitFor({ timeout: 30_000 });
      assert.equal(await (await waterfallRow(again, Q.converse)).getAttribute('aria-selected'), 'true');
      assert.equal(await again.locator('[data-testid="session-transcript"]').count(), 0);
      await untitled.click();
      await wb.page.keyboard.press('Control+W');
      await untitled.waitFor({ state: 'detached' });
    });

    it('search: matches highlighted in the waterfall and the text, next/previous, Esc clears', async () => {
      const frame = await openSessionTimeline(wb.page, QC, BILLING);
      const input = frame.locator('[data-testid="search-input"] input');
      const state = async () => [await text(frame, '[data-testid="search-count"]'), await frame.locator('[data-testid="span-view"]').getAttribute('data-key')];
      // "Card payment FAQ" is a citation title in Tool.Retrieve and KnowledgeBase.Search only.
      await input.fill('Card payment FAQ');
      await frame.locator('[data-testid="search-count"]', { hasText: '1 of 2' }).waitFor();
      await frame.locator(`[data-testid="span-view"][data-key="${Q.retrieve}"]`).waitFor();
      assert.deepEqual(await frame.locator('[data-testid="waterfall-row"].match').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))), [Q.retrieve, Q.kbSearch]);
      await frame.locator('[data-testid="search-next"]').click();
      await frame.locator(`[data-testid="span-view"][data-key="${Q.kbSearch}"]`).waitFor();
      assert.deepEqual(await state(), ['2 of 2', Q.kbSearch]);
      // KnowledgeBase.Search has the title as message text: highlighted there.
      assert.deepEqual(await allTexts(frame, '[data-testid="detail"] [data-testid="message-text"] mark'), ['Card payment FAQ']);
      await input.press('Enter');
      await frame.locator(`[data-testid="span-view"][data-key="${Q.retrieve}"]`).waitFor();
      assert.deepEqual(await state(), ['1 of 2', Q.retrieve], 'next wraps around');
      await frame.locator('[data-testid="search-prev"]').click();
      await frame.locator(`[data-testid="span-view"][data-key="${Q.kbSearch}"]`).waitFor();
      assert.deepEqual(await state(), ['2 of 2', Q.kbSearch]);
      await input.press('Shift+Enter');
      await frame.locator(`[data-testid="span-view"][data-key="${Q.retrieve}"]`).waitFor();
      assert.deepEqual(await state(), ['1 of 2', Q.retrieve]);
      await input.fill('no such text anywhere');
      await frame.locator('[data-testid="search-count"]', { hasText: 'No results' }).waitFor();
      // The count and the rows' highlight update in separate frames: wait for the rows.
      await frame.waitForFunction(() => document.querySelectorAll('[data-testid="waterfall-row"].match').length === 0, undefined, { timeout: 5_000 });
      assert.equal(await frame.locator('[data-testid="waterfall-row"].match').count(), 0);
      await input.fill('throttling');
      await frame.locator('[data-testid="search-count"]', { hasText: 'No results' }).waitFor(); // only in the other session
      await input.press('Escape');
      await frame.waitForFunction(() => (document.querySelector('[data-testid="search-count"]')?.textContent ?? 'x') === '');
      assert.equal(await frame.locator('[data-testid="waterfall-row"].match').count(), 0);
      assert.equal(await frame.locator('[data-testid="detail"] mark').count(), 0);
    });

    it('keyboard: ↑/↓ move, ←/→ collapse/expand and go to parent/child, Enter opens, Esc returns to the session', async () => {
      const { page } = wb;
      const frame = await openSessionTimeline(page, QC, BILLING);
      const cursor = () => frame.locator('[data-testid="waterfall-row"].cursor').getAttribute('data-key');
      const open = async () => ((await frame.locator('[data-testid="span-view"]').count()) ? frame.locator('[data-testid="span-view"]').getAttribute('data-key') : null);
      await openSpanInPanel(frame, Q.guardIn);
      await page.keyboard.press('Escape');
      await frame.locator('[data-testid="session-transcript"]').waitFor();
      assert.equal(await frame.evaluate(() => document.activeElement?.classList.contains('wf-scroller')), true, 'Esc focuses the waterfall');
      assert.equal(await cursor(), Q.guardIn);
      await page.keyboard.press('ArrowDown');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.reformulation}"]`).waitFor();
      assert.equal(await open(), null, 'moving does not open');
      await page.keyboard.press('Enter');
      await frame.locator(`[data-testid="span-view"][data-key="${Q.reformulation}"]`).waitFor();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.root}"]`).waitFor();
      await page.keyboard.press('ArrowLeft');
      await frame.locator(`[data-testid="waterfall-row"][data-key="${Q.root}"][aria-expanded="false"]`).waitFor();
      assert.deepEqual(await visibleRows(frame), [Q.root], 'collapsed to the root');
      await page.keyboard.press('ArrowRight');
      await frame.locator(`[data-testid="waterfall-row"][data-key="${Q.root}"][aria-expanded="true"]`).waitFor();
      assert.equal((await visibleRows(frame)).length, 9);
      await page.keyboard.press('ArrowRight');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.guardIn}"]`).waitFor();
      await page.keyboard.press('ArrowLeft');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.root}"]`).waitFor();
      await page.keyboard.press('End');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.guardOut}"]`).waitFor();
      await page.keyboard.press('Home');
      await frame.locator(`[data-testid="waterfall-row"].cursor[data-key="${Q.root}"]`).waitFor();
      await page.keyboard.press('Enter');
      await frame.locator(`[data-testid="span-view"][data-key="${Q.root}"]`).waitFor();
      await page.keyboard.press('Escape');
      await frame.locator('[data-testid="session-transcript"]').waitFor();
      assert.equal(await open(), null);
    });

    it('dark theme colours come from the theme; screenshot panel-dark.png', async () => {
      await checkThemeColours(wb, 'dark');
    });
  });

  describe('light theme (Default Light Modern)', () => {
    const wb = useWorkbench('panel-light', () => ({ workspace: demo.workspace, env: demo.env, theme: 'Default Light Modern' }), { collapse: false });

    it('light theme colours come from the theme; the span view shows its values; screenshot panel-light.png', async () => {
      await checkThemeColours(wb, 'light');
      const frame = await focusPanel(wb.page, BILLING);
      assert.equal(await text(frame, '[data-testid="span-name"]'), 'AnswerGeneration');
      assert.deepEqual(await allTexts(frame, '[data-testid="guardrail-action"]'), ['MASKED', 'NONE']);
      assert.equal(await frame.locator('[data-testid="citation"]').count(), 1);
      assert.equal(await wb.page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs')), true, 'the workbench runs the light theme');
    });
  });
});
