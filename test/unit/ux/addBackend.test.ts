// The Add Backend wizard's pure parts: field checks as typed, ids from labels,
// and the test call against real backends (files, SQLite) before saving.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendContext } from '../../../src/backends/types';
import { listOneSession, runConnectionTest } from '../../../src/views/addBackend/connectionTest';
import { agnoDatabase, assistantIdOrArn, awsProfile, awsRegion, backendId, existingPath, httpUrl, idFromLabel } from '../../../src/views/addBackend/validators';
import { agnoFixture, writeAgnoSqlite } from '../../fixtures/agno';
import { recordingContext } from '../../support/context';

const UUID = '6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13';

describe('Add Backend field checks', () => {
  it('accepts an assistant UUID or assistant ARN and rejects everything else with the expected form', () => {
    assert.equal(assistantIdOrArn(UUID), undefined);
    assert.equal(assistantIdOrArn(`arn:aws:wisdom:us-east-1:111122223333:assistant/${UUID}`), undefined);
    assert.match(assistantIdOrArn('default') ?? '', /Not a UUID/);
    assert.match(assistantIdOrArn(`arn:aws:wisdom:us-east-1:111122223333:session/${UUID}/${UUID}`) ?? '', /Not an assistant ARN/);
    assert.match(assistantIdOrArn('') ?? '', /Required/);
  });

  it('refuses an assistant id typed into the profile box', () => {
    assert.match(awsProfile(UUID) ?? '', /looks like an assistant id/);
    assert.equal(awsProfile(''), undefined);
    assert.equal(awsProfile('support-prod'), undefined);
    assert.match(awsProfile('my profile') ?? '', /no spaces/);
  });

  it('checks AWS region names and http(s) URLs', () => {
    assert.equal(awsRegion('us-east-1'), undefined);
    assert.equal(awsRegion('ap-southeast-2'), undefined);
    assert.match(awsRegion('US East') ?? '', /not an AWS region/);
    assert.match(awsRegion(UUID) ?? '', /not an AWS region/);
    assert.equal(httpUrl('http://127.0.0.1:4566'), undefined);
    assert.equal(httpUrl('', true), undefined, 'optional endpoint may stay empty');
    assert.match(httpUrl('') ?? '', /Required/);
    assert.match(httpUrl('ftp://x') ?? '', /Not an http\(s\) URL/);
    assert.match(httpUrl('localhost:8080') ?? '', /Not an http\(s\) URL/);
  });

  it('checks that files exist (workspace-relative) and Agno databases are files or postgresql:// URLs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-wizard-'));
    fs.writeFileSync(path.join(dir, 'agno.db'), '');
    const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, p));
    assert.equal(existingPath('agno.db', resolve), undefined);
    assert.equal(existingPath('.', resolve), undefined, 'a folder is fine for file/folder backends');
    assert.match(existingPath('missing.db', resolve) ?? '', /No such file or folder: .*missing\.db/);
    assert.equal(agnoDatabase('agno.db', resolve), undefined);
    assert.match(agnoDatabase('.', resolve) ?? '', /Not a file/);
    assert.match(agnoDatabase('tmp/missing.db', resolve) ?? '', /No such file/);
    assert.equal(agnoDatabase('postgresql://user:pw@127.0.0.1:5432/ai', resolve), undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives a unique id from the label and checks typed ids', () => {
    const taken = new Set(['qconnect', 'support-qc-prod']);
    assert.equal(idFromLabel('Support QC (prod)', 'qconnect', taken), 'support-qc-prod-2');
    assert.equal(idFromLabel('  ', 'qconnect', taken), 'qconnect-2');
    assert.equal(idFromLabel('Agno local', 'agno', taken), 'agno-local');
    assert.match(backendId('qconnect', taken) ?? '', /already exists/);
    assert.match(backendId('a b', taken) ?? '', /letters, digits/);
  });
});

describe('Add Backend test call', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-wizard-test-'));
  const context: BackendContext = { ...recordingContext({}, { root: dir }), storageDir: dir };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes for a real Agno SQLite database and reports what it found', async () => {
    await writeAgnoSqlite(path.join(dir, 'traces.db'), agnoFixture());
    const r = await runConnectionTest(listOneSession, { id: 'agno', type: 'agno', database: 'traces.db' }, context);
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /Connected: \d+\+? sessions? found/);
  });

  it('fails for a file that is not an Agno database, and for an export that does not parse', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-db.db'), 'hello, not sqlite');
    const agno = await runConnectionTest(listOneSession, { id: 'agno2', type: 'agno', database: 'not-a-db.db' }, context);
    assert.equal(agno.ok, false);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"session": ');
    const file = await runConnectionTest(listOneSession, { id: 'f', type: 'file', path: 'broken.json' }, context);
    assert.equal(file.ok, false);
    assert.ok(file.message.length > 10, file.message);
  });

  it('fails for a Q Connect entry whose endpoint does not answer, with the cause', async () => {
    const r = await runConnectionTest(listOneSession, { id: 'qc', type: 'qconnect', region: 'us-east-1', assistantId: UUID, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }, context, { timeoutMs: 15_000 });
    assert.equal(r.ok, false);
    assert.match(r.message, /network error|ECONNREFUSED|credentials/i);
  });
});
