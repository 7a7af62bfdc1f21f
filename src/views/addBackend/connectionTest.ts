// The test call the Add Backend wizard makes before saving: create the backend
// from the entry being added and ask for one page of sessions (Q Connect
// SearchSessions, SGP search, Agno open + table check, file read + parse).
// Pure (no `vscode`): the CLI-level backends do the work.
import { toBackendError } from '../../backends/errors';
import { createBackend } from '../../backends/registry';
import type { BackendConfig, BackendContext } from '../../backends/types';

export interface ConnectionResult {
  ok: boolean;
  /** What was found ("3 sessions on the first page") or why it failed (cause + next step). */
  message: string;
}

/** A type-specific check; throws (a BackendError, ideally) on failure and returns a summary. */
export type ConnectionTest = (config: BackendConfig, context: BackendContext, signal: AbortSignal) => Promise<string>;

/** Default check: one page of sessions through the backend's own code. */
export const listOneSession: ConnectionTest = async (config, context, signal) => {
  const backend = await createBackend(config, context);
  try {
    const page = await backend.listSessions({ limit: 5, signal });
    const n = page.sessions.length;
    const more = page.cursor ? '+' : '';
    const warn = page.warnings?.length ? ` Warning: ${page.warnings.join(' ')}` : '';
    return n ? `Connected: ${n}${more} session${n === 1 && !more ? '' : 's'} found.${warn}` : `Connected, no sessions yet.${warn}`;
  } finally {
    backend.dispose?.();
  }
};

/** Runs `test` with a time limit; never throws. */
export async function runConnectionTest(test: ConnectionTest, config: BackendConfig, context: BackendContext, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ConnectionResult> {
  const abort = new AbortController();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onAbort);
  try {
    const limit = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(new Error(options.signal?.aborted ? 'Cancelled.' : `No answer within ${Math.round(timeoutMs / 1000)} s.`))));
    const message = await Promise.race([test(config, context, abort.signal), limit]);
    return { ok: true, message };
  } catch (err) {
    const e = toBackendError(err);
    return { ok: false, message: e.message };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
