// A session load held for an opening panel (LoadedSession.holdAfter), on a
// real export file read by the real file backend in VS Code's extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSessionExport, serializeSessionExport } from '../../src/model/sessionExport';
import type { SessionNode } from '../../src/views/nodes';
import { treeSpan } from '../support/spans';
import { api, setBackends, waitFor } from './helpers';

const SPANS = 3_000;

describe('loading a session while its panel opens', () => {
  let file: string;

  before(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loading-it-'));
    file = path.join(dir, 'big.json');
    const spans = Array.from({ length: SPANS }, (_, i) => treeSpan(`s${i}`, i ? 's0' : undefined, i, { sessionId: 'big' }));
    fs.writeFileSync(file, serializeSessionExport(buildSessionExport({ id: 'big', backendId: 'file', name: 'Big session', startTime: 0 }, spans)));
  });

  after(async () => {
    await setBackends([]);
  });

  async function freshSession(id: string): Promise<SessionNode> {
    const a = await api();
    await setBackends([{ id, type: 'file', label: id, path: file }]);
    const backend = await waitFor('backend', async () => (await a.tree.getChildren()).find((n) => n.id === `b:${id}`));
    const [session] = (await a.tree.getChildren(backend)) as SessionNode[];
    assert.equal(session.loaded.state, 'idle');
    return session;
  }

  /** Resolves after `n` turns of the event loop (time for the load to go on, were it not held). */
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it('stops after the page that reaches the hold, and goes on to every span once released', async () => {
    const { loaded } = await freshSession('held');
    const hold = loaded.holdAfter(600);
    const done = loaded.ensureLoaded();
    await waitFor('the held page', () => (loaded.spanCount >= 600 ? true : undefined));
    await turns(50);
    assert.equal(loaded.state, 'loading');
    assert.ok(loaded.spanCount >= 600 && loaded.spanCount < SPANS, `held at ${loaded.spanCount} spans`);
    const heldAt = loaded.spanCount;
    await turns(50);
    assert.equal(loaded.spanCount, heldAt, 'nothing more while held');
    hold.dispose();
    await done;
    assert.equal(loaded.state, 'done');
    assert.equal(loaded.spanCount, SPANS);
  });

  it('lets go of a hold nobody releases after its time limit', async () => {
    const { loaded } = await freshSession('forgotten');
    loaded.holdAfter(600, 200);
    await loaded.ensureLoaded();
    assert.equal(loaded.state, 'done');
    assert.equal(loaded.spanCount, SPANS);
  });

  it('a cancelled load that is held ends as cancelled, keeping its spans', async () => {
    const { loaded } = await freshSession('cancelled');
    loaded.holdAfter(600);
    const done = loaded.ensureLoaded();
    await waitFor('the held page', () => (loaded.spanCount >= 600 ? true : undefined));
    loaded.cancel();
    await done;
    assert.equal(loaded.state, 'cancelled');
    assert.ok(loaded.spanCount >= 600);
  });
});
