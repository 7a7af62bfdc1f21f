import * as path from 'node:path';
import { createAgnoBackend } from './src/backends/agno/agnoBackend';
(async () => {
  const log = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
  const b = createAgnoBackend({ id: 'x', type: 'agno', database: '/tmp/bundletest/big.db' }, { log, getSecret: async () => undefined, resolvePath: (p) => path.resolve(p) });
  const src = (b as any).source; const q = src.query.bind(src);
  src.query = async (sql: string, p: unknown[]) => { const t = Date.now(); const r = await q(sql, p);  return r; };
  let t = Date.now(); let n = 0;
  for await (const page of b.loadSpans('sess-bench')) { n += page.spans.length;  if (n % 20000 === 0) console.log(process.memoryUsage().rss / 1e6 | 0, "MB"); }
  console.log('total', n, Date.now() - t);
})();
