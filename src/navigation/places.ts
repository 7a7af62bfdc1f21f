// What kind of place a workspace file is, from its workspace-relative path:
// the user's source, a test, a generated or vendored copy, or a place that
// only talks about names (docs, recorded fixtures, Helm values, logs). Only
// source defines; tests and generated copies are offered after it; vendored
// copies answer "defined in a dependency"; the rest are mentions at most.
// Also the glob and .gitignore helpers the file listing needs. Pure: no `vscode`.

export type Place = 'source' | 'test' | 'generated' | 'dependency' | 'nonsource';

const DEPENDENCY_DIRS = new Set(['.venv', 'venv', 'site-packages', 'dist-packages', 'node_modules', '__pypackages__', '.tox', 'bower_components']);
const GENERATED_DIRS = new Set(['dist', 'build', 'out', 'cdk.out', '.aws-sam', '.next', '.nuxt', 'coverage', '__pycache__', '.serverless', '.terraform', 'target', 'generated', '__generated__']);
const NONSOURCE_DIRS = new Set(['docs', 'doc', 'runbooks', 'runbook', 'fixtures', '__fixtures__', 'testdata', 'test-data', 'test_data', 'recordings', 'cassettes', '__snapshots__', 'snapshots', 'logs', 'log', 'helm', 'charts', 'traces']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'e2e']);
const NONSOURCE_EXT = new Set(['md', 'mdx', 'rst', 'adoc', 'log', 'jsonl', 'ndjson', 'csv', 'har', 'txt']);
/** Where prompt text lives as .txt/.md: those are sources. */
const PROMPT_DIRS = new Set(['prompts', 'prompt', 'templates']);

function segments(rel: string): string[] {
  return rel.split(/[\\/]+/).filter(Boolean);
}

/** The place of a workspace-relative path (`services/x/agents.py` → source). */
export function placeOf(rel: string): Place {
  const segs = segments(rel);
  const dirs = segs.slice(0, -1);
  const base = (segs[segs.length - 1] ?? '').toLowerCase();
  if (dirs.some((d) => DEPENDENCY_DIRS.has(d))) return 'dependency';
  if (dirs.some((d) => GENERATED_DIRS.has(d))) return 'generated';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  if (dirs.some((d) => NONSOURCE_DIRS.has(d.toLowerCase()))) return 'nonsource';
  if (/^values([.-][\w-]+)?\.ya?ml$/.test(base) || base === 'chart.yaml') return 'nonsource';
  if (NONSOURCE_EXT.has(ext) && !dirs.some((d) => PROMPT_DIRS.has(d.toLowerCase()))) return 'nonsource';
  if (/^readme|^changelog/.test(base)) return 'nonsource';
  if (dirs.some((d) => TEST_DIRS.has(d)) || /^test_.*\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$/.test(base)) return 'test';
  return 'source';
}

/** The installed package a vendored file belongs to (`…/site-packages/agno/tools/x.py` → agno, `node_modules/@a/b/…` → @a/b). */
export function packageOf(path: string): { name: string; module: string } | undefined {
  const segs = segments(path);
  let i = -1;
  for (let k = segs.length - 2; k >= 0; k--) {
    if (segs[k] === 'site-packages' || segs[k] === 'dist-packages' || segs[k] === 'node_modules' || segs[k] === '__pypackages__') {
      i = k;
      break;
    }
  }
  if (i < 0 || i + 1 >= segs.length) return undefined;
  const rest = segs.slice(i + 1);
  if (segs[i] === 'node_modules') {
    const n = rest[0].startsWith('@') && rest.length > 1 ? 2 : 1;
    const name = rest.slice(0, n).join('/');
    // `dist/`, `lib/`, `esm/` are build folders, not module path.
    const sub = rest.slice(n).filter((s) => !/^(dist|lib|esm|cjs|build|src)$/.test(s));
    return { name, module: [name, ...sub].join('/').replace(/\.(d\.ts|[cm]?js|ts)$/, '').replace(/\/index$/, '') };
  }
  const mod = rest.join('.').replace(/\.py$/, '').replace(/\.__init__$/, '');
  return { name: rest[0].replace(/\.py$/, ''), module: mod };
}

/** A glob (VS Code syntax: `**`, `*`, `?`, `{a,b}`, `[…]`) as a regex over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  const alts = expandBraces(glob.replace(/^\.\//, '')).map((g) => {
    let re = '';
    for (let i = 0; i < g.length; i++) {
      const ch = g[i];
      if (ch === '*') {
        if (g[i + 1] === '*') {
          const slash = g[i + 2] === '/';
          re += slash ? '(?:.*/)?' : '.*';
          i += slash ? 2 : 1;
        } else re += '[^/]*';
      } else if (ch === '?') re += '[^/]';
      else if (ch === '[') {
        const end = g.indexOf(']', i + 1);
        if (end < 0) re += '\\[';
        else {
          re += `[${g.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
          i = end;
        }
      } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    return re;
  });
  return new RegExp(`^(?:${alts.join('|')})$`);
}

/** Whether a relative path, or a folder above it, matches one of the globs. */
export function isExcluded(rel: string, globs: readonly RegExp[]): boolean {
  if (!globs.length) return false;
  const segs = segments(rel);
  for (let n = 1; n <= segs.length; n++) {
    const p = segs.slice(0, n).join('/');
    if (globs.some((g) => g.test(p))) return true;
  }
  return false;
}

/** The enabled globs of a `files.exclude` / `search.exclude` map (`{when: …}` clauses cannot be expressed, so skipped). */
export function enabledGlobs(map: Record<string, unknown> | undefined): string[] {
  return Object.entries(map ?? {}).filter(([, on]) => on === true).map(([g]) => g);
}

/**
 * A .gitignore as VS Code globs relative to the workspace folder (`dir` is
 * the .gitignore's folder, '' at the root). Negations (`!x`) cannot be
 * expressed as excludes and are skipped: a file they re-include is searched
 * anyway only if no other pattern excludes it.
 */
export function gitignoreGlobs(text: string, dir = ''): string[] {
  const out: string[] = [];
  const prefix = dir ? `${dir.replace(/\/+$/, '')}/` : '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const body = line.replace(/\/+$/, '');
    if (!body) continue;
    const anchored = body.startsWith('/') || body.slice(0, -1).includes('/');
    const p = body.replace(/^\/+/, '');
    const base = anchored ? `${prefix}${p}` : `${prefix}**/${p}`;
    out.push(base, `${base}/**`);
  }
  return out;
}

/** Folders of vendored copies: listed only when looking for a dependency's own tool. */
export const DEPENDENCY_GLOBS = ['**/.venv/**', '**/venv/**', '**/site-packages/**', '**/node_modules/**'];
/** Generated copies and never-source folders excluded from the main listing. */
export const GENERATED_GLOBS = ['**/dist/**', '**/build/**', '**/out/**', '**/__pycache__/**', '**/.aws-sam/**', '**/.next/**', '**/coverage/**'];

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
