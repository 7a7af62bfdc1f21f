// Where a span's prompt, agent or tool is defined: the pure core of "Go to
// Prompt Source" (no `vscode`; the extension only lists files and asks the
// language's symbol provider). Other features (CodeLens, diagnostics) use
// the same API:
//
//   const refs = refsOf(span);
//   const { candidates, decision } = await findDefinitions(refs, files, options);
//   // or, for one open document (CodeLens): where in it are these refs defined?
//   const here = definitionsIn(document.getText(), uri, refs, relPath);
//
// - `files`: the workspace's source files (SourceFile: key, name, rel path,
//   a local path or a reader), with excluded and vendored folders already
//   left out by the lister;
// - `candidates`: ranked, what a quick pick shows (definitions first, the
//   primary reference before secondary ones, source before tests and
//   generated copies, mentions last);
// - `decision`: `open` a candidate directly (only when it is unambiguous:
//   the whole name, a recognised construct, in source), `pick`, fetch the
//   service's `template`, `dependency` (defined in an installed package;
//   with the user's import line when there is one), or `none` (nothing
//   defines it: mentions alone never count).
import { type Candidate, buildSearch, fileNameCandidate, rankCandidates, scanText, type SourceSearch } from './patterns';
import { packageOf, placeOf } from './places';
import type { SourceRef } from './refs';
import { readTexts, scanFiles, type ReadOptions, type SourceFile } from './scan';

export interface DependencyAnswer {
  /** Installed package (`agno`, `@langchain/community`). */
  package: string;
  /** The definition inside the package, when a vendored copy was read. */
  candidate?: Candidate;
  /** The user's import of that package (`from agno.tools.duckduckgo import DuckDuckGoTools`). */
  importLine?: Candidate;
}

export type Decision =
  | { action: 'open'; candidate: Candidate }
  | { action: 'pick' }
  | { action: 'template' }
  | { action: 'dependency'; dependency: DependencyAnswer }
  | { action: 'none' };

export interface FindOptions extends ReadOptions {
  /** The span's backend can fetch the prompt's template (Q Connect). */
  templateAvailable?: boolean;
  /** Matches of the language's workspace symbol provider (label SYMBOL_LABEL); they confirm text hits. */
  symbols?: Candidate[];
  /** Vendored files (`.venv`, `node_modules`), listed only when no source defines the primary reference. */
  dependencies?: () => Promise<SourceFile[]>;
}

export interface Definitions {
  /** The refs searched (an OTel code location outside the workspace is dropped). */
  refs: SourceRef[];
  candidates: Candidate[];
  decision: Decision;
  /** Files read. */
  scanned: number;
  /** Mentions seen (listed in `candidates` only beside definitions). */
  mentions: number;
}

/** Scores of a recognised construct (resource, Agent(…), tool(…), decorated def) or a prompt file / bare def. */
const DIRECT_SCORE = 2;

export async function findDefinitions(refs: SourceRef[], files: readonly SourceFile[], options: FindOptions = {}): Promise<Definitions> {
  // An OTel code location: exactly there when the file is in the workspace.
  const code = refs[0]?.kind === 'code' ? refs[0] : undefined;
  if (code?.file) {
    if (placeOf(code.file) === 'dependency') {
      const pkg = packageOf(code.file);
      if (pkg) {
        const importLine = await findImport(pkg, undefined, files, options);
        return { refs, candidates: [], decision: { action: 'dependency', dependency: { package: pkg.name, importLine } }, scanned: 0, mentions: 0 };
      }
    }
    const at = codeLocation(code, files);
    if (at.length === 1 && code.lineno) return { refs, candidates: at, decision: { action: 'open', candidate: at[0] }, scanned: 0, mentions: 0 };
    if (!at.length) refs = refs.slice(1);
    else if (!code.lineno) refs = [{ ...code, file: undefined }, ...refs.slice(1)];
  }

  const search = buildSearch(refs.map((r) => (r.kind === 'code' ? { ...r, file: undefined } : r)));
  const { candidates, scanned } = await scanFiles(files, search, options);
  if (code?.file) candidates.push(...codeLocation(code, files));
  const all = rankCandidates([...candidates, ...(options.symbols ?? [])]);
  const shown = pickList(all);
  let decision = decide(shown, { templateAvailable: !!options.templateAvailable, primaryIsPrompt: refs[0]?.kind === 'prompt' });

  const primaryDefined = shown.some((c) => c.ref === 0 && c.tier !== 'mention' && c.match !== 'partial' && c.place !== 'dependency');
  if (!primaryDefined && refs[0]?.name && (decision.action === 'none' || decision.action === 'pick') && options.dependencies) {
    const dep = await dependencyDefinition(search, await options.dependencies(), files, options);
    if (dep) decision = { action: 'dependency', dependency: dep };
  }
  return { refs, candidates: shown, decision, scanned, mentions: all.filter((c) => c.tier === 'mention').length };
}

/** Workspace files matching an OTel `code.filepath` by the longest path suffix (containers run code from `/app/…`). */
export function codeLocation(ref: SourceRef, files: readonly SourceFile[]): Candidate[] {
  const want = (ref.file ?? '').split(/[\\/]+/).filter(Boolean);
  if (!want.length) return [];
  let best = 0;
  let hits: SourceFile[] = [];
  for (const f of files) {
    const have = (f.rel ?? f.name).split(/[\\/]+/).filter(Boolean);
    let n = 0;
    while (n < want.length && n < have.length && want[want.length - 1 - n] === have[have.length - 1 - n]) n++;
    // The whole relative path, or at least a folder and the file name.
    if (n < have.length && n < 2) continue;
    if (placeOf(f.rel ?? f.name) !== 'source') continue;
    if (n > best) {
      best = n;
      hits = [f];
    } else if (n === best) hits.push(f);
  }
  const line = ref.lineno ? ref.lineno - 1 : 0;
  return hits.map((f) => ({
    file: f.key,
    line,
    column: 0,
    length: 0,
    tier: 'exact' as const,
    score: 3,
    label: 'code.filepath',
    preview: `${f.rel ?? f.name}${ref.lineno ? `:${ref.lineno}` : ''}${ref.name ? ` ${ref.name}` : ''}`,
    ref: 0,
    place: 'source' as const,
  }));
}

/**
 * What the quick pick lists: generated copies (cdk.out, dist) only when the
 * source does not define the same reference; mentions only beside definitions.
 */
export function pickList(ranked: Candidate[]): Candidate[] {
  const sourceDefined = new Set(ranked.filter((c) => c.tier !== 'mention' && (c.place ?? 'source') === 'source' && c.match !== 'partial').map((c) => c.ref));
  const out = ranked.filter((c) => !(c.place === 'generated' && sourceDefined.has(c.ref)) && c.place !== 'dependency');
  return out.some((c) => c.tier !== 'mention') ? out : [];
}

/**
 * Jump directly only when the primary reference has one unambiguous hit in
 * source: one exact id/ARN/code location, or one definition of the whole
 * name that outranks the others (a recognised construct over plain `name:`
 * keys; the span's own spelling over other naming styles). Partial names,
 * tests and generated copies are offered, never jumped to. A prompt nothing
 * local defines opens the service's template; mentions alone are "not found".
 */
export function decide(ranked: Candidate[], options: { templateAvailable: boolean; primaryIsPrompt: boolean }): Decision {
  const primary = ranked.filter((c) => c.ref === 0 && c.tier !== 'mention');
  const inSource = primary.filter((c) => (c.place ?? 'source') === 'source' && c.match !== 'partial');
  const exact = inSource.filter((c) => c.tier === 'exact');
  if (exact.length) return exact.length === 1 ? { action: 'open', candidate: exact[0] } : { action: 'pick' };
  const defs = inSource.filter((c) => c.tier === 'definition');
  if (defs.length) {
    const max = Math.max(...defs.map((c) => c.score));
    const top = defs.filter((c) => c.score === max);
    if (max >= DIRECT_SCORE) {
      if (top.length === 1) return { action: 'open', candidate: top[0] };
      const sameSpelling = top.filter((c) => (c.match ?? 'exact') === 'exact');
      if (sameSpelling.length === 1) return { action: 'open', candidate: sameSpelling[0] };
      // The language server knows exactly one of the tied places as a symbol of that name.
      const confirmed = (sameSpelling.length ? sameSpelling : top).filter((c) => c.confirmed);
      if (confirmed.length === 1) return { action: 'open', candidate: confirmed[0] };
    }
    return { action: 'pick' };
  }
  if (primary.length) return { action: 'pick' };
  if (options.primaryIsPrompt && options.templateAvailable) return { action: 'template' };
  return ranked.some((c) => c.tier !== 'mention') ? { action: 'pick' } : { action: 'none' };
}

/** The primary reference defined inside a vendored package, and the user's import of that package. */
async function dependencyDefinition(search: SourceSearch, deps: readonly SourceFile[], files: readonly SourceFile[], options: ReadOptions): Promise<DependencyAnswer | undefined> {
  if (!deps.length) return undefined;
  const primaryOnly: SourceSearch = { ...search, names: search.names.filter((n) => n.ref === 0), exact: search.exact.filter((x) => x.ref === 0) };
  const { candidates } = await scanFiles(
    deps.map((f) => ({ ...f, rel: f.rel ?? f.name })),
    primaryOnly,
    options,
  );
  const defs = rankCandidates(candidates.filter((c) => c.tier === 'definition' && c.match !== 'partial' && c.score >= DIRECT_SCORE));
  const best = defs[0];
  if (!best) return undefined;
  const file = deps.find((f) => f.key === best.file);
  const pkg = packageOf(file?.rel ?? file?.name ?? best.file);
  if (!pkg) return undefined;
  const importLine = await findImport(pkg, search.refs[0]?.name, files, options);
  return { package: pkg.name, candidate: { ...best, place: 'dependency' }, importLine };
}

const PY_IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+))/gm;
const JS_IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** The user's import of a package, preferring the module closest to where the definition lives. */
export async function findImport(pkg: { name: string; module: string }, name: string | undefined, files: readonly SourceFile[], options: ReadOptions = {}): Promise<Candidate | undefined> {
  const sources = files.filter((f) => placeOf(f.rel ?? f.name) === 'source');
  const py = !pkg.name.includes('/') && !pkg.module.includes('/');
  const want = pkg.module.split(py ? '.' : '/');
  let best: { cand: Candidate; score: number } | undefined;
  await readTexts(
    sources,
    [pkg.name],
    (text, file) => {
      const re = new RegExp(py ? PY_IMPORT.source : JS_IMPORT.source, 'gm');
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const mod = m[1] ?? m[2];
        if (!mod) continue;
        const parts = mod.split(py ? '.' : '/');
        if (parts.slice(0, pkg.name.split('/').length).join(py ? '.' : '/') !== pkg.name) continue;
        let common = 0;
        while (common < parts.length && common < want.length && parts[common] === want[common]) common++;
        const lineStart = text.lastIndexOf('\n', m.index) + 1;
        const lineEnd = text.indexOf('\n', m.index + m[0].length);
        const lineText = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
        const mentionsName = !!name && lineText.includes(name);
        const score = common * 2 + (mentionsName ? 1 : 0);
        if (!best || score > best.score) {
          const line = text.slice(0, lineStart).split('\n').length - 1;
          best = { score, cand: { file: file.key, line, column: 0, length: lineText.length, tier: 'definition', score: 0, label: 'import', preview: lineText.trim(), ref: 0, place: 'source' } };
        }
      }
    },
    options,
  );
  return best?.cand;
}

/**
 * The definitions of `refs` in one file's text (whole names only, no
 * mentions or partial matches), best first: for features that decorate an
 * open document. `rel` is the workspace-relative path (decides the place);
 * docs, test data and vendored files give nothing.
 */
export function definitionsIn(text: string, file: string, refs: SourceRef[], rel = file): Candidate[] {
  const search = buildSearch(refs.map((r) => (r.kind === 'code' ? { ...r, file: undefined } : r)));
  const hits = scanText(text, file, search, rel).filter((c) => c.tier !== 'mention' && c.match !== 'partial' && c.place !== 'nonsource' && c.place !== 'dependency');
  const named = fileNameCandidate(file, search, rel);
  if (named && !hits.some((h) => h.ref === named.ref)) hits.push(named);
  return rankCandidates(hits);
}
