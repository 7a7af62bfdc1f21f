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

const browser = { ...common, platform: 'browser', target: 'es2022' };

// The chunks webview.js imports statically, for the panel's <link rel="modulepreload">
// (src/panel/sessionPanel.ts): fetched with it instead of after it.
const preloadList = {
  name: 'preload-list',
  setup(build) {
    build.onEnd((result) => {
      const imports = result.metafile?.outputs['dist/webview.js']?.imports ?? [];
      const chunks = imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path.replace(/^dist\//, ''));
      fs.writeFileSync('dist/webview.preload.json', JSON.stringify(chunks));
    });
  },
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The panel: ES modules, so the Summary (chart.js), the graph (dagre) and the
  // span/conversation views (markdown-it) load as chunks when first shown.
  {
    ...browser,
    format: 'esm',
    splitting: true,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    plugins: [preloadList],
  },
  { ...browser, format: 'iife', entryPoints: { sessionsTable: 'webview/sessionsTable.ts' }, outdir: 'dist' },
];
// Chunks of earlier builds (hashed names) would pile up in dist/ and the .vsix.
fs.rmSync('dist/chunks', { recursive: true, force: true });

// Files loaded at run time, next to the bundles (localResourceRoots and the
// .vsix only include dist/ and media/).
const assets = [
  ['node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm'],
  // node-sqlite3-wasm loads its .wasm from beside its script: the bundle.
  ['node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm', 'dist/node-sqlite3-wasm.wasm'],
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
