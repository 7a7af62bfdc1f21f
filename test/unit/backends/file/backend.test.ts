import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../../src/backends/errors';
import { createFileBackend } from '../../../../src/backends/file/backend';
import type { BackendContext, SpanPage } from '../../../../src/backends/types';

const quiet = () => undefined;
const ctx: BackendContext = {
  log: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
  getSecret: async () => undefined,
  resolvePath: (p) => p,
};

describe('file backend', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-backend-'));
  });

  it('pages a large session progressively and resumes from a cursor without duplicates', async () => {
    const spans = Array.from({ length: 2500 }, (_, i) => ({ id: `s${i}`, name: `span ${i}`, kind: 'llm', status: 'ok', startTime: i, attributes: {} }));
    fs.writeFileSync(path.join(dir, 'big.json'), JSON.stringify({ session: { id: 'big' }, spans }));
    const b = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'big.json') }, ctx);
    const pages: SpanPage[] = [];
    for await (const p of b.loadSpans('big')) pages.push(p);
    // Pages of 250; none empty after the last full one.
    assert.deepEqual(pages.map((p) => p.spans.length), Array(10).fill(250));
    const resumed: string[] = [];
    for await (const p of b.loadSpans('big', { resumeFrom: pages[3].cursor })) resumed.push(...p.spans.map((s) => s.id));
    assert.equal(resumed.length, 1500);
    assert.equal(resumed[0], 's1000');
  });

  it('keeps unknown fields in attributes and coerces bad shapes instead of failing', async () => {
    fs.writeFileSync(
      path.join(dir, 'odd.json'),
      JSON.stringify({ session: { id: 'odd', name: 7 }, spans: [{ id: 1, kind: 'wizard', status: 'great', startTime: 'soon', vendorField: { a: 1 } }, 'not an object'] }),
    );
    const b = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'odd.json') }, ctx);
    const [page] = await (async () => {
      const out: SpanPage[] = [];
      for await (const p of b.loadSpans('odd')) out.push(p);
      return out;
    })();
    assert.equal(page.spans.length, 2, 'nothing dropped');
    const [a, c] = page.spans;
    assert.equal(a.id, '1');
    assert.equal(a.kind, 'custom');
    assert.equal(a.status, 'unset');
    assert.deepEqual(a.attributes.vendorField, { a: 1 });
    assert.equal(c.attributes.value, 'not an object');
  });

  it('reports a missing file and an unknown session precisely', async () => {
    const missing = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'none.json') }, ctx);
    await assert.rejects(missing.listSessions({}), (e: BackendError) => e.code === 'notFound' && /none\.json/.test(e.message));
    fs.writeFileSync(path.join(dir, 'one.json'), JSON.stringify({ session: { id: 'a' }, spans: [] }));
    const b = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'one.json') }, ctx);
    await assert.rejects(async () => {
      for await (const _ of b.loadSpans('zzz')) void _;
    }, /No session "zzz"/);
  });

  it('resolves sessions by exact id first, then by name', async () => {
    fs.writeFileSync(path.join(dir, 'm.json'), JSON.stringify([{ session: { id: 'refund', name: 'x' }, spans: [] }, { session: { id: 'b', name: 'Refund flow' }, spans: [] }]));
    const b = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'm.json') }, ctx);
    assert.deepEqual((await b.resolveSession('refund')).map((s) => s.id), ['refund', 'b']);
  });

  it('tells listeners when the file changes', async () => {
    const file = path.join(dir, 'live.json');
    fs.writeFileSync(file, JSON.stringify({ session: { id: 'a' }, spans: [] }));
    const b = createFileBackend({ id: 'f', type: 'file', path: file }, ctx);
    assert.equal((await b.listSessions({})).sessions.length, 1);
    const changed = new Promise<void>((resolve) => b.onDidChange!(() => resolve()));
    fs.writeFileSync(file, JSON.stringify([{ session: { id: 'a' }, spans: [] }, { session: { id: 'b' }, spans: [] }]));
    await changed;
    assert.equal((await b.listSessions({})).sessions.length, 2);
    b.dispose?.();
  });
});

describe('file backend: streamed export files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-backend-stream-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const collect = async (b: ReturnType<typeof createFileBackend>, id: string) => {
    const pages: SpanPage[] = [];
    for await (const p of b.loadSpans(id)) pages.push(p);
    return pages;
  };
  // Several read chunks' worth: long transcripts with escapes and non-ASCII text, big integers.
  const spans = Array.from({ length: 3000 }, (_, i) => ({
    id: `s${i}`,
    parentId: i ? `s${Math.floor(i / 3)}` : undefined,
    name: `span "${i}" ]},{`,
    kind: 'llm',
    status: 'ok',
    startTime: i,
    attributes: { prompt: `héllo — 日本語 \\ ${'x'.repeat(i % 700)}`, big: 12345678901234567890 + i },
  }));

  it('yields exactly the spans a whole parse gives, in pages, before and after the session key', async () => {
    const text = JSON.stringify({ session: { id: 'st', name: 'streamed' }, spans }, null, 1).replace(/"big": (\d+)/g, '"big": 123456789012345678901');
    fs.writeFileSync(path.join(dir, 'a.json'), text);
    const streamed = (await collect(createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'a.json') }, ctx), 'st')).flatMap((p) => p.spans);
    // The same spans from a document parsed whole (an array of exports is never streamed).
    fs.writeFileSync(path.join(dir, 'b.json'), `[${text}]`);
    const whole = (await collect(createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'b.json') }, ctx), 'st')).flatMap((p) => p.spans);
    assert.equal(streamed.length, 3000);
    assert.deepEqual(streamed, whole);
    assert.equal(streamed[5].attributes.big, '123456789012345678901', 'big integers stay exact');
    // The session after its spans: the spans wait for it, nothing is lost.
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ spans: spans.slice(0, 1500), session: { id: 'late' } }));
    const c = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'c.json') }, ctx);
    assert.equal((await collect(c, 'late')).flatMap((p) => p.spans).length, 1500);
    assert.deepEqual((await c.listSessions({})).sessions.map((s) => [s.id, s.spanCount]), [['late', 1500]]);
  });

  it('reports a span that is not valid JSON on its page and loads every other span', async () => {
    const good = spans.slice(0, 600).map((s) => JSON.stringify(s));
    good.splice(300, 0, '{"id": "broken", name: no quotes}');
    fs.writeFileSync(path.join(dir, 'bad.json'), `{"session":{"id":"bad"},"spans":[${good.join(',')}]}`);
    const pages = await collect(createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'bad.json') }, ctx), 'bad');
    const all = pages.flatMap((p) => p.spans);
    assert.equal(all.length, 601);
    assert.deepEqual(all.filter((s) => s.id.startsWith('s')).map((s) => s.id), spans.slice(0, 600).map((s) => s.id), 'every other span, in order');
    const placeholder = all[300];
    assert.equal(placeholder.status, 'error');
    assert.match(placeholder.statusMessage ?? '', /JSON/);
    assert.deepEqual(pages.flatMap((p) => p.warnings ?? []).map((w) => w.replace(/\(.*\)/, '(…)')), ['bad.json: span 301 is not valid JSON (…); shown as an error span.']);
  });

  it('reads each page again from the file: a file changed since it was listed fails the load with Retry, which reads it anew', async () => {
    const file = path.join(dir, 'moving.json');
    fs.writeFileSync(file, JSON.stringify({ session: { id: 'm' }, spans: spans.slice(0, 1000) }));
    const b = createFileBackend({ id: 'f', type: 'file', path: file }, ctx);
    assert.deepEqual((await b.listSessions({})).sessions.map((s) => [s.id, s.spanCount]), [['m', 1000]]);
    // Another export written over it (the same size would not do: mtime is compared too, but may not have moved yet).
    fs.writeFileSync(file, JSON.stringify({ session: { id: 'm' }, spans: spans.slice(1000, 1500) }));
    await assert.rejects(collect(b, 'm'), (e: BackendError) => e.code === 'badData' && /moving\.json changed since it was read\. Retry/.test(e.message) && e.nextSteps.includes('retry'));
    const again = (await collect(b, 'm')).flatMap((p) => p.spans);
    assert.deepEqual(again.map((s) => s.id), spans.slice(1000, 1500).map((s) => s.id));
  });

  it('fails a file that breaks off mid-way with badData, and lists its session once read', async () => {
    const text = JSON.stringify({ session: { id: 'cut' }, spans });
    fs.writeFileSync(path.join(dir, 'cut.json'), text.slice(0, Math.floor(text.length * 0.8)));
    const b = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'cut.json') }, ctx);
    await assert.rejects(collect(b, 'cut'), (e: BackendError) => e.code === 'badData' && /not valid JSON/.test(e.message));
    await assert.rejects(b.listSessions({}), (e: BackendError) => e.code === 'badData');
    fs.writeFileSync(path.join(dir, 'cut.json'), text);
    const fixed = createFileBackend({ id: 'f', type: 'file', path: path.join(dir, 'cut.json') }, ctx);
    assert.equal((await collect(fixed, 'cut')).flatMap((p) => p.spans).length, 3000);
  });
});
