#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests
// would download: it takes the same arguments (--extensionTestsPath,
// --extensionDevelopmentPath, workspace), runs them inside code-server opened
// in Chromium, and exits with the suite's result. The suite runs unchanged.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench, startCodeServer } from './codeServer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const value = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const testsPath = value('extensionTestsPath');
const devPaths = args.filter((a) => a.startsWith('--extensionDevelopmentPath=')).map((a) => a.split('=')[1]);
const workspace = args.filter((a) => !a.startsWith('-')).pop() ?? fs.mkdtempSync(path.join(os.tmpdir(), 'span-ws-'));
const timeoutMs = Number(process.env.SPAN_INSPECTOR_TEST_TIMEOUT ?? 15 * 60_000);

if (!testsPath) {
  console.error('launch-code-server: --extensionTestsPath is required');
  process.exit(2);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-it-'));
const resultFile = path.join(dataDir, 'result.json');
const server = await startCodeServer({
  workspace,
  dataDir,
  extensions: [...devPaths, path.join(here, 'test-host')],
  env: { SPAN_INSPECTOR_TEST_SUITE: testsPath, SPAN_INSPECTOR_TEST_RESULT: resultFile },
  userSettings: JSON.parse(process.env.SPAN_INSPECTOR_TEST_SETTINGS ?? '{}'),
});
let browser;
let code = 1;
try {
  ({ browser } = await openWorkbench(server.url));
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(resultFile)) {
    if (Date.now() > deadline) throw new Error(`no test result after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  process.stdout.write(result.report ?? '');
  if (result.error) console.error(result.error);
  const counts = { passed: result.passed ?? 0, failed: result.failed ?? 1 };
  if (process.env.SPAN_INSPECTOR_RESULT_OUT) fs.writeFileSync(process.env.SPAN_INSPECTOR_RESULT_OUT, JSON.stringify(counts));
  console.log(`\n  ${counts.passed} passing\n  ${counts.failed} failing`);
  code = result.failed === 0 && !result.error ? 0 : 1;
} catch (err) {
  console.error(`launch-code-server: ${err.stack ?? err}`);
  console.error(server.output());
} finally {
  await browser?.close().catch(() => undefined);
  await server.stop();
}
process.exit(code);
