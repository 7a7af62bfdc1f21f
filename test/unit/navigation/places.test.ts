import * as assert from 'node:assert/strict';
import { compareName, nameSpellings, nameWords } from '../../../src/navigation/names';
import { enabledGlobs, gitignoreGlobs, globToRegExp, isExcluded, packageOf, placeOf } from '../../../src/navigation/places';

describe('navigation names: naming styles', () => {
  it('splits every style into the same words', () => {
    for (const n of ['GetOrderCharges', 'getOrderCharges', 'get_order_charges', 'get-order-charges', 'GET_ORDER_CHARGES', 'Get Order Charges']) {
      assert.deepEqual(nameWords(n), ['get', 'order', 'charges'], n);
    }
    assert.deepEqual(nameWords('HTTPServerTool'), ['http', 'server', 'tool']);
  });

  it('tells exact, another style and partial apart', () => {
    assert.equal(compareName('get_order_charges', 'get_order_charges'), 'exact');
    assert.equal(compareName('GetOrderCharges', 'get_order_charges'), 'style');
    assert.equal(compareName('post-contact-summary', 'PostContactSummary'), 'style');
    assert.equal(compareName('Triage Agent', 'Triage'), 'partial');
    assert.equal(compareName('get_order_status_v2', 'get_order_status'), 'partial');
    assert.equal(compareName('Triage', 'Triage Agent'), undefined);
    assert.equal(compareName('order', 'get_order_charges'), undefined);
  });

  it('lists the literal spellings the byte prefilter needs', () => {
    const s = nameSpellings('PostContactSummary');
    for (const x of ['PostContactSummary', 'postContactSummary', 'post_contact_summary', 'post-contact-summary', 'POST_CONTACT_SUMMARY']) assert.ok(s.includes(x), x);
  });
});

describe('navigation places', () => {
  it('classifies source, tests, generated, vendored and non-source places', () => {
    const expect: Record<string, string> = {
      'services/support/agents.py': 'source',
      'prompts/query.txt': 'source',
      'infra/cdk/lib/stack.ts': 'source',
      'examples/quickstart.py': 'source',
      'tests/test_tools.py': 'test',
      'services/x/tests/conftest.py': 'test',
      'web/src/agent.test.ts': 'test',
      'web/dist/agent.js': 'generated',
      'build/lib/support/tools.py': 'generated',
      'infra/cdk/cdk.out/Stack.template.json': 'generated',
      '.venv/lib/python3.12/site-packages/agno/agent.py': 'dependency',
      'node_modules/@openai/agents-core/dist/agent.js': 'dependency',
      'docs/runbooks/refunds.md': 'nonsource',
      'README.md': 'nonsource',
      'tests/fixtures/recorded/session.json': 'nonsource',
      'tests/testdata/calls.yaml': 'nonsource',
      'deploy/helm/support/values.yaml': 'nonsource',
      'deploy/values-prod.yaml': 'nonsource',
      'logs/agent.log': 'nonsource',
      'exports/run.jsonl': 'nonsource',
    };
    for (const [rel, place] of Object.entries(expect)) assert.equal(placeOf(rel), place, rel);
  });

  it('names the package of a vendored file', () => {
    assert.deepEqual(packageOf('.venv/lib/python3.12/site-packages/agno/tools/websearch.py'), { name: 'agno', module: 'agno.tools.websearch' });
    assert.deepEqual(packageOf('node_modules/@langchain/community/dist/tools/wikipedia_query_run.js'), { name: '@langchain/community', module: '@langchain/community/tools/wikipedia_query_run' });
    assert.equal(packageOf('src/agents.py'), undefined);
  });

  it('matches VS Code globs and turns .gitignore into excludes', () => {
    assert.ok(globToRegExp('**/node_modules/**').test('a/node_modules/x/y.js'));
    assert.ok(globToRegExp('**/*.{ts,py}').test('a/b.py'));
    assert.ok(!globToRegExp('src/*.ts').test('src/a/b.ts'));
    const globs = gitignoreGlobs('# comment\n.venv/\n/generated\n*.log\n!keep.log\nsub/dir\n', 'pkg').map(globToRegExp);
    assert.ok(isExcluded('pkg/.venv/lib/x.py', globs));
    assert.ok(isExcluded('pkg/generated/schemas.py', globs));
    assert.ok(!isExcluded('pkg/src/generated/x.py', globs), 'anchored to the .gitignore folder');
    assert.ok(isExcluded('pkg/a/b.log', globs));
    assert.ok(isExcluded('pkg/sub/dir/x.py', globs));
    assert.ok(!isExcluded('other/.venv2/x.py', globs));
    assert.deepEqual(enabledGlobs({ 'legacy/**': true, '**/cdk.out': false, x: { when: '$(basename).ts' } }), ['legacy/**']);
  });
});
