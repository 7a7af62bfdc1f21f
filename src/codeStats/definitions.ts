// The one place code stats reach into the navigation core (Go to Prompt
// Source's references and matchers), so the lead can re-point it when that
// core changes. Pure: no `vscode`.
import { buildSearch, fileNameCandidate, scanText } from '../navigation/patterns';
import { refsOf, type SourceRef } from '../navigation/refs';
import type { Span } from '../model/types';

export type { SourceRef } from '../navigation/refs';

/** The references a span *is* (not the ones it mentions): its prompt, its own tool when a tool span, its agent when an agent span. */
export function ownRefs(span: Span): SourceRef[] {
  const out: SourceRef[] = [];
  for (const ref of refsOf(span)) {
    if (ref.kind === 'prompt') out.push(ref);
    else if (ref.kind === 'tool' && span.kind === 'tool' && !out.some((r) => r.kind === 'tool')) out.push(ref);
    else if (ref.kind === 'agent' && span.kind === 'agent' && !out.some((r) => r.kind === 'agent')) out.push(ref);
  }
  return out;
}

/** The agent a span runs in, from the navigation core's reading of agent names. */
export function agentRef(span: Span): SourceRef | undefined {
  return refsOf(span).find((r) => r.kind === 'agent');
}

export interface DefinitionHit {
  /** Index into the refs given. */
  ref: number;
  /** 0-based. */
  line: number;
  column: number;
  length: number;
  label: string;
}

/**
 * Definition lines of the refs in one file's text (mentions are not
 * definitions); a prompt file named after a prompt (`prompts/EmailResponse.yaml`)
 * is its definition from the first line.
 */
export function findDefinitions(text: string, file: string, refs: SourceRef[]): DefinitionHit[] {
  if (!refs.length) return [];
  // Only refs the text can match at all (a long session has many names; each costs regexes over the whole file).
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1).toLowerCase();
  const stem = base.split('.')[0];
  const namesFile = (name: string) => [name, name.replace(/[ _-]+/g, '-'), name.replace(/[ _-]+/g, '_')].includes(stem);
  const kept: number[] = [];
  refs.forEach((r, i) => {
    const words = [r.id, r.arn?.replace(/:(\d+|\$LATEST)$/, ''), ...(r.looseSeparators ? (r.name ?? '').split(/[ _-]+/) : [r.name])].filter((w): w is string => !!w);
    if (words.some((w) => text.includes(w)) || (r.name && r.kind !== 'tool' && namesFile(r.name.toLowerCase()))) kept.push(i);
  });
  if (!kept.length) return [];
  const search = buildSearch(kept.map((i) => refs[i]));
  const hits = scanText(text, file, search)
    .filter((c) => c.tier !== 'mention')
    .map((c) => ({ ref: kept[c.ref], line: c.line, column: c.column, length: c.length, label: c.label }));
  const named = fileNameCandidate(file, search);
  if (named && !hits.some((h) => h.ref === kept[named.ref])) hits.unshift({ ref: kept[named.ref], line: 0, column: 0, length: 0, label: named.label });
  return hits;
}
