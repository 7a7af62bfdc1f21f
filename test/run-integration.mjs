// Runs the integration suite with @vscode/test-electron's runTests. VS Code
// cannot be downloaded here, so `vscodeExecutablePath` is a launcher that runs
// the same suite inside code-server (test/host/launch-code-server.mjs).
// Usage: node test/run-integration.mjs WORKSPACE RESULT_JSON
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [workspace, resultFile] = process.argv.slice(2);
const launcher = process.env.VSCODE_EXECUTABLE ?? path.join(ROOT, 'test', 'host', 'launch-code-server.mjs');

let code = 0;
try {
  await runTests({
    vscodeExecutablePath: launcher,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'integration', 'index.js'),
    launchArgs: [workspace],
    extensionTestsEnv: { SPAN_INSPECTOR_RESULT_OUT: resultFile },
  });
} catch (err) {
  console.error(`integration run failed: ${err.message ?? err}`);
  code = 1;
}
if (!fs.existsSync(resultFile)) fs.writeFileSync(resultFile, JSON.stringify({ passed: 0, failed: 0 }));
process.exit(code);
