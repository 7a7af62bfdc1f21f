// The navigation corpus (test/fixtures/navigation, the same numbers as
// `npm run nav:accuracy`): the first answer is right for at least 95% of
// the spans and never a direct jump to a wrong place.
import * as assert from 'node:assert/strict';
import { loadCorpus, scoreCorpus } from '../../support/navCorpus';

describe('navigation corpus: Go to Prompt Source accuracy', () => {
  it('lists the corpus like the extension: no vendored, build, ignored, excluded or trace files', () => {
    const { files, dependencies } = loadCorpus();
    const rels = files.map((f) => f.rel!);
    for (const bad of ['.venv/', 'node_modules/', 'web/dist/', 'build/', 'generated/', 'legacy/', 'traces/', 'tests/fixtures/recorded/']) {
      assert.ok(!rels.some((r) => r.startsWith(bad)), bad);
    }
    assert.ok(rels.includes('infra/cdk/cdk.out/AssistantStack.template.json'), 'cdk.out is listed (ranked as a generated copy)');
    assert.ok(dependencies.some((d) => d.rel!.startsWith('.venv/')) && dependencies.some((d) => d.rel!.startsWith('node_modules/')));
  });

  it('is right first for ≥95% of spans with zero wrong direct jumps', async () => {
    const s = await scoreCorpus();
    const misses = s.outcomes.filter((o) => !o.right).map((o) => `${o.id} ${o.what}: ${o.answer} (expected ${o.expected})`);
    assert.ok(s.cases >= 60, `${s.cases} cases`);
    assert.equal(s.wrongJumps, 0, misses.join('\n'));
    assert.ok(s.right / s.cases >= 0.95, `${s.right}/${s.cases}\n${misses.join('\n')}`);
    assert.equal(s.notFoundRight, s.notFoundAnswers, 'every "not found" is right');
  });
});
