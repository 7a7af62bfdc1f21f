// Search within a session: span names, ids, tool names and the text of
// messages. Runs on the host, where the full spans are; the webview only has
// the compact waterfall rows. Linear in the session's text; no regexes, no
// JSON stringify (arguments are searched only when they are strings).
import type { Message, Part, Span } from '../model/types';
import type { KeyedSpan } from './conversation';

export interface SearchResult {
  keys: string[];
  truncated: boolean;
}

export function searchSpans(spans: Iterable<KeyedSpan>, query: string, max: number): SearchResult {
  const q = query.trim().toLowerCase();
  const keys: string[] = [];
  if (!q) return { keys, truncated: false };
  for (const { key, span } of spans) {
    if (spanMatches(span, q)) {
      if (keys.length >= max) return { keys, truncated: true };
      keys.push(key);
    }
  }
  return { keys, truncated: false };
}

function has(value: unknown, q: string): boolean {
  return typeof value === 'string' && value.toLowerCase().includes(q);
}

/** `q` must already be lower-cased. */
function spanMatches(span: Span, q: string): boolean {
  if (
    has(span.name, q) ||
    has(span.id, q) ||
    has(span.traceId, q) ||
    has(span.statusMessage, q) ||
    has(span.agent?.name, q) ||
    has(span.agent?.id, q) ||
    has(span.model?.request, q) ||
    has(span.model?.response, q) ||
    has(span.prompt?.name, q) ||
    has(span.prompt?.id, q) ||
    has(span.prompt?.arn, q)
  ) {
    return true;
  }
  const tool = span.tool;
  if (tool && (has(tool.name, q) || has(tool.callId, q) || has(tool.arguments, q) || has(tool.result, q) || has(tool.error, q))) {
    return true;
  }
  return partsMatch(span.system, q) || messagesMatch(span.input, q) || messagesMatch(span.output, q);
}

function messagesMatch(messages: Message[] | undefined, q: string): boolean {
  if (!Array.isArray(messages)) return false;
  for (const m of messages) {
    if (m && (has(m.id, q) || partsMatch(m.parts, q))) return true;
  }
  return false;
}

/** Iterative: tool results nest parts, and a hostile session nests them 20,000 deep. */
function partsMatch(list: Part[] | undefined, q: string): boolean {
  const pending: unknown[] = [list];
  while (pending.length) {
    const parts = pending.pop();
    if (!Array.isArray(parts)) continue;
    for (const p of parts as Part[]) {
      if (partMatches(p, q, pending)) return true;
    }
  }
  return false;
}

/** One part; a tool result's own parts are queued on `pending`. */
function partMatches(p: Part, q: string, pending: unknown[]): boolean {
  if (!p || typeof p !== 'object') return false;
  switch (p.type) {
    case 'text':
      return has(p.text, q) || !!p.citations?.some((c) => has(c.title, q) || has(c.contentId, q));
    case 'reasoning':
      return has(p.text, q);
    case 'toolUse':
      return has(p.name, q) || has(p.id, q) || has(p.arguments, q);
    case 'toolResult':
      pending.push(p.parts);
      return has(p.id, q) || has(p.error, q);
    default:
      return false;
  }
}
