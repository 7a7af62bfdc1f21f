import * as assert from 'node:assert/strict';
import { compareKeys, compareText, SpanKeyWalk, type RunStart, type SpanKey } from '../../../../src/backends/agno/walk';

/** `runs` runs 2 s apart, each with `per` spans up to 9 s after its start (so runs overlap). */
function session(runs: number, per: number): { runs: RunStart[]; spans: Map<string, SpanKey[]> } {
  const at = (ms: number) => new Date(Date.UTC(2025, 5, 1) + ms).toISOString().replace('Z', '000+00:00');
  const out: RunStart[] = [];
  const spans = new Map<string, SpanKey[]>();
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let r = 0; r < runs; r++) {
    const id = `t${String(r).padStart(4, '0')}`;
    out.push({ id, st: at(r * 2000) });
    const keys = [{ k: `${id}-root`, st: at(r * 2000) }];
    for (let i = 1; i < per; i++) keys.push({ k: `${id}-${i}`, st: at(r * 2000 + 250 * Math.floor(rnd() * 36)) });
    spans.set(id, keys);
  }
  return { runs: out.reverse(), spans }; // given in any order
}

function fetcher(spans: Map<string, SpanKey[]>, calls: string[][]) {
  return async (ids: string[], after: [string, string] | undefined) => {
    calls.push(ids);
    const rows = ids.flatMap((id) => spans.get(id) ?? []);
    return after ? rows.filter((k) => compareKeys(k, { st: after[0], k: after[1] }) > 0) : rows;
  };
}

async function drain(walk: SpanKeyWalk, size: number): Promise<SpanKey[][]> {
  const out: SpanKey[][] = [];
  while (!walk.done) out.push(await walk.take(size));
  return out;
}

describe('agno span key walk', () => {
  const { runs, spans } = session(400, 15);
  const all = [...spans.values()].flat().sort(compareKeys);

  it('hands out every key once, in (start, span id) order, across overlapping runs', async () => {
    const calls: string[][] = [];
    const pages = await drain(new SpanKeyWalk(runs, undefined, fetcher(spans, calls)), 250);
    assert.deepEqual(pages.flat(), all);
    assert.ok(pages.slice(0, -1).every((p) => p.length === 250), 'full pages until the last');
    assert.equal(new Set(calls.flat()).size, runs.length, 'every run read once');
    assert.ok(calls.length <= 15, `${calls.length} key queries for ${runs.length} runs`);
  });

  it('reads only the first runs for the first page', async () => {
    const calls: string[][] = [];
    const walk = new SpanKeyWalk(runs, undefined, fetcher(spans, calls));
    assert.deepEqual(await walk.take(250), all.slice(0, 250));
    const read = calls.flat().length;
    assert.ok(read < 40, `${read} of ${runs.length} runs read for 250 keys`);
    assert.ok(!walk.done);
  });

  it('resumes after any key with exactly the keys after it', async () => {
    for (const i of [0, 1, 249, 250, 1234, 3000, all.length - 2, all.length - 1]) {
      const after: [string, string] = [all[i].st, all[i].k];
      const rest = (await drain(new SpanKeyWalk(runs, after, fetcher(spans, [])), 500)).flat();
      assert.deepEqual(rest, all.slice(i + 1), `after key ${i}`);
    }
  });

  it('holds keys back while an unread run starts in the same second, whatever its spelling', async () => {
    const t = (s: string) => `2025-06-01T10:00:0${s}+00:00`;
    const r: RunStart[] = [];
    const keys = new Map<string, SpanKey[]>();
    for (let i = 0; i < 8; i++) {
      r.push({ id: `r${i}`, st: t(`${i}.000000`) });
      keys.set(`r${i}`, [{ k: `r${i}a`, st: t(`${i}.000000`) }]);
    }
    keys.get('r7')!.push({ k: 'r7b', st: t('8.500000') });
    // r8's row says 08.9 while its span is spelled without a fraction (Python's isoformat on a whole second):
    // textually before r7b, so r7b must wait for r8 although 08.5 < 08.9.
    r.push({ id: 'r8', st: t('8.900000') });
    keys.set('r8', [{ k: 'r8a', st: t('8') }]);
    const calls: string[][] = [];
    const walk = new SpanKeyWalk(r, undefined, fetcher(keys, calls));
    assert.deepEqual((await walk.take(8)).map((k) => k.k), ['r0a', 'r1a', 'r2a', 'r3a', 'r4a', 'r5a', 'r6a', 'r7a']);
    assert.equal(calls.flat().length, 8, 'r8 not read yet');
    assert.deepEqual((await walk.take(1)).map((k) => k.k), ['r8a']);
    assert.deepEqual((await walk.take(1)).map((k) => k.k), ['r7b']);
    assert.ok(walk.done);
  });

  it('gives nothing for a session without runs', async () => {
    const walk = new SpanKeyWalk([], undefined, () => assert.fail('no query'));
    assert.ok(walk.done);
    assert.deepEqual(await walk.take(10), []);
  });

  it('compares text in UTF-8 byte order, as SQLite and COLLATE "C" do', () => {
    // U+FF21 (fullwidth A) is below U+1F600 in code points, above its UTF-16 surrogates.
    assert.ok(compareText('\uff21', '\u{1f600}') < 0);
    assert.ok('\uff21' > '\u{1f600}', 'JS order differs');
    assert.ok(compareText('a', 'ab') < 0);
    assert.equal(compareText('x', 'x'), 0);
    const words = ['b', '\u{1f600}', 'a', '\uff21', 'é', ''];
    assert.deepEqual([...words].sort(compareText), [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  });
});
