// Copy Span / Session as Markdown, and what the language-model tool returns:
// a compact, readable projection (the same facts as the diff projection)
// with secrets masked and long payloads cut. Ids are kept — that is what an
// issue needs to find the trace again. Pure: no `vscode`.
import { normalizeString, normalizeValue, type NormalizeOptions, type SecretRules } from '../compare/normalize';
import { orderSpans, spanContent, spanFacts, totalsLine, totalsOf } from '../compare/projection';
import { formatTimestamp } from '../model/format';
import type { Session, Span } from '../model/types';

export interface MarkdownOptions {
  secrets?: SecretRules;
  /** Longest payload string kept (default 1000). */
  maxString?: number;
  /** Spans described in detail in a session copy (default 100); the rest are listed by name. */
  maxSpans?: number;
}

/** A fence longer than any backtick run in the text, so hostile content cannot close it. */
function fence(text: string, lang = ''): string {
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

function opts(o: MarkdownOptions): NormalizeOptions {
  return { maxString: o.maxString ?? 1000, elideIds: false, secrets: o.secrets, maxDepth: 8 };
}

function inline(text: string, o: NormalizeOptions): string {
  return normalizeString(text.replace(/\s+/g, ' ').trim(), { ...o, maxString: 200 });
}

function spanBlock(span: Span, depth: number, o: NormalizeOptions, lastInputs?: number): string[] {
  const lines = [`${'#'.repeat(Math.min(3 + depth, 6))} ${span.kind} ${inline(span.name, o)}`, '', `${spanFacts(span, o, true)} · id \`${inline(span.id, o).replace(/`/g, '')}\``];
  const content = spanContent(span, o);
  if (lastInputs !== undefined && Array.isArray(content.input) && content.input.length > lastInputs) {
    // A model call's input repeats the whole history: in a session copy, the new messages are enough.
    const skipped = content.input.length - lastInputs;
    content.input = [`… ${skipped} earlier message(s)`, ...content.input.slice(-lastInputs)];
  }
  if (Object.keys(content).length) lines.push('', fence(JSON.stringify(content, null, 2), 'json'));
  const extra = interestingAttributes(span, o);
  if (extra) lines.push('', fence(JSON.stringify(extra, null, 2), 'json'));
  lines.push('');
  return lines;
}

/** Attributes that help answer "why did this fail?" (errors, exceptions, finish reasons), secrets masked. */
function interestingAttributes(span: Span, o: NormalizeOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(span.attributes ?? {})) {
    if (/^(?:exception\.|error|code\.)/.test(k)) out[k] = v;
  }
  if (span.model?.finishReasons?.length) out.finishReasons = span.model.finishReasons;
  return Object.keys(out).length ? (normalizeValue(out, o) as Record<string, unknown>) : undefined;
}

export function spanMarkdown(span: Span, options: MarkdownOptions = {}): string {
  const o = opts(options);
  return spanBlock(span, 0, o).join('\n').trimEnd() + '\n';
}

export function sessionMarkdown(session: Session, spans: readonly Span[], options: MarkdownOptions = {}): string {
  const o = opts(options);
  const max = options.maxSpans ?? 100;
  const lines = [
    `## Session ${inline(session.name || session.id, o)}`,
    '',
    `- id \`${inline(session.id, o).replace(/`/g, '')}\`${session.startTime ? ` · started ${formatTimestamp(session.startTime)}` : ''}`,
    `- ${totalsLine(totalsOf(spans))}`,
    '',
  ];
  const ordered = orderSpans(spans);
  ordered.slice(0, max).forEach(({ span, depth }) => lines.push(...spanBlock(span, depth, o, 2)));
  if (ordered.length > max) {
    lines.push(`… ${ordered.length - max} more spans:`, '');
    for (const { span, depth } of ordered.slice(max, max + 400)) lines.push(`${'  '.repeat(Math.min(depth, 8))}- ${span.kind} ${inline(span.name, o)} (${span.status})`);
    if (ordered.length > max + 400) lines.push(`- … ${ordered.length - max - 400} more`);
  }
  return lines.join('\n').trimEnd() + '\n';
}
