// Bundles the integration suite (runs inside VS Code, `vscode` external) into
// out/integration/. Each *.test.ts becomes its own file so mocha can load it.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const files = fs.readdirSync('test/integration').filter((f) => f.endsWith('.test.ts') || f === 'index.ts');
fs.rmSync('out/integration', { recursive: true, force: true });
await esbuild.build({
  entryPoints: files.map((f) => `test/integration/${f}`),
  outdir: 'out/integration',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'pg-native', 'playwright-core'],
  logLevel: 'warning',
  mainFields: ['module', 'main'],
});
