// Tool calls whose result is in another span of the session: OTLP GenAI
// `execute_tool` spans (matched by `gen_ai.tool.call.id`, kept as tool.callId)
// and any backend that splits a call and its result. Pure: the panel sends
// these results with the span so its call shows them.
import type { Message, Part, Span } from '../model/types';

type ToolResultPart = Extract<Part, { type: 'toolResult' }>;

function visitParts(lists: (Message[] | Part[] | undefined)[], each: (p: Part) => void): void {
  const stack: Part[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (item && typeof item === 'object' && 'parts' in item && !('type' in item)) stack.push(...((item as Message).parts ?? []));
      else if (item && typeof item === 'object') stack.push(item as Part);
    }
  }
  // Iterative: results may nest parts.
  while (stack.length) {
    const p = stack.pop()!;
    if (!p || typeof p !== 'object') continue;
    each(p);
    if (p.type === 'toolResult' && Array.isArray(p.parts)) stack.push(...p.parts);
  }
}

/** Ids of the span's tool calls that have no result in the span itself. */
export function unansweredCalls(span: Span): Set<string> {
  const calls = new Set<string>();
  const answered = new Set<string>();
  visitParts([span.system, span.input, span.output], (p) => {
    if (p.type === 'toolUse' && typeof p.id === 'string' && p.id) calls.add(p.id);
    else if (p.type === 'toolResult' && typeof p.id === 'string') answered.add(p.id);
  });
  for (const id of answered) calls.delete(id);
  return calls;
}

function resultText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The result a tool span holds for its call id (OTLP execute_tool), as a result part. */
function toolSpanResult(s: Span): ToolResultPart | undefined {
  const t = s.tool;
  if (!t?.callId || (t.result === undefined && !t.error)) return undefined;
  const r: ToolResultPart = { type: 'toolResult', id: t.callId, parts: t.result === undefined ? [] : [{ type: 'text', text: resultText(t.result) }] };
  if (t.error) r.error = t.error;
  return r;
}

/** Tool spans' results by call id, for a whole conversation at once (one pass). */
export function toolSpanResults(spans: Iterable<Span>): Map<string, ToolResultPart> {
  const out = new Map<string, ToolResultPart>();
  for (const s of spans) {
    const r = toolSpanResult(s);
    if (r && !out.has(r.id)) out.set(r.id, r);
  }
  return out;
}

/** Results for the span's unanswered calls, found in `others` (one pass, first match wins). */
export function relatedToolResults(span: Span, others: Iterable<Span>): ToolResultPart[] {
  const wanted = unansweredCalls(span);
  if (!wanted.size) return [];
  const found = new Map<string, ToolResultPart>();
  for (const s of others) {
    if (s === span) continue;
    const r = toolSpanResult(s);
    if (r && wanted.has(r.id) && !found.has(r.id)) found.set(r.id, r);
    visitParts([s.input, s.output], (p) => {
      if (p.type === 'toolResult' && wanted.has(p.id) && !found.has(p.id)) found.set(p.id, p);
    });
    if (found.size === wanted.size) break;
  }
  return [...found.values()];
}
