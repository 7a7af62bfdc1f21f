// The whole session as one conversation: every LLM call in start-time order,
// with the history each call repeats removed. Agents resend the full history
// on every call, so a 40-call session would otherwise show the first user
// message 40 times. Pure: no `vscode`, unit-tested.
import type { Message, Part, Span } from '../model/types';
import type { ConversationTurn } from '../protocol';

/** How many recent contexts a new call may continue (several agents interleave their threads). */
const RECENT_CONTEXTS = 8;

export interface KeyedSpan {
  key: string;
  span: Span;
}

/** Content identity of a message: role and parts; ids and timestamps differ between resends. */
export function messageFingerprint(m: Message): string {
  return `${m.role}\u0000${safeStringify(m.parts)}`;
}

let unique = 0;

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  } catch {
    return `\u0001${unique++}`; // unstringifiable (a cycle): equal to nothing else
  }
}

function hasMessages(s: Span): boolean {
  return (s.input?.length ?? 0) > 0 || (s.output?.length ?? 0) > 0;
}

function commonPrefix(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * The longest k such that the first k messages of `input` are the last k of
 * `context` — a call resending a sliding window of the history. KMP, linear.
 */
function suffixOverlap(input: number[], context: number[]): number {
  if (!input.length || !context.length) return 0;
  const fail = new Array<number>(input.length).fill(0);
  for (let i = 1, k = 0; i < input.length; i++) {
    while (k > 0 && input[i] !== input[k]) k = fail[k - 1];
    if (input[i] === input[k]) k++;
    fail[i] = k;
  }
  let k = 0;
  for (const c of context) {
    while (k > 0 && (k === input.length || c !== input[k])) k = fail[k - 1];
    if (c === input[k]) k++;
  }
  return k;
}

/**
 * Builds the deduplicated conversation. LLM spans are used when there are any
 * with messages; otherwise every span with messages (some backends only put
 * messages on agent or custom spans).
 */
export function buildConversation(spans: Iterable<KeyedSpan>): ConversationTurn[] {
  const all: KeyedSpan[] = [];
  let anyLlm = false;
  for (const ks of spans) {
    if (hasMessages(ks.span)) {
      all.push(ks);
      anyLlm ||= ks.span.kind === 'llm';
    }
  }
  const chosen = anyLlm ? all.filter((ks) => ks.span.kind === 'llm') : all;
  // Stable sort by start time (unknown times last), so ties keep tree order.
  const ordered = chosen
    .map((ks, i) => ({ ks, i }))
    .sort((a, b) => startOf(a.ks.span) - startOf(b.ks.span) || a.i - b.i)
    .map((x) => x.ks);

  // Fingerprints are interned to small integers so comparisons are cheap.
  const ids = new Map<string, number>();
  const fp = (m: Message) => {
    const f = messageFingerprint(m);
    let id = ids.get(f);
    if (id === undefined) ids.set(f, (id = ids.size));
    return id;
  };
  const contexts: number[][] = [];
  let lastSystem = '';
  const turns: ConversationTurn[] = [];
  for (const { key, span } of ordered) {
    const input = span.input ?? [];
    const output = span.output ?? [];
    const inFp = input.map(fp);
    let repeated = 0;
    for (const ctx of contexts) {
      // Either the same history from its start, or a window ending where the earlier call ended.
      repeated = Math.max(repeated, commonPrefix(inFp, ctx), suffixOverlap(inFp, ctx));
    }
    const turn: ConversationTurn = {
      key,
      name: span.name,
      kind: span.kind,
      status: span.status,
      startTime: span.startTime,
      input: repeated ? input.slice(repeated) : input,
      repeated,
      output,
    };
    const agent = span.agent?.name;
    if (agent) turn.agent = agent;
    const model = span.model?.response ?? span.model?.request;
    if (model) turn.model = model;
    const system = systemKey(span.system);
    if (span.system?.length && system !== lastSystem) turn.system = span.system;
    if (span.system?.length) lastSystem = system;
    turns.push(turn);

    // This call's full context is what the next call may repeat.
    const ctx = inFp.concat(output.map(fp));
    contexts.unshift(ctx);
    if (contexts.length > RECENT_CONTEXTS) contexts.pop();
  }
  return turns;
}

function systemKey(parts: Part[] | undefined): string {
  return parts?.length ? safeStringify(parts) : '';
}

function startOf(s: Span): number {
  return Number.isFinite(s.startTime) && s.startTime > 0 ? s.startTime : Number.MAX_SAFE_INTEGER;
}
