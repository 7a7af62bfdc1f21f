// A small JSON-over-HTTP client for the team trace stores (Jaeger, Phoenix):
// GET with retries and backoff for 429/5xx/network errors, a per-request
// timeout, cancellation, an optional bearer token read per call (so "Set API
// Key…" takes effect on Retry), and errors that name the next step. The token
// never reaches a log or a message.
import { BackendError, type BackendErrorCode, type NextStep } from '../errors';
import type { Logger } from '../types';

export interface JsonClientOptions {
  /** Who is talking, for messages: `Jaeger backend "team"`. */
  who: string;
  baseUrl: string;
  getToken: () => Promise<string | undefined>;
  /** How to set the token, for 401 messages: `"Span Inspector: Set API Key…" (or JAEGER_TOKEN)`. */
  tokenHint: string;
  /** Header carrying the token (default `authorization: Bearer …`). */
  tokenHeader?: 'authorization' | string;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  log?: Logger;
  /** Log prefix, e.g. `[jaeger:team]`. */
  tag: string;
}

export interface GetResult<T> {
  status: number;
  body: T;
}

interface Failure {
  retryable: boolean;
  code: BackendErrorCode;
  what: string;
  status?: number;
  serverMessage?: string;
  retryAfterMs?: number;
  /** The answer was a web page (HTML), not the API. */
  page?: boolean;
  cause?: unknown;
}

export class JsonClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;

  constructor(private readonly options: JsonClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 4));
    this.baseDelayMs = options.baseDelayMs ?? 300;
  }

  url(path: string, query: Record<string, string | number | boolean | string[] | undefined> = {}): URL {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === '') continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    return url;
  }

  /**
   * GET a JSON document. `accept` lists statuses that are answers rather than
   * failures (e.g. 404 "no traces found"); their body is returned as parsed.
   */
  async get<T>(url: URL, signal?: AbortSignal, accept: number[] = []): Promise<GetResult<T>> {
    const token = await this.options.getToken();
    let last: Failure | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (signal?.aborted) throw new BackendError('cancelled', 'Cancelled.');
      const started = Date.now();
      const r = await this.attempt<T>(url, token, signal, accept);
      if (!('failure' in r)) {
        this.options.log?.debug(`${this.options.tag} GET ${url.pathname} → ${r.status} in ${Date.now() - started} ms`);
        return r;
      }
      last = r.failure;
      if (!last.retryable || attempt === this.maxAttempts) break;
      const ceiling = this.baseDelayMs * 2 ** (attempt - 1);
      const delay = Math.max(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)), Math.min(last.retryAfterMs ?? 0, 30_000));
      this.options.log?.warn(`${this.options.tag} GET ${url.pathname} failed (${last.what}); retry ${attempt}/${this.maxAttempts - 1} in ${delay} ms`);
      await sleep(delay, signal);
    }
    throw this.toError(last!, url, token);
  }

  private async attempt<T>(url: URL, token: string | undefined, signal: AbortSignal | undefined, accept: number[]): Promise<GetResult<T> | { failure: Failure }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) {
      const h = this.options.tokenHeader ?? 'authorization';
      headers[h] = h === 'authorization' ? `Bearer ${token}` : token;
    }
    try {
      const res = await fetch(url, { headers, signal: controller.signal });
      const text = await res.text();
      if (!res.ok && !accept.includes(res.status)) return { failure: httpFailure(res.status, text, res.headers.get('retry-after')) };
      try {
        return { status: res.status, body: JSON.parse(text) as T };
      } catch (err) {
        // An accepted error status may come as plain text (Phoenix's 404s): the status is the answer.
        if (!res.ok) return { status: res.status, body: null as T };
        // A web page instead of JSON: baseUrl points at a UI or another site, not the API.
        if (/html/i.test(res.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
          return { failure: { retryable: false, code: 'config', what: 'a web page instead of JSON', status: res.status, page: true } };
        }
        // Usually a proxy or a dying server cutting the body short: worth another try.
        return { failure: { retryable: true, code: 'badData', what: `malformed JSON (${text.length} bytes)`, cause: err } };
      }
    } catch (err) {
      if (signal?.aborted) throw new BackendError('cancelled', 'Cancelled.', { cause: err });
      if (timedOut) return { failure: { retryable: true, code: 'timeout', what: `no response within ${this.timeoutMs} ms`, cause: err } };
      return { failure: { retryable: true, code: 'network', what: systemCode(err) ?? 'connection failed', cause: err } };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private toError(f: Failure, url: URL, token: string | undefined): BackendError {
    const who = this.options.who;
    const said = f.serverMessage ? ` The server said: ${redact(f.serverMessage, token)}` : '';
    const detail = `GET ${url.origin}${url.pathname}: ${f.what}`;
    const make = (code: BackendErrorCode, message: string, nextSteps: NextStep[]) => new BackendError(code, message, { nextSteps, detail, cause: f.cause });
    const n = this.maxAttempts;
    switch (f.code) {
      case 'auth':
        return make(
          'auth',
          token
            ? `${who}: the token was rejected (HTTP 401). Set a valid one with ${this.options.tokenHint}.${said}`
            : `${who}: the server wants a token (HTTP 401) and none is set. Set one with ${this.options.tokenHint}.${said}`,
          ['setApiKey', 'openSettings', 'retry'],
        );
      case 'forbidden':
        return make('forbidden', `${who}: access denied (HTTP 403). Check that the token may read this store, or set another with ${this.options.tokenHint}.${said}`, ['setApiKey', 'openSettings', 'retry']);
      case 'notFound':
        return make('notFound', `${who}: ${url.origin}${url.pathname} was not found (HTTP 404). Check "baseUrl" (and the project) in settings.${said}`, ['openSettings', 'retry']);
      case 'config':
        if (f.page) return make('config', `${who}: ${url.origin}${url.pathname} answered with a web page, not the API. Check "baseUrl" in settings.`, ['openSettings', 'retry']);
        return make('config', `${who}: the request was rejected (HTTP ${f.status}).${said || ' No reason was given.'} Check the backend settings.`, ['openSettings', 'openLog']);
      case 'throttled':
        return make('throttled', `${who}: still rate limited (HTTP 429) after ${n} attempts. Wait a minute, then retry.${said}`, ['retry']);
      case 'server':
        return make('server', `${who}: the server failed (HTTP ${f.status}) on ${n} attempts. Retry later; if it persists, check the store's logs.${said}`, ['retry', 'openLog']);
      case 'timeout':
        return make('timeout', `${who}: ${this.baseUrl} did not answer in time (${f.what}, ${n} attempts). Retry, or check "baseUrl" and the store.`, ['retry', 'openSettings']);
      case 'network':
        return make('network', `${who}: cannot reach ${this.baseUrl} (${f.what}) after ${n} attempts. Is the store running? Check "baseUrl", then retry.`, ['retry', 'openSettings']);
      case 'badData':
        return make('badData', `${who}: the server sent ${f.what} after ${n} attempts. Retry; if it persists, open the log.`, ['retry', 'openLog']);
      default:
        return make(f.code, `${who}: request failed (${f.what}).${said}`, ['retry']);
    }
  }
}

function httpFailure(status: number, text: string, retryAfter: string | null): Failure {
  const serverMessage = serverDetail(text) ?? grpcGatewayMessage(text);
  const what = `HTTP ${status}`;
  if (status === 401) return { retryable: false, code: 'auth', what, status, serverMessage };
  if (status === 403) return { retryable: false, code: 'forbidden', what, status, serverMessage };
  if (status === 404) return { retryable: false, code: 'notFound', what, status, serverMessage };
  if (status === 429) return { retryable: true, code: 'throttled', what, status, serverMessage, retryAfterMs: parseRetryAfter(retryAfter) };
  // 502/503/504 from a proxy in front of a restarting store: retried like any 5xx.
  if (status >= 500) return { retryable: true, code: 'server', what, status, serverMessage, retryAfterMs: parseRetryAfter(retryAfter) };
  return { retryable: false, code: 'config', what, status, serverMessage };
}

/** Jaeger's grpc-gateway errors: `{"error":{"httpCode":400,"message":"…"}}`. */
function grpcGatewayMessage(text: string): string | undefined {
  try {
    const o = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof o?.error?.message === 'string' ? o.error.message.slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

/** fetch wraps socket errors: `TypeError('fetch failed', {cause: {code: 'ECONNREFUSED'}})`. */
export function systemCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && e.code) return e.code;
  }
  return undefined;
}

/** FastAPI-style `{"detail": "…"}` or `{"detail": [{loc, msg}]}`, else `message`, else a short text body. */
export function serverDetail(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const t = text.trim();
    return t && t.length <= 300 && !t.startsWith('<') ? t : undefined;
  }
  const o = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const d = o.detail ?? o.message ?? o.error;
  if (typeof d === 'string') return clip(d);
  if (Array.isArray(d)) {
    const parts = d.map((e) => {
      const item = e && typeof e === 'object' ? (e as Record<string, unknown>) : {};
      const loc = Array.isArray(item.loc) ? item.loc.join('.') : undefined;
      const msg = typeof item.msg === 'string' ? item.msg : typeof e === 'string' ? e : undefined;
      return msg ? (loc ? `${loc}: ${msg}` : msg) : undefined;
    });
    const joined = parts.filter(Boolean).join('; ');
    return joined ? clip(joined) : undefined;
  }
  if (d && typeof d === 'object' && typeof (d as { message?: unknown }).message === 'string') {
    return clip((d as { message: string }).message);
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

/** Removes the API key from text a server might echo back. */
export function redact(text: string, key: string | undefined): string {
  return key && key.length >= 4 ? text.split(key).join('***') : text;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Waits `ms`, or rejects with a `cancelled` BackendError when `signal` aborts (retry back-off). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new BackendError('cancelled', 'Cancelled.'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BackendError('cancelled', 'Cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Secret names for a store's token, most specific first; then an environment variable. */
export async function storeToken(getSecret: (name: string) => Promise<string | undefined>, type: string, backendId: string, envVar: string): Promise<string | undefined> {
  for (const name of [`${type}.apiKey:${backendId}`, `${type}.apiKey`]) {
    try {
      const v = await getSecret(name);
      if (v && v.trim()) return v.trim();
    } catch {
      // An unavailable secret store falls through to the next source.
    }
  }
  const env = process.env[envVar];
  return env && env.trim() ? env.trim() : undefined;
}

/** `retry: {maxAttempts, baseDelayMs}` of a backend entry, when given. */
export function retryOptions(config: Record<string, unknown>): { maxAttempts?: number; baseDelayMs?: number } {
  const r = config.retry;
  if (!r || typeof r !== 'object') return {};
  const o = r as Record<string, unknown>;
  const num = (v: unknown, min: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined);
  return { maxAttempts: num(o.maxAttempts, 1, 10), baseDelayMs: num(o.baseDelayMs, 0, 60_000) };
}

/** Opaque resume/list positions: base64url JSON. */
export function encodeCursor<T>(c: T): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor<T>(s: string): T | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** `baseUrl` as an http(s) URL, or a config error naming the key. */
export function parseBaseUrl(value: string, fail: (message: string) => Error): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw fail(`"baseUrl" is not a valid URL: ${JSON.stringify(value)}.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw fail('"baseUrl" must start with https:// (or http:// for a local server).');
  return value.replace(/\/+$/, '');
}
