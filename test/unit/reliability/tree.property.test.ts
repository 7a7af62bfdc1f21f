// Property-based tests of the tree builder (issue #10): arbitrary span graphs
// never throw, never loop, never drop a span. Each property runs in a worker
// thread with a time budget (support/bounded.ts), so a loop fails instead of
// hanging the suite. See properties/tree.ts for the invariants checked.
import * as path from 'node:path';
import { PropertyRunner } from './support/bounded';

const runner = new PropertyRunner(path.join(__dirname, 'properties', 'tree.ts'));

describe('reliability: ForestBuilder on hostile span graphs (fast-check)', function () {
  this.timeout(60_000);
  after(() => runner.close());

  const cases: [string, string, number][] = [
    ['arbitraryGraphs', 'cycles, self-parents, duplicate and hostile ids, missing parents in random pages: every span reachable exactly once, keys unique, links right', 30_000],
    ['deepChainsInAnyOrder', '10,000- and 100,000-deep chains link fully in every arrival order, in near-linear time', 30_000],
    ['cyclesAndRings', 'rings of up to 3,000 spans (also duplicated) keep every span, with one cycle break each', 20_000],
    ['manyDuplicates', '20,000 spans sharing one id, and duplicates whose keys collide with real ids, keep unique keys in near-linear time', 15_000],
    ['hostileTimestamps', 'NaN, infinite, negative, far-future and end-before-start times sort deterministically', 15_000],
  ];
  for (const [name, title, budget] of cases) {
    it(title, async () => {
      await runner.run(name, budget);
    });
  }
});
