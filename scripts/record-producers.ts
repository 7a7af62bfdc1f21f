// Regenerates test/fixtures/recorded/ from the real producers (`npm run record`):
// each producer of test/support/producers.ts runs against the LLM stand-in and
// a capture receiver; what the receiver accepted is stored as capture-log
// lines ({"v":1,"at","kind","body"}, protobuf requests in their OTLP JSON form),
// and the OpenAI Agents SDK's JSONL processor output beside it. The fast unit
// tests (test/unit/producers/recorded.test.ts) decode these real shapes.
//   npx tsx scripts/record-producers.ts [name…]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCERS, runProducer } from '../test/support/producers';

const OUT = path.join(__dirname, '..', 'test', 'fixtures', 'recorded');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  fs.mkdirSync(OUT, { recursive: true });
  for (const [key, spec] of Object.entries(PRODUCERS)) {
    if (wanted.length && !wanted.includes(key) && !wanted.includes(spec.name)) continue;
    process.stdout.write(`recording ${spec.name}… `);
    const run = await runProducer(spec);
    fs.writeFileSync(path.join(OUT, `${spec.name}.capture.jsonl`), run.records.join('\n') + '\n');
    if (spec.recordItems && run.jsonl) fs.writeFileSync(path.join(OUT, `${spec.name}.items.jsonl`), run.jsonl);
    process.stdout.write(`${run.records.length} requests, ${run.spans.length} spans\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
