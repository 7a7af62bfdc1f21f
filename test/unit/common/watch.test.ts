// The debounced watch: a burst of writes is one call, names it does not
// accept are ignored, and dispose drops a pending call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { watchDebounced } from '../../../src/common/watch';
import { waitFor } from '../../support/waitFor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watchDebounced', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-watch-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('turns a burst of writes into one call', async () => {
    let calls = 0;
    const w = watchDebounced(dir, () => calls++, { debounceMs: 150 });
    try {
      for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'a.json'), String(i));
      await waitFor('a call', () => calls > 0, 5000);
      await sleep(400);
      assert.equal(calls, 1);
    } finally {
      w.dispose();
    }
  });

  it('ignores names it does not accept', async () => {
    let calls = 0;
    const w = watchDebounced(dir, () => calls++, { debounceMs: 50, accept: (n) => n.endsWith('.jsonl') });
    try {
      fs.writeFileSync(path.join(dir, 'other.txt'), 'x');
      await sleep(300);
      assert.equal(calls, 0);
      fs.writeFileSync(path.join(dir, 'run.jsonl'), 'x');
      await waitFor('a call', () => calls > 0, 5000);
    } finally {
      w.dispose();
    }
  });

  it('dispose drops a pending call', async () => {
    let calls = 0;
    const w = watchDebounced(dir, () => calls++, { debounceMs: 200 });
    fs.writeFileSync(path.join(dir, 'a.json'), 'x');
    await sleep(100);
    w.dispose();
    await sleep(400);
    assert.equal(calls, 0);
  });

  it('throws for a path that does not exist', () => {
    assert.throws(() => watchDebounced(path.join(dir, 'missing'), () => undefined, { debounceMs: 10 }));
  });
});
