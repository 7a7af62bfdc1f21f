// Secrets never leave their store (issue #10): the SGP API key and the AWS
// credentials must not appear in anything the log receives, in error messages
// (also when the server echoes them back), in the CLI's exported JSON, or in
// what would be posted to the webview (normalized sessions and spans).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../src/backends/errors';
import { createBackend } from '../../../src/backends/registry';
import type { Backend, BackendConfig } from '../../../src/backends/types';
import { startReceiver } from '../../../src/capture/receiver';
import { sampleOpenAiBatch } from '../../../src/capture/samples';
import { openCaptureStore } from '../../../src/capture/persist';
import { main } from '../../../src/cli';
import { EMULATOR_CREDENTIALS, FIXTURE, startQConnectEmulator, type QConnectEmulator } from '../../emulators/qconnect/emulator';
import { SGP_FIXTURE_IDS } from '../../emulators/sgp/fixtures';
import { startSgpEmulator, type SgpEmulator } from '../../emulators/sgp/server';
import { isolateAwsEnv } from '../backends/qconnect/helpers';
import { consume, recordingContext } from './support/consume';

/** Everything an error can carry to a person or a log. */
function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const b = e as BackendError;
  return [e.message, b.detail ?? '', String(e), JSON.stringify(e)].join('\n');
}

function assertNoSecret(where: string, text: string, secrets: string[]): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${where} contains a secret (${s.slice(0, 4)}…)`);
}

async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('reliability: secrets never reach logs, errors, exports or the webview', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-secrets-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('SGP API key', () => {
    const KEY = 'sgp-live-7Hq2ZrX9mKpL4vN8sT1wY6cB3dF5gJ0e';
    let emu: SgpEmulator;
    beforeEach(async () => {
      emu = await startSgpEmulator({ apiKey: KEY, shiftToNow: false });
    });
    afterEach(() => emu.close());

    const config = (extra: Record<string, unknown> = {}): BackendConfig => ({ id: 'sgp', type: 'sgp', baseUrl: emu.url, accountId: emu.accountId, lookbackDays: 0, timeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, ...extra });

    it('is absent from logs, sessions and spans of a full load, and from errors that echo it back', async () => {
      const ctx = recordingContext({ 'sgp.apiKey:sgp': KEY });
      const b: Backend = await createBackend(config(), ctx);
      const { sessions } = await b.listSessions({});
      const loaded = await consume(b, `group:${SGP_FIXTURE_IDS.supportGroup}`);
      assert.equal(loaded.error, undefined);
      assert.ok(loaded.spans.length > 0);
      // What the panel is sent: normalized sessions and spans.
      assertNoSecret('sessions', JSON.stringify(sessions), [KEY]);
      assertNoSecret('spans', JSON.stringify(loaded.spans), [KEY]);

      // Servers that echo the key in their error bodies, for every kind of failure.
      const errors: unknown[] = [];
      for (const status of [400, 401, 403, 404, 422, 429, 500, 503]) {
        emu.inject({ kind: 'status', status, body: { detail: `Rejected request with x-api-key=${KEY} (status ${status})` }, times: 2 });
        const r = await consume(b, `trace:${SGP_FIXTURE_IDS.reportTrace}`);
        assert.ok(r.error, `HTTP ${status} fails`);
        errors.push(r.error);
        emu.clearFaults();
      }
      emu.inject({ kind: 'status', status: 200, body: `not json ${KEY}` });
      errors.push((await consume(b, `trace:${SGP_FIXTURE_IDS.reportTrace}`)).error);
      for (const e of errors) assertNoSecret(`error "${(e as Error)?.message}"`, errorText(e), [KEY]);
      assert.ok((errors[0] as BackendError).message.includes('***'), 'the echoed key is shown masked');
      assertNoSecret('log', ctx.lines.join('\n'), [KEY]);
      assert.ok(ctx.lines.length > 0, 'the log did receive lines');
    });

    it('is absent from the CLI export and its error output', async () => {
      const file = path.join(dir, 'sgp.json');
      fs.writeFileSync(file, JSON.stringify({ 'spanInspector.backends': [config()] }));
      const saved = process.env.SGP_API_KEY;
      process.env.SGP_API_KEY = KEY; // the CLI's key source
      try {
        const env = { SPAN_INSPECTOR_VERBOSE: '1', SGP_API_KEY: KEY };
        const ok = await runCli(['export', '--config', file, '--backend', 'sgp', '--session', `group:${SGP_FIXTURE_IDS.supportGroup}`], env);
        assert.equal(ok.code, 0, ok.stderr);
        assert.ok(JSON.parse(ok.stdout).spans.length > 0);
        assertNoSecret('CLI export', ok.stdout + ok.stderr, [KEY]);
        emu.inject({ kind: 'status', status: 500, body: { detail: `upstream rejected key ${KEY}` }, times: 5 });
        const bad = await runCli(['export', '--config', file, '--backend', 'sgp', '--session', `trace:${SGP_FIXTURE_IDS.reportTrace}`], env);
        assert.notEqual(bad.code, 0);
        assertNoSecret('CLI error output', bad.stdout + bad.stderr, [KEY]);
      } finally {
        if (saved === undefined) delete process.env.SGP_API_KEY;
        else process.env.SGP_API_KEY = saved;
      }
    });
  });

  describe('OpenAI API key sent by the Agents SDK exporter to the capture receiver', () => {
    it('is neither logged, stored, persisted nor part of the captured spans', async () => {
      const KEY = 'sk-proj-AbCdEf0123456789SECRETexporterKEY';
      const lines: string[] = [];
      const rec = (m: string) => void lines.push(m);
      const log = { trace: rec, debug: rec, info: rec, warn: rec, error: rec };
      const storageDir = path.join(dir, 'capture');
      const store = await openCaptureStore({ storageDir, log });
      const server = await startReceiver({ store, port: 0, log });
      try {
        for (const body of [JSON.stringify(sampleOpenAiBatch()), '{"data": not json', JSON.stringify({ data: [{ object: 'bogus' }] })]) {
          const res = await fetch(`${server.url}/v1/traces/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'openai-beta': 'traces=v1' }, body });
          assertNoSecret('receiver answer', await res.text(), [KEY]);
        }
        await store.flush();
        const sessions = store.listSessions();
        assert.ok(sessions.length > 0, 'the batch was captured');
        assertNoSecret('captured sessions and spans', JSON.stringify(sessions.map((x) => store.getSpans(x.id))), [KEY]);
        const persisted = fs.readdirSync(storageDir).map((f) => fs.readFileSync(path.join(storageDir, f), 'utf8')).join('\n');
        assert.ok(persisted.length > 0, 'the capture log was written');
        assertNoSecret('capture log on disk', persisted, [KEY]);
        assertNoSecret('log', lines.join('\n'), [KEY]);
      } finally {
        await server.close();
        await store.dispose();
      }
    });
  });

  describe('AWS credentials (Q Connect)', () => {
    const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENnotreal0123456789';
    const SECRETS = [EMULATOR_CREDENTIALS.accessKeyId, EMULATOR_CREDENTIALS.secretAccessKey, TOKEN];
    let emulator: QConnectEmulator;
    let env: ReturnType<typeof isolateAwsEnv>;
    const S1 = FIXTURE.sessions[0].id;

    beforeEach(async () => {
      env = isolateAwsEnv();
      process.env.AWS_SESSION_TOKEN = TOKEN;
      emulator = await startQConnectEmulator();
    });
    afterEach(async () => {
      await emulator.close();
      env.restore();
    });

    const config = (): BackendConfig => ({ id: 'qc', type: 'qconnect', region: emulator.region, assistantId: emulator.assistantId, endpoint: emulator.url, maxAttempts: 2, retryBaseDelayMs: 1 });

    it('are absent from logs, sessions and spans, and from errors that echo them back', async () => {
      const ctx = recordingContext();
      const b = await createBackend(config(), ctx);
      const { sessions } = await b.listSessions({});
      const loaded = await consume(b, S1);
      assert.equal(loaded.error, undefined);
      assert.ok(emulator.requests.some((r) => r.accessKeyId === EMULATOR_CREDENTIALS.accessKeyId), 'the emulator credentials were used');
      assertNoSecret('sessions', JSON.stringify(sessions), SECRETS);
      assertNoSecret('spans', JSON.stringify(loaded.spans), SECRETS);

      // A proxy or a misbehaving endpoint echoing what it received (and more).
      const echo = `Request signed by ${EMULATOR_CREDENTIALS.accessKeyId} with token ${TOKEN} and secret ${EMULATOR_CREDENTIALS.secretAccessKey} was rejected`;
      const errors: unknown[] = [];
      for (const error of ['UnrecognizedClientException', 'AccessDeniedException', 'ValidationException', 'ResourceNotFoundException', 'InternalServerException', 'SomeNewException']) {
        emulator.inject({ op: 'ListSpans', error, message: echo, times: 2 });
        const r = await consume(b, S1);
        assert.ok(r.error, `${error} fails`);
        errors.push(r.error);
        emulator.clearInjections();
      }
      for (const e of errors) assertNoSecret(`error "${(e as Error).message}"`, errorText(e), SECRETS);
      assertNoSecret('log', ctx.lines.join('\n'), SECRETS);
      b.dispose?.();
    });

    it('are absent from the CLI export and its error output', async () => {
      const file = path.join(dir, 'qc.json');
      fs.writeFileSync(file, JSON.stringify({ 'spanInspector.backends': [config()] }));
      const cliEnv = { ...process.env, SPAN_INSPECTOR_VERBOSE: '1' };
      const ok = await runCli(['export', '--config', file, '--backend', 'qc', '--session', S1], cliEnv);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(JSON.parse(ok.stdout).spans.length, FIXTURE.sessions[0].spanCount);
      assertNoSecret('CLI export', ok.stdout + ok.stderr, SECRETS);
      emulator.inject({ op: 'ListSpans', error: 'InternalServerException', message: `failed for ${EMULATOR_CREDENTIALS.accessKeyId}/${TOKEN}`, times: 5 });
      const bad = await runCli(['export', '--config', file, '--backend', 'qc', '--session', S1], cliEnv);
      assert.notEqual(bad.code, 0);
      assertNoSecret('CLI error output', bad.stdout + bad.stderr, SECRETS);
    });
  });
});
