// Shared setup for the SGP tests: a backend built through the registry with
// the recording context (secrets in memory, every log line kept to prove the key never appears).
import { createBackend } from '../../../../src/backends/registry';
import type { Backend, BackendConfig } from '../../../../src/backends/types';
import type { SgpEmulator } from '../../../emulators/sgp/server';
import { recordingContext, type RecordingContext } from '../../../support/context';

/** Fast retries so error-path tests take milliseconds, not the production backoff. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 2, maxDelayMs: 10 };

export function sgpConfig(emu: SgpEmulator, extra: Record<string, unknown> = {}): BackendConfig {
  return { id: 'sgp-test', type: 'sgp', baseUrl: emu.url, accountId: emu.accountId, lookbackDays: 0, retry: FAST_RETRY, timeoutMs: 3000, ...extra };
}

/** A backend built through the registry, exactly as the extension and CLI do. */
export async function makeBackend(emu: SgpEmulator, extra: Record<string, unknown> = {}, secrets?: Record<string, string>): Promise<{ backend: Backend; context: RecordingContext }> {
  const context = recordingContext(secrets ?? { 'sgp.apiKey:sgp-test': emu.apiKey });
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
