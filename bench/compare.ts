// Diff projection benchmark: two runs of the bench session shape (realistic
// agent sessions: model calls with growing histories, tool calls, guardrails),
// decoded from OpenAI Agents SDK items by the capture store, then projected,
// aligned and rendered into the two diff documents. Prints a table; asserts nothing.
//
//   npx tsx bench/compare.ts [--sizes 1000,10000,100000]
import { compareDocuments } from '../src/compare/align';
import { CaptureStore } from '../src/backends/store/captureStore';
import type { Span } from '../src/model/types';
import { sessionIds, toOpenAiItems } from './lib/encode';
import { generateSession } from './lib/shape';

const i = process.argv.indexOf('--sizes');
const sizes = (i >= 0 ? process.argv[i + 1] : '1000,10000').split(',').map(Number);

function decode(count: number, seed: number): Span[] {
  const s = generateSession(count, seed);
  const store = CaptureStore.inMemory({ maxSpans: 1_000_000 });
  store.ingestOpenAi(toOpenAiItems(s));
  return store.getSpans(sessionIds(s).openaiGroup) ?? [];
}

console.log('| spans (A / B) | projection + alignment + text | document size |');
console.log('|---|---|---|');
for (const n of sizes) {
  const a = decode(n, 1);
  const b = decode(n, 2);
  compareDocuments({ label: 'warm-up', spans: a.slice(0, 200) }, { label: 'warm-up', spans: b.slice(0, 200) });
  const started = performance.now();
  const docs = compareDocuments({ label: 'A', spans: a }, { label: 'B', spans: b });
  const ms = performance.now() - started;
  console.log(`| ${a.length} / ${b.length} | ${Math.round(ms)} ms | ${(docs.left.length / 1e6).toFixed(1)} + ${(docs.right.length / 1e6).toFixed(1)} MB |`);
}
