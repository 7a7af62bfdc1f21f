// Credentials come from the SDK's own default chain (env, shared files with
// `profile`, SSO…). These tests drive that real chain with temp files and check
// the messages a user sees when it fails.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EMULATOR_CREDENTIALS, FIXTURE, startQConnectEmulator, type QConnectEmulator } from '../../../emulators/qconnect/emulator';
import { backendFor, collect, isolateAwsEnv, rejection } from './helpers';

const S1 = FIXTURE.sessions[0].id;
const PROFILE_KEYS = { accessKeyId: 'AKIAPROFILEREADER01', secretAccessKey: 'profile-reader-secret-not-real' };

describe('qconnect credentials (real SDK credential chain)', function () {
  this.timeout(30_000);
  let emulator: QConnectEmulator;
  let env: ReturnType<typeof isolateAwsEnv>;

  function writeAws(file: 'config' | 'credentials', text: string): void {
    fs.mkdirSync(path.join(env.home, '.aws'), { recursive: true });
    fs.writeFileSync(path.join(env.home, '.aws', file), text);
  }

  beforeEach(async () => {
    emulator = await startQConnectEmulator({
      credentials: [EMULATOR_CREDENTIALS, PROFILE_KEYS],
      expiredAccessKeys: ['AKIAEXPIREDSESSION01'],
    });
  });
  afterEach(async () => {
    await emulator.close();
    env.restore();
  });

  it('signs with the environment keys by default', async () => {
    env = isolateAwsEnv();
    const b = backendFor(emulator);
    assert.equal((await collect(b, S1)).error, undefined);
    assert.ok(emulator.requests.every((r) => r.accessKeyId === EMULATOR_CREDENTIALS.accessKeyId && r.signingService === 'wisdom'));
    b.dispose();
  });

  it('uses the configured profile from the shared credentials file (over env keys)', async () => {
    env = isolateAwsEnv();
    writeAws('credentials', `[reader]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`);
    const b = backendFor(emulator, { profile: 'reader' });
    const { spans, error } = await collect(b, S1);
    assert.equal(error, undefined);
    assert.equal(spans.length, FIXTURE.sessions[0].spanCount);
    assert.ok(emulator.requests.every((r) => r.accessKeyId === PROFILE_KEYS.accessKeyId));
    b.dispose();
  });

  it('names a missing profile and how to sign in, then recovers on retry once it exists', async () => {
    env = isolateAwsEnv({ staticKeys: false });
    const b = backendFor(emulator, { profile: 'ghost' });
    const e = await rejection(b.listSessions({}));
    assert.equal(e.code, 'auth');
    assert.match(e.message, /^Amazon Q Connect backend "qc" could not get AWS credentials from profile "ghost": /);
    assert.match(e.message, /aws sso login --profile ghost/);
    assert.deepEqual(e.nextSteps, ['signIn', 'retry']);
    assert.equal(emulator.requests.length, 0, 'nothing unsigned was sent');
    writeAws('credentials', `[ghost]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`);
    const page = await b.listSessions({});
    assert.ok(page.sessions.length > 0);
    b.dispose();
  });

  it('explains how to provide credentials when there are none', async () => {
    env = isolateAwsEnv({ staticKeys: false });
    const b = backendFor(emulator);
    const e = (await collect(b, S1)).error!;
    assert.equal(e.code, 'auth');
    assert.match(e.message, /found no AWS credentials/);
    assert.match(e.message, /set "profile" in the backend settings/);
    assert.match(e.message, /AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
    b.dispose();
  });

  it('reports an expired SSO session with the sso login command', async () => {
    env = isolateAwsEnv({ staticKeys: false });
    const startUrl = 'https://example-corp.awsapps.com/start';
    writeAws('config', `[profile support-sso]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = QConnectReader\nregion = us-east-1\n`);
    const cache = path.join(env.home, '.aws', 'sso', 'cache');
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(
      path.join(cache, `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({ startUrl, region: 'us-east-1', accessToken: 'expired-token', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    const b = backendFor(emulator, { profile: 'support-sso' });
    const e = await rejection(b.getSession(S1));
    assert.equal(e.code, 'auth');
    assert.match(e.message, /profile "support-sso"/);
    assert.match(e.message, /expired/i);
    assert.match(e.message, /aws sso login --profile support-sso/);
    assert.equal(emulator.requests.length, 0);
    b.dispose();
  });

  it('reports credentials the service rejects as expired or invalid', async () => {
    env = isolateAwsEnv({ staticKeys: false });
    const expired = backendFor(emulator, { profile: 'work' }, { clientConfig: { credentials: { accessKeyId: 'AKIAEXPIREDSESSION01', secretAccessKey: 'x', sessionToken: 'old' } } });
    const e1 = (await collect(expired, S1)).error!;
    assert.equal(e1.code, 'auth');
    assert.match(e1.message, /the AWS credentials have expired \(profile "work"\)\. Refresh the credentials of AWS profile "work" \(for an SSO profile run `aws sso login --profile work`\)/);
    expired.dispose();

    const wrongSecret = backendFor(emulator, { maxAttempts: 1 }, { clientConfig: { credentials: { ...EMULATOR_CREDENTIALS, secretAccessKey: 'wrong' } } });
    const e2 = await rejection(wrongSecret.listSessions({}));
    assert.equal(e2.code, 'auth');
    assert.match(e2.message, /AWS rejected the credentials \(InvalidSignatureException: The request signature we calculated does not match/);
    assert.ok(!e2.message.includes('wrong'), 'no secret in the message');
    wrongSecret.dispose();

    const unauthorized = backendFor(emulator, {}, { clientConfig: { credentials: EMULATOR_CREDENTIALS } });
    emulator.inject({ op: 'GetSession', error: 'UnauthorizedException' });
    const e3 = await rejection(unauthorized.getSession(S1));
    assert.equal(e3.code, 'auth');
    assert.match(e3.message, /UnauthorizedException/);
    unauthorized.dispose();
  });
});
