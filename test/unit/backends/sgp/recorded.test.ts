// Fast tests on what the real scale-gp-beta client wrote
// (test/fixtures/recorded/sgp/, `npm run record`): the stored spans served by
// the emulator decode like the live producer test's, and the recorded write
// requests show the shapes the SDK and Agentex send.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SgpSpanRecord } from '../../../../src/backends/sgp/client';
import { startSgpEmulator, type SgpEmulator } from '../../../emulators/sgp/server';
import { makeBackend } from './helpers';
import { checkSgpShapes } from './producerShapes';

const DIR = path.resolve(__dirname, '../../../fixtures/recorded/sgp');
const read = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')) as T;

describe('sgp: recorded scale-gp-beta spans', () => {
  let emu: SgpEmulator;
  before(async () => {
    emu = await startSgpEmulator({ spans: read<{ spans: SgpSpanRecord[] }>('spans.json').spans, shiftToNow: false });
  });
  after(async () => emu.close());

  it('decode like the live ones', async () => {
    const { backend } = await makeBackend(emu);
    try {
      await checkSgpShapes(backend);
    } finally {
      backend.dispose?.();
    }
  });

  it('were written by create, batch and upsert; Agentex sends each span at start and again at end', () => {
    const { requests } = read<{ requests: { method: string; path: string; body: { items?: SgpSpanRecord[] } & SgpSpanRecord }[] }>('writes.json');
    assert.deepEqual([...new Set(requests.map((r) => `${r.method} ${r.path}`))], ['POST /v5/spans', 'POST /v5/spans/batch', 'PUT /v5/spans/batch']);
    const agentex = requests.flatMap((r) => r.body.items ?? []).filter((s) => s.trace_id === 'task-7f1e' && s.id === 'agx-tool-1');
    assert.deepEqual(agentex.map((s) => [s.type, Boolean(s.end_timestamp), (s.metadata as Record<string, unknown>).__span_type__]), [
      ['CUSTOM', false, 'CUSTOM'],
      ['CUSTOM', true, 'CUSTOM'],
    ]);
  });
});
