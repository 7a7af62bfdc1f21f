import * as assert from 'node:assert/strict';
import type { Session } from '../../../src/model/types';
import { buildSessionExport, exportFileName, serializeSessionExport } from '../../../src/model/sessionExport';
import { liveRecent, MAX_RECENT, pushRecent, readRecent } from '../../../src/navigation/recent';
import type { Span } from '../../../src/model/types';
import { treeSpan } from '../../support/spans';

const s = (id: string, extra: Partial<Session> = {}): Session => ({ backendId: 'b', id, ...extra });

describe('navigation recent sessions', () => {
  it('puts the newest first, once per backend and session, capped', () => {
    let list = pushRecent([], 'b', s('1'), 1);
    list = pushRecent(list, 'b', s('2'), 2);
    list = pushRecent(list, 'c', s('1'), 3);
    list = pushRecent(list, 'b', s('1', { name: 'renamed' }), 4);
    assert.deepEqual(list.map((r) => `${r.backendId}/${r.session.id}@${r.at}`), ['b/1@4', 'c/1@3', 'b/2@2']);
    assert.equal(list[0].session.name, 'renamed');
    for (let i = 0; i < 40; i++) list = pushRecent(list, 'b', s(`x${i}`), 10 + i);
    assert.equal(list.length, MAX_RECENT);
    assert.equal(list[0].session.id, 'x39');
  });

  it('keeps only small descriptive fields (no attributes)', () => {
    const [r] = pushRecent([], 'b', s('1', { name: 'n', startTime: 5, spanCount: 3, status: 'ok', attributes: { big: 'x'.repeat(1000) } }), 1);
    assert.deepEqual(r.session, { backendId: 'b', id: '1', name: 'n', startTime: 5, spanCount: 3, status: 'ok' });
  });

  it('validates stored values and drops backends that are gone', () => {
    const stored: unknown = [{ backendId: 'b', session: { id: '1' }, at: 1 }, { backendId: 'gone', session: { id: '2' } }, null, { session: { id: 3 } }, 'junk'];
    const list = readRecent(stored);
    assert.deepEqual(list.map((r) => `${r.backendId}/${r.session.id}@${r.at}`), ['b/1@1', 'gone/2@0']);
    assert.equal(list[0].session.backendId, 'b');
    assert.deepEqual(liveRecent(list, new Set(['b'])).map((r) => r.backendId), ['b']);
    assert.deepEqual(readRecent(undefined), []);
  });
});

describe('navigation session export format', () => {
  const span = (id: string, startTime: number): Span => treeSpan(id, undefined, startTime);

  it('sorts spans by start time, keeping arrival order for ties, and sets spanCount — like the CLI', () => {
    const doc = buildSessionExport(s('s', { name: 'x', spanCount: 99 }), [span('c', 3), span('a', 1), span('b1', 2), span('b2', 2)]);
    assert.deepEqual(doc.spans.map((x) => x.id), ['a', 'b1', 'b2', 'c']);
    assert.equal(doc.session.spanCount, 4);
    const text = serializeSessionExport(doc);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), doc);
    assert.match(text, /^\{\n {2}"session": \{\n {4}"backendId"/);
  });

  it('suggests a safe file name', () => {
    assert.equal(exportFileName(s('trace_1', { name: 'Refund request — order 88123' }), 'json'), 'Refund_request_order_88123.json');
    assert.equal(exportFileName(s('../../etc/passwd'), 'jsonl'), '.._.._etc_passwd.jsonl');
    assert.equal(exportFileName(s('///'), 'json'), 'session.json');
  });
});
