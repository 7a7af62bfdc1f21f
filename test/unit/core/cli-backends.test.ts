// `span-inspector export` end to end against every backend's real stand-in:
// the Q Connect emulator (real AWS SDK client, SigV4), the SGP emulator, an
// Agno SQLite file and a real PostgreSQL server, and OpenAI Agents JSONL.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { SessionExport } from '../../../src/model/types';
import { EMULATOR_CREDENTIALS, startQConnectEmulator } from '../../emulators/qconnect/emulator';
import { startSgpEmulator } from '../../emulators/sgp/server';
import { agnoFixture, FX, FX_COUNTS, loadAgnoPostgres, writeAgnoSqlite } from '../../fixtures/agno';
import { startPostgres } from '../../support/postgres';

const ROOT = path.resolve(__dirname, '../../..');

async function exportSession(config: string, backend: string, session: string): Promise<SessionExport> {
  let stdout = '';
  let stderr = '';
  const code = await main(['export', '--config', config, '--backend', backend, '--session', session], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: process.env,
  });
  assert.equal(code, 0, `export from ${backend} failed: ${stderr}`);
  return JSON.parse(stdout) as SessionExport;
}

function assertComplete(doc: SessionExport, expected: number): void {
  assert.equal(doc.spans.length, expected);
  assert.equal(doc.session.spanCount, expected);
  assert.equal(new Set(doc.spans.map((s) => s.id)).size, expected, 'no duplicates');
  const starts = doc.spans.map((s) => s.startTime);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'sorted by start time');
}

describe('CLI export against each backend', function () {
  this.timeout(60_000);
  const saved = { ...process.env };
  let dir: string;
  let config: string;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-backends-'));
    const qconnect = await startQConnectEmulator();
    const sgp = await startSgpEmulator({ shiftToNow: false });
    const pg = await startPostgres();
    closers.push(() => qconnect.close(), () => sgp.close(), () => pg.close());
    await writeAgnoSqlite(path.join(dir, 'traces.db'), agnoFixture());
    await loadAgnoPostgres(pg.url, agnoFixture());
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'openai', 'python-sdk.jsonl'), path.join(dir, 'agents.jsonl'));
    // The CLI has no SecretStorage: credentials come from the environment, as for a user.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      SGP_API_KEY: sgp.apiKey,
    });
    delete process.env.AWS_PROFILE;
    config = path.join(dir, 'settings.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        'spanInspector.backends': [
          { id: 'qc', type: 'qconnect', region: qconnect.region, assistantId: qconnect.assistantArn, endpoint: qconnect.url },
          { id: 'sgp', type: 'sgp', baseUrl: sgp.url, accountId: sgp.accountId, lookbackDays: 0 },
          { id: 'agno-sqlite', type: 'agno', database: 'traces.db' },
          { id: 'agno-pg', type: 'agno', database: pg.url },
          { id: 'jsonl', type: 'openaiAgents', path: 'agents.jsonl' },
        ],
      }),
    );
  });

  after(async () => {
    for (const close of closers) await close().catch(() => undefined);
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_EC2_METADATA_DISABLED', 'SGP_API_KEY', 'AWS_PROFILE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('Q Connect: the complete session through ListSpans, with every message part kind', async () => {
    const doc = await exportSession(config, 'qc', '0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05');
    assertComplete(doc, 9);
    const kinds = new Set(doc.spans.flatMap((s) => [...(s.input ?? []), ...(s.output ?? [])]).flatMap((m) => m.parts.map((p) => p.type)));
    for (const k of ['text', 'toolUse', 'toolResult', 'reasoning']) assert.ok(kinds.has(k as never), `has ${k} parts`);
    assert.ok(doc.spans.some((s) => s.guardrails?.length), 'guardrail assessments kept');
  });

  it('SGP: a group session with all its traces', async () => {
    const doc = await exportSession(config, 'sgp', 'grp-support-7f3a');
    assertComplete(doc, 13);
    assert.equal(new Set(doc.spans.map((s) => s.traceId)).size, 3);
  });

  it('Agno: the same session from SQLite and from PostgreSQL', async () => {
    const fromFile = await exportSession(config, 'agno-sqlite', FX.financeSession);
    const fromPg = await exportSession(config, 'agno-pg', FX.financeSession);
    assertComplete(fromFile, FX_COUNTS.finance);
    assertComplete(fromPg, FX_COUNTS.finance);
    assert.deepEqual(fromPg.spans.map((s) => s.id), fromFile.spans.map((s) => s.id));
    assert.ok(fromFile.spans.some((s) => s.kind === 'llm' && s.output?.length), 'OpenInference messages decoded');
  });

  it('OpenAI Agents JSONL: the group session of the file', async () => {
    const doc = await exportSession(config, 'jsonl', 'conv_42');
    assert.ok(doc.spans.length > 0);
    assertComplete(doc, doc.spans.length);
    assert.ok(doc.spans.some((s) => s.kind === 'guardrail'));
  });
});
