// The navigation corpus (test/fixtures/navigation): its files listed the way
// the extension lists a workspace (promptSources default, files.exclude,
// search.exclude, .gitignore, trace files, vendored and build folders left
// out; vendored files listed separately for "defined in a dependency"), its
// cases, and scoring one answer. Used by scripts/navAccuracy.ts and the unit tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDefinitions, type Decision } from '../../src/navigation/definitions';
import { DEFAULT_PROMPT_SOURCES, expandBraces, type Candidate } from '../../src/navigation/patterns';
import { DEPENDENCY_GLOBS, enabledGlobs, GENERATED_GLOBS, gitignoreGlobs, globToRegExp, isExcluded } from '../../src/navigation/places';
import { refsOf } from '../../src/navigation/refs';
import type { SourceFile } from '../../src/navigation/scan';
import type { Span } from '../../src/model/types';

export const CORPUS_DIR = path.resolve(__dirname, '../fixtures/navigation');

export interface Expected {
  file?: string;
  /** 1-based; or the first line containing `text`. */
  line?: number;
  text?: string;
  /** Only a partial name matches: a pick may show it, a direct jump is wrong. */
  partial?: boolean;
  /** A right answer, but not one to jump to without asking. */
  noDirect?: boolean;
  anyOf?: Expected[];
  notFound?: boolean;
  dependency?: string;
  import?: Expected;
}

export interface Case {
  id: string;
  what: string;
  span: Span;
  expect: Expected;
}

export interface Corpus {
  root: string;
  cases: Case[];
  files: SourceFile[];
  dependencies: SourceFile[];
}

function walk(root: string, dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git') walk(root, p, out);
    } else out.push(path.relative(root, p).split(path.sep).join('/'));
  }
}

export function loadCorpus(dir = CORPUS_DIR): Corpus {
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { workspace: string; traceFiles: string[]; cases: Case[] };
  const root = path.join(dir, spec.workspace);
  const settingsFile = path.join(root, '.vscode/settings.json');
  const settings = fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, Record<string, unknown>>) : {};
  const all: string[] = [];
  walk(root, root, all);
  const include = expandBraces(DEFAULT_PROMPT_SOURCES[0]).map(globToRegExp);
  const gitignores = all.filter((f) => f === '.gitignore' || f.endsWith('/.gitignore'));
  const ignored = gitignores.flatMap((g) => gitignoreGlobs(fs.readFileSync(path.join(root, g), 'utf8'), path.posix.dirname(g) === '.' ? '' : path.posix.dirname(g)));
  const excludes = [...enabledGlobs(settings['files.exclude']), ...enabledGlobs(settings['search.exclude']), ...ignored, ...DEPENDENCY_GLOBS, ...GENERATED_GLOBS, '**/.git/**']
    .flatMap((g) => expandBraces(g))
    .map(globToRegExp);
  const traces = spec.traceFiles.map((t) => t.replace(/\/+$/, ''));
  const file = (rel: string): SourceFile => ({ key: rel, name: `/${rel}`, rel, path: path.join(root, rel) });
  const listed = all.filter((f) => include.some((g) => g.test(f)));
  const files = listed.filter((f) => !isExcluded(f, excludes) && !traces.some((t) => f === t || f.startsWith(`${t}/`))).map(file);
  const depGlobs = DEPENDENCY_GLOBS.map(globToRegExp);
  const dependencies = all.filter((f) => /\.(py|[cm]?js|ts)$/.test(f) && isExcluded(f, depGlobs)).map(file);
  return { root, cases: spec.cases, files, dependencies };
}

function lineOfText(root: string, e: Expected): number {
  if (e.line) return e.line;
  const n = fs.readFileSync(path.join(root, e.file!), 'utf8').split('\n').findIndex((l) => l.includes(e.text!));
  if (n < 0) throw new Error(`"${e.text}" is not in ${e.file}`);
  return n + 1;
}

/** "file:line" of a candidate (1-based). */
export function where(c: Candidate | undefined): string {
  return c ? `${c.file}:${c.line + 1}` : '-';
}

export interface Outcome {
  id: string;
  what: string;
  action: Decision['action'];
  answer: string;
  right: boolean;
  wrongJump: boolean;
  expected: string;
}

function describeExpected(root: string, e: Expected): string {
  if (e.notFound) return 'not found';
  if (e.dependency) return `dependency ${e.dependency}`;
  if (e.anyOf) return e.anyOf.map((x) => describeExpected(root, x)).join(' | ');
  return `${e.file}:${lineOfText(root, e)}${e.partial ? ' (partial)' : ''}`;
}

/** Runs one case through the pure core and scores its first answer. */
export async function runCase(corpus: Corpus, c: Case): Promise<Outcome> {
  const refs = refsOf(c.span);
  const { decision, candidates } = await findDefinitions(refs, corpus.files, { dependencies: async () => corpus.dependencies });
  const e = c.expect;
  const targets = e.anyOf ?? (e.file ? [e] : []);
  const hits = (cand: Candidate | undefined) => !!cand && targets.some((t) => cand.file === t.file && cand.line + 1 === lineOfText(corpus.root, t));
  let right = false;
  let wrongJump = false;
  let answer = decision.action as string;
  if (decision.action === 'open') {
    answer = `open ${where(decision.candidate)}`;
    right = hits(decision.candidate) && !e.partial && !e.noDirect && !targets.some((t) => t.partial || t.noDirect);
    wrongJump = !right;
  } else if (decision.action === 'pick') {
    answer = `pick ${where(candidates[0])} (+${candidates.length - 1})`;
    right = hits(candidates[0]);
  } else if (decision.action === 'dependency') {
    const d = decision.dependency;
    answer = `dependency ${d.package}${d.importLine ? ` import ${where(d.importLine)}` : ''}`;
    right = d.package === e.dependency && (!e.import || (!!d.importLine && d.importLine.file === e.import.file && d.importLine.line + 1 === lineOfText(corpus.root, e.import)));
  } else {
    right = !!e.notFound;
  }
  return { id: c.id, what: c.what, action: decision.action, answer, right, wrongJump, expected: describeExpected(corpus.root, e) };
}

export interface Score {
  cases: number;
  right: number;
  wrongJumps: number;
  direct: number;
  notFoundAnswers: number;
  notFoundRight: number;
  outcomes: Outcome[];
}

export async function scoreCorpus(corpus = loadCorpus()): Promise<Score> {
  const outcomes: Outcome[] = [];
  for (const c of corpus.cases) outcomes.push(await runCase(corpus, c));
  const nf = outcomes.filter((o) => o.action === 'none');
  return {
    cases: outcomes.length,
    right: outcomes.filter((o) => o.right).length,
    wrongJumps: outcomes.filter((o) => o.wrongJump).length,
    direct: outcomes.filter((o) => o.action === 'open').length,
    notFoundAnswers: nf.length,
    notFoundRight: nf.filter((o) => o.right).length,
    outcomes,
  };
}
