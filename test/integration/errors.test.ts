// Failures in the real tree: an error row with a next step, and a backend
// dying mid-pagination keeps what loaded and Retry completes it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSgpEmulator, type SgpEmulator } from '../emulators/sgp/server';
import type { BackendNode, SessionNode } from '../../src/views/nodes';
import { api, childLabels, extensionPath, setBackends, waitFor } from './helpers';

describe('errors in the Sessions tree', () => {
  let sgp: SgpEmulator;

  before(async () => {
    sgp = await startSgpEmulator({ shiftToNow: true });
    process.env.SGP_API_KEY = sgp.apiKey;
  });

  after(async () => {
    await setBackends([]);
    await sgp.close();
  });

  it('shows an unreadable file as an error row, and Retry recovers once it is fixed', async () => {
    const a = await api();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'errors-it-'));
    const file = path.join(dir, 'later.json');
    await setBackends([{ id: 'late', type: 'file', label: 'Late file', path: file }]);
    const backend = (await waitFor('backend', async () => (await a.tree.getChildren()).find((n) => n.id === 'b:late'))) as BackendNode;
    const [row] = await a.tree.getChildren(backend);
    const item = await a.tree.getTreeItem(row);
    assert.match(String(item.label), /Cannot read .*later\.json/);
    assert.equal(item.contextValue, 'spanInspector.error');
    assert.ok(item.command, 'the row offers its next step');
    fs.copyFileSync(extensionPath('media', 'demo', 'sample-sessions.json'), file);
    await vscode.commands.executeCommand('spanInspector.retry', backend);
    assert.deepEqual(await childLabels(a, backend), ['Fix failing build (coding agent)', 'Refund request — order 88123']);
  });

  it('keeps the spans of pages that arrived when the backend fails mid-pagination, and Retry completes without duplicates', async () => {
    const a = await api();
    await setBackends([{ id: 'sgp-it', type: 'sgp', label: 'SGP', baseUrl: sgp.url, accountId: sgp.accountId, pageSize: 4, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }]);
    const backend = (await waitFor('sgp backend', async () => (await a.tree.getChildren()).find((n) => n.id === 'b:sgp-it'))) as BackendNode;
    const sessions = (await a.tree.getChildren(backend)) as SessionNode[];
    const group = sessions.find((s) => s.session.id === 'group:grp-support-7f3a');
    assert.ok(group, 'the support group is listed');
    // The group's trace lookup and the first span page go through, the next fails hard.
    sgp.inject({ kind: 'status', status: 500, skip: 2, times: 1 });
    await a.tree.getChildren(group);
    await group.loaded.ensureLoaded();
    assert.equal(group.loaded.state, 'error');
    const partial = group.loaded.spanCount;
    assert.ok(partial > 0, 'the first page stays');
    const labels = await childLabels(a, group);
    // The error row (cause) and, under it, what to do.
    assert.match(labels.slice(-2).join(' '), /SGP|server|500/i, 'an error row closes the list');
    sgp.clearFaults();
    await group.loaded.retry();
    assert.equal(group.loaded.state, 'done');
    const ids = group.loaded.spans().map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates after Retry');
    assert.equal(ids.length, 13, 'every span of the group');
    assert.ok(ids.length > partial);
  });
});
