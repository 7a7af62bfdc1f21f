// The real workbench: code-server (VS Code 1.139, Node extension host) in
// Debian Chromium, with the built extension (dist/) and a `file` backend
// pointing at a generated session. Measures
//   - activation: the extension's own "Span Inspector activated in N ms" log line;
//   - open → painted waterfall: from clicking "Open Session Timeline" on the
//     session row until the panel's waterfall first draws rows (the webview's
//     own performance mark, FIRST_ROWS_MARK), split into VS Code's part (until
//     our webview document starts loading: its performance.timeOrigin) and
//     ours; until it holds every span (its scroll height covers all of them);
//     and the same first rows when the panel is opened again (warm, loaded);
//   - frame times while scrolling the waterfall (requestAnimationFrame deltas
//     while scrollTop advances every frame, as a fast wheel scroll does);
//   - search: typing a query until the panel's match count shows the answer;
//   - the sessions table: the command until the session's row shows;
//   - the extension host process's RSS with the session open (from /proc), and
//     its heap after a full GC (bench/probe.cjs, run inside the extension host
//     by the test-only host extension).
//   node --import tsx bench/workbench.ts SESSION_FILE SPAN_COUNT
// Prints `RESULT {json}`. Everything binds 127.0.0.1.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
// @ts-expect-error plain ESM helper shared with the launcher, the UI tests and the demo
import { ROOT, openWorkbench, startCodeServer } from '../test/host/codeServer.mjs';
import { openSpanInspector, runCommand, treeRow } from '../test/ui/workbench';
import { FIRST_ROWS_MARK } from '../src/protocol';

const ROW_HEIGHT = 22;


function findFiles(dir: string, name: RegExp, out: string[] = []): string[] {
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, name, out);
    else if (name.test(e.name)) out.push(p);
  }
  return out;
}

/** The "activated in N ms" line from the extension's log channel file. */
function activationMs(userDataDir: string): number | undefined {
  for (const f of findFiles(path.join(userDataDir, 'logs'), /\.log$/)) {
    const m = /Span Inspector activated in (\d+) ms/.exec(fs.readFileSync(f, 'utf8'));
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Processes whose environment carries our marker and whose command line says extension host. */
function extensionHostMemory(marker: string): { rssMB: number; hwmMB: number } | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (!env.includes(marker)) continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/extensionHost/i.test(cmd)) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
    } catch {
      // process gone or not ours
    }
  }
  return undefined;
}

/**
 * A span name (every run's root), a word of the customers' text (thousands of
 * spans; the search stops at LIMITS.maxSearchResults), and text no span has
 * (the worst case: every span read).
 */
const SEARCH_QUERIES = ['Support Orchestrator', 'Zürich', 'no such words'];
/** webview/main.ts waits this long after the last keystroke before it asks the host. */
const SEARCH_DEBOUNCE_MS = 250;

/**
 * Types `query` into the panel's search box and times, with the webview's
 * clock, until its match count shows the answer (less the debounce).
 */
async function searchOnce(frame: Frame, query: string): Promise<{ ms?: number; count?: string }> {
  const out = (await frame.evaluate(`new Promise((resolve) => {
    const input = document.querySelector('[data-testid="search-input"]');
    const count = document.querySelector('[data-testid="search-count"]');
    const before = count.textContent;
    let searching;
    const t0 = performance.now();
    const done = (r) => { obs.disconnect(); clearTimeout(timer); resolve(r); };
    const obs = new MutationObserver(() => {
      const text = count.textContent;
      if (searching === undefined) { if (text && text !== before) searching = text; return; }
      if (text !== searching) done({ ms: performance.now() - t0, count: text });
    });
    obs.observe(count, { childList: true, characterData: true, subtree: true });
    const timer = setTimeout(() => done({ count: 'no answer in 120 s' }), 120000);
    input.value = ${JSON.stringify(query)};
    input.dispatchEvent(new Event('input'));
  })`)) as { ms?: number; count?: string };
  // Clear the box again, so the next query starts from an empty count.
  await frame.evaluate(`(() => { const i = document.querySelector('[data-testid="search-input"]'); i.value = ''; i.dispatchEvent(new Event('input')); })()`);
  await frame.waitForTimeout(SEARCH_DEBOUNCE_MS * 3);
  return { ms: out.ms === undefined ? undefined : Math.round(out.ms - SEARCH_DEBOUNCE_MS), count: out.count };
}

async function frameWith(page: Page, selector: string, deadline: number): Promise<Frame | undefined> {
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.locator(selector).count()) return f;
      } catch {
        // detached while looking
      }
    }
    await page.waitForTimeout(20);
  }
  return undefined;
}

const waterfallFrame = (page: Page, deadline: number) => frameWith(page, '[data-testid="waterfall-row"]', deadline);

/** Wall-clock times in the panel's webview: when its document started loading, and when it first drew rows. */
async function webviewTimes(frame: Frame): Promise<{ documentAt: number; firstRowsAt: number | undefined }> {
  return (await frame.evaluate(`(() => {
    const mark = performance.getEntriesByName(${JSON.stringify(FIRST_ROWS_MARK)})[0];
    return { documentAt: performance.timeOrigin, firstRowsAt: mark ? performance.timeOrigin + mark.startTime : undefined };
  })()`)) as { documentAt: number; firstRowsAt: number | undefined };
}

async function main(): Promise<void> {
  const [sessionFile, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  // A million spans take minutes to load in the host.
  const allRowsLimitMs = Math.max(300_000, count * 0.6);
  const marker = `span-bench-${crypto.randomBytes(6).toString('hex')}`;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'span-bench-ws-'));
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'spanInspector.backends': [{ id: 'bench', type: 'file', label: 'Bench', path: sessionFile }] }, null, 2),
  );
  // The test-only host extension loads bench/probe.cjs into the extension host: it reports heap figures on request.
  const probeBase = path.join(workspace, '.probe');
  const server = await startCodeServer({
    workspace,
    extensions: [ROOT, path.join(ROOT, 'test', 'host', 'test-host')],
    env: { SPAN_BENCH_MARKER: marker, SPAN_INSPECTOR_TEST_SUITE: path.join(ROOT, 'bench', 'probe.cjs'), SPAN_INSPECTOR_TEST_RESULT: probeBase },
  });
  let probeSeq = 0;
  /** Asks the probe in the extension host for memory after a full GC (undefined if it does not answer within 60 s). */
  const probe = async (): Promise<Record<string, unknown> | undefined> => {
    const n = ++probeSeq;
    fs.writeFileSync(`${probeBase}.req`, String(n));
    // The host answers between its tasks: right after a 100k load it may be busy for a while (one full run waited > 10 s).
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const f = `${probeBase}.${n}.json`;
      if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>;
    }
    return undefined;
  };
  const result: Record<string, unknown> = { spans: count };
  let browser: { close(): Promise<void> } | undefined;
  try {
    const wb = await openWorkbench(server.url);
    browser = wb.browser;
    const page: Page = wb.page;
    await openSpanInspector(page);
    for (let i = 0; i < 200 && result.activationMs === undefined; i++) {
      result.activationMs = activationMs(server.userDataDir);
      if (result.activationMs === undefined) await page.waitForTimeout(100);
    }
    result.exthostIdle = extensionHostMemory(marker);
    result.heapIdle = await probe();

    // Backend row → session row (listing reads the file; not timed).
    const backendRow = treeRow(page, 'Bench');
    await backendRow.waitFor({ timeout: 60_000 });
    if ((await backendRow.getAttribute('aria-expanded')) !== 'true') await backendRow.locator('.monaco-tl-twistie').click();
    const sessionRow = treeRow(page, /Benchmark session/);
    await sessionRow.waitFor({ timeout: Math.max(120_000, count * 0.3) });
    await sessionRow.hover();
    const action = sessionRow.locator('.action-label[aria-label^="Open Session Timeline"]');
    await action.waitFor({ timeout: 10_000 });

    // Let the workbench finish starting up: a click right after the row appears measured VS Code's own
    // start-up too (its webview document then started 0.3–2.5 s after the click instead of ~0.3 s).
    await page.waitForTimeout(3_000);
    const t0 = Date.now();
    await action.click();
    const frame = await waterfallFrame(page, t0 + 180_000);
    if (!frame) throw new Error('the waterfall did not show rows within 180 s');
    const seenAt = Date.now();
    // The webview's own clock: polling the frames from here lags the paint by up to ~0.15 s.
    const times = await webviewTimes(frame);
    result.openToFirstRowsMs = Math.round((times.firstRowsAt ?? seenAt) - t0);
    result.openToDocumentMs = Math.round(times.documentAt - t0);
    // Complete: the scroll height covers every span (all rows are expanded by default).
    const full = count * ROW_HEIGHT;
    for (;;) {
      const h = (await frame.evaluate(`document.querySelector('.wf-scroller')?.scrollHeight ?? 0`)) as number;
      if (h >= full) break;
      if (Date.now() - t0 > allRowsLimitMs) {
        result.rowsShown = Math.round(h / ROW_HEIGHT);
        break;
      }
      await page.waitForTimeout(50);
    }
    result.openToAllRowsMs = Date.now() - t0;
    result.exthostOpen = extensionHostMemory(marker);
    const open = await probe();
    result.heapOpen = open;
    const firstPageAt = (open?.sessions as { firstPageAt?: number }[] | undefined)?.[0]?.firstPageAt;
    if (firstPageAt) result.openToFirstPageMs = firstPageAt - t0;

    // Scrolling: 240 frames, 3 rows per frame (≈ a fast wheel), timed with rAF. A string, not a
    // function: tsx's helpers (__name) do not exist inside the webview.
    const frames = (await frame.evaluate(`new Promise((resolve) => {
      const sc = document.querySelector('.wf-scroller');
      const out = [];
      let last = 0;
      let n = 0;
      const step = (t) => {
        if (last) out.push(t - last);
        last = t;
        sc.scrollTop += ${ROW_HEIGHT * 3};
        if (++n <= 240) requestAnimationFrame(step);
        else resolve(out);
      };
      requestAnimationFrame(step);
    })`)) as number[];
    frames.sort((a, b) => a - b);
    const q = (p: number) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
    result.scroll = { frames: frames.length, medianMs: q(0.5), p95Ms: q(0.95), maxMs: frames[frames.length - 1], over33ms: frames.filter((f) => f > 33.4).length };

    // Search: the host searches every span's name and content; input → count shown, less the webview's debounce.
    result.search = [];
    for (const query of SEARCH_QUERIES) (result.search as unknown[]).push({ query, ...(await searchOnce(frame, query)) });

    // The sessions table with the session loaded: Enter on its command → the session's row shown.
    await runCommand(page, 'Span Inspector: Open Sessions Table');
    const t2 = Date.now(); // Enter pressed in the palette
    if (await frameWith(page, '[data-testid="session-row"]', t2 + 60_000)) result.sessionsTableMs = Date.now() - t2;
    await page.keyboard.press('Control+W'); // back to the session's panel
    await page.waitForTimeout(1_000);

    // Again, warm: close the panel and open it once more (the session stays loaded).
    await page.keyboard.press('Control+W');
    await page.waitForTimeout(1_500);
    await sessionRow.hover();
    await action.waitFor({ timeout: 10_000 });
    const t1 = Date.now();
    await action.click();
    const again = await waterfallFrame(page, t1 + 60_000);
    if (again) {
      const seen = Date.now();
      result.reopenToFirstRowsMs = Math.round(((await webviewTimes(again)).firstRowsAt ?? seen) - t1);
    }
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0];
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
