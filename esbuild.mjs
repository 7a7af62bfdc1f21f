// Builds the three bundles: the extension (node, `vscode` external), the
// webview (browser) and the CLI (node). `--watch` rebuilds on change,
// `--production` minifies.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // sql.js loads its .wasm next to the bundle; pg's optional native binding is never used.
  external: ['vscode', 'pg-native'],
  // jsonc-parser's UMD build requires its files dynamically; its ESM build bundles.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { webview: 'webview/main.ts', sessionsTable: 'webview/sessionsTable.ts' },
    outdir: 'dist',
  },
];

// Files loaded at run time, next to the bundles (localResourceRoots and the
// .vsix only include dist/ and media/).
const assets = [
  ['node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm'],
  ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/codicons/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/codicons/codicon.ttf'],
];
for (const [from, to] of assets) {
  fs.mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  fs.copyFileSync(from, to);
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
