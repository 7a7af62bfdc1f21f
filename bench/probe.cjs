// Runs inside the code-server extension host (loaded by the test-only
// test/host/test-host extension through SPAN_INSPECTOR_TEST_SUITE): answers
// the workbench benchmark's requests for memory figures. When the file
// `<SPAN_INSPECTOR_TEST_RESULT>.req` appears, it forces a full GC and writes
// process.memoryUsage() plus the open session's load state to
// `<SPAN_INSPECTOR_TEST_RESULT>.<n>.json`, n being the request file's content.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script: it must hook and use require() */
const fs = require('node:fs');
const v8 = require('node:v8');
const vm = require('node:vm');

exports.run = function run() {
  const base = process.env.SPAN_INSPECTOR_TEST_RESULT;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const vscode = require('vscode');
  return new Promise(() => {
    setInterval(() => {
      const req = `${base}.req`;
      if (!fs.existsSync(req)) return;
      const n = fs.readFileSync(req, 'utf8').trim();
      fs.rmSync(req, { force: true });
      const before = process.memoryUsage();
      gc();
      gc();
      const after = process.memoryUsage();
      // Then a memory-reducing GC (V8's low-memory one): it returns the pages an ordinary GC leaves committed.
      gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      const reduced = process.memoryUsage();
      const api = vscode.extensions.getExtension('span-inspector.span-inspector')?.exports;
      const sessions = [];
      for (const s of api?.sessions?.forBackend?.('bench') ?? []) {
        sessions.push({ state: s.state, spans: s.spanCount, firstPageAt: s.firstPageAt });
      }
      const mb = (x) => Math.round((x / 2 ** 20) * 10) / 10;
      // Written aside and renamed: the reader polls for the file and must never see half of it.
      fs.writeFileSync(
        `${base}.${n}.tmp`,
        JSON.stringify({ at: Date.now(), rssBeforeGcMB: mb(before.rss), rssMB: mb(after.rss), rssReducedMB: mb(reduced.rss), heapUsedMB: mb(after.heapUsed), heapTotalMB: mb(after.heapTotal), externalMB: mb(after.external + after.arrayBuffers), sessions }),
      );
      fs.renameSync(`${base}.${n}.tmp`, `${base}.${n}.json`);
    }, 50);
  });
};
