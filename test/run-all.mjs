// `npm test`: builds, then runs the three layers — unit (mocha), integration
// (mocha inside a real VS Code via @vscode/test-electron's runTests) and UI
// (Playwright on the code-server workbench) — and ends with one line
// "N passed, N failed" summing all of them.
// `node test/run-all.mjs unit integration` runs only the named layers.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const layers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (layer) => layers.length === 0 || layers.includes(layer);
const totals = { passed: 0, failed: 0, pending: 0 };
const problems = [];
const flaky = [];

function step(title) {
  console.log(`\n━━ ${title} ━━`);
}

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out = (out + d.toString()).slice(-200_000);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Reads mocha's "N passing / N failing / N pending" summary. */
function mochaCounts(out) {
  const n = (re) => Number(out.match(re)?.[1] ?? 0);
  return { passed: n(/(\d+) passing/), failed: n(/(\d+) failing/), pending: n(/(\d+) pending/) };
}

function add(layer, counts, code) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.pending += counts.pending ?? 0;
  if (code !== 0 && counts.failed === 0) {
    // The runner itself failed (crash, timeout): count it so the run is red.
    totals.failed += 1;
    problems.push(`${layer}: runner exited with ${code} before reporting failures`);
  }
  if (counts.passed + counts.failed === 0) {
    totals.failed += 1;
    problems.push(`${layer}: no test ran`);
  }
}

// Tests never write files git tracks (screenshots go to test-results/; the README and
// docs images are refreshed only by scripts/update-screenshots.mjs): compared at the end.
const gitStatus = () => {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return r.status === 0 ? new Set(r.stdout.split('\n').filter(Boolean)) : undefined;
};
const statusBefore = gitStatus();

step('build');
for (const [cmd, args] of [
  ['node', ['esbuild.mjs']],
  ['node', ['test/build-tests.mjs']],
  ['npx', ['tsx', 'test/prepare.ts']],
]) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`\nbuild failed: ${cmd} ${args.join(' ')}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

if (want('unit')) {
  step('unit tests (mocha)');
  const r = await run('npx', ['mocha', '--reporter', 'spec', 'test/unit/**/*.test.ts']);
  add('unit', mochaCounts(r.out), r.code);

  // Node ≥ 22.13 hosts (VS Code's, code-server's) read Agno SQLite files through node:sqlite, which Node 20 lacks.
  step('unit tests of the node:sqlite engine (on the workbench\'s Node 24)');
  const { ensureCodeServer, NODE24_BIN } = await import('./host/codeServer.mjs');
  ensureCodeServer();
  const r24 = await run(NODE24_BIN, ['node_modules/mocha/bin/mocha.js', '--reporter', 'spec', 'test/unit/backends/agno/sqlite.test.ts', 'test/unit/reliability/agno.faults.test.ts']);
  add('unit (Node 24)', mochaCounts(r24.out), r24.code);
}

if (want('integration')) {
  step('integration tests (mocha inside VS Code through @vscode/test-electron runTests)');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-ws-'));
  const fixture = path.join(ROOT, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
  const resultFile = path.join(workspace, '..', `${path.basename(workspace)}-result.json`);
  const r = await run('node', ['test/run-integration.mjs', workspace, resultFile]);
  const counts = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 0 };
  add('integration', counts, r.code);
}

if (want('ui')) {
  step('UI tests (Playwright + Chromium on the code-server workbench)');
  const r = await run('npx', ['mocha', '--config', 'test/ui/mocharc.json', 'test/ui/**/*.test.ts']);
  add('ui', mochaCounts(r.out), r.code);
  const retried = (r.out.match(/↻ passed on retry/g) ?? []).length;
  if (retried) flaky.push(`ui: ${retried} test(s) passed only on their retry (named above with ↻)`);
}

const statusAfter = gitStatus();
const wrote = statusBefore && statusAfter ? [...statusAfter].filter((l) => !statusBefore.has(l)) : [];
if (wrote.length) {
  totals.failed += 1;
  problems.push(`the tests changed files in the repository (write them to test-results/ or a temp folder): ${wrote.join('; ')}`);
}

console.log('');
for (const p of problems) console.log(`problem: ${p}`);
for (const f of flaky) console.log(`flaky: ${f}`);
if (totals.pending) console.log(`${totals.pending} pending`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
