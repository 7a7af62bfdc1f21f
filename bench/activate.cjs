// Cold require() of the bundled extension in plain Node with a stub `vscode`
// module, then activate() against the stub. The stub answers every property
// and call with another stub, so activate() runs its own code (services,
// registrations) but none of VS Code's. Run once per fresh process:
//   node bench/activate.cjs dist/extension.js
// Prints `RESULT {"requireMs":…,"activateMs":…}`.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script: it must hook and use require() */
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');

function stub() {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, p) {
      if (p === Symbol.toPrimitive) return () => '';
      if (p === Symbol.iterator) return function* () {};
      if (p === 'then') return undefined; // not a thenable
      if (p === 'prototype') return t.prototype;
      if (p === 'length') return 0;
      if (!cache.has(p)) cache.set(p, stub());
      return cache.get(p);
    },
    // Assignments are remembered on the stub, not written to the function behind it.
    set(t, p, v) {
      cache.set(p, v);
      return true;
    },
    defineProperty(t, p, d) {
      cache.set(p, d.value);
      return true;
    },
    apply: () => stub(),
    construct: () => stub(),
  });
}

// esbuild's __toESM copies the module's own property names, so the stub lists
// every top-level name @types/vscode declares (each one a deep stub).
const fs = require('node:fs');
const vscode = {};
const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
for (const m of dts.matchAll(/^\texport (?:namespace|class|enum|function|const|let) (\w+)/gm)) vscode[m[1]] = stub();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  return load.call(this, request, parent, isMain);
};

const file = path.resolve(process.argv[2]);
const t0 = performance.now();
const ext = require(file);
const requireMs = performance.now() - t0;
const storage = path.join(os.tmpdir(), `span-bench-activate-${process.pid}`);
const context = {
  subscriptions: [],
  globalStorageUri: { fsPath: storage, path: storage, scheme: 'file' },
  storageUri: { fsPath: storage, path: storage, scheme: 'file' },
  extensionUri: { fsPath: path.dirname(path.dirname(file)), scheme: 'file' },
  extensionPath: path.dirname(path.dirname(file)),
  secrets: stub(),
  globalState: stub(),
  workspaceState: stub(),
  logUri: { fsPath: storage },
  extensionMode: 1,
};
let activateMs;
let activateError;
const t1 = performance.now();
try {
  ext.activate(context);
  activateMs = performance.now() - t1;
} catch (err) {
  activateError = String(err && err.message ? err.message : err).split('\n')[0];
}
process.stdout.write(`RESULT ${JSON.stringify({ requireMs, activateMs, activateError })}\n`);
process.exit(0);
