// Spans written into the SGP emulator by the real scale-gp-beta 0.7 client
// (create, batch, upsert, and Agentex-style spans through the SDK's own
// tracing library), read back through the SDK's search pagination and types,
// then through our SGP backend.
import * as assert from 'node:assert/strict';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { produceSgp } from '../../../support/sgpProducer';
import { ensureVenv } from '../../../support/python';
import { makeBackend } from './helpers';
import { checkSgpShapes } from './producerShapes';

describe('sgp producer: scale-gp-beta client → emulator → sgp backend', function () {
  this.timeout(120_000);
  let emu: SgpEmulator;
  let searchParams: string[] = [];
  // On a fresh machine the pinned venv is built first (minutes): not within a test's timeout.
  before(function () {
    this.timeout(30 * 60_000);
    ensureVenv();
  });
  before(async () => {
    emu = await startSgpEmulator({ fixtures: false });
  });
  after(async () => emu?.close());

  it('the SDK writes with create, batch and upsert, and every search page parses with its own types', async () => {
    const out = await produceSgp(emu);
    searchParams = out.searchParams;
    assert.ok(searchParams.includes('trace_ids') && searchParams.includes('starting_after'));
    assert.deepEqual(out.problems, []);
    assert.deepEqual(out.written, ['spn-root', 'spn-llm', 'spn-tool', 'spn-guard']);
    const writes = emu.requests.filter((r) => r.path !== '/v5/spans/search').map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual([...new Set(writes)], ['POST /v5/spans 200', 'POST /v5/spans/batch 200', 'PUT /v5/spans/batch 200']);
    // Filters by (trace_id, span_id) identity and by Agentex metadata.
    assert.deepEqual(out.byPair, [['trc-sdk-2', 'spn-shared', 'ERROR']]);
    assert.deepEqual(out.byAgent, ['agx-turn', 'agx-llm-1', 'agx-tool-1', 'agx-tool-2', 'agx-tool-3', 'agx-llm-2']);
    // The SDK's auto-pagination (cursor = last item id) walked every span once.
    assert.equal(out.spans.length, 13);
  });

  it('our backend decodes what the SDK wrote, searching with parameters the SDK knows', async () => {
    const { backend } = await makeBackend(emu);
    const from = emu.requests.length;
    try {
      await checkSgpShapes(backend);
    } finally {
      backend.dispose?.();
    }
    const ours = emu.requests.slice(from);
    assert.ok(ours.length > 0);
    const unknown = ours.flatMap((r) => [...Object.keys(r.query), ...Object.keys((r.body ?? {}) as object)]).filter((k) => !searchParams.includes(k));
    assert.deepEqual(unknown, [], 'every query and body key our client sends is a SpanSearchParams member');
  });
});
