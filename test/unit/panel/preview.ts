// Standalone preview of the panel's webview in headless Chromium, without VS
// Code: serves the real bundle, CSS and codicons under the real CSP, stubs
// acquireVsCodeApi, and answers the webview with a host built from the same
// pure modules SessionPanel uses (RowStreamer, Conversation, searchSpans).
// Not a mocha test (no .test.ts): a developer tool.
//   npx tsx test/unit/panel/preview.ts [--theme light|dark] [--big N] [--out DIR]
// It runs a few scenarios and writes screenshots to --out (default /tmp/panel-preview).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { getRaw, setRaw } from '../../../src/model/raw';
import { ForestBuilder } from '../../../src/model/tree';
import type { Session } from '../../../src/model/types';
import { Conversation } from '../../../src/panel/conversation';
import { makeNonce, panelHtml } from '../../../src/panel/html';
import { panelStrings } from '../../../src/panel/panelStrings';
import { toJsonText } from '../../../src/panel/rawJson';
import { keyedSpans, RowStreamer } from '../../../src/panel/rows';
import { searchSpans } from '../../../src/panel/search';
import { LIMITS, type HostMessage, type PanelState, type WebviewMessage } from '../../../src/protocol';
import { bigSession, session as demoSession, spans as demoSpans } from './fixtures';

const root = path.resolve(__dirname, '../../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

const THEMES: Record<string, Record<string, string>> = {
  dark: {
    'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', foreground: '#cccccc', 'font-family': 'system-ui, sans-serif', 'font-size': '13px',
    'editor-font-family': 'monospace', 'editor-font-size': '12px', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b', 'widget-border': '#313131',
    'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', focusBorder: '#0078d4', 'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'editor-findMatchHighlightBackground': '#ea5c0055',
    'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
    'charts-lines': '#cccccc80', 'charts-foreground': '#cccccc', 'testing-iconFailed': '#f14c4c', 'testing-iconPassed': '#73c991', errorForeground: '#f85149',
    'editorWarning-foreground': '#cca700', 'textCodeBlock-background': '#2b2b2b', 'textBlockQuote-background': '#2b2b2b', 'textBlockQuote-border': '#616161',
    'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#352a05',
    'editorWidget-background': '#202020', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc', 'input-background': '#313131', 'input-foreground': '#cccccc', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
    'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'panelTitle-activeForeground': '#e7e7e7', 'panelTitle-activeBorder': '#0078d4',
    'panelTitle-inactiveForeground': '#9d9d9d', 'debugTokenExpression-name': '#c586c0', 'debugTokenExpression-string': '#ce9178',
    'debugTokenExpression-number': '#b5cea8', 'debugTokenExpression-boolean': '#4e94ce', 'sash-hoverBorder': '#0078d4', 'progressBar-background': '#0078d4',
  },
  light: {
    'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', foreground: '#3b3b3b', 'font-family': 'system-ui, sans-serif', 'font-size': '13px',
    'editor-font-family': 'monospace', 'editor-font-size': '12px', descriptionForeground: '#717171', 'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5',
    'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', focusBorder: '#005fb8', 'list-hoverBackground': '#f2f2f2',
    'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'editor-findMatchHighlightBackground': '#ea5c0055',
    'charts-blue': '#1a85ff', 'charts-red': '#e51400', 'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-purple': '#652d90',
    'charts-lines': '#00000080', 'charts-foreground': '#616161', 'testing-iconFailed': '#f14c4c', 'testing-iconPassed': '#388a34', errorForeground: '#f85149',
    'editorWarning-foreground': '#bf8803', 'textCodeBlock-background': '#f2f2f2', 'textBlockQuote-background': '#f2f2f2', 'textBlockQuote-border': '#e5e5e5',
    'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'inputValidation-warningBackground': '#f6f5d2',
    'editorWidget-background': '#f8f8f8', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
    'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-activeBorder': '#005fb8',
    'panelTitle-inactiveForeground': '#3b3b3b', 'debugTokenExpression-name': '#9b46b0', 'debugTokenExpression-string': '#a31515',
    'debugTokenExpression-number': '#098658', 'debugTokenExpression-boolean': '#0000ff', 'sash-hoverBorder': '#005fb8', 'progressBar-background': '#005fb8',
  },
};

/** The host side, minus `vscode`: the same pure pieces SessionPanel uses. */
class FakeHost {
  forest = new ForestBuilder();
  streamer = new RowStreamer();
  state: 'loading' | 'done' = 'loading';
  sent: WebviewMessage[] = [];
  constructor(
    private readonly page: Page,
    private readonly session: Session,
    private readonly initial: Partial<PanelState>,
  ) {}

  async post(m: HostMessage): Promise<void> {
    await this.page.evaluate((msg) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  }

  async push(): Promise<void> {
    for (let b = this.streamer.next(this.forest, LIMITS.rowsPerMessage); b; b = b.more ? this.streamer.next(this.forest, LIMITS.rowsPerMessage) : undefined) {
      await this.post({ type: 'rows', reset: b.reset, rows: b.rows });
    }
    await this.post({ type: 'load', info: { state: this.state, count: this.forest.size, warnings: this.forest.issues.map((i) => i.message) } });
    if (this.pending && this.forest.get(this.pending)) await this.onMessage({ type: 'openSpan', key: this.pending });
  }

  pending: string | undefined;

  async onMessage(m: WebviewMessage): Promise<void> {
    this.sent.push(m);
    switch (m.type) {
      case 'ready':
        this.streamer.reset();
        await this.post({ type: 'init', state: { backendId: 'demo', session: this.session, markdown: true, ...this.initial }, strings: panelStrings({ t: (m) => m }) });
        await this.push();
        return;
      case 'openSpan': {
        const node = this.forest.get(m.key);
        this.pending = node ? undefined : m.key;
        const raw = node ? getRaw(node.span) : undefined;
        await this.post(
          node
            ? { type: 'span', key: m.key, span: node.span, raw: toJsonText(raw ?? node.span), rawIsOriginal: raw !== undefined, flags: { orphan: node.orphan, duplicate: node.duplicate } }
            : { type: 'span', key: m.key, rawIsOriginal: false, flags: {} },
        );
        return;
      }
      case 'requestConversation': {
        const conversation = new Conversation(keyedSpans(this.forest));
        const turns = (await conversation.upTo(m.offset + m.limit)).slice(m.offset);
        await this.post({ type: 'conversation', offset: m.offset, turns, total: conversation.total, complete: this.state === 'done' });
        return;
      }
      case 'search': {
        const r = searchSpans(keyedSpans(this.forest), m.query, LIMITS.maxSearchResults);
        await this.post({ type: 'searchResults', query: m.query, keys: r.keys, truncated: r.truncated });
        return;
      }
    }
  }
}

async function main(): Promise<void> {
  const out = opt('out', '/tmp/panel-preview');
  const theme = opt('theme', 'dark');
  const big = Number(opt('big', '0'));
  fs.mkdirSync(out, { recursive: true });
  const bundle = path.join(out, 'webview.js');
  await esbuild.build({ entryPoints: [path.join(root, 'webview/main.ts')], bundle: true, format: 'iife', target: 'es2022', outfile: bundle, logLevel: 'warning' });

  const files: Record<string, [string, string]> = {
    '/webview.js': [bundle, 'text/javascript'],
    '/panel.css': [path.join(root, 'media/panel.css'), 'text/css'],
    '/codicons/codicon.css': [path.join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), 'text/css'],
    '/codicons/codicon.ttf': [path.join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), 'font/ttf'],
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const f = files[url];
    if (f) {
      res.writeHead(200, { 'content-type': f[1] });
      res.end(fs.readFileSync(f[0]));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(panelHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/webview.js`, styleUri: `${origin}/panel.css`, codiconUri: `${origin}/codicons/codicon.css` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--headless'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: Number(opt('height', '1000')) } });
  const errors: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.log(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));

  const spans = big ? bigSession(big) : demoSpans();
  if (!big) {
    // A long answer (folded) and many more calls (conversation paging).
    const long = Array.from({ length: 120 }, (_, i) => `Paragraph ${i}: lorem ipsum dolor sit amet.`).join('\n\n');
    for (let i = 0; i < 130; i++) {
      spans.push({ id: `extra-${i}`, parentId: 'root', sessionId: 'sess-1', name: `follow-up ${i}`, kind: 'llm', status: 'ok', startTime: spans[0].startTime + 8500 + i, endTime: spans[0].startTime + 8501 + i, input: [{ role: 'user', parts: [{ type: 'text', text: `follow-up question ${i}` }] }], output: [{ role: 'assistant', parts: [{ type: 'text', text: i === 0 ? long : `reply ${i}` }] }], attributes: {} });
    }
  }
  for (const s of spans.slice(0, 3)) setRaw(s, { wire: true, spanId: s.id, payload: { nested: [1, 2, 3] } });
  const sess = big ? { backendId: 'demo', id: 'big', name: `Big session (${big} spans)` } : demoSession;
  const host = new FakeHost(page, sess, big ? {} : { view: 'span', spanKey: 'llm-2' });
  await page.exposeBinding('__toHost', (_src, m: WebviewMessage) => host.onMessage(m));
  const vars = THEMES[theme];
  // A plain string: functions passed to the page would carry tsx's __name helper.
  await page.addInitScript({
    content: `
      let state;
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__toHost(m),
        getState: () => state,
        setState: (s) => { state = s; },
      });
      document.addEventListener('securitypolicyviolation', (e) => console.warn('CSP violation: ' + e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber + ' on ' + (e.target && e.target.nodeName)));
      // Like VS Code, theme variables live on <html> (set through CSSOM, which the CSP allows).
      const vars = ${JSON.stringify(vars)};
      const apply = () => { for (const k in vars) document.documentElement.style.setProperty('--vscode-' + k, vars[k]); };
      if (document.documentElement) apply();
      else new MutationObserver((_m, o) => { if (document.documentElement) { apply(); o.disconnect(); } }).observe(document, { childList: true });
    `,
  });

  await page.goto(origin);
  await page.waitForTimeout(300);
  const t0 = Date.now();
  const page1 = Math.ceil(spans.length / 4);
  for (let i = 0; i < spans.length; i += page1) {
    host.forest.add(spans.slice(i, i + page1));
    await host.push();
  }
  host.state = 'done';
  await host.push();
  await page.waitForTimeout(500);
  console.log(`loaded ${spans.length} spans into the webview in ${Date.now() - t0} ms`);

  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(out, `${name}-${theme}.png`), fullPage: false });
    console.log(`wrote ${name}-${theme}.png`);
  };

  if (big) {
    const rows = await page.locator('[data-testid="waterfall-row"]:not([hidden])').count();
    console.log(`rows in DOM: ${rows}`);
    const scroller = page.locator('.wf-scroller');
    const t1 = Date.now();
    for (let i = 0; i < 30; i++) {
      await scroller.evaluate((el, y) => ((el as unknown as { scrollTop: number }).scrollTop = y), i * 50_000);
      await page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => r(null))));
    }
    console.log(`30 scroll jumps rendered in ${Date.now() - t1} ms`);
    await scroller.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await shot('big');
    await page.locator('[data-testid="search-input"]').click();
    await page.keyboard.type('step 4999');
    await page.waitForTimeout(800);
    console.log(`search count: ${await page.locator('[data-testid="search-count"]').textContent()}`);
    await shot('big-search');
  } else {
    await shot('span');
    await page.locator('[data-testid="raw-tab"]').click();
    await page.waitForTimeout(300);
    await page.locator('[data-testid="attr-table"]').scrollIntoViewIfNeeded();
    await shot('raw');
    await page.locator('[data-testid="details-tab"]').click();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(400);
    await shot('session');
    await page.locator('[data-testid="waterfall-row"][data-key="tool-2"]').click();
    await page.waitForTimeout(300);
    await shot('tool-error');
    await page.locator('[data-testid="search-input"]').click();
    await page.keyboard.type('refund');
    await page.waitForTimeout(800);
    console.log(`search count: ${await page.locator('[data-testid="search-count"]').textContent()}`);
    await shot('search');
    // Folding, Markdown toggle, conversation paging.
    await page.locator('[data-testid="search-input"]').click();
    await page.keyboard.press('Escape'); // clears the search
    await page.waitForTimeout(400);
    await page.locator('[data-testid="waterfall-row"][data-key="extra-0"]').click();
    await page.waitForTimeout(300);
    const before = await page.locator('[data-testid="message-text"]').last().textContent();
    await page.locator('[data-testid="show-more"]').first().click();
    const after = await page.locator('[data-testid="message-text"]').last().textContent();
    console.log(`folded ${before?.length} chars, unfolded ${after?.length}`);
    await page.locator('[data-testid="markdown-toggle"]').click();
    await page.waitForTimeout(200);
    console.log(`plain text blocks after toggle: ${await page.locator('.plain-text').count()}, markdown blocks: ${await page.locator('.markdown').count()}`);
    await page.locator('[data-testid="markdown-toggle"]').click();
    await page.locator('[data-testid="show-session"]').click();
    await page.waitForTimeout(400);
    console.log(`turns: ${await page.locator('[data-testid="turn"]').count()}`);
    await page.locator('[data-testid="conversation-more"]').click();
    await page.waitForTimeout(400);
    console.log(`turns after "show more": ${await page.locator('[data-testid="turn"]').count()}, more button left: ${await page.locator('[data-testid="conversation-more"]').count()}`);
    // The script tag in the fixture must stay text.
    console.log(`script elements in the page: ${await page.locator('script').count()}`);
    console.log(`host received: ${[...new Set(host.sent.map((m) => m.type))].join(', ')}`);
  }
  if (errors.length) console.log(`console problems:\n${errors.join('\n')}`);
  await browser.close();
  server.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
