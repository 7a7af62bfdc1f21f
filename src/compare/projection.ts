// The normalized, read-only projection of spans that the diff editor compares
// and Copy as Markdown copies: stable Markdown headings plus fenced JSON per
// span, in tree order. Each span gets an alignment path built from kind, name
// and position among same-named siblings (never its id), so runs of the same
// code produce the same headings. Pure: no `vscode`.
import { spanDuration, totalTokens } from '../model/format';
import { ForestBuilder } from '../model/tree';
import type { Message, Part, Span } from '../model/types';
import { normalizeString, normalizeValue, roundTiming, type NormalizeOptions } from './normalize';

export interface ProjectedSpan {
  /** Alignment key: `kind:name#n` segments from the root, joined by `/`. */
  path: string;
  depth: number;
  /** The heading line (without `#`s): what a reader sees and the line diff aligns on. */
  title: string;
  /** One line of scalar facts: model · status · tokens · cost. */
  facts: string;
  /** The rounded duration, on its own line: clocks differ between runs, and that is no behaviour change. */
  timing?: string;
  /** Pretty JSON of the content (system, messages, tool call, guardrails); '' when there is none. */
  json: string;
  span: Span;
}

export const DIFF_OPTIONS: NormalizeOptions = { maxString: 4000, elideIds: true };

/** The agent a span runs in: its own agent ref, else the closest agent ancestor's name. */
function agentName(span: Span): string | undefined {
  const a = span.agent?.name ?? span.attributes?.['gen_ai.agent.name'] ?? span.attributes?.['agent.name'];
  return typeof a === 'string' && a ? a : undefined;
}

/** The span's priced LLM cost (`span.cost`, src/model/pricing.ts); undefined when unpriced. */
export function costOf(span: Span): number | undefined {
  const usd = span.cost?.usd;
  return typeof usd === 'number' && Number.isFinite(usd) ? usd : undefined;
}

export function formatCost(usd: number): string {
  return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/** Spans in tree order (parents before children, siblings by start time) with their alignment paths. Iterative. */
export function orderSpans(spans: readonly Span[]): { span: Span; depth: number; path: string; agent?: string }[] {
  const forest = new ForestBuilder().add(spans);
  const out: { span: Span; depth: number; path: string; agent?: string }[] = [];
  // Per parent path: how many siblings with each kind:name were seen (the position part of the key).
  const seen = new Map<string, Map<string, number>>();
  const pathAt: string[] = [];
  const agentAt: (string | undefined)[] = [];
  for (const { node, depth } of forest.walk()) {
    const parentPath = depth > 0 ? pathAt[depth - 1] : '';
    const label = `${node.span.kind}:${node.span.name}`;
    let counts = seen.get(parentPath);
    if (!counts) seen.set(parentPath, (counts = new Map()));
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    const path = `${parentPath}/${label}#${n}`;
    pathAt[depth] = path;
    const agent = agentName(node.span) ?? (depth > 0 ? agentAt[depth - 1] : undefined);
    agentAt[depth] = agent;
    out.push({ span: node.span, depth, path, agent });
  }
  return out;
}

function partsView(parts: readonly Part[] | undefined, o: NormalizeOptions): unknown[] {
  const out: unknown[] = [];
  for (const p of parts ?? []) {
    switch (p.type) {
      case 'text':
        // JSON text (tool results) is normalized inside, so ids in it are elided and keys sorted.
        out.push(p.blocked ? { text: normalizeString(p.text, o), blocked: true } : normalizeValue(p.text, o));
        break;
      case 'toolUse':
        out.push({ toolCall: p.name, arguments: normalizeValue(p.arguments, o) });
        break;
      case 'toolResult':
        out.push(p.error ? { toolResult: partsView(p.parts, o), error: normalizeString(p.error, o) } : { toolResult: partsView(p.parts, o) });
        break;
      case 'reasoning':
        out.push({ reasoning: normalizeString(p.text, o) });
        break;
      default:
        out.push({ unknown: normalizeValue(p.raw, o) });
    }
  }
  return out;
}

function messagesView(messages: readonly Message[] | undefined, o: NormalizeOptions): unknown[] | undefined {
  if (!messages?.length) return undefined;
  return messages.map((m) => {
    const parts = partsView(m.parts, o);
    return { role: m.role, content: parts.length === 1 ? parts[0] : parts };
  });
}

function systemText(span: Span): string | undefined {
  const texts = (span.system ?? []).filter((p): p is Extract<Part, { type: 'text' }> => p.type === 'text').map((p) => p.text);
  return texts.length ? texts.join('\n') : undefined;
}

/** The content of a span as a plain object (keys in a fixed order). */
export function spanContent(span: Span, o: NormalizeOptions): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const system = systemText(span);
  if (system !== undefined) c.system = normalizeString(system, o);
  const input = messagesView(span.input, o);
  if (input) c.input = input;
  const output = messagesView(span.output, o);
  if (output) c.output = output;
  if (span.tool) {
    const t: Record<string, unknown> = { name: span.tool.name };
    if (span.tool.arguments !== undefined) t.arguments = normalizeValue(span.tool.arguments, o);
    if (span.tool.result !== undefined) t.result = normalizeValue(span.tool.result, o);
    if (span.tool.error) t.error = normalizeString(span.tool.error, o);
    c.tool = t;
  }
  if (span.guardrails?.length) {
    c.guardrails = span.guardrails.map((g) => ({
      name: g.name,
      ...(g.source ? { source: g.source } : {}),
      action: g.action,
      ...(g.policies.length ? { policies: g.policies.map((p) => ({ type: p.type, action: p.action, ...(p.details ? { details: normalizeString(p.details, o) } : {}) })) } : {}),
    }));
  }
  return c;
}

/** model · status · duration · tokens · cost, as one line (`withDuration` false: without the duration). */
export function spanFacts(span: Span, o: NormalizeOptions, exactTimings = false, withDuration = true): string {
  const f: string[] = [];
  const model = span.model?.response ?? span.model?.request;
  if (model) f.push(`model ${model}`);
  f.push(span.status === 'ok' || span.status === 'unset' ? `status ${span.status}` : `status ${span.status}${span.statusMessage ? `: ${normalizeString(span.statusMessage.replace(/\s+/g, ' '), { ...o, maxString: 200 })}` : ''}`);
  const d = spanDuration(span);
  const dur = exactTimings && d !== undefined ? `${Math.round(d)} ms` : roundTiming(d);
  if (dur && withDuration) f.push(`duration ${dur}`);
  const u = span.usage;
  if (u && totalTokens(u) !== undefined) f.push(`tokens ${u.input ?? '?'} in / ${u.output ?? '?'} out`);
  const cost = costOf(span);
  if (cost !== undefined) f.push(`cost ${formatCost(cost)}`);
  return f.join(' · ');
}

/**
 * A model call repeats its agent's system instructions and the whole history
 * before it: say "as before" for those, so a prompt change shows once per
 * agent and a 10,000-span projection does not carry every history again.
 */
function dedupeHistory(content: Record<string, unknown>, memo: { system?: unknown; messages: string[] }): void {
  if (content.system !== undefined) {
    if (content.system === memo.system) content.system = SAME_SYSTEM;
    else memo.system = content.system;
  }
  const input = Array.isArray(content.input) ? content.input : undefined;
  const output = Array.isArray(content.output) ? content.output : [];
  if (!input) return;
  const keys = input.map((m) => JSON.stringify(m));
  // The leading messages the previous call already had (its input or its answer); windowed histories included.
  const seen = new Set(memo.messages);
  let k = 0;
  while (k < keys.length && seen.has(keys[k])) k++;
  memo.messages = [...keys, ...output.map((m) => JSON.stringify(m))];
  if (k > 0) content.input = [`… ${k} message${k === 1 ? '' : 's'} as in the previous model call`, ...input.slice(k)];
}

const SAME_SYSTEM = '(same as the previous model call)';

/** Projects spans (any order) into tree order with titles, facts and content JSON. */
export function projectSpans(spans: readonly Span[], options: NormalizeOptions = DIFF_OPTIONS): ProjectedSpan[] {
  const memos = new Map<string, { system?: unknown; messages: string[] }>();
  const o: NormalizeOptions = { ...options, cache: options.cache ?? new Map() };
  return orderSpans(spans).map(({ span, depth, path, agent }) => {
    const name = normalizeString(span.name.replace(/\s+/g, ' '), { ...o, maxString: 120 });
    const where = agent && agent !== span.name && span.kind !== 'agent' ? ` (in ${normalizeString(agent, { ...o, maxString: 80 })})` : '';
    const n = Number(path.slice(path.lastIndexOf('#') + 1));
    const content = spanContent(span, o);
    if (span.kind === 'llm') {
      const key = agent ?? '';
      let memo = memos.get(key);
      if (!memo) memos.set(key, (memo = { messages: [] }));
      dedupeHistory(content, memo);
    }
    return {
      path,
      depth,
      title: `${'· '.repeat(Math.min(depth, 12))}${span.kind} ${name}${n > 1 ? ` #${n}` : ''}${where}`,
      facts: spanFacts(span, o, false, false),
      timing: roundTiming(spanDuration(span)),
      json: Object.keys(content).length ? JSON.stringify(content, null, 2) : '',
      span,
    };
  });
}

export interface SessionTotals {
  spans: number;
  byKind: Record<string, number>;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cost?: number;
  durationMs?: number;
}

export function totalsOf(spans: readonly Span[]): SessionTotals {
  const t: SessionTotals = { spans: spans.length, byKind: {}, errors: 0, inputTokens: 0, outputTokens: 0 };
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    t.byKind[s.kind] = (t.byKind[s.kind] ?? 0) + 1;
    if (s.status === 'error' || s.status === 'timeout') t.errors++;
    t.inputTokens += s.usage?.input ?? 0;
    t.outputTokens += s.usage?.output ?? 0;
    const c = costOf(s);
    if (c !== undefined) t.cost = (t.cost ?? 0) + c;
    if (Number.isFinite(s.startTime)) {
      start = Math.min(start, s.startTime);
      const e = s.endTime ?? (s.durationMs !== undefined ? s.startTime + s.durationMs : s.startTime);
      end = Math.max(end, e);
    }
  }
  if (end >= start) t.durationMs = end - start;
  return t;
}

export function totalsLine(t: SessionTotals): string {
  const kinds = Object.entries(t.byKind)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const parts = [`${t.spans} spans${kinds ? ` (${kinds})` : ''}`, `${t.errors} errors`, `tokens ${t.inputTokens} in / ${t.outputTokens} out`];
  const d = roundTiming(t.durationMs);
  if (d) parts.push(`duration ${d}`);
  if (t.cost !== undefined) parts.push(`cost ${formatCost(t.cost)}`);
  return parts.join(' · ');
}
