// Error rows that lead with the cause, "Open settings" at the right entry, and
// Find Session's local matching of listed/opened sessions by part of a name.
import * as assert from 'node:assert/strict';
import type { Session } from '../../../src/model/types';
import { matchSessions } from '../../../src/navigation/sessionMatch';
import { stripPrefixes, summarizeError } from '../../../src/views/errorText';
import { findBackendEntry, scopeOfEntry } from '../../../src/views/settingsEntry';

describe('error rows', () => {
  it('drops the backend prefix its parent row shows and splits cause from next step', () => {
    const msg = 'Amazon Q Connect backend "qc-bogus": network error during SearchSessions (ECONNREFUSED) — could not complete the request to the endpoint http://127.0.0.1:1. Check the connection and the "endpoint" setting.';
    const s = summarizeError(msg);
    assert.equal(s.cause, 'Network error during SearchSessions (ECONNREFUSED)');
    assert.match(s.rest, /^Could not complete the request.*Check the connection/);
    assert.ok(s.cause.length <= 70);
  });

  it('collapses repeated prefixes', () => {
    assert.equal(stripPrefixes('SGP backend "sgp": network error: Network error (ECONNREFUSED): connect ECONNREFUSED'), 'Network error (ECONNREFUSED): connect ECONNREFUSED');
    assert.equal(stripPrefixes('Backend "x": Backend "x": "region" is required.'), '"region" is required.');
  });

  it('clips a long cause at a word and keeps the rest', () => {
    const s = summarizeError(`Backend "a": ${'word '.repeat(30)}end`, 40);
    assert.ok(s.cause.length <= 40 && s.cause.endsWith('…'));
    assert.match(s.rest, /end$/);
  });
});

describe('settings entry of a backend', () => {
  const text = `{
  // comment
  "editor.tabSize": 2,
  "spanInspector.backends": [
    { "id": "a", "type": "file", "path": "x" },
    { "id": "qc-bogus", "type": "qconnect", },
  ],
}`;
  it('finds the entry by id in JSONC, else the setting', () => {
    const r = findBackendEntry(text, 'qc-bogus')!;
    assert.equal(text.slice(r.offset, r.offset + r.length), '{ "id": "qc-bogus", "type": "qconnect", }');
    const byIndex = findBackendEntry(text, 'nope', 0)!;
    assert.equal(text.slice(byIndex.offset, byIndex.offset + 4), '{ "i');
    const setting = findBackendEntry(text, 'nope')!;
    assert.ok(text.slice(setting.offset).startsWith('"spanInspector.backends"'));
    assert.equal(findBackendEntry('{}', 'a'), undefined);
  });

  it('knows which scope holds the entry the tree shows (workspace replaces user)', () => {
    assert.equal(scopeOfEntry({ globalValue: [{ id: 'u' }], workspaceValue: [{ id: 'w' }] }, 'w'), 'workspace');
    assert.equal(scopeOfEntry({ globalValue: [{ id: 'u' }] }, 'u'), 'user');
    assert.equal(scopeOfEntry({ globalValue: [{ id: 'u' }], workspaceValue: [{ id: 'w' }] }, 'u'), undefined);
  });
});

describe('Find Session local matches', () => {
  const s = (id: string, name?: string, startTime?: number): Session => ({ backendId: 'b', id, name, startTime });
  const candidates = [
    { backendId: 'qconnect', session: s('0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05', 'Password reset - locked out', 2) },
    { backendId: 'sgp', session: s('group:g1', 'Support Agent run', 3) },
    { backendId: 'qconnect', session: s('0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05', 'stale copy') },
  ];
  it('finds listed sessions by part of the name, any case, words in any order', () => {
    assert.deepEqual(matchSessions(candidates, 'Password').map((m) => m.session.name), ['Password reset - locked out']);
    assert.deepEqual(matchSessions(candidates, 'reset').map((m) => m.backendId), ['qconnect']);
    assert.deepEqual(matchSessions(candidates, 'reset pass').length, 1);
    assert.deepEqual(matchSessions(candidates, 'support agent').map((m) => m.backendId), ['sgp']);
    assert.equal(matchSessions(candidates, 'nothing here').length, 0);
  });
  it('marks exact ids and keeps the first (richest) copy of a session', () => {
    const [m] = matchSessions(candidates, '0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05');
    assert.equal(m.exact, true);
    assert.equal(m.session.name, 'Password reset - locked out');
  });
});
