// The screenshots the docs pages show (docs/producers.md, editor.md, analysis.md,
// cost.md), taken in one dark workbench on the demo environment: each test first
// asserts that what the picture shows is on screen, so a broken feature fails
// here instead of shipping a stale image. PNGs go to test-results/screenshots/
// (docs-*.png; the analysis ones and a producer span again in Light Modern at the end); `node scripts/update-screenshots.mjs` copies them to docs/images/.
// Producers: the recorded real-producer traffic (test/fixtures/recorded/,
// `npm run record`) is replayed into the live capture receiver as it was sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { prepareDemo, type DemoEnvironment } from '../../scripts/demoEnvironment';
import { OPENAI_INGEST_PATH, OTLP_LOGS_PATH, OTLP_TRACES_PATH } from '../../src/capture/receiver';
import { collapseTree, expand, launchWorkbench, luminance, openSessionTimeline, openSpanInPanel, openSpanInspector, panelFrame, resolveColor, ROOT, runCommand, treeRow, type Workbench } from './workbench';

const RECORDED = path.join(ROOT, 'test', 'fixtures', 'recorded');
const PATHS = { openai: OPENAI_INGEST_PATH, otlp: OTLP_TRACES_PATH, 'otlp-logs': OTLP_LOGS_PATH } as const;
const QC = 'Amazon Q Connect (emulator)';
const BILLING = 'Billing dispute - order 4471';
const EXPORTS = 'Exported sessions (traces/)';
const TRIAGE = 'Order triage (docs)';

/** A session of the fixture workspace's triage agent: a failing tool call gives its definition a Problem. */
function triageSession(): unknown {
  const t = Date.UTC(2025, 6, 1, 9);
  const base = { sessionId: 'docs-triage', traceId: 'trace-docs', status: 'ok', attributes: {} };
  return {
    session: { backendId: 'exports', id: 'docs-triage', name: TRIAGE, startTime: t },
    spans: [
      { ...base, id: 'agent-1', name: 'Triage Agent', kind: 'agent', startTime: t, durationMs: 4000, agent: { name: 'Triage Agent' } },
      { ...base, id: 'llm-1', parentId: 'agent-1', name: 'chat gpt-4o-mini', kind: 'llm', startTime: t + 10, durationMs: 1200, model: { request: 'gpt-4o-mini' }, usage: { input: 300, output: 40 } },
      { ...base, id: 'tool-ok', parentId: 'agent-1', name: 'get_order_status', kind: 'tool', startTime: t + 1300, durationMs: 200, tool: { name: 'get_order_status', arguments: { order_id: 'A1' }, result: 'shipped' } },
      { ...base, id: 'tool-bad', parentId: 'agent-1', name: 'get_order_status', kind: 'tool', status: 'error', statusMessage: 'order service timed out', startTime: t + 1600, durationMs: 2300, tool: { name: 'get_order_status', arguments: { order_id: 'A2' }, error: 'order service timed out' } },
    ],
  };
}

const TURNS = 'Support chat, three turns (docs)';

/**
 * A support chat of three turns 25 minutes apart, one trace each (as an SGP
 * group or an OpenAI group_id has them); in the second, the refund waits 4
 * minutes for a human approval: an idle gap inside its trace.
 */
function turnsSession(): unknown {
  const t0 = Date.UTC(2025, 9, 6, 14, 0, 0);
  const spans: Record<string, unknown>[] = [];
  const add = (trace: number, id: string, parentId: string | undefined, name: string, kind: string, start: number, ms: number, extra: Record<string, unknown> = {}) =>
    spans.push({ id, ...(parentId ? { parentId } : {}), sessionId: 'docs-turns', traceId: `trace-turn-${trace}`, name, kind, status: 'ok', startTime: start, durationMs: ms, attributes: {}, ...extra });
  const text = (role: string, s: string) => [{ role, parts: [{ type: 'text', text: s }] }];
  const chat = (input: number, output: number, ask: string, answer: string) => ({ model: { request: 'gpt-4o-mini' }, usage: { input, output }, input: text('user', ask), ...(answer ? { output: text('assistant', answer) } : {}) });
  const tool = (name: string) => ({ tool: { name } });
  const QUESTIONS = ['Where is order A-1042?', 'It arrived broken, can I get a refund?', 'Thanks! When will I see the money?'];
  const ANSWERS = ['Order A-1042 shipped yesterday and arrives Thursday.', 'I have asked for a refund of $49.90; a colleague approves it shortly.', 'Refunds reach your card within 3 to 5 business days.'];
  for (let i = 0; i < 3; i++) {
    const at = t0 + i * 25 * 60_000;
    const long = i === 1 ? 4200 : 9000;
    add(i, `turn-${i}`, undefined, `Support agent: turn ${i + 1}`, 'agent', at, long, { agent: { name: 'Support agent' } });
    add(i, `chat-${i}-1`, `turn-${i}`, 'chat gpt-4o-mini', 'llm', at + 100, 2600, chat(900 + i * 400, 60, QUESTIONS[i], i === 2 ? ANSWERS[2] : ''));
    if (i === 0) add(i, 'tool-0', 'turn-0', 'lookup_order', 'tool', at + 2800, 900, tool('lookup_order'));
    if (i === 1) add(i, 'tool-1', 'turn-1', 'request_refund', 'tool', at + 2800, 1300, tool('request_refund'));
    if (i !== 1) add(i, `chat-${i}-2`, `turn-${i}`, 'chat gpt-4o-mini', 'llm', at + 4500, 4200, chat(1200 + i * 400, 180, QUESTIONS[i], ANSWERS[i]));
  }
  // The approval arrives 4 minutes after turn 2 asked for it, in the same trace.
  const approval = t0 + 25 * 60_000 + 4 * 60_000;
  add(1, 'approval', undefined, 'refund approved (human)', 'custom', approval, 6000);
  add(1, 'tool-1b', 'approval', 'issue_refund', 'tool', approval + 200, 1500, tool('issue_refund'));
  add(1, 'chat-1-2', 'approval', 'chat gpt-4o-mini', 'llm', approval + 1900, 4000, chat(1700, 60, QUESTIONS[1], ANSWERS[1]));
  return { session: { backendId: 'exports', id: 'docs-turns', name: TURNS, startTime: t0 }, spans };
}

/** Posts each recorded request body to the receiver, as the producer sent it. */
async function replayRecorded(port: number, name: string): Promise<void> {
  const lines = fs.readFileSync(path.join(RECORDED, `${name}.capture.jsonl`), 'utf8').trim().split('\n');
  for (const line of lines) {
    const rec = JSON.parse(line) as { kind: keyof typeof PATHS; body: unknown };
    const r = await fetch(`http://127.0.0.1:${port}${PATHS[rec.kind]}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer recorded' }, body: JSON.stringify(rec.body) });
    assert.ok(r.status < 300, `${name}: ${rec.kind} answered ${r.status}`);
  }
}

describe('docs screenshots', function () {
  let demo: DemoEnvironment;
  let wb: Workbench;

  before(async () => {
    demo = await prepareDemo(fs.mkdtempSync(path.join(os.tmpdir(), 'span-docs-')));
    fs.writeFileSync(path.join(demo.workspace, 'traces', 'docs-triage.json'), JSON.stringify(triageSession()));
    fs.writeFileSync(path.join(demo.workspace, 'traces', 'docs-turns.json'), JSON.stringify(turnsSession()));
    fs.mkdirSync(path.join(demo.workspace, 'runs'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'openai', 'python-sdk.jsonl'), path.join(demo.workspace, 'runs', 'customer.trace.jsonl'));
    wb = await launchWorkbench({ workspace: demo.workspace, env: demo.env });
    await openSpanInspector(wb.page).catch(async (err) => {
      await wb.screenshot('FAILED-docs-start');
      throw err;
    });
  });

  after(async () => {
    await wb?.stop();
    await demo?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`FAILED-docs-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  /** Lets the webview paint (fonts, charts) before the shot. */
  async function shot(name: string): Promise<void> {
    await wb.page.mouse.move(5, 5);
    await wb.page.waitForTimeout(700);
    await wb.screenshot(`docs-${name}`);
  }

  async function capturedSpan(sessionLabel: string | RegExp, spanKey: string): Promise<Frame> {
    await collapseTree(wb.page);
    const frame = await openSessionTimeline(wb.page, 'Live capture', sessionLabel);
    await openSpanInPanel(frame, spanKey);
    return frame;
  }

  /** Opens the (collapsed by default) reasoning parts of the span shown. */
  async function openReasoning(frame: Frame, text: string | RegExp): Promise<void> {
    const reasoning = frame.locator('[data-testid="reasoning"]').first();
    await reasoning.waitFor({ timeout: 10_000 });
    await reasoning.locator('summary').click();
    // The body is built when opened.
    await frame.locator('[data-testid="reasoning"][open]').filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
  }

  describe('producers (docs/producers.md)', () => {
    before(async function () {
      // The receiver listens once the extension is up; the first post waits for it.
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          await replayRecorded(demo.capturePort, 'openai-agents-python');
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      await replayRecorded(demo.capturePort, 'openinference-agno');
      await replayRecorded(demo.capturePort, 'otel-genai-openai-logs');
      await treeRow(wb.page, 'Live capture').waitFor({ timeout: 60_000 });
    });

    it('a streamed OpenAI Agents Chat Completions generation: reasoning and the tool call', async () => {
      const frame = await capturedSpan(/^span-inspector-tests|^scenario /, 'span_0f7395a72df84492b87cdea1');
      await frame.locator('[data-testid="span-name"]', { hasText: 'reasoner-chat' }).waitFor();
      const transcript = frame.locator('[data-testid="transcript"]');
      await transcript.locator('[data-testid="tool-use"]', { hasText: 'lookup_invoice' }).first().waitFor({ timeout: 10_000 });
      await openReasoning(frame, 'Thinking about: What about INV-3');
      await shot('producers-openai-streamed');
    });

    it('an Agno reasoning span: the reasoning part, then the answer', async () => {
      const frame = await capturedSpan('Thinker.run', '6b8c689ee82367bf');
      await openReasoning(frame, /\S/);
      // The answer's message: the reasoning part, then the text.
      assert.match(await frame.locator('[data-testid="transcript"]').innerText(), /Assistant\s+Reasoning[^\n]*\n[\s\S]*\n42\s*$/);
      await shot('producers-agno-reasoning');
    });

    it('an OTel GenAI span whose messages came through /v1/logs', async () => {
      const frame = await capturedSpan('chat gpt-stand-in', '8782452bd131169c');
      const answer = frame.locator('[data-testid="transcript"] .part', { hasText: 'Done: Sunny, 21 C' }).last();
      await answer.waitFor({ timeout: 10_000 });
      // The joined answer is the point of the picture: bring it into view.
      await answer.scrollIntoViewIfNeeded();
      await shot('producers-otel-logs');
    });
  });

  /** The three-turn session: a band per trace, the approval wait folded, zoomed 1.25× on the start of every turn. */
  async function timelineShot(name: string): Promise<void> {
    await collapseTree(wb.page);
    const frame = await openSessionTimeline(wb.page, EXPORTS, TURNS);
    await frame.locator('[data-testid="trace-band"]').nth(2).waitFor({ timeout: 30_000 });
    await frame.locator('[data-testid="trace-band"] [data-testid="axis-break"]').first().waitFor({ timeout: 10_000 });
    // Room for every trace: drag the splitter down.
    const split = (await frame.locator('.splitter').boundingBox())!;
    await wb.page.mouse.move(split.x + split.width / 2, split.y + split.height / 2);
    await wb.page.mouse.down();
    await wb.page.mouse.move(split.x + split.width / 2, split.y + 140, { steps: 5 });
    await wb.page.mouse.up();
    await frame.locator('.wf-scroller').focus();
    const box = (await frame.locator('.wf-track').first().boundingBox())!;
    await wb.page.mouse.move(box.x + 2, box.y + 5);
    await wb.page.keyboard.down('Control');
    await wb.page.mouse.wheel(0, -100);
    await wb.page.keyboard.up('Control');
    await frame.locator('[data-testid="timeline-zoom"]', { hasText: '×' }).waitFor({ timeout: 10_000 });
    await frame.locator('[data-testid="minimap-window"]').waitFor({ state: 'visible', timeout: 10_000 });
    await shot(name);
    await wb.page.keyboard.press('0');
  }

  describe('analysis and cost (docs/analysis.md, docs/cost.md)', () => {
    let frame: Frame;

    it('the session cost in the panel header', async () => {
      await collapseTree(wb.page);
      frame = await openSessionTimeline(wb.page, QC, BILLING);
      const cost = frame.locator('[data-testid="session-cost"]');
      await cost.waitFor({ timeout: 60_000 });
      assert.equal(((await cost.textContent()) ?? '').trim(), '$0.032');
      await shot('cost-header');
    });

    it('the timeline: one axis per trace, an idle gap folded, zoomed with the minimap', async () => {
      await timelineShot('timeline-traces');
    });

    it('the agent graph', async () => {
      await collapseTree(wb.page);
      frame = await openSessionTimeline(wb.page, QC, BILLING);
      await frame.locator('[data-testid="show-graph"]').click();
      await frame.locator('[data-testid="graph-node"][data-id="agent:SelfServiceOrchestrator"]').waitFor({ timeout: 30_000 });
      assert.ok((await frame.locator('[data-testid="graph-edge"]').count()) >= 4, 'edges to the tools and models');
      await shot('agent-graph');
    });

    it('the Summary: aggregates and charts', async () => {
      await frame.locator('[data-testid="show-summary"]').click();
      await frame.locator('[data-testid="aggregates-model"] tbody tr').first().waitFor({ timeout: 30_000 });
      const drawn = await frame.locator('[data-testid="aggregates-chart-model"] canvas').evaluate((c: { width: number; height: number }) => c.width > 0 && c.height > 0);
      assert.ok(drawn, 'the model chart is drawn');
      await shot('summary');
    });

    it('the sessions table', async () => {
      await runCommand(wb.page, 'Span Inspector: Open Sessions Table');
      const table = await panelFrame(wb.page, 'table-head');
      await table.locator('[data-testid="session-row"]:not([hidden]) [data-col="cost"]', { hasText: '$0.032' }).first().waitFor({ timeout: 60_000 });
      await shot('sessions-table');
      await wb.page.keyboard.press('Control+W');
    });
  });

  describe('editor (docs/editor.md)', () => {
    it('Compare Sessions in the diff editor', async () => {
      const { page } = wb;
      await collapseTree(page);
      await expand(page, QC);
      await treeRow(page, 'Password reset').waitFor({ timeout: 60_000 });
      await runCommand(page, 'Span Inspector: Compare Sessions…');
      for (const [title, session] of [['First session to compare', BILLING], ['Compare "', 'Password reset']]) {
        await page.locator('.quick-input-widget', { hasText: title }).waitFor({ timeout: 30_000 });
        await page.locator('.quick-input-widget input').fill(session);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: session }).first().waitFor({ timeout: 30_000 });
        await page.keyboard.press('Enter');
      }
      const diff = page.locator('.monaco-diff-editor').first();
      await diff.waitFor({ timeout: 60_000 });
      await page.locator('.monaco-diff-editor .view-line', { hasText: 'Span Inspector comparison' }).first().waitFor({ timeout: 30_000 });
      await shot('editor-compare');
    });

    it('a CodeLens with trace stats and a Problem on the tool definition', async () => {
      const { page } = wb;
      await collapseTree(page);
      await openSessionTimeline(page, EXPORTS, TRIAGE);
      await runCommand(page, 'View: Close All Editors');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('agents/triage.py');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'triage.py' }).first().click({ timeout: 30_000 });
      const lens = page.locator('.codelens-decoration', { hasText: /\d+ calls · p95 .* · [1-9]\d* errors?/ }).first();
      await lens.waitFor({ timeout: 60_000 });
      await shot('editor-codelens');
      await runCommand(page, 'View: Focus Problems');
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /get_order_status.*failed|failed.*order service timed out/ }).first();
      await problem.waitFor({ timeout: 60_000 });
      await shot('editor-problem');
      await page.keyboard.press('Control+J');
    });

    it('a trace file opened as a document', async () => {
      const { page } = wb;
      await runCommand(page, 'View: Close All Editors');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('customer.trace.jsonl');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'customer.trace.jsonl' }).first().click({ timeout: 30_000 });
      const frame = await panelFrame(page, 'waterfall-row');
      assert.ok((await frame.locator('[data-testid="waterfall-row"]:not([hidden])').count()) >= 2, 'the spans of the file are in the waterfall');
      assert.match((await page.locator('.tabs-container .tab.active').textContent()) ?? '', /Customer service/);
      await shot('editor-trace-document');
    });
  });

  describe('light theme (Light Modern)', () => {
    it('the panel Summary, agent graph, timeline, sessions table and a streamed OpenAI Agents generation', async () => {
      const { page } = wb;
      await runCommand(page, 'View: Close All Editors');
      // The theme picker's own key binding (the palette's title also matches "Browse Color Themes in Marketplace").
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await page.locator('.quick-input-widget input').fill('Light Modern');
      await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Light Modern$/ }) }).first().click({ timeout: 30_000 });
      await page.locator('.monaco-workbench.vs').waitFor({ timeout: 30_000 });
      await collapseTree(page);
      const frame = await openSessionTimeline(page, QC, BILLING);
      assert.ok(luminance(await resolveColor(frame, 'var(--vscode-editor-background)')) > 0.5, 'the panel follows the light theme');
      await frame.locator('[data-testid="show-summary"]').click();
      await frame.locator('[data-testid="aggregates-model"] tbody tr').first().waitFor({ timeout: 30_000 });
      await shot('summary-light');
      await frame.locator('[data-testid="show-graph"]').click();
      await frame.locator('[data-testid="graph-node"][data-id="agent:SelfServiceOrchestrator"]').waitFor({ timeout: 30_000 });
      await shot('agent-graph-light');
      await timelineShot('timeline-traces-light');
      await runCommand(page, 'Span Inspector: Open Sessions Table');
      const table = await panelFrame(page, 'table-head');
      await table.locator('[data-testid="session-row"]:not([hidden]) [data-col="cost"]', { hasText: '$0.032' }).first().waitFor({ timeout: 60_000 });
      await shot('sessions-table-light');
      await runCommand(page, 'View: Close All Editors');
      const span = await capturedSpan(/^scenario /, 'span_0f7395a72df84492b87cdea1');
      await openReasoning(span, 'Thinking about: What about INV-3');
      await shot('producers-openai-streamed-light');
    });
  });
});
