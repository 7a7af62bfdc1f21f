// `span-inspector sessions` prints session names like the tree: Q Connect
// lists ids only (SearchSessions), so the CLI asks GetSession for the names.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { EMULATOR_CREDENTIALS, startQConnectEmulator } from '../../emulators/qconnect/emulator';

describe('CLI sessions prints names', () => {
  it('Q Connect sessions come with the names GetSession returns', async () => {
    const qconnect = await startQConnectEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-names-'));
    try {
      const config = path.join(dir, 'settings.json');
      fs.writeFileSync(config, JSON.stringify({ 'spanInspector.backends': [{ id: 'qc', type: 'qconnect', region: qconnect.region, assistantId: qconnect.assistantId, endpoint: qconnect.url }] }));
      let out = '';
      let err = '';
      const env = { ...process.env, AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      delete process.env.AWS_PROFILE;
      let code: number;
      try {
        code = await main(['sessions', '--config', config, '--backend', 'qc'], { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
      assert.equal(code, 0, err);
      const names = out.trim().split('\n').map((l) => (JSON.parse(l) as { name?: string }).name);
      assert.ok(names.length >= 2, out);
      assert.ok(names.includes('Billing dispute - order 4471'), `names: ${names.join(', ')}`);
      assert.ok(names.includes('Password reset'), `names: ${names.join(', ')}`);
    } finally {
      await qconnect.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
