// Finding a prompt/agent/tool in source text, without `vscode`: builds the
// literal needles for a cheap byte-level prefilter, the regexes that classify
// a hit (exact id/ARN, definition, mention), scans a file's text, ranks the
// candidates and decides whether to jump directly or ask.
import { bareId } from './ids';
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
  /** Higher is better within a tier (e.g. a CloudFormation AIPrompt resource beats a bare `name:`). */
  score: number;
  /** Kind of match for the quick pick: "AWS::Wisdom::AIPrompt resource", "@function_tool def", "mention"… */
  label: string;
  /** The matching line, trimmed (for previews). */
  preview: string;
  /** Index into the refs the search was built from (lower = the span's primary reference). */
  ref: number;
}

interface Matcher {
  ref: number;
  tier: MatchTier;
  regex: RegExp;
  /** How the match is labelled and scored; may look at the text around it. */
  classify: (text: string, index: number, match: RegExpExecArray, ext: string) => { label: string; score: number };
}

export interface SourceSearch {
  refs: SourceRef[];
  /** Literal UTF-8 strings at least one of which a file must contain to be scanned. */
  needles: string[];
  matchers: Matcher[];
}

/** Per file: enough to show real definitions without flooding the pick with mentions. */
const MAX_PER_MATCHER_PER_FILE = 20;
const MAX_MENTIONS_PER_FILE = 3;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex source for a name; Agno-derived names accept ` `, `_` or `-` between words. */
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

const CONTEXT_WINDOW = 600;
const CONTEXT = /AWS::Wisdom::AIPrompt|CfnAIPrompt|AWS::Wisdom::AIAgent|CfnAIAgent|\b(?:Agent|Team)\s*\(|\btool\s*\(|function_tool/g;

/** The nearest construct before a `name:`/`name=` line explains what it defines. */
function nameKeyContext(text: string, index: number, ext: string): { label: string; score: number } {
  const start = Math.max(0, index - CONTEXT_WINDOW);
  const window = text.slice(start, index);
  let last: string | undefined;
  CONTEXT.lastIndex = 0;
  for (let m = CONTEXT.exec(window); m; m = CONTEXT.exec(window)) {
    last = m[0];
  }
  if (last) {
    if (last === 'AWS::Wisdom::AIPrompt') return { label: 'AWS::Wisdom::AIPrompt resource', score: 3 };
    if (last === 'CfnAIPrompt') return { label: 'CDK CfnAIPrompt', score: 3 };
    if (last === 'AWS::Wisdom::AIAgent') return { label: 'AWS::Wisdom::AIAgent resource', score: 3 };
    if (last === 'CfnAIAgent') return { label: 'CDK CfnAIAgent', score: 3 };
    if (last === 'function_tool') return { label: '@function_tool(name_override=…)', score: 2 };
    if (/^tool/.test(last)) return { label: 'tool({ name: … })', score: 2 };
    const ctor = /^Team/.test(last) ? 'Team' : 'Agent';
    return ext === 'py' ? { label: `${ctor}(name=…)`, score: 2 } : { label: `new ${ctor}({ name: … })`, score: 2 };
  }
  if (ext === 'yaml' || ext === 'yml') return { label: 'YAML name:', score: 1 };
  if (ext === 'json') return { label: 'JSON "name"', score: 1 };
  if (ext === 'prompt') return { label: 'prompt file name:', score: 1 };
  return { label: 'name = …', score: 0 };
}

function lineBefore(text: string, index: number, lines: number): string {
  let start = index;
  for (let i = 0; i <= lines && start > 0; i++) {
    start = text.lastIndexOf('\n', start - 1);
    if (start < 0) {
      start = 0;
      break;
    }
  }
  return text.slice(start, index);
}

function codeDefContext(text: string, index: number, m: RegExpExecArray): { label: string; score: number } {
  const keyword = m[1];
  if (keyword === 'def') {
    // A decorator on the lines just above marks a tool (OpenAI SDK, Agno, LangChain).
    const above = lineBefore(text, index, 3);
    if (/@function_tool\b/.test(above)) return { label: '@function_tool def', score: 2 };
    if (/@tool\b/.test(above)) return { label: '@tool def', score: 2 };
    return { label: 'def', score: 1 };
  }
  if (keyword === 'const' || keyword === 'let' || keyword === 'var') {
    const eol = text.indexOf('\n', index);
    const rest = text.slice(index, eol < 0 ? undefined : eol);
    if (/=\s*(?:await\s+)?tool\s*\(/.test(rest)) return { label: 'tool(…)', score: 2 };
    if (/=\s*new\s+Agent\b|=\s*Agent\.create\b/.test(rest)) return { label: 'new Agent(…)', score: 2 };
    return { label: keyword, score: 0 };
  }
  return { label: keyword, score: 1 };
}

/** Builds needles and matchers for a list of refs (ref order = priority). */
export function buildSearch(refs: SourceRef[]): SourceSearch {
  const needles = new Set<string>();
  const matchers: Matcher[] = [];
  refs.forEach((ref, i) => {
    const id = ref.id ? bareId(ref.id) : undefined;
    if (ref.arn) {
      // The ARN without a version qualifier also finds versioned spellings.
      const arn = ref.arn.replace(/:(\d+|\$LATEST)$/, '');
      needles.add(arn);
      matchers.push({ ref: i, tier: 'exact', regex: new RegExp(`${escapeRegExp(arn)}(?::(?:\\d+|\\$LATEST))?${B_AFTER}`, 'g'), classify: () => ({ label: 'ARN', score: 2 }) });
    }
    if (id && id.length >= 6) {
      needles.add(id);
      matchers.push({ ref: i, tier: 'exact', regex: new RegExp(`${B_BEFORE}${escapeRegExp(id)}${B_AFTER}`, 'g'), classify: () => ({ label: `${ref.kind} id`, score: 1 }) });
    }
    if (ref.name) {
      const loose = !!ref.looseSeparators;
      const n = namePattern(ref.name, loose);
      // Loose names are prefiltered by their longest word (separators vary).
      const words = loose ? ref.name.split(/[ _-]+/).filter(Boolean) : [ref.name];
      needles.add(words.reduce((a, b) => (b.length > a.length ? b : a), ''));
      // `name: X`, `"name": "X"`, `name="X"`, `Name: X` (CloudFormation), `name_override="X"`.
      matchers.push({
        ref: i,
        tier: 'definition',
        regex: new RegExp(`\\b(?:name|Name|NAME|name_override)["']?[ \\t]*[:=][ \\t]*["'\`]?${n}["'\`]?${B_AFTER}`, 'g'),
        classify: (text, index, _m, ext) => nameKeyContext(text, index, ext),
      });
      if (/^[A-Za-z_$][\w$]*$/.test(ref.name)) {
        matchers.push({
          ref: i,
          tier: 'definition',
          regex: new RegExp(`\\b(def|function|class|const|let|var)\\s+${n}\\b`, 'g'),
          classify: (text, index, m) => codeDefContext(text, index, m),
        });
      }
      matchers.push({ ref: i, tier: 'mention', regex: new RegExp(`${B_BEFORE}${n}${B_AFTER}`, 'g'), classify: () => ({ label: 'mention', score: 0 }) });
    }
  });
  needles.delete('');
  return { refs, needles: [...needles], matchers };
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

/** Every hit of the search in one file's text, one candidate per line (the best one). */
export function scanText(text: string, file: string, search: SourceSearch): Candidate[] {
  const ext = extensionOf(file);
  let starts: number[] | undefined;
  const byLine = new Map<number, Candidate>();
  let mentions = 0;
  for (const matcher of search.matchers) {
    matcher.regex.lastIndex = 0;
    let count = 0;
    for (let m = matcher.regex.exec(text); m; m = matcher.regex.exec(text)) {
      if (m[0].length === 0) {
        matcher.regex.lastIndex++;
        continue;
      }
      if (++count > MAX_PER_MATCHER_PER_FILE) break;
      starts ??= lineStarts(text);
      const line = lineOf(starts, m.index);
      const existing = byLine.get(line);
      if (matcher.tier === 'mention' && (existing || mentions >= MAX_MENTIONS_PER_FILE)) continue;
      const { label, score } = matcher.classify(text, m.index, m, ext);
      const lineEnd = starts[line + 1] !== undefined ? starts[line + 1] - 1 : text.length;
      const raw = text.slice(starts[line], lineEnd);
      const cand: Candidate = {
        file,
        line,
        column: m.index - starts[line],
        length: Math.min(m[0].length, lineEnd - m.index),
        tier: matcher.tier,
        score,
        label,
        preview: raw.trim().slice(0, 200),
        ref: matcher.ref,
      };
      if (!existing || compareCandidates(cand, existing) < 0) {
        if (matcher.tier === 'mention') mentions++;
        byLine.set(line, cand);
      }
    }
  }
  return [...byLine.values()];
}

/** A prompt/agent file named after the reference (`prompts/answer-generation.yaml`). */
export function fileNameCandidate(file: string, search: SourceSearch): Candidate | undefined {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1).toLowerCase();
  const stem = base.replace(/(\.[a-z0-9]+)+$/, '');
  const firstDot = base.indexOf('.');
  const head = firstDot > 0 ? base.slice(0, firstDot) : base;
  for (let i = 0; i < search.refs.length; i++) {
    const name = search.refs[i].name?.toLowerCase();
    if (!name || search.refs[i].kind === 'tool') continue;
    const variants = new Set([name, name.replace(/[ _-]+/g, '-'), name.replace(/[ _-]+/g, '_')]);
    if (variants.has(stem) || variants.has(head)) {
      return { file, line: 0, column: 0, length: 0, tier: 'definition', score: 0, label: 'file name', preview: base, ref: i };
    }
  }
  return undefined;
}

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
    b.score - a.score ||
    fileWeight(a.file) - fileWeight(b.file) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line
  );
}

/**
 * Sorts and removes duplicates: one candidate per file and line, and a
 * workspace symbol within `near` lines of a text hit in the same file is the
 * same definition (language servers start a Python symbol at its decorator).
 */
export function rankCandidates(cands: Candidate[], near = 3): Candidate[] {
  const sorted = [...cands].sort(compareCandidates);
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

export type Decision =
  | { action: 'open'; candidate: Candidate }
  | { action: 'pick' }
  | { action: 'template' }
  | { action: 'none' };

/** Scores from a recognized construct (CloudFormation/CDK resource, Agent(…), tool(…), @function_tool). */
const STRONG_SCORE = 2;

/**
 * Jump directly when the primary reference has one clear hit in its best
 * tier (the only one, or the only recognized construct among plain `name:`
 * keys); fetch the service's template when the primary reference is a
 * prompt nothing local defines; otherwise let the user choose (or report
 * that nothing was found).
 */
export function decide(ranked: Candidate[], options: { templateAvailable: boolean; primaryIsPrompt: boolean }): Decision {
  const primary = ranked.filter((c) => c.ref === 0 && c.tier !== 'mention');
  if (primary.length) {
    const best = primary.filter((c) => c.tier === primary[0].tier);
    const clear = best.length === 1 || (best[0].score >= STRONG_SCORE && best[1].score < best[0].score);
    return clear ? { action: 'open', candidate: best[0] } : { action: 'pick' };
  }
  if (options.primaryIsPrompt && options.templateAvailable) {
    return { action: 'template' };
  }
  const strong = ranked.filter((c) => c.tier !== 'mention');
  if (strong.length === 1 && ranked.length === 1) {
    return { action: 'open', candidate: strong[0] };
  }
  return ranked.length ? { action: 'pick' } : { action: 'none' };
}

/**
 * Expands `{a,b}` groups (nested too) into brace-free globs, so several
 * patterns can be joined into one `{p1,p2,…}` for findFiles without relying
 * on nested-brace support. Capped to keep a pathological setting harmless.
 */
export function expandBraces(glob: string, cap = 256): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return [glob];
  const bounds = [open, ...commas, close];
  const prefix = glob.slice(0, open);
  const suffix = glob.slice(close + 1);
  const out: string[] = [];
  for (let k = 0; k < bounds.length - 1 && out.length < cap; k++) {
    const option = glob.slice(bounds[k] + 1, bounds[k + 1]);
    for (const e of expandBraces(prefix + option + suffix, cap)) {
      if (out.length >= cap) break;
      out.push(e);
    }
  }
  return out;
}

export const DEFAULT_PROMPT_SOURCES = ['**/*.{yaml,yml,json,py,ts,tsx,js,mjs,md,prompt}', '!**/node_modules/**'];

/** Splits the `spanInspector.promptSources` setting into one include and one exclude glob. */
export function promptSourceGlobs(setting: unknown, extraExcludes: readonly string[] = []): { include: string; exclude: string } {
  const list = Array.isArray(setting) && setting.every((s) => typeof s === 'string') && setting.length ? (setting as string[]) : DEFAULT_PROMPT_SOURCES;
  const includes: string[] = [];
  const excludes = new Set<string>(['**/node_modules/**', '**/.git/**']);
  for (const raw of list) {
    const s = raw.trim();
    if (!s) continue;
    if (s.startsWith('!')) {
      expandBraces(s.slice(1)).forEach((e) => excludes.add(e));
    } else {
      includes.push(...expandBraces(s));
    }
  }
  for (const e of extraExcludes) expandBraces(e).forEach((x) => excludes.add(x));
  const join = (l: string[]) => (l.length === 1 ? l[0] : `{${l.join(',')}}`);
  return { include: join(includes.length ? includes : expandBraces(DEFAULT_PROMPT_SOURCES[0])), exclude: join([...excludes]) };
}
