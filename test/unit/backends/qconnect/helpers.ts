// Shared setup for the Q Connect tests: the real SDK client against the local
// emulator, with the AWS environment isolated from the machine's ~/.aws.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../../src/backends/errors';
import { createQConnectBackend, type QConnectBackend, type QConnectBackendOverrides } from '../../../../src/backends/qconnect/backend';
import type { Backend, BackendConfig, BackendContext, SpanPage } from '../../../../src/backends/types';
import { EMULATOR_CREDENTIALS, type QConnectEmulator } from '../../../emulators/qconnect/emulator';

const AWS_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'HOME',
];

/**
 * Points the SDK's credential chain at an empty temp home and the emulator's fake
 * static keys in the environment (like the demo). Returns a restore function.
 */
export function isolateAwsEnv(options: { staticKeys?: boolean } = {}): { home: string; restore(): void } {
  const saved = new Map(AWS_VARS.map((k) => [k, process.env[k]]));
  for (const k of AWS_VARS) delete process.env[k];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'qconnect-home-'));
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = path.join(home, '.aws', 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, '.aws', 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  if (options.staticKeys !== false) {
    process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
  }
  return {
    home,
    restore() {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface TestContext extends BackendContext {
  logs: string[];
}

export function testContext(): TestContext {
  const logs: string[] = [];
  const push = (level: string) => (m: string) => logs.push(`${level} ${m}`);
  return {
    logs,
    log: { trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
    getSecret: async () => undefined,
    resolvePath: (p) => p,
  };
}

export function backendFor(
  emulator: QConnectEmulator,
  extra: Partial<BackendConfig> = {},
  overrides?: QConnectBackendOverrides,
  context: BackendContext = testContext(),
): QConnectBackend {
  const config: BackendConfig = {
    id: 'qc',
    type: 'qconnect',
    region: emulator.region,
    assistantId: emulator.assistantId,
    endpoint: emulator.url,
    maxAttempts: 3,
    retryBaseDelayMs: 5,
    ...extra,
  };
  return createQConnectBackend(config, context, overrides) as QConnectBackend;
}

/** Drains loadSpans, keeping the pages received before a failure. */
export async function collect(backend: Backend, sessionId: string, options: { resumeFrom?: string; signal?: AbortSignal } = {}) {
  const pages: SpanPage[] = [];
  let error: BackendError | undefined;
  try {
    for await (const page of backend.loadSpans(sessionId, options)) pages.push(page);
  } catch (err) {
    if (!(err instanceof BackendError)) throw err;
    error = err;
  }
  return { pages, spans: pages.flatMap((p) => p.spans), error, lastCursor: pages.at(-1)?.cursor };
}

/** Awaits a promise expected to reject with a BackendError. */
export async function rejection(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BackendError) return err;
    throw err;
  }
  throw new Error('expected a BackendError, but the call succeeded');
}
