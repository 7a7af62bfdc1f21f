// Pure id handling for navigation: what kind of id the user pasted, which
// backends can hold it, and Amazon Q Connect ARN parsing/building. No `vscode`
// import, so every id format is unit-tested in plain Node.
import type { BackendType } from '../model/types';

export type QueryKind =
  | 'qconnectSessionArn' // arn:aws:wisdom:REGION:ACCT:session/ASSISTANT/SESSION
  | 'arn' // any other ARN
  | 'openaiTrace' // trace_<32 hex>
  | 'openaiGroup' // group_<…>
  | 'openaiSpan' // span_<24 hex>
  | 'hex32' // OTel / Agno trace id
  | 'hex16' // OTel span id
  | 'uuid' // Q Connect session, SGP trace/group, Agno session/run
  | 'id' // one token without spaces (SGP trace ids, custom Agno session ids…)
  | 'text'; // free text: matched against session names

export interface ClassifiedQuery {
  kind: QueryKind;
  /** The trimmed query as typed. */
  text: string;
  /** What to send to a backend's resolveSession (the session id for a session ARN). */
  id: string;
  /** Backend types that can hold this id, most likely first; empty = every backend. */
  types: BackendType[];
  /** Set for a Q Connect session ARN. */
  arn?: QConnectSessionArn;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account, e.g. `session/ASSISTANT/SESSION`. */
  resource: string;
}

export interface QConnectSessionArn {
  partition: string;
  region: string;
  account: string;
  assistantId: string;
  sessionId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;
const HEX16 = /^[0-9a-f]{16}$/i;

/** `arn:partition:service:region:account:resource` (the resource may hold `:` and `/`). */
export function parseArn(value: string): ParsedArn | undefined {
  const s = value.trim();
  if (!s.startsWith('arn:')) {
    return undefined;
  }
  const parts = s.split(':');
  if (parts.length < 6 || !parts[1] || !parts[2]) {
    return undefined;
  }
  const resource = parts.slice(5).join(':');
  if (!resource) {
    return undefined;
  }
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource };
}

export function parseQConnectSessionArn(value: string): QConnectSessionArn | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'wisdom') {
    return undefined;
  }
  const m = /^session\/([^/]+)\/([^/]+)$/.exec(arn.resource);
  if (!m) {
    return undefined;
  }
  return { partition: arn.partition, region: arn.region, account: arn.account, assistantId: m[1], sessionId: m[2] };
}

/** The assistant UUID of a config `assistantId` that may be a UUID or an assistant ARN. */
export function assistantIdOf(value: string): string {
  const arn = parseArn(value);
  if (arn && arn.service === 'wisdom') {
    const m = /^assistant\/([^/]+)/.exec(arn.resource);
    if (m) {
      return m[1];
    }
  }
  return value.trim();
}

/** Routes an id to the backend types that can hold it (DESIGN.md backends table). */
export function classifyQuery(query: string): ClassifiedQuery {
  const text = query.trim();
  const base = { text, id: text };
  const sessionArn = parseQConnectSessionArn(text);
  if (sessionArn) {
    return { ...base, kind: 'qconnectSessionArn', id: sessionArn.sessionId, types: ['qconnect'], arn: sessionArn };
  }
  if (parseArn(text)) {
    const arn = parseArn(text)!;
    return { ...base, kind: 'arn', types: arn.service === 'wisdom' ? ['qconnect'] : [] };
  }
  if (/^trace_[0-9a-z]+$/i.test(text)) {
    return { ...base, kind: 'openaiTrace', types: ['openaiAgents'] };
  }
  if (/^group_\S+$/i.test(text)) {
    return { ...base, kind: 'openaiGroup', types: ['openaiAgents'] };
  }
  if (/^span_[0-9a-z]+$/i.test(text)) {
    return { ...base, kind: 'openaiSpan', types: ['openaiAgents'] };
  }
  if (HEX32.test(text)) {
    return { ...base, kind: 'hex32', types: ['agno', 'otlp', 'jaeger', 'phoenix'] };
  }
  if (HEX16.test(text)) {
    return { ...base, kind: 'hex16', types: ['agno', 'otlp', 'jaeger'] };
  }
  if (UUID.test(text)) {
    return { ...base, kind: 'uuid', types: ['qconnect', 'sgp', 'agno'] };
  }
  if (text && !/\s/.test(text) && /[0-9_-]/.test(text)) {
    return { ...base, kind: 'id', types: [] };
  }
  return { ...base, kind: 'text', types: [] };
}

/** A configured backend as routing sees it. `type` is undefined for extras (capture, demo). */
export interface RoutableBackend {
  id: string;
  type?: string;
  /** qconnect only: for matching a session ARN. */
  region?: string;
  assistantId?: string;
}

export interface Route {
  /** Asked first, in parallel. */
  first: RoutableBackend[];
  /** Asked when the first wave finds nothing. */
  rest: RoutableBackend[];
  /** Why a session ARN matched no backend (shown to the user). */
  note?: string;
}

/**
 * Which backends to ask for a query. Exported files (`file`) and extras
 * (live capture, demo) can hold sessions of any origin and are local and
 * cheap, so they are always in the first wave. A Q Connect session ARN goes
 * to the qconnect backends whose region and assistant match.
 */
export function routeQuery(q: ClassifiedQuery, backends: readonly RoutableBackend[]): Route {
  const universal = (b: RoutableBackend) => b.type === undefined || b.type === 'file';
  if (q.kind === 'qconnectSessionArn' && q.arn) {
    const arn = q.arn;
    const matching = backends.filter(
      (b) => b.type === 'qconnect' && (b.region ?? '') === arn.region && assistantIdOf(b.assistantId ?? '').toLowerCase() === arn.assistantId.toLowerCase(),
    );
    const note = matching.length
      ? undefined
      : `No Amazon Q Connect backend is configured for assistant ${arn.assistantId} in region ${arn.region}.`;
    // Other qconnect backends cannot hold it; local exports still may.
    return { first: [...matching, ...backends.filter(universal)], rest: [], note };
  }
  if (q.types.length === 0) {
    return { first: [...backends], rest: [] };
  }
  const first = backends.filter((b) => universal(b) || q.types.includes(b.type as BackendType));
  const rest = backends.filter((b) => !first.includes(b));
  return { first, rest };
}

export function buildSessionArn(p: { partition?: string; region: string; account: string; assistantId: string; sessionId: string }): string {
  return `arn:${p.partition ?? 'aws'}:wisdom:${p.region}:${p.account}:session/${assistantIdOf(p.assistantId)}/${p.sessionId}`;
}

export function buildPromptArn(p: { partition?: string; region: string; account: string; assistantId: string; promptId: string }): string {
  // A prompt id may carry a version qualifier (`UUID:3`); the ARN names the prompt itself.
  const promptId = p.promptId.split(':')[0];
  return `arn:${p.partition ?? 'aws'}:wisdom:${p.region}:${p.account}:ai-prompt/${assistantIdOf(p.assistantId)}/${promptId}`;
}

/** The first account/partition found in a list of candidate ARNs (config, session, span attributes). */
export function accountFrom(values: readonly unknown[]): { account: string; partition: string } | undefined {
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const arn = parseArn(v);
    if (arn && /^\d{12}$/.test(arn.account)) {
      return { account: arn.account, partition: arn.partition };
    }
  }
  return undefined;
}

/** A prompt id without its version qualifier (`UUID:3`, `UUID:$LATEST`). */
export function bareId(id: string): string {
  const m = /^([0-9a-f-]{36}):/i.exec(id);
  return m ? m[1] : id;
}
