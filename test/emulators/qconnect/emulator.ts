// A local Amazon Q Connect (service "wisdom") emulator speaking restJson1 for the
// four operations Span Inspector uses: SearchSessions, GetSession, ListSpans,
// GetAIPrompt. Requests must carry a valid SigV4 signature (service `wisdom`),
// verified independently of the SDK. Errors and transport faults can be
// injected per operation and page to exercise the backend's error paths.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { generateSpans, type WireSpan } from './generate';
import { type Credential, verifySigV4 } from './sigv4';

export type { WireSpan } from './generate';
export type { Credential } from './sigv4';

export type EmulatorOp = 'SearchSessions' | 'GetSession' | 'ListSpans' | 'GetAIPrompt';

/** Fake static credentials the emulator accepts by default (also what the demo uses). */
export const EMULATOR_CREDENTIALS: Credential = {
  accessKeyId: 'AKIAQCONNECTEMULATOR',
  secretAccessKey: 'qconnect-emulator-secret-not-a-real-key',
};

export interface EmulatorSession {
  /** GetSession's `session` without the ARN (the emulator adds it). */
  session: { sessionId: string; name: string; description?: string; tags?: Record<string, string>; origin?: string; [k: string]: unknown };
  spans: WireSpan[];
}

export interface EmulatorPrompt {
  aiPromptId: string;
  name: string;
  type: string;
  modelId?: string;
  apiFormat?: string;
  templateType?: string;
  versions: { versionNumber: number; text: string }[];
}

interface FixtureFile {
  region: string;
  accountId: string;
  assistant: { assistantId: string; name: string };
  sessions: EmulatorSession[];
  prompts: EmulatorPrompt[];
}

export interface Injection {
  op: EmulatorOp | '*';
  /**
   * Fire only for requests of page index ≥ afterPage (0-based), i.e. after that
   * many pages were served; `afterPage: 1` fails the request for page 2.
   */
  afterPage?: number;
  /** Only requests about this session (GetSession/ListSpans). */
  sessionId?: string;
  /** How many matching requests it affects (default 1; Infinity for always). */
  times?: number;
  /** A restJson1 error code, e.g. ThrottlingException, AccessDeniedException, ExpiredTokenException. */
  error?: string;
  status?: number;
  message?: string;
  /**
   * Transport/data faults: `reset` closes the socket without a response;
   * `truncate` sends headers and half the body then closes the socket;
   * `badJson` sends a complete response whose JSON is cut short;
   * `repeatToken` answers normally but returns the request's own nextToken again;
   * `hang` never answers (until the client gives up or the emulator closes).
   */
  fault?: 'reset' | 'truncate' | 'badJson' | 'repeatToken' | 'hang';
  /** Delay before answering (alone: a slow but successful request). */
  delayMs?: number;
}

export interface RequestRecord {
  op: EmulatorOp | 'Unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  sessionId?: string;
  pageIndex?: number;
  fault?: string;
  accessKeyId?: string;
  /** Service name from the SigV4 credential scope. */
  signingService?: string;
  time: number;
}

export interface QConnectEmulatorOptions {
  port?: number;
  /** Always 127.0.0.1 unless told otherwise. */
  host?: string;
  region?: string;
  accountId?: string;
  assistantId?: string;
  /** Accepted credentials (default [EMULATOR_CREDENTIALS]). */
  credentials?: Credential[];
  /** Access keys answered with ExpiredTokenException (simulates expired session credentials). */
  expiredAccessKeys?: string[];
  /** Max spans per ListSpans page; the client's maxResults caps it further (default 100). */
  spanPageSize?: number;
  /** Max summaries per SearchSessions page (default 100). */
  sessionPageSize?: number;
  /** Sessions, newest first (default: test/fixtures/qconnect/sessions.json). */
  sessions?: EmulatorSession[];
  prompts?: EmulatorPrompt[];
  /** Extra generated sessions appended after the fixtures. */
  generated?: { sessionId?: string; name?: string; spanCount: number; seed?: number }[];
  /** Latency added to every request. */
  latencyMs?: number;
}

export interface QConnectEmulator {
  url: string;
  port: number;
  region: string;
  accountId: string;
  assistantId: string;
  assistantArn: string;
  credentials: Credential;
  sessionArn(sessionId: string): string;
  promptArn(promptId: string): string;
  inject(injection: Injection): void;
  clearInjections(): void;
  /** Every request served, in order (tests assert on paging and signing). */
  requests: RequestRecord[];
  addSession(session: EmulatorSession): void;
  /** Adds a generated session of `spanCount` spans; returns its id. */
  addGeneratedSession(spanCount: number, options?: { sessionId?: string; name?: string; seed?: number }): string;
  close(): Promise<void>;
}

// Also found from bundles (out/integration/), whose __dirname is elsewhere.
export const FIXTURE_PATH = [
  path.resolve(__dirname, '../../fixtures/qconnect/sessions.json'),
  path.resolve(__dirname, '../../test/fixtures/qconnect/sessions.json'),
].find((p) => fs.existsSync(p)) ?? path.resolve(__dirname, '../../fixtures/qconnect/sessions.json');

let fixtureCache: FixtureFile | undefined;
/** The fixture file, parsed once (tests that mutate sessions get a deep copy via loadFixture()). */
export function loadFixture(): FixtureFile {
  fixtureCache ??= JSON.parse(fs.readFileSync(FIXTURE_PATH, 'utf8')) as FixtureFile;
  return structuredClone(fixtureCache);
}

/** Fixture ids, for tests and the demo. */
export const FIXTURE = (() => {
  const f = loadFixture();
  return {
    region: f.region,
    accountId: f.accountId,
    assistantId: f.assistant.assistantId,
    sessions: f.sessions.map((s) => ({ id: s.session.sessionId, name: s.session.name, spanCount: s.spans.length })),
    prompts: f.prompts.map((p) => ({ id: p.aiPromptId, name: p.name, versions: p.versions.map((v) => v.versionNumber) })),
  };
})();

const ERROR_STATUS: Record<string, number> = {
  ValidationException: 400,
  ThrottlingException: 400,
  AccessDeniedException: 403,
  UnauthorizedException: 401,
  ExpiredTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ResourceNotFoundException: 404,
  RequestTimeoutException: 408,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const ERROR_MESSAGE: Record<string, string> = {
  ThrottlingException: 'Rate exceeded',
  AccessDeniedException: 'User: arn:aws:sts::111122223333:assumed-role/Reader/dev is not authorized to perform this action',
  ExpiredTokenException: 'The security token included in the request is expired',
  UnauthorizedException: 'Unauthorized',
  InternalServerException: 'Internal server error',
  ServiceUnavailableException: 'Service unavailable',
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decodeToken(token: string, scope: string): number | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    return t.s === scope && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0 ? t.o : undefined;
  } catch {
    return undefined;
  }
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function startQConnectEmulator(options: QConnectEmulatorOptions = {}): Promise<QConnectEmulator> {
  const fixture = loadFixture();
  const region = options.region ?? fixture.region;
  const accountId = options.accountId ?? fixture.accountId;
  const assistantId = options.assistantId ?? fixture.assistant.assistantId;
  const assistantArn = `arn:aws:wisdom:${region}:${accountId}:assistant/${assistantId}`;
  const credentials = options.credentials ?? [EMULATOR_CREDENTIALS];
  const expired = new Set(options.expiredAccessKeys ?? []);
  const spanPageSize = options.spanPageSize ?? 100;
  const sessionPageSize = options.sessionPageSize ?? 100;
  const sessionArn = (id: string) => `arn:aws:wisdom:${region}:${accountId}:session/${assistantId}/${id}`;
  const promptArn = (id: string) => `arn:aws:wisdom:${region}:${accountId}:ai-prompt/${assistantId}/${id}`;

  const order: string[] = [];
  const sessions = new Map<string, EmulatorSession>();
  const addSession = (s: EmulatorSession) => {
    if (!sessions.has(s.session.sessionId)) order.push(s.session.sessionId);
    sessions.set(s.session.sessionId, s);
  };
  for (const s of options.sessions ?? fixture.sessions) addSession(s);
  const prompts = new Map((options.prompts ?? fixture.prompts).map((p) => [p.aiPromptId, p]));
  const addGeneratedSession = (spanCount: number, o: { sessionId?: string; name?: string; seed?: number } = {}) => {
    const sessionId = o.sessionId ?? randomUUID();
    addSession({
      session: { sessionId, name: o.name ?? `Generated session (${spanCount} spans)`, description: 'Synthetic load-test session.', origin: 'SYSTEM' },
      spans: generateSpans(spanCount, { sessionId, assistantId, seed: o.seed }),
    });
    return sessionId;
  };
  for (const g of options.generated ?? []) addGeneratedSession(g.spanCount, g);

  let injections: (Injection & { left: number })[] = [];
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function assistantFromLabel(label: string): void {
    const arn = /^arn:aws[\w-]*:wisdom:[^:]+:\d{12}:assistant\/([^/]+)$/.exec(label);
    const id = arn ? arn[1] : label;
    if (id !== assistantId) {
      throw new HttpError(404, 'ResourceNotFoundException', `Assistant not found: ${label}`);
    }
  }

  function sessionFromLabel(label: string): EmulatorSession {
    const arn = /^arn:aws[\w-]*:wisdom:[^:]+:\d{12}:session\/([^/]+)\/([^/]+)$/.exec(label);
    if (arn && arn[1] !== assistantId) {
      throw new HttpError(404, 'ResourceNotFoundException', `Session not found: ${label}`);
    }
    const id = arn ? arn[2] : label;
    if (!UUID_RE.test(id) && !arn) {
      throw new HttpError(400, 'ValidationException', `1 validation error detected: Value '${label}' at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$|^arn:[a-z-]*?:wisdom:[a-z0-9-]*?:[0-9]{12}:[a-z-]*?/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}(?:/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}){0,2}$`);
    }
    const s = sessions.get(id);
    if (!s) throw new HttpError(404, 'ResourceNotFoundException', `Session not found: ${id}`);
    return s;
  }

  function maxResults(query: Record<string, string>, cap: number): number {
    if (query.maxResults === undefined) return cap;
    const n = Number(query.maxResults);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      throw new HttpError(400, 'ValidationException', `1 validation error detected: Value '${query.maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`);
    }
    return Math.min(n, cap);
  }

  function offsetOf(query: Record<string, string>, scope: string): number {
    if (query.nextToken === undefined) return 0;
    const o = decodeToken(query.nextToken, scope);
    if (o === undefined) throw new HttpError(400, 'ValidationException', 'Invalid nextToken.');
    return o;
  }

  interface Routed {
    op: EmulatorOp;
    sessionId?: string;
    pageIndex?: number;
    handle: (fault: Injection | undefined) => unknown;
  }

  function route(method: string, segments: string[], query: Record<string, string>, body: Buffer): Routed | undefined {
    // segments: ['assistants', A, ...]
    if (segments[0] !== 'assistants' || segments.length < 3) return undefined;
    const [, aLabel, kind, sLabel, tail] = segments;
    if (method === 'POST' && kind === 'searchSessions' && segments.length === 3) {
      let filterName: string | undefined;
      let parsed: { searchExpression?: { filters?: { field?: string; operator?: string; value?: string }[] } };
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        throw new HttpError(400, 'ValidationException', 'Request body is not valid JSON.');
      }
      if (!parsed.searchExpression || !Array.isArray(parsed.searchExpression.filters)) {
        throw new HttpError(400, 'ValidationException', "1 validation error detected: Value null at 'searchExpression' failed to satisfy constraint: Member must not be null");
      }
      for (const f of parsed.searchExpression.filters) {
        if (f.field !== 'NAME' || f.operator !== 'EQUALS' || typeof f.value !== 'string') {
          throw new HttpError(400, 'ValidationException', 'Only filters {field: NAME, operator: EQUALS, value} are supported.');
        }
        filterName = f.value;
      }
      const scope = `search:${filterName ?? ''}`;
      const size = maxResults(query, sessionPageSize);
      const offset = offsetOf(query, scope);
      return {
        op: 'SearchSessions',
        pageIndex: Math.floor(offset / size),
        handle: (fault) => {
          assistantFromLabel(aLabel);
          const matching = filterName === undefined ? order : order.filter((id) => sessions.get(id)!.session.name === filterName);
          const page = matching.slice(offset, offset + size);
          let nextToken = offset + size < matching.length ? encodeToken(scope, offset + size) : undefined;
          if (fault?.fault === 'repeatToken') nextToken = query.nextToken ?? encodeToken(scope, 0);
          return {
            sessionSummaries: page.map((id) => ({ sessionId: id, sessionArn: sessionArn(id), assistantId, assistantArn })),
            ...(nextToken ? { nextToken } : {}),
          };
        },
      };
    }
    if (method === 'GET' && kind === 'sessions' && segments.length === 4) {
      return {
        op: 'GetSession',
        sessionId: sLabel,
        handle: () => {
          assistantFromLabel(aLabel);
          const s = sessionFromLabel(sLabel);
          return { session: { ...s.session, sessionArn: sessionArn(s.session.sessionId) } };
        },
      };
    }
    if (method === 'GET' && kind === 'sessions' && tail === 'spans' && segments.length === 5) {
      // Tokens are bound to the session, whichever way (UUID or ARN) it is named.
      const scope = `spans:${/([^/]+)$/.exec(sLabel)?.[1] ?? sLabel}`;
      const size = maxResults(query, spanPageSize);
      const offset = offsetOf(query, scope);
      return {
        op: 'ListSpans',
        sessionId: sLabel,
        pageIndex: Math.floor(offset / size),
        handle: (fault) => {
          assistantFromLabel(aLabel);
          const s = sessionFromLabel(sLabel);
          const page = s.spans.slice(offset, offset + size);
          let nextToken = offset + size < s.spans.length ? encodeToken(scope, offset + size) : undefined;
          if (fault?.fault === 'repeatToken') nextToken = query.nextToken ?? encodeToken(scope, 0);
          return { spans: page, ...(nextToken ? { nextToken } : {}) };
        },
      };
    }
    if (method === 'GET' && kind === 'aiprompts' && segments.length === 4) {
      return {
        op: 'GetAIPrompt',
        handle: () => {
          assistantFromLabel(aLabel);
          const [pid, qualifier] = sLabel.split(':');
          const p = prompts.get(pid);
          if (!p) throw new HttpError(404, 'ResourceNotFoundException', `AI Prompt not found: ${pid}`);
          const latest = p.versions.reduce((a, b) => (b.versionNumber > a.versionNumber ? b : a));
          const version = qualifier === undefined || qualifier === '$LATEST' ? latest : p.versions.find((v) => String(v.versionNumber) === qualifier);
          if (!version) throw new HttpError(404, 'ResourceNotFoundException', `AI Prompt version not found: ${sLabel}`);
          return {
            aiPrompt: {
              aiPromptId: p.aiPromptId,
              aiPromptArn: promptArn(p.aiPromptId),
              assistantId,
              assistantArn,
              name: p.name,
              type: p.type,
              templateType: p.templateType ?? 'TEXT',
              modelId: p.modelId,
              apiFormat: p.apiFormat,
              templateConfiguration: { textFullAIPromptEditTemplateConfiguration: { text: version.text } },
              visibilityStatus: 'PUBLISHED',
              modifiedTime: 1759276800.25,
              origin: 'CUSTOMER',
              status: 'ACTIVE',
            },
            ...(qualifier && qualifier !== '$LATEST' ? { versionNumber: version.versionNumber } : {}),
          };
        },
      };
    }
    return undefined;
  }

  function takeInjection(r: Routed): Injection | undefined {
    const i = injections.find(
      (x) =>
        (x.op === '*' || x.op === r.op) &&
        (x.afterPage === undefined || (r.pageIndex ?? 0) >= x.afterPage) &&
        (x.sessionId === undefined || x.sessionId === r.sessionId),
    );
    if (!i) return undefined;
    i.left -= 1;
    if (i.left <= 0) injections = injections.filter((x) => x !== i);
    return i;
  }

  function sendJson(res: http.ServerResponse, status: number, payload: unknown, requestId: string, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, status: number, code: string, message: string, requestId: string): void {
    // Real AWS appends the error's namespace URI after a colon; clients strip it.
    sendJson(res, status, { message }, requestId, { 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.qconnect/` });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks)).catch((err) => {
        if (!res.headersSent) sendError(res, 500, 'InternalServerException', `Emulator failure: ${(err as Error).message}`, randomUUID());
      });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    const segments = rawPath.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const record: RequestRecord = { op: 'Unknown', method: req.method ?? 'GET', path: rawPath, query, status: 0, time: Date.now() };
    requests.push(record);
    if (options.latencyMs) await sleep(options.latencyMs);

    // An expired session token fails before (and regardless of) the signature check, as on AWS.
    const keyId = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
    if (keyId && expired.has(keyId)) {
      record.accessKeyId = keyId;
      record.signingService = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
      record.status = 403;
      sendError(res, 403, 'ExpiredTokenException', ERROR_MESSAGE.ExpiredTokenException, requestId);
      return;
    }
    const auth = verifySigV4({ method: record.method, url, headers: req.headers, body, service: 'wisdom', region, credentials });
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '');
    record.signingService = scope?.[1];
    if (!auth.ok) {
      record.status = auth.status;
      sendError(res, auth.status, auth.error, auth.message, requestId);
      return;
    }
    record.accessKeyId = auth.accessKeyId;

    let routed: Routed | undefined;
    try {
      routed = route(record.method, segments, query, body);
    } catch (err) {
      const e = err as HttpError;
      record.status = e.status ?? 400;
      sendError(res, record.status, e.code ?? 'ValidationException', e.message, requestId);
      return;
    }
    if (!routed) {
      record.status = 404;
      sendError(res, 404, 'UnknownOperationException', `No operation for ${record.method} ${rawPath}`, requestId);
      return;
    }
    record.op = routed.op;
    record.sessionId = routed.sessionId;
    record.pageIndex = routed.pageIndex;

    const inj = takeInjection(routed);
    if (inj?.delayMs) await sleep(inj.delayMs);
    if (inj?.fault === 'hang') {
      record.fault = 'hang';
      return; // the socket stays open until the client aborts or close() runs
    }
    if (inj?.fault === 'reset') {
      record.fault = 'reset';
      req.socket.destroy();
      return;
    }
    if (inj?.error) {
      record.status = inj.status ?? ERROR_STATUS[inj.error] ?? 400;
      record.fault = inj.error;
      sendError(res, record.status, inj.error, inj.message ?? ERROR_MESSAGE[inj.error] ?? inj.error, requestId);
      return;
    }

    let payload: unknown;
    try {
      payload = routed.handle(inj);
    } catch (err) {
      const e = err as HttpError;
      record.status = e.status ?? 500;
      sendError(res, record.status, e.code ?? 'InternalServerException', e.message, requestId);
      return;
    }
    record.status = 200;
    if (inj?.fault === 'truncate' || inj?.fault === 'badJson') {
      record.fault = inj.fault;
      const text = JSON.stringify(payload);
      const cut = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(inj.fault === 'truncate' ? text : cut),
        'x-amzn-requestid': requestId,
      });
      if (inj.fault === 'truncate') {
        res.write(cut, () => req.socket.destroy());
      } else {
        res.end(cut);
      }
      return;
    }
    if (inj?.fault) record.fault = inj.fault;
    sendJson(res, 200, payload, requestId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    region,
    accountId,
    assistantId,
    assistantArn,
    credentials: credentials[0],
    sessionArn,
    promptArn,
    inject(injection) {
      injections.push({ ...injection, left: injection.times ?? 1 });
    },
    clearInjections() {
      injections = [];
    },
    requests,
    addSession,
    addGeneratedSession,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
