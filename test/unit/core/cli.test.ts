import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'media', 'demo', 'sample-sessions.json');

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('CLI', () => {
  let dir: string;
  let config: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.copyFileSync(SAMPLE, path.join(dir, 'sessions.json'));
    config = path.join(dir, '.vscode', 'settings.json');
    // A real settings.json: JSONC with comments and a trailing comma, relative path.
    fs.writeFileSync(config, `{\n  // traces\n  "spanInspector.backends": [{ "id": "local", "type": "file", "path": "sessions.json" },],\n}\n`);
  });

  it('lists sessions as one JSON object per line, newest first', async () => {
    const r = await cli(['sessions', '--config', config, '--backend', 'local']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((s) => s.id), ['demo-coder-41c9', 'demo-support-7f3a']);
    assert.equal(lines[0].backendId, 'local');
  });

  it('honours --limit', async () => {
    const r = await cli(['sessions', '--config', config, '--backend', 'local', '--limit', '1']);
    assert.equal(r.stdout.trim().split('\n').length, 1);
  });

  it('exports a session in the normalized format, spans sorted by start time', async () => {
    const r = await cli(['export', '--config', config, '--backend', 'local', '--session', 'demo-support-7f3a']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.session.id, 'demo-support-7f3a');
    assert.equal(doc.session.spanCount, 7);
    const starts = doc.spans.map((s: { startTime: number }) => s.startTime);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
    const llm = doc.spans.find((s: { id: string }) => s.id === 'sup-llm-2');
    assert.equal(llm.output[0].parts[0].citations[0].title, 'Refund policy');
  });

  it('fails with one line on stderr and a non-zero code for each kind of bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['sessions', '--config', path.join(dir, 'nope.json'), '--backend', 'local'], /Cannot read config file/],
      [['sessions', '--config', config, '--backend', 'other'], /No backend "other".*configured: local/],
      [['export', '--config', config, '--backend', 'local', '--session', 'missing'], /No session "missing"/],
      [['export', '--config', config, '--backend', 'local'], /Missing --session/],
      [['frobnicate'], /Unknown command "frobnicate"/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
      assert.equal(r.stdout, '');
    }
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "spanInspector.backends": [ { "id": "x", "type": "nope" } ] }');
    const r = await cli(['sessions', '--config', bad, '--backend', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown "type" "nope"/);
  });

  it('reports a file that is not JSON as bad data', async () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"session": ');
    const cfg = path.join(dir, 'broken-settings.json');
    fs.writeFileSync(cfg, JSON.stringify({ 'spanInspector.backends': [{ id: 'b', type: 'file', path: 'broken.json' }] }));
    const r = await cli(['sessions', '--config', cfg, '--backend', 'b']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.json: not valid JSON/);
  });

  it('runs as the bundled executable (dist/cli.js)', () => {
    const bundle = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(bundle)) {
      execFileSync('node', ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    }
    const out = execFileSync('node', [bundle, 'sessions', '--config', config, '--backend', 'local'], { encoding: 'utf8' });
    assert.equal(out.trim().split('\n').length, 2);
    const fail = spawnSync('node', [bundle, 'export', '--config', config, '--backend', 'local', '--session', 'nope'], { encoding: 'utf8' });
    assert.equal(fail.status, 1);
    assert.match(fail.stderr, /^span-inspector: No session "nope"/);
  });
});
