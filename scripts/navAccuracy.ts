// `npm run nav:accuracy`: Go to Prompt Source on the navigation corpus
// (test/fixtures/navigation): first-answer accuracy, wrong direct jumps and
// not-found precision, one line per case with `-v`.
import { scoreCorpus } from '../test/support/navCorpus';

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');

async function main(): Promise<void> {
  const verbose = process.argv.includes('-v');
  const s = await scoreCorpus();
  for (const o of s.outcomes) {
    if (verbose || !o.right) console.log(`${o.right ? 'ok  ' : 'MISS'} ${o.id} ${o.what}: ${o.answer}${o.right ? '' : `  (expected ${o.expected})`}`);
  }
  console.log(`cases                 ${s.cases}`);
  console.log(`first answer right    ${s.right}/${s.cases} = ${pct(s.right, s.cases)}`);
  console.log(`wrong direct jumps    ${s.wrongJumps}`);
  console.log(`direct jumps          ${s.direct}`);
  console.log(`not-found precision   ${s.notFoundRight}/${s.notFoundAnswers} = ${pct(s.notFoundRight, s.notFoundAnswers)}`);
  process.exitCode = s.right / s.cases >= 0.95 && s.wrongJumps === 0 ? 0 : 1;
}

void main();
