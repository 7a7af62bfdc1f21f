// The `qconnect` backend: Amazon Q Connect sessions and their spans, read with
// the real @aws-sdk/client-qconnect client (SigV4, retries, endpoints and the
// credential chain all come from the SDK) plus our ListSpans command.
import { GetAIPromptCommand, GetSessionCommand, QConnectClient, SearchSessionsCommand, type QConnectClientConfig } from '@aws-sdk/client-qconnect';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { StringPool } from '../../model/intern';
import type { Session } from '../../model/types';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendConfig, BackendContext, ListOptions, LoadOptions, PromptTemplate, SessionPage, SpanPage } from '../types';
import { parseQConnectConfig, parseWisdomArn, type QConnectSettings, UUID_RE } from './config';
import { type ErrorContext, type QConnectOperation, qconnectError } from './errors';
import { ListSpansCommand } from './listSpansCommand';
import { toSpan } from './map';

/** Test seam: explicit SDK options (e.g. static `credentials`) merged over the settings-derived ones. */
export interface QConnectBackendOverrides {
  clientConfig?: Partial<QConnectClientConfig>;
}

export function createQConnectBackend(config: BackendConfig, context: BackendContext, overrides?: QConnectBackendOverrides): Backend {
  return new QConnectBackend(parseQConnectConfig(config), context, overrides);
}

/** Max SearchSessions pages read when resolving a session by name. */
const NAME_SEARCH_PAGES = 10;

export class QConnectBackend implements Backend {
  readonly type = 'qconnect' as const;
  readonly id: string;
  readonly label: string;
  private clientInstance: QConnectClient | undefined;
  /** GetSession results (sessions do not change once created, apart from tags). */
  private readonly sessions = new Map<string, Session>();
  private readonly pendingSessions = new Map<string, Promise<Session | undefined>>();
  /** Names learnt cheaply (name searches, spans' sessionName), shown in the list without extra requests. */
  private readonly names = new Map<string, string>();

  constructor(
    readonly settings: QConnectSettings,
    private readonly context: BackendContext,
    private readonly overrides: QConnectBackendOverrides = {},
  ) {
    this.id = settings.id;
    this.label = settings.label;
  }

  /** Created on first use so a misconfigured entry costs nothing until opened. */
  get client(): QConnectClient {
    if (!this.clientInstance) {
      const s = this.settings;
      const retry =
        s.retryBaseDelayMs !== undefined
          ? { retryStrategy: new ConfiguredRetryStrategy(s.maxAttempts ?? 3, (attempt: number) => s.retryBaseDelayMs! * 2 ** Math.max(0, attempt - 2)) }
          : s.maxAttempts !== undefined
            ? { maxAttempts: s.maxAttempts }
            : {};
      const config: QConnectClientConfig & { ignoreCache?: boolean } = {
        region: s.region,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        // The SDK's default chain honours `profile` (shared config/credentials files, SSO, process…).
        ...(s.profile ? { profile: s.profile } : {}),
        // Passed on to the credential providers: re-read ~/.aws/config and credentials when a new
        // client is built after an auth failure, so "Retry" sees what the user just fixed.
        ignoreCache: true,
        ...retry,
        // throwOnRequestTimeout: without it this SDK version only logs a warning when
        // requestTimeout passes, and a server that stops answering hangs the load forever.
        requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
        // Only the SDK's warnings (e.g. conflicting credential sources) reach our log; its
        // info/error records would carry request and response data.
        logger: {
          trace: () => undefined,
          debug: () => undefined,
          info: () => undefined,
          warn: (...args: unknown[]) => this.context.log.warn(`[${this.id}] AWS SDK: ${args.map((a) => (typeof a === 'string' ? a : '')).join(' ').trim()}`),
          error: () => undefined,
        },
        ...this.overrides.clientConfig,
      };
      this.clientInstance = new QConnectClient(config);
    }
    return this.clientInstance;
  }

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const out = await this.call('SearchSessions', `assistant ${this.settings.assistantId}`, () =>
      this.client.send(
        new SearchSessionsCommand({
          assistantId: this.settings.assistantId,
          searchExpression: { filters: [] },
          maxResults: Math.min(100, Math.max(1, options.limit ?? 100)),
          nextToken: options.cursor,
        }),
        { abortSignal: options.signal },
      ),
    );
    // The service returns ids only; names/details come from GetSession, fetched
    // lazily by getSession() for the rows that need them. Order is the service's.
    const sessions = (out.sessionSummaries ?? []).flatMap((summary) => {
      if (!summary.sessionId) return [];
      return [this.sessions.get(summary.sessionId) ?? this.summaryToSession(summary.sessionId, summary.sessionArn)];
    });
    if (out.nextToken && out.nextToken === options.cursor) {
      // The same page again: following it would list the same sessions forever.
      throw new BackendError(
        'badData',
        `Amazon Q Connect backend "${this.id}": SearchSessions for assistant ${this.settings.assistantId} returned the page token it was given (pagination loop), so the session list stopped here. Retry later.`,
        { nextSteps: ['retry', 'openLog'] },
      );
    }
    return { sessions, ...(out.nextToken ? { cursor: out.nextToken } : {}) };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const id = this.sessionUuid(sessionId);
    if (!id) return undefined;
    const cached = this.sessions.get(id);
    if (cached) return cached;
    let pending = this.pendingSessions.get(id);
    if (!pending) {
      pending = this.fetchSession(id, signal).finally(() => this.pendingSessions.delete(id));
      this.pendingSessions.set(id, pending);
    }
    return pending;
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const q = query.trim();
    if (!q) return [];
    if (q.startsWith('arn:')) {
      const arn = parseWisdomArn(q);
      // Another assistant's session belongs to another backend entry.
      if (!arn || arn.resourceType !== 'session' || arn.ids.length !== 2 || arn.ids[0].toLowerCase() !== this.settings.assistantId) return [];
      const s = await this.getSession(arn.ids[1], signal);
      return s ? [s] : [];
    }
    if (UUID_RE.test(q)) {
      const s = await this.getSession(q, signal);
      if (s) return [s];
    }
    // Exact name match through the service's own search.
    const found: Session[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < NAME_SEARCH_PAGES; page++) {
      const out = await this.call('SearchSessions', `sessions named "${q}" in assistant ${this.settings.assistantId}`, () =>
        this.client.send(
          new SearchSessionsCommand({
            assistantId: this.settings.assistantId,
            searchExpression: { filters: [{ field: 'NAME', operator: 'EQUALS', value: q }] },
            maxResults: 100,
            nextToken,
          }),
          { abortSignal: signal },
        ),
      );
      for (const summary of out.sessionSummaries ?? []) {
        if (!summary.sessionId) continue;
        this.names.set(summary.sessionId, q);
        found.push(this.sessions.get(summary.sessionId) ?? this.summaryToSession(summary.sessionId, summary.sessionArn));
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return found;
  }

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const id = this.sessionUuid(sessionId);
    if (!id) {
      throw new BackendError('notFound', `Amazon Q Connect backend "${this.id}": "${sessionId}" is not a session id or ARN of assistant ${this.settings.assistantId}.`, {
        nextSteps: ['openSettings'],
      });
    }
    const { signal } = options;
    let token = options.resumeFrom || undefined;
    // Every token requested so far: a response pointing back to one of them would page forever.
    const requested = new Set<string>(token ? [token] : []);
    let loaded = 0;
    let index = 0;
    const pool = new StringPool();
    for (;;) {
      throwIfAborted(signal);
      const out = await this.call(
        'ListSpans',
        `session ${id} of assistant ${this.settings.assistantId}`,
        () =>
          this.client.send(
            new ListSpansCommand({ assistantId: this.settings.assistantId, sessionId: id, maxResults: this.settings.pageSize, nextToken: token }),
            { abortSignal: signal },
          ),
        loaded,
      );
      // Repeated transcript text (every LLM call resends the conversation) is stored once.
      const spans = (out.spans ?? []).map((w) => toSpan(pool.internDeep(w), id, index++));
      if (!this.names.has(id)) {
        const name = spans.find((s) => typeof s.attributes.sessionName === 'string')?.attributes.sessionName as string | undefined;
        if (name) this.names.set(id, name);
      }
      const next = out.nextToken || undefined;
      // Checked before yielding: this page's cursor would point back into the
      // loop, so a Retry from it would deliver spans a second time. Retry from
      // the previous page's cursor re-reads this page once the server is fixed.
      if (next && requested.has(next)) {
        throw new BackendError(
          'badData',
          `Amazon Q Connect backend "${this.id}": ListSpans for session ${id} returned a page token it had already returned (pagination loop); stopped after ${loaded} spans. The spans shown may be incomplete; retry later.`,
          { nextSteps: ['retry', 'openLog'], detail: `repeated nextToken after ${requested.size} page(s)` },
        );
      }
      loaded += spans.length;
      yield { spans, ...(next ? { cursor: next } : {}) };
      if (!next) return;
      requested.add(next);
      token = next;
    }
  }

  async getPromptTemplate(prompt: { id?: string; arn?: string; version?: number }, signal?: AbortSignal): Promise<PromptTemplate | undefined> {
    let assistantId = this.settings.assistantId;
    let ref = prompt.id;
    if (prompt.arn) {
      const arn = parseWisdomArn(prompt.arn);
      if (arn?.resourceType === 'ai-prompt' && arn.ids.length === 2) {
        assistantId = arn.ids[0];
        ref = arn.ids[1];
      } else if (!ref) {
        return undefined;
      }
    }
    if (!ref) return undefined;
    // An id may carry its own qualifier ("uuid:3" / "uuid:$LATEST"); an explicit version wins.
    const [uuid, qualifier] = ref.split(':');
    const version = prompt.version !== undefined ? String(prompt.version) : qualifier;
    const aiPromptId = version ? `${uuid}:${version}` : uuid;
    let out;
    try {
      out = await this.call('GetAIPrompt', `AI prompt ${aiPromptId}`, () =>
        this.client.send(new GetAIPromptCommand({ assistantId, aiPromptId }), { abortSignal: signal }),
      );
    } catch (err) {
      // The prompt may have been deleted; the caller then falls back to the workspace.
      if (err instanceof BackendError && err.code === 'notFound') {
        this.context.log.debug(`[${this.id}] GetAIPrompt: ${aiPromptId} not found.`);
        return undefined;
      }
      throw err;
    }
    const data = out.aiPrompt;
    const template = data?.templateConfiguration as { textFullAIPromptEditTemplateConfiguration?: { text?: string } } | undefined;
    const text = template?.textFullAIPromptEditTemplateConfiguration?.text;
    if (typeof text !== 'string') return undefined;
    const base = data?.aiPromptArn ?? `${assistantId}/${uuid}`;
    const resolvedVersion = out.versionNumber ?? (version && version !== '$LATEST' ? version : undefined);
    return {
      language: 'yaml',
      text,
      ...(data?.name ? { name: data.name } : {}),
      source: resolvedVersion !== undefined ? `${base}:${resolvedVersion}` : `${base} (latest)`,
    };
  }

  dispose(): void {
    this.clientInstance?.destroy();
    this.clientInstance = undefined;
  }

  private summaryToSession(sessionId: string, sessionArn: string | undefined): Session {
    const session: Session = { backendId: this.id, id: sessionId };
    const name = this.names.get(sessionId);
    if (name) session.name = name;
    if (sessionArn) session.attributes = { sessionArn };
    return session;
  }

  private async fetchSession(id: string, signal: AbortSignal | undefined): Promise<Session | undefined> {
    let out;
    try {
      out = await this.call('GetSession', `session ${id} of assistant ${this.settings.assistantId}`, () =>
        this.client.send(new GetSessionCommand({ assistantId: this.settings.assistantId, sessionId: id }), { abortSignal: signal }),
      );
    } catch (err) {
      if (err instanceof BackendError && err.code === 'notFound') return undefined;
      throw err;
    }
    const s = out.session;
    if (!s?.sessionId) return undefined;
    const { sessionId, name, ...rest } = s;
    const session: Session = { backendId: this.id, id: sessionId };
    if (name) {
      session.name = name;
      this.names.set(sessionId, name);
    }
    // sessionArn, description, tags, origin, integration and agent configuration…
    const attributes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    if (Object.keys(attributes).length) session.attributes = attributes;
    this.sessions.set(sessionId, session);
    return session;
  }

  /** A session UUID from a UUID or a session ARN of this assistant. */
  private sessionUuid(value: string): string | undefined {
    const v = value.trim();
    if (UUID_RE.test(v)) return v.toLowerCase();
    const arn = parseWisdomArn(v);
    if (arn?.resourceType === 'session' && arn.ids.length === 2 && arn.ids[0].toLowerCase() === this.settings.assistantId && UUID_RE.test(arn.ids[1])) {
      return arn.ids[1].toLowerCase();
    }
    return undefined;
  }

  /**
   * The service message is quoted in errors, and an endpoint (a proxy, a
   * misconfigured VPC endpoint) may echo what it received: the access key id
   * and session token. Mask the credentials in use, and anything shaped like an
   * access key id, before the message reaches the log or the user.
   */
  private async maskCredentials(error: BackendError, raw: unknown): Promise<BackendError> {
    const secrets: string[] = [];
    // Only a response can echo anything; without one, asking the chain again could be slow.
    if ((raw as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode !== undefined) {
      try {
        const provider = (this.clientInstance?.config as { credentials?: () => Promise<{ accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }> } | undefined)?.credentials;
        const creds = typeof provider === 'function' ? await provider() : undefined;
        for (const v of [creds?.accessKeyId, creds?.secretAccessKey, creds?.sessionToken]) if (typeof v === 'string' && v.length >= 4) secrets.push(v);
      } catch {
        // No credentials: none of them can leak.
      }
    }
    const mask = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('***'), text).replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '***');
    const message = mask(error.message);
    const detail = error.detail === undefined ? undefined : mask(error.detail);
    if (message === error.message && detail === error.detail) return error;
    // The cause still holds the unmasked service message: leave it out.
    return new BackendError(error.code, message, { nextSteps: error.nextSteps, detail });
  }

  /** Runs one SDK call and turns its failure into a BackendError with next steps. */
  private async call<T>(operation: QConnectOperation, resource: string, fn: () => Promise<T>, spansLoaded?: number): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const ctx: ErrorContext = {
        backendId: this.id,
        operation,
        resource,
        region: this.settings.region,
        profile: this.settings.profile,
        endpoint: this.settings.endpoint,
        spansLoaded,
      };
      const error = await this.maskCredentials(qconnectError(err, ctx), err);
      if (error.code === 'auth') {
        // A fresh client re-reads the credential chain after the user signs in again.
        this.dispose();
      }
      if (error.code !== 'cancelled') {
        this.context.log.debug(`[${this.id}] ${error.message}${error.detail ? ` (${error.detail})` : ''}`);
      }
      throw error;
    }
  }
}
