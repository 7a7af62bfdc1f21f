// The diff projection on two runs of the real Agno library (agno 3.1.10 with
// its own tracing into SQLite; only the LLM is a local stand-in), read back
// by the agno backend: the prompt change shows in the first model call, the
// lookup the new prompt asks for shows as inserted spans.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAllSpans } from '../../../src/backends/types';
import { compareDocuments } from '../../../src/compare/align';
import { PROMPT_CHANGE, PROMPT_V1, PROMPT_V2 } from '../../fixtures/agno';
import { runPython } from '../../support/python';
import { agno } from '../backends/agno/contract';

describe('compare — two real Agno runs with a changed prompt', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-agno-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('aligns the runs: same agent and first model call, new tool call and model call inserted', async () => {
    const db = path.join(dir, 'support.db');
    const run = await runPython(['agno_prompt_change.py', db], { timeoutMs: 240_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), { before: PROMPT_CHANGE.before, after: PROMPT_CHANGE.after });
    const backend = agno({ database: db });
    const v1 = await loadAllSpans(backend, PROMPT_CHANGE.before);
    const v2 = await loadAllSpans(backend, PROMPT_CHANGE.after);
    backend.dispose?.();
    const docs = compareDocuments({ label: 'before', spans: v1 }, { label: 'after', spans: v2 });
    assert.deepEqual([docs.alignment.onlyA, docs.alignment.onlyB], [0, 2]);
    assert.ok(docs.left.includes(PROMPT_V1) && !docs.left.includes(PROMPT_V2));
    assert.ok(docs.right.includes(PROMPT_V2));
    assert.match(docs.right, /### · tool lookup_order.*\(only in B\)/);
    assert.match(docs.right, /"order_id": "1042"/);
    // Real runs differ in ids and clocks; none of that reaches the projection.
    for (const s of [...v1, ...v2]) assert.ok(!docs.left.includes(s.id) && !docs.right.includes(s.id), `span id ${s.id} elided`);
    assert.ok(!/call_lookup_1|chatcmpl/.test(docs.right));
  });
});
