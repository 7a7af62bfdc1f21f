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

/**
 * Interns messages' content identity (role and parts; ids and timestamps differ
 * between resends) to small integers so histories compare cheaply. A long
 * session resends its history on every call, so parts are keyed without
 * copying them to JSON: text by its string, a tool call by its id and name (a
 * resend carries the call's id), a result by its id and its parts. Keys are
 * made of interned numbers only, so no content can make two keys collide.
 */
export class MessageIds {
  private readonly strings = new Map<string, number>();
  private readonly json = new Map<string, number>();
  private readonly keys = new Map<string, number>();

  of(m: Message): number {
    return intern(this.keys, `${this.str(m.role)}:${this.partsKey(m.parts)}`);
  }

  /** A list of parts on its own (system instructions). */
  ofParts(parts: Part[]): number {
    return intern(this.keys, `:${this.partsKey(parts)}`);
  }

  private partsKey(parts: Part[]): string {
    if (!Array.isArray(parts)) return this.other(parts);
    let key = '';
    for (const p of parts) key += `${this.part(p, true)},`;
    return key;
  }

  private part(p: Part, nest: boolean): string {
    if (isPlainText(p)) return `t${this.str(p.text)}`;
    if (p?.type === 'toolUse' && isId(p.id) && typeof p.name === 'string') return `u${this.str(p.id)}.${this.str(p.name)}`;
    // One level of results is keyed part by part; deeper ones (rare) as JSON.
    if (nest && p?.type === 'toolResult' && isId(p.id) && Array.isArray(p.parts)) {
      return `r${this.str(p.id)}.${p.error === undefined ? '' : this.other(p.error)}(${p.parts.map((x) => this.part(x, false)).join('.')})`;
    }
    return this.other(p);
  }

  private str(s: string): number {
    return intern(this.strings, s);
  }

  private other(v: unknown): string {
    return `j${intern(this.json, safeStringify(v))}`;
  }
}

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** A text part with nothing but its text (no citations, no flags, no unknown fields). */
function isPlainText(p: Part): p is Extract<Part, { type: 'text' }> {
  if (!p || p.type !== 'text' || typeof p.text !== 'string') return false;
  for (const k in p) if (k !== 'type' && k !== 'text') return false;
  return true;
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
 * The deduplicated conversation, built only as far as it is read: a turn's
 * dedupe depends on the calls before it alone, so a page needs the calls up to
 * its end (the first page of a 100,000-span session: 100 of 36,000 calls).
 * LLM spans are used when there are any with messages; otherwise every span
 * with messages (some backends only put messages on agent or custom spans).
 * `spans` is read in the constructor.
 */
export class Conversation {
  /** How many turns the whole conversation has: one per chosen span. */
  readonly total: number;
  private readonly ordered: KeyedSpan[];
  private readonly turns: ConversationTurn[] = [];
  private readonly ids = new MessageIds();
  private readonly contexts: number[][] = [];
  private lastSystem = -1;

  constructor(spans: Iterable<KeyedSpan>) {
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
    this.ordered = chosen
      .map((ks, i) => ({ ks, i }))
      .sort((a, b) => startOf(a.ks.span) - startOf(b.ks.span) || a.i - b.i)
      .map((x) => x.ks);
    this.total = this.ordered.length;
  }

  /** The first `n` turns (fewer if there are fewer); `pause` is awaited between calls so a long build does not hold the thread. */
  async upTo(n: number, pause?: () => Promise<void>): Promise<ConversationTurn[]> {
    // Calls made meanwhile (between pauses) each build the next missing turn.
    while (this.turns.length < Math.min(n, this.total)) {
      this.next();
      await pause?.();
    }
    return this.turns.slice(0, n);
  }

  private next(): void {
    const { key, span } = this.ordered[this.turns.length];
    const fp = (m: Message) => this.ids.of(m);
    const input = span.input ?? [];
    const output = span.output ?? [];
    const inFp = input.map(fp);
    let repeated = 0;
    for (const ctx of this.contexts) {
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
    const system = span.system?.length ? this.ids.ofParts(span.system) : -1;
    if (span.system?.length && system !== this.lastSystem) turn.system = span.system;
    if (span.system?.length) this.lastSystem = system;
    this.turns.push(turn);

    // This call's full context is what the next call may repeat.
    this.contexts.unshift(inFp.concat(output.map(fp)));
    if (this.contexts.length > RECENT_CONTEXTS) this.contexts.pop();
  }
}

function startOf(s: Span): number {
  return Number.isFinite(s.startTime) && s.startTime > 0 ? s.startTime : Number.MAX_SAFE_INTEGER;
}
