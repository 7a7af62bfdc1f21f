// A small typed client for SGP's `POST /v5/spans/search` (FORMATS.md §2).
// There is no official TypeScript SDK, so this is plain `fetch` plus the
// things an SDK would give us: retries with backoff for 429/5xx/network
// errors, a per-request timeout, cancellation, and errors that say what to do.
// The API key is read per call (so "Set API Key…" takes effect on retry) and
// is redacted from anything that could reach a log or an error message.
import { parseRetryAfter, redact, serverDetail, sleep, systemCode } from '../http/jsonClient';
import { BackendError, type BackendErrorCode, type NextStep } from '../errors';
import type { Logger } from '../types';

export const SGP_DEFAULT_BASE_URL = 'https://api.egp.scale.com';
export const SGP_MAX_LIMIT = 1000;

/** One SGP span as it comes over the wire. Everything is optional: never trust the server's shape. */
export interface SgpSpanRecord {
  id: string;
  account_id?: string;
  name?: string;
  trace_id?: string;
  parent_id?: string | null;
  group_id?: string | null;
  start_timestamp?: string;
  end_timestamp?: string | null;
  object?: string;
  type?: string | null;
  status?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
  expected?: unknown;
  input_tokens?: number | null;
  output_tokens?: number | null;
  created_by?: unknown;
  application_interaction_id?: string | null;
  application_variant_id?: string | null;
  [key: string]: unknown;
}

export type SgpSortBy = 'start_timestamp' | 'duration_ms' | 'input_tokens' | 'output_tokens';

/** Query-string part of a search. */
export interface SgpSearchQuery {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  sort_by?: SgpSortBy;
  sort_order?: 'asc' | 'desc';
  /** ISO 8601 */
  from_ts?: string;
  to_ts?: string;
}

/** JSON body of a search. Unlisted keys are passed through as given. */
export interface SgpSearchFilters {
  trace_ids?: string[];
  span_ids?: string[];
  parent_ids?: string[];
  parents_only?: boolean;
  group_id?: string;
  names?: string[];
  statuses?: string[];
  types?: string[];
  search_texts?: string[];
  extra_metadata?: Record<string, unknown>;
  excluded_span_ids?: string[];
  excluded_trace_ids?: string[];
  application_variant_ids?: string[];
  [key: string]: unknown;
}

export interface SgpSearchPage {
  items: SgpSpanRecord[];
  has_more: boolean;
  next_cursor?: string;
  total?: number;
  /** "partial" when the server gave up before searching everything. */
  search_status?: string;
}

export interface SgpRetryOptions {
  /** Total attempts including the first (default 5). */
  maxAttempts?: number;
  /** First backoff step (default 500 ms); doubles per attempt, with full jitter. */
  baseDelayMs?: number;
  /** Cap of one backoff step (default 15 s). */
  maxDelayMs?: number;
  /** Cap applied to a server's Retry-After (default 60 s). */
  maxRetryAfterMs?: number;
}

export interface SgpClientOptions {
  /** The backend id, used in messages ("SGP backend \"prod\": …"). */
  backendId: string;
  baseUrl: string;
  accountId: string;
  projectId?: string;
  /** Returns the API key, or undefined when none is configured. */
  getApiKey: () => Promise<string | undefined>;
  timeoutMs?: number;
  retry?: SgpRetryOptions;
  log?: Logger;
}

const RETRY_DEFAULTS: Required<SgpRetryOptions> = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 };

/** What one attempt produced when it did not succeed. */
interface Failure {
  retryable: boolean;
  code: BackendErrorCode;
  /** Short description of the failure without secrets, e.g. "HTTP 503" or "ECONNRESET". */
  what: string;
  status?: number;
  serverMessage?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class SgpClient {
  private readonly baseUrl: string;
  private readonly retry: Required<SgpRetryOptions>;
  private readonly timeoutMs: number;

  constructor(private readonly options: SgpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...RETRY_DEFAULTS, ...stripUndefined(options.retry ?? {}) };
    this.retry.maxAttempts = Math.max(1, Math.floor(this.retry.maxAttempts));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `POST /v5/spans/search`. Throws BackendError (never leaks the key). */
  async searchSpans(query: SgpSearchQuery, filters: SgpSearchFilters, signal?: AbortSignal): Promise<SgpSearchPage> {
    const key = await this.options.getApiKey();
    if (!key) {
      throw new BackendError(
        'auth',
        `SGP backend "${this.options.backendId}": no API key is set. Run "Span Inspector: Set API Key…" or set the SGP_API_KEY environment variable.`,
        { nextSteps: ['setApiKey', 'openSettings'] },
      );
    }
    const url = this.url('/v5/spans/search', query);
    const body = JSON.stringify(filters);
    const where = `POST ${url.pathname}`;
    let last: Failure | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      checkAborted(signal);
      const started = Date.now();
      const result = await this.attempt(url, key, body, signal);
      if (!('failure' in result)) {
        this.options.log?.debug(`[sgp:${this.options.backendId}] ${where} → ${result.page.items.length} spans in ${Date.now() - started} ms`);
        return result.page;
      }
      last = result.failure;
      if (!last.retryable || attempt === this.retry.maxAttempts) {
        break;
      }
      const delay = this.backoff(attempt, last.retryAfterMs);
      this.options.log?.warn(`[sgp:${this.options.backendId}] ${where} failed (${last.what}); retry ${attempt}/${this.retry.maxAttempts - 1} in ${delay} ms`);
      await sleep(delay, signal);
    }
    throw this.toError(last!, key);
  }

  private url(path: string, query: SgpSearchQuery): URL {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') {
        url.searchParams.set(k, String(v));
      }
    }
    return url;
  }

  private async attempt(url: URL, key: string, body: string, signal: AbortSignal | undefined): Promise<{ page: SgpSearchPage } | { failure: Failure }> {
    // One controller per attempt so a timeout aborts this attempt only, and we can
    // tell a timeout (retryable) apart from the caller cancelling (not retried).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-api-key': key,
      'x-selected-account-id': this.options.accountId,
    };
    if (this.options.projectId) {
      headers['x-project-id'] = this.options.projectId;
    }
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      // Reading the body is inside the timeout too: a stalled stream is a timeout.
      const text = await res.text();
      if (!res.ok) {
        return { failure: httpFailure(res.status, text, res.headers.get('retry-after')) };
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        // Usually a proxy or connection cutting the body short: worth another try.
        return { failure: { retryable: true, code: 'badData', what: `malformed JSON (${text.length} bytes)`, cause: err } };
      }
      const page = asPage(json);
      if (!page) {
        return { failure: { retryable: false, code: 'badData', what: 'a response without an "items" array' } };
      }
      return { page };
    } catch (err) {
      if (signal?.aborted) {
        throw new BackendError('cancelled', 'Cancelled.', { cause: err });
      }
      if (timedOut) {
        return { failure: { retryable: true, code: 'timeout', what: `no response within ${this.timeoutMs} ms`, cause: err } };
      }
      const sys = systemCode(err);
      return { failure: { retryable: true, code: 'network', what: sys ?? 'connection failed', cause: err } };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Exponential backoff with full jitter; a Retry-After from the server sets the floor. */
  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    if (retryAfterMs !== undefined) {
      return Math.max(jittered, Math.min(retryAfterMs, this.retry.maxRetryAfterMs));
    }
    return jittered;
  }

  private toError(f: Failure, key: string): BackendError {
    const who = `SGP backend "${this.options.backendId}"`;
    const attempts = this.retry.maxAttempts;
    const server = f.serverMessage ? redact(f.serverMessage, key) : undefined;
    const said = server ? ` The server said: ${server}` : '';
    const detail = `POST ${this.baseUrl}/v5/spans/search: ${f.what}`;
    const make = (code: BackendErrorCode, message: string, nextSteps: NextStep[]) =>
      new BackendError(code, message, { nextSteps, detail, cause: f.cause });
    switch (f.code) {
      case 'auth':
        return make('auth', `${who}: the API key was rejected (HTTP ${f.status}). Set a valid key with "Span Inspector: Set API Key…" (or SGP_API_KEY) and check that it belongs to account "${this.options.accountId}".${said}`, ['setApiKey', 'openSettings', 'retry']);
      case 'forbidden':
        return make('forbidden', `${who}: access denied (HTTP 403) for account "${this.options.accountId}"${this.options.projectId ? ` and project "${this.options.projectId}"` : ''}. Check "accountId"/"projectId" in settings and that the API key belongs to that account.${said}`, ['openSettings', 'setApiKey', 'retry']);
      case 'notFound':
        return make('notFound', `${who}: ${this.baseUrl} has no /v5/spans/search endpoint (HTTP 404). Check "baseUrl" in settings.${said}`, ['openSettings', 'retry']);
      case 'config':
        return make('config', `${who}: the span search was rejected (HTTP ${f.status}).${said || ' No reason was given.'} Check the backend settings; if they are right, open the log and report this.`, ['openSettings', 'openLog']);
      case 'throttled':
        return make('throttled', `${who}: still rate limited (HTTP 429) after ${attempts} attempts. Wait a minute, then retry.${said}`, ['retry']);
      case 'server':
        return make('server', `${who}: the server failed (HTTP ${f.status}) on ${attempts} attempts. Retry later; if it persists, check the service status.${said}`, ['retry', 'openLog']);
      case 'timeout':
        return make('timeout', `${who}: ${this.baseUrl} did not answer in time (${f.what}, ${attempts} attempts). Retry, or check "baseUrl" and your network.`, ['retry', 'openSettings']);
      case 'network':
        return make('network', `${who}: cannot reach ${this.baseUrl} (${f.what}) after ${attempts} attempts. Check "baseUrl" and your network, then retry.`, ['retry', 'openSettings']);
      case 'badData':
        return make('badData', `${who}: the server sent ${f.what} for a span search after ${attempts} attempts. Retry; if it persists, open the log.`, ['retry', 'openLog']);
      default:
        return make(f.code, `${who}: span search failed (${f.what}).${said}`, ['retry']);
    }
  }
}

function httpFailure(status: number, text: string, retryAfter: string | null): Failure {
  const serverMessage = serverDetail(text);
  const what = `HTTP ${status}`;
  if (status === 401) return { retryable: false, code: 'auth', what, status, serverMessage };
  if (status === 403) return { retryable: false, code: 'forbidden', what, status, serverMessage };
  if (status === 404) return { retryable: false, code: 'notFound', what, status, serverMessage };
  if (status === 429) return { retryable: true, code: 'throttled', what, status, serverMessage, retryAfterMs: parseRetryAfter(retryAfter) };
  if (status >= 500) return { retryable: true, code: 'server', what, status, serverMessage, retryAfterMs: parseRetryAfter(retryAfter) };
  // 400, 422 and other client errors: the request itself is wrong; retrying cannot help.
  return { retryable: false, code: 'config', what, status, serverMessage };
}

function asPage(json: unknown): SgpSearchPage | undefined {
  if (!json || typeof json !== 'object' || !Array.isArray((json as { items?: unknown }).items)) {
    return undefined;
  }
  const o = json as Record<string, unknown>;
  const page: SgpSearchPage = {
    items: (o.items as unknown[]).filter((i): i is SgpSpanRecord => !!i && typeof i === 'object' && typeof (i as { id?: unknown }).id === 'string'),
    has_more: o.has_more === true,
  };
  if (typeof o.next_cursor === 'string' && o.next_cursor) page.next_cursor = o.next_cursor;
  if (typeof o.total === 'number') page.total = o.total;
  if (typeof o.search_status === 'string') page.search_status = o.search_status;
  return page;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BackendError('cancelled', 'Cancelled.');
}


function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Partial<T>;
}
