// A small typed client for SGP's `POST /v5/spans/search` (FORMATS.md §2).
// There is no official TypeScript SDK; the shared JsonClient gives what an
// SDK would: retries with backoff for 429/5xx/network errors, a per-request
// timeout, cancellation. This adds SGP's headers, its error wording and the
// page shape. The API key is read per call (so "Set API Key…" takes effect on
// retry) and is redacted from anything that could reach a log or a message.
import { JsonClient, type FailureContext, type HttpFailure } from '../http/jsonClient';
import { BackendError, type NextStep } from '../errors';
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

export class SgpClient {
  private readonly baseUrl: string;
  private readonly http: JsonClient;

  constructor(private readonly options: SgpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const retry = { ...RETRY_DEFAULTS, ...stripUndefined(options.retry ?? {}) };
    const headers: Record<string, string> = { 'x-selected-account-id': options.accountId };
    if (options.projectId) headers['x-project-id'] = options.projectId;
    this.http = new JsonClient({
      who: `SGP backend "${options.backendId}"`,
      tag: `[sgp:${options.backendId}]`,
      baseUrl: this.baseUrl,
      getToken: options.getApiKey,
      tokenHint: '"Span Inspector: Set API Key…" (or SGP_API_KEY)',
      tokenHeader: 'x-api-key',
      requireToken: () =>
        new BackendError('auth', `SGP backend "${options.backendId}": no API key is set. Run "Span Inspector: Set API Key…" or set the SGP_API_KEY environment variable.`, {
          nextSteps: ['setApiKey', 'openSettings'],
        }),
      headers,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxAttempts: retry.maxAttempts,
      baseDelayMs: retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs,
      maxRetryAfterMs: retry.maxRetryAfterMs,
      describe: (f, c) => this.describe(f, c),
      log: options.log,
    });
  }

  /** `POST /v5/spans/search`. Throws BackendError (never leaks the key). */
  async searchSpans(query: SgpSearchQuery, filters: SgpSearchFilters, signal?: AbortSignal): Promise<SgpSearchPage> {
    const url = this.http.url('/v5/spans/search', { ...query });
    const { body } = await this.http.post<unknown>(url, filters, signal);
    const page = asPage(body);
    if (!page) {
      throw this.http.failure({ retryable: false, code: 'badData', what: 'a response without an "items" array' }, 'POST', url, undefined);
    }
    this.options.log?.debug(`[sgp:${this.options.backendId}] POST ${url.pathname} → ${page.items.length} spans`);
    return page;
  }

  /** SGP's wording of a final failure: which setting or key to check. */
  private describe(f: HttpFailure, { said, attempts }: FailureContext): { message: string; nextSteps: NextStep[] } {
    const who = `SGP backend "${this.options.backendId}"`;
    const { accountId, projectId } = this.options;
    switch (f.code) {
      case 'auth':
        return { message: `${who}: the API key was rejected (HTTP ${f.status}). Set a valid key with "Span Inspector: Set API Key…" (or SGP_API_KEY) and check that it belongs to account "${accountId}".${said}`, nextSteps: ['setApiKey', 'openSettings', 'retry'] };
      case 'forbidden':
        return { message: `${who}: access denied (HTTP 403) for account "${accountId}"${projectId ? ` and project "${projectId}"` : ''}. Check "accountId"/"projectId" in settings and that the API key belongs to that account.${said}`, nextSteps: ['openSettings', 'setApiKey', 'retry'] };
      case 'notFound':
        return { message: `${who}: ${this.baseUrl} has no /v5/spans/search endpoint (HTTP 404). Check "baseUrl" in settings.${said}`, nextSteps: ['openSettings', 'retry'] };
      case 'config':
        return f.page
          ? { message: `${who}: ${this.baseUrl} answered with a web page, not the API. Check "baseUrl" in settings.`, nextSteps: ['openSettings', 'retry'] }
          : { message: `${who}: the span search was rejected (HTTP ${f.status}).${said || ' No reason was given.'} Check the backend settings; if they are right, open the log and report this.`, nextSteps: ['openSettings', 'openLog'] };
      case 'throttled':
        return { message: `${who}: still rate limited (HTTP 429) after ${attempts} attempts. Wait a minute, then retry.${said}`, nextSteps: ['retry'] };
      case 'server':
        return { message: `${who}: the server failed (HTTP ${f.status}) on ${attempts} attempts. Retry later; if it persists, check the service status.${said}`, nextSteps: ['retry', 'openLog'] };
      case 'timeout':
        return { message: `${who}: ${this.baseUrl} did not answer in time (${f.what}, ${attempts} attempts). Retry, or check "baseUrl" and your network.`, nextSteps: ['retry', 'openSettings'] };
      case 'network':
        return { message: `${who}: cannot reach ${this.baseUrl} (${f.what}) after ${attempts} attempts. Check "baseUrl" and your network, then retry.`, nextSteps: ['retry', 'openSettings'] };
      case 'badData':
        return { message: `${who}: the server sent ${f.what} for a span search after ${attempts} attempts. Retry; if it persists, open the log.`, nextSteps: ['retry', 'openLog'] };
      default:
        return { message: `${who}: span search failed (${f.what}).${said}`, nextSteps: ['retry'] };
    }
  }
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


function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Partial<T>;
}
