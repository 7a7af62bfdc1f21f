// Finding a prompt/agent/tool in source text, without `vscode`. Every
// occurrence of a reference's name (in any naming style) is classified by
// where it stands: the value of a `name`-like key inside a recognised
// construct (`Agent[Ctx](name=…)`, `new Agent<Ctx>({ name })`,
// `tool(fn, { name })`, CloudFormation/CDK resources…), the name of a
// `def`/`function`/`class`, the first argument of a tool registration
// (`server.tool('x', …)`, `@tool("x")`), or only a mention. The whole value
// must be the name: `Triage` inside `"Triage Agent"` is a partial match,
// offered but never jumped to. Ids and ARNs are exact matches.
import { bareId } from './ids';
import { compareName, nameSpellings, nameWords, wordsPattern, type NameMatch } from './names';
import { CODE_DEF, codeDefConstruct, CONSTANT, type Construct, NAME_KEY, nameKeyConstruct, namePropertyConstruct, positionalConstruct } from './constructs';
import { placeOf, type Place } from './places';
import type { SourceRef } from './refs';

export type MatchTier = 'exact' | 'definition' | 'mention';

const TIER_RANK: Record<MatchTier, number> = { exact: 0, definition: 1, mention: 2 };

/** Label of candidates that came from the workspace symbol provider. */
export const SYMBOL_LABEL = 'workspace symbol';

export interface Candidate {
  /** File key (fsPath or URI string) as given to scanText. */
  file: string;
  /** 0-based. */
  line: number;
  column: number;
  length: number;
  tier: MatchTier;
  /** Higher is better within a tier: 3 a recognised construct, 2 a prompt file or bare def, 1 a plain `name:` key. */
  score: number;
  /** Kind of match for the quick pick: "AWS::Wisdom::AIPrompt resource", "@function_tool def", "mention"… */
  label: string;
  /** The matching line, trimmed (for previews). */
  preview: string;
  /** Index into the refs the search was built from (lower = the span's primary reference). */
  ref: number;
  /** How the written name relates to the reference (absent: exact, ids and file positions). */
  match?: NameMatch;
  /** What kind of place the file is (absent: source). */
  place?: Place;
  /** The language's symbol provider knows a symbol of this name here. */
  confirmed?: boolean;
}

interface NameNeedle {
  ref: number;
  name: string;
  words: string[];
  /** Finds the words in any naming style. */
  regex: RegExp;
}

interface ExactNeedle {
  ref: number;
  regex: RegExp;
  label: string;
  score: number;
}

export interface SourceSearch {
  refs: SourceRef[];
  /** Literal UTF-8 strings at least one of which a file must contain to be scanned. */
  needles: string[];
  names: NameNeedle[];
  exact: ExactNeedle[];
}

/** Per file: enough to show real definitions without flooding the pick with mentions. */
const MAX_HITS_PER_NAME_PER_FILE = 40;
const MAX_MENTIONS_PER_FILE = 3;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex source for a name; loose names accept ` `, `_` or `-` between words. */
export function namePattern(name: string, loose = false): string {
  if (!loose) return escapeRegExp(name);
  return name
    .split(/[ _-]+/)
    .filter(Boolean)
    .map(escapeRegExp)
    .join('[ _-]+');
}

/** Word-ish boundaries that also treat `-` and `.` as part of identifiers (ids, YAML names). */
const B_BEFORE = '(?<![\\w.-])';
const B_AFTER = '(?![\\w-]|\\.\\w)';

/** Builds needles and matchers for a list of refs (ref order = priority). */
export function buildSearch(refs: SourceRef[]): SourceSearch {
  const needles = new Set<string>();
  const names: NameNeedle[] = [];
  const exact: ExactNeedle[] = [];
  refs.forEach((ref, i) => {
    const id = ref.id ? bareId(ref.id) : undefined;
    if (ref.arn) {
      // The ARN without a version qualifier also finds versioned spellings.
      const arn = ref.arn.replace(/:(\d+|\$LATEST)$/, '');
      needles.add(arn);
      exact.push({ ref: i, regex: new RegExp(`${escapeRegExp(arn)}(?::(?:\\d+|\\$LATEST))?${B_AFTER}`, 'g'), label: 'ARN', score: 2 });
    }
    if (id && id.length >= 6) {
      needles.add(id);
      exact.push({ ref: i, regex: new RegExp(`${B_BEFORE}${escapeRegExp(id)}${B_AFTER}`, 'g'), label: `${ref.kind} id`, score: 1 });
    }
    if (ref.name) {
      const words = nameWords(ref.name);
      if (!words.length) return;
      for (const s of nameSpellings(ref.name)) needles.add(s);
      names.push({ ref: i, name: ref.name, words, regex: new RegExp(`(?<![A-Za-z0-9])${wordsPattern(words)}|${escapeRegExp(ref.name)}`, 'gi') });
    }
  });
  needles.delete('');
  return { refs, needles: [...needles], names, exact };
}

/** Offsets of line starts, for mapping match offsets to lines with a binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function extensionOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The string or identifier an occurrence stands in: its text and where it starts. */
interface Value {
  text: string;
  start: number;
  end: number;
  quoted: boolean;
}

const QUOTES = `"'\``;

/** The quoted string (on this line) or identifier around [start, end). */
function valueAt(line: string, start: number, end: number, yamlLike: boolean): Value {
  let open = -1;
  let quote = '';
  for (let i = 0; i < start; i++) {
    const ch = line[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) {
        quote = '';
        open = -1;
      }
    } else if (QUOTES.includes(ch)) {
      quote = ch;
      open = i;
    } else if (ch === '#' && yamlLike && (i === 0 || /\s/.test(line[i - 1]))) {
      break;
    }
  }
  if (quote && open >= 0) {
    let close = line.indexOf(quote, end);
    if (close < 0) close = line.length;
    return { text: line.slice(open + 1, close), start: open + 1, end: close, quoted: true };
  }
  if (yamlLike) {
    // `name: Triage Agent  # comment` — the value is the rest of the line.
    const key = /^(\s*-?\s*[\w.-]+\s*:\s*)(.*)$/.exec(line);
    if (key && key[1].length <= start) {
      const raw = key[2].replace(/\s+#.*$/, '').replace(/\s+$/, '');
      return { text: raw, start: key[1].length, end: key[1].length + raw.length, quoted: false };
    }
  }
  let s = start;
  let e = end;
  while (s > 0 && /[\w$]/.test(line[s - 1])) s--;
  while (e < line.length && /[\w$]/.test(line[e])) e++;
  return { text: line.slice(s, e), start: s, end: e, quoted: false };
}

/** Every hit of the search in one file's text, one candidate per line (the best one). `rel` is the workspace-relative path. */
export function scanText(text: string, file: string, search: SourceSearch, rel = file): Candidate[] {
  const ext = extensionOf(file);
  const place = placeOf(rel);
  const yamlLike = ext === 'yaml' || ext === 'yml' || ext === 'prompt' || ext === 'md';
  let starts: number[] | undefined;
  const byLine = new Map<number, Candidate>();
  let mentions = 0;
  // Per ref, the calls whose `name` key was found, and `const x = call(` candidates to drop if so.
  const keyed = new Set<string>();
  const assigned: { cand: Candidate; at: string }[] = [];
  const lineText = (line: number) => {
    const end = starts![line + 1] !== undefined ? starts![line + 1] - 1 : text.length;
    return text.slice(starts![line], end).replace(/\r$/, '');
  };
  const put = (cand: Candidate) => {
    const existing = byLine.get(cand.line);
    if (cand.tier === 'mention') {
      if (existing || mentions >= MAX_MENTIONS_PER_FILE) return;
      mentions++;
    }
    if (!existing || compareCandidates(cand, existing) < 0) byLine.set(cand.line, cand);
  };

  for (const x of search.exact) {
    x.regex.lastIndex = 0;
    let count = 0;
    for (let m = x.regex.exec(text); m && count < MAX_HITS_PER_NAME_PER_FILE; m = x.regex.exec(text), count++) {
      starts ??= lineStarts(text);
      const line = lineOf(starts, m.index);
      const raw = lineText(line);
      const column = m.index - starts[line];
      const tier: MatchTier = place === 'nonsource' ? 'mention' : 'exact';
      put({ file, line, column, length: Math.min(m[0].length, raw.length - column), tier, score: x.score, label: tier === 'mention' ? 'mention' : x.label, preview: raw.trim().slice(0, 200), ref: x.ref, place });
    }
  }

  for (const n of search.names) {
    n.regex.lastIndex = 0;
    let count = 0;
    for (let m = n.regex.exec(text); m && count < MAX_HITS_PER_NAME_PER_FILE; m = n.regex.exec(text)) {
      if (m[0].length === 0) {
        n.regex.lastIndex++;
        continue;
      }
      count++;
      starts ??= lineStarts(text);
      const line = lineOf(starts, m.index);
      const lineStart = starts[line];
      const raw = lineText(line);
      const col = m.index - lineStart;
      const value = valueAt(raw, col, col + m[0].length, yamlLike || ext === 'yaml');
      const match = compareName(value.text.trim(), n.name, n.words);
      if (!match) continue;
      const before = raw.slice(0, value.start - (value.quoted ? 1 : 0));
      const absValueStart = lineStart + value.start;
      let construct: Construct | undefined;
      const key = NAME_KEY.exec(before);
      if (key) construct = nameKeyConstruct(text, lineStart + key.index + key[0].indexOf(key[1]), key[1], ext, rel, lineStart);
      else if (value.quoted) {
        construct = positionalConstruct(text, absValueStart) ?? namePropertyConstruct(text, absValueStart);
        const constant = construct || place === 'nonsource' ? undefined : CONSTANT.exec(before)?.[1];
        if (constant) {
          // `AGENT_NAME = "Escalation Desk"` … `Agent(name=AGENT_NAME)`: the construct using the constant is the definition.
          const use = new RegExp(`\\b(name|Name|name_override|tool_name|toolName)["']?\\s*[:=]\\s*${escapeRegExp(constant)}\\b`).exec(text);
          if (use) {
            starts ??= lineStarts(text);
            const useLine = lineOf(starts, use.index);
            const c = nameKeyConstruct(text, use.index, use[1], ext, rel, starts[useLine]);
            const useRaw = lineText(useLine);
            const useCol = use.index + use[0].length - constant.length - starts[useLine];
            put({ file, line: useLine, column: useCol, length: constant.length, tier: 'definition', score: c.score, label: `${c.label} via ${constant}`, preview: useRaw.trim().slice(0, 200), ref: n.ref, match, place });
            continue;
          }
          construct = { label: `constant ${constant}`, score: 1 };
        }
      }
      else {
        const def = CODE_DEF.exec(before);
        if (def) construct = codeDefConstruct(text, lineStart, lineStart + value.end, def[1] ?? def[2], raw, ext);
      }
      const column = value.start;
      const length = Math.max(1, value.end - value.start);
      const preview = raw.trim().slice(0, 200);
      if (construct && place !== 'nonsource') {
        const refKind = search.refs[n.ref].kind;
        if (construct.kind && construct.kind !== refKind && refKind !== 'code' && !(refKind === 'tool' && construct.kind === 'agent')) {
          // A tool construct named like an agent (or the reverse) is weak evidence.
          construct = { ...construct, score: 1 };
        }
        // Among partial matches, the span's own spelling inside the value ranks first.
        const score = match === 'partial' ? construct.score + (value.text.includes(n.name) ? 0.5 : 0) : construct.score;
        const cand: Candidate = { file, line, column, length, tier: 'definition', score, label: match === 'partial' ? `partial match: ${construct.label}` : construct.label, preview, ref: n.ref, match, place };
        if (construct.open !== undefined) {
          if (key) keyed.add(`${n.ref}:${construct.open}`);
          else assigned.push({ cand, at: `${n.ref}:${construct.open}` });
        }
        put(cand);
      } else if (match !== 'partial') {
        put({ file, line, column, length, tier: 'mention', score: 0, label: 'mention', preview, ref: n.ref, match, place });
      }
    }
  }
  for (const { cand, at } of assigned) {
    if (keyed.has(at) && byLine.get(cand.line) === cand) byLine.delete(cand.line);
  }
  // `@activity.defn(name="x")` over `def x(`: one definition, the explicit name.
  for (const c of [...byLine.values()]) {
    if (c.tier !== 'definition' || !/^@.* def$/.test(c.label)) continue;
    for (let l = c.line - 1; l >= Math.max(0, c.line - 6); l--) {
      const above = byLine.get(l);
      if (above && above.ref === c.ref && above.tier === 'definition' && above.label.startsWith('@')) {
        byLine.delete(c.line);
        break;
      }
    }
  }
  // An id and an ARN of the same record (a few lines apart) are one exact match: the ARN.
  const exact = [...byLine.values()].filter((c) => c.tier === 'exact').sort((a, b) => a.line - b.line);
  for (let i = 1; i < exact.length; i++) {
    const a = exact[i - 1];
    const b = exact[i];
    if (a.ref === b.ref && b.line - a.line <= 3 && byLine.get(a.line) === a && byLine.get(b.line) === b) byLine.delete((a.score >= b.score ? b : a).line);
  }
  return [...byLine.values()];
}

/** A prompt/agent file named after the reference (`prompts/answer-generation.yaml`, `PostContactSummary` → `post-contact-summary.yaml`). */
export function fileNameCandidate(file: string, search: SourceSearch, rel = file): Candidate | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const firstDot = base.indexOf('.');
  const head = firstDot > 0 ? base.slice(0, firstDot) : base;
  const place = placeOf(rel);
  if (place === 'nonsource' || place === 'dependency') return undefined;
  for (let i = 0; i < search.refs.length; i++) {
    const ref = search.refs[i];
    if (!ref.name || ref.kind === 'tool') continue;
    const match = compareName(head, ref.name);
    if (match === 'exact' || match === 'style') {
      return { file, line: 0, column: 0, length: 0, tier: 'definition', score: 2, label: 'file name', preview: base, ref: i, match, place };
    }
  }
  return undefined;
}

const PLACE_RANK: Record<Place, number> = { source: 0, test: 1, generated: 2, dependency: 3, nonsource: 4 };
const MATCH_RANK: Record<NameMatch, number> = { exact: 0, style: 1, partial: 2 };

/** Files where a mention is likely noise (data, docs) rank after code and prompt files. */
function fileWeight(file: string): number {
  const ext = extensionOf(file);
  if (ext === 'json' || ext === 'jsonl') return 1;
  if (ext === 'md' || ext === 'txt') return 2;
  return 0;
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    a.ref - b.ref ||
    Number(a.match === 'partial') - Number(b.match === 'partial') ||
    PLACE_RANK[a.place ?? 'source'] - PLACE_RANK[b.place ?? 'source'] ||
    b.score - a.score ||
    MATCH_RANK[a.match ?? 'exact'] - MATCH_RANK[b.match ?? 'exact'] ||
    Number(!!b.confirmed) - Number(!!a.confirmed) ||
    fileWeight(a.file) - fileWeight(b.file) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line
  );
}

/**
 * Sorts and removes duplicates: one candidate per file and line, and a
 * workspace symbol within `near` lines of a text hit in the same file is the
 * same definition (language servers start a Python symbol at its decorator);
 * such a text hit is marked confirmed.
 */
export function rankCandidates(cands: Candidate[], near = 3): Candidate[] {
  const symbols = cands.filter((c) => c.label === SYMBOL_LABEL);
  const marked = cands.map((c) =>
    c.label !== SYMBOL_LABEL && c.tier === 'definition' && symbols.some((s) => s.file === c.file && s.ref === c.ref && Math.abs(s.line - c.line) <= near) ? { ...c, confirmed: true } : c,
  );
  const sorted = marked.sort(compareCandidates);
  const out: Candidate[] = [];
  const seen = new Map<string, { line: number; symbol: boolean }[]>();
  for (const c of sorted) {
    const symbol = c.label === SYMBOL_LABEL;
    const lines = seen.get(c.file) ?? [];
    const dup = lines.some((e) => e.line === c.line || ((e.symbol || symbol) && Math.abs(e.line - c.line) <= near));
    if (dup) continue;
    lines.push({ line: c.line, symbol });
    seen.set(c.file, lines);
    out.push(c);
  }
  return out;
}

// The setting's globs live with the other path helpers.
export { DEFAULT_PROMPT_SOURCES, expandBraces, promptSourceGlobs } from './places';
