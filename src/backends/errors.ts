// One error type for every backend, so the tree, panel and CLI can show a
// precise message and the right next step without knowing the backend.

export type BackendErrorCode =
  | 'config' // the backend entry is wrong: fix settings
  | 'auth' // missing/expired credentials: sign in / set key
  | 'forbidden' // authenticated but not allowed
  | 'notFound' // unknown assistant / session / file / table
  | 'throttled' // rate limited after retries
  | 'network' // unreachable, reset, DNS
  | 'timeout'
  | 'server' // 5xx
  | 'badData' // malformed response or file content
  | 'cancelled';

/** What the user can do about it; the UI turns these into buttons. */
export type NextStep = 'retry' | 'signIn' | 'setApiKey' | 'openSettings' | 'openLog';

export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly nextSteps: NextStep[];
  /** Extra detail for the log (never secrets, never span content). */
  readonly detail?: string;

  constructor(code: BackendErrorCode, message: string, options?: { nextSteps?: NextStep[]; detail?: string; cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'BackendError';
    this.code = code;
    this.nextSteps = options?.nextSteps ?? defaultSteps(code);
    this.detail = options?.detail;
  }
}

function defaultSteps(code: BackendErrorCode): NextStep[] {
  switch (code) {
    case 'config':
      return ['openSettings'];
    case 'auth':
      return ['signIn', 'retry'];
    case 'forbidden':
      return ['openSettings', 'retry'];
    case 'notFound':
      return ['openSettings', 'retry'];
    case 'cancelled':
      return [];
    default:
      return ['retry'];
  }
}

export function isCancelled(err: unknown): boolean {
  return (
    (err instanceof BackendError && err.code === 'cancelled') ||
    (err instanceof Error && (err.name === 'AbortError' || err.name === 'CancellationError'))
  );
}

/** Wraps anything thrown into a BackendError without losing the message. */
export function toBackendError(err: unknown, fallback: BackendErrorCode = 'server'): BackendError {
  if (err instanceof BackendError) {
    return err;
  }
  if (isCancelled(err)) {
    return new BackendError('cancelled', 'Cancelled.', { cause: err });
  }
  const e = err as { code?: string; message?: string } | undefined;
  const sysCode = e?.code;
  if (sysCode === 'ECONNREFUSED' || sysCode === 'ENOTFOUND' || sysCode === 'ECONNRESET' || sysCode === 'EPIPE' || sysCode === 'EAI_AGAIN') {
    return new BackendError('network', `Network error (${sysCode}): ${e?.message ?? ''}`.trim(), { cause: err });
  }
  if (sysCode === 'ETIMEDOUT') {
    return new BackendError('timeout', `Timed out: ${e?.message ?? ''}`.trim(), { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BackendError(fallback, message || 'Unknown error', { cause: err });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new BackendError('cancelled', 'Cancelled.');
  }
}
