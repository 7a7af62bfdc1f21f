// Shared setup for the SGP tests: a BackendContext with an in-memory secret
// store and a log that records every line (to prove the key never appears).
import { createBackend } from '../../../../src/backends/registry';
import type { Backend, BackendConfig, BackendContext } from '../../../../src/backends/types';
import type { SgpEmulator } from '../../../emulators/sgp/server';

export interface TestContext extends BackendContext {
  lines: string[];
  secrets: Map<string, string>;
  secretReads: string[];
}

export function makeContext(secrets: Record<string, string> = {}): TestContext {
  const lines: string[] = [];
  const store = new Map(Object.entries(secrets));
  const secretReads: string[] = [];
  const log = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return {
    lines,
    secrets: store,
    secretReads,
    log: { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    getSecret: async (name) => {
      secretReads.push(name);
      return store.get(name);
    },
    resolvePath: (p) => p,
  };
}

/** Fast retries so error-path tests take milliseconds, not the production backoff. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 10 };

export function sgpConfig(emu: SgpEmulator, extra: Record<string, unknown> = {}): BackendConfig {
  return { id: 'sgp-test', type: 'sgp', baseUrl: emu.url, accountId: emu.accountId, lookbackDays: 0, retry: FAST_RETRY, timeoutMs: 3000, ...extra };
}

/** A backend built through the registry, exactly as the extension and CLI do. */
export async function makeBackend(emu: SgpEmulator, extra: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<{ backend: Backend; context: TestContext }> {
  const context = makeContext(secrets ?? { 'sgp.apiKey:sgp-test': emu.apiKey });
  const backend = await createBackend(sgpConfig(emu, extra), context);
  return { backend, context };
}

/** Runs `fn` with SGP_API_KEY removed (or set), restoring it afterwards. */
export async function withEnvKey<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.SGP_API_KEY;
  if (value === undefined) delete process.env.SGP_API_KEY;
  else process.env.SGP_API_KEY = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.SGP_API_KEY;
    else process.env.SGP_API_KEY = saved;
  }
}

export async function expectReject(p: Promise<unknown>): Promise<Error & { code?: string; nextSteps?: string[]; detail?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; nextSteps?: string[] };
  }
  throw new Error('expected the promise to reject');
}
