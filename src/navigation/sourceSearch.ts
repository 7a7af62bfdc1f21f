// Searches the workspace for a span's prompt/agent/tool references.
//
// Speed (the goal is well under a second on 10,000 files): one
// `workspace.findFiles` call (ripgrep's file walker, respects the globs),
// then every file is read with bounded concurrency and a size cap, and
// only files whose bytes contain one of the literal needles (Buffer.indexOf,
// no decoding) are decoded and run through the regexes. The workspace
// symbol provider is asked in parallel with a short timeout. The proposed
// `findTextInFiles` API is not available to a ^1.95 extension.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveWorkspacePath, type BackendService } from '../services/backendService';
import { findDefinitions, type Decision } from './definitions';
import { expandBraces, promptSourceGlobs, SYMBOL_LABEL, type Candidate } from './patterns';
import { DEPENDENCY_GLOBS, enabledGlobs, GENERATED_GLOBS, gitignoreGlobs, placeOf } from './places';
import { MAX_FILE_BYTES, type SourceFile } from './scan';
import type { SourceRef } from './refs';

/** Bounds memory and time on huge workspaces; reported when hit. */
export const MAX_FILES = 20_000;
const SYMBOL_TIMEOUT_MS = 700;

export interface SearchResult {
  refs: SourceRef[];
  candidates: Candidate[];
  decision: Decision;
  /** Candidate.file → Uri. */
  uris: Map<string, vscode.Uri>;
  filesListed: number;
  filesScanned: number;
  /** Mentions seen (not definitions). */
  mentions: number;
  truncated: boolean;
  /** The include and exclude globs of the listing (for "not found" messages). */
  include: string;
  ms: number;
}

/** Reads `spanInspector.promptSources`, plus files.exclude / search.exclude, .gitignore files, vendored and build folders, and backend data files. */
export async function sourceGlobs(backends: BackendService): Promise<{ include: string; exclude: string; dataPaths: string[] }> {
  const setting = vscode.workspace.getConfiguration('spanInspector').get<unknown>('promptSources');
  const extra: string[] = [...DEPENDENCY_GLOBS, ...GENERATED_GLOBS];
  for (const section of ['files.exclude', 'search.exclude']) {
    extra.push(...enabledGlobs(vscode.workspace.getConfiguration().get<Record<string, unknown>>(section)));
  }
  extra.push(...(await gitignoreExcludes()));
  return { ...promptSourceGlobs(setting, extra), dataPaths: dataPathsOf(backends) };
}

/** `workspace.findFiles` does not read .gitignore (a ^1.95 extension has no findFiles2): turn them into excludes. */
async function gitignoreExcludes(): Promise<string[]> {
  const out: string[] = [];
  for (const uri of await vscode.workspace.findFiles('**/.gitignore', '{**/node_modules/**,**/.venv/**}', 50)) {
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      const dir = path.posix.dirname(vscode.workspace.asRelativePath(uri, false));
      out.push(...gitignoreGlobs(text, dir === '.' ? '' : dir));
    } catch {
      // unreadable: nothing to exclude
    }
  }
  return out;
}

/**
 * Trace files of configured backends (`path`, SQLite `database`) hold every
 * prompt id of every span: they are never the source, so they are skipped.
 */
function dataPathsOf(backends: BackendService): string[] {
  const out: string[] = [];
  for (const entry of backends.list()) {
    for (const key of ['path', 'database']) {
      const v = entry.config?.[key];
      if (typeof v === 'string' && v && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
        out.push(path.resolve(resolveWorkspacePath(v)));
      }
    }
  }
  return out;
}

/** Windows paths compare case-insensitively (Uri.fsPath lower-cases the drive letter). */
function norm(p: string): string {
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

function isUnder(file: string, roots: readonly string[]): boolean {
  const f = norm(file);
  return roots.some((root) => {
    const r = norm(root);
    return f === r || f.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
  });
}

function sourceFile(uri: vscode.Uri): SourceFile {
  const rel = vscode.workspace.asRelativePath(uri, false);
  if (uri.scheme === 'file') {
    return { key: uri.toString(), name: uri.path, rel, path: uri.fsPath };
  }
  return {
    key: uri.toString(),
    name: uri.path,
    rel,
    read: async () => ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES ? undefined : vscode.workspace.fs.readFile(uri)),
  };
}

export async function searchSources(refs: SourceRef[], backends: BackendService, log: vscode.LogOutputChannel, options: { templateAvailable?: boolean; token?: vscode.CancellationToken } = {}): Promise<SearchResult> {
  const started = Date.now();
  const token = options.token;
  const { include, exclude, dataPaths } = await sourceGlobs(backends);
  const symbols = workspaceSymbols(refs, dataPaths);
  const notData = (u: vscode.Uri) => u.scheme !== 'file' || !isUnder(u.fsPath, dataPaths);
  const files = (await vscode.workspace.findFiles(include, exclude, MAX_FILES + 1, token)).filter(notData);
  const truncated = files.length > MAX_FILES;
  if (truncated) files.length = MAX_FILES;
  const uris = new Map<string, vscode.Uri>();
  for (const u of files) uris.set(u.toString(), u);

  const found = await symbols;
  for (const s of found) uris.set(s.candidate.file, s.uri);
  const defs = await findDefinitions(refs, files.map(sourceFile), {
    templateAvailable: options.templateAvailable,
    symbols: found.map((s) => s.candidate),
    cancelled: () => !!token?.isCancellationRequested,
    // Installed packages are listed only when the workspace itself does not define the reference.
    dependencies: async () => {
      // One brace level only (findFiles does not promise nested groups); `null`: files.exclude hides .venv in many setups.
      const globs = DEPENDENCY_GLOBS.flatMap((g) => expandBraces(`${g.replace(/\/\*\*$/, '')}/**/*.{py,js,mjs,cjs}`));
      const deps = (await vscode.workspace.findFiles(`{${globs.join(',')}}`, null, MAX_FILES, token)).filter(notData);
      for (const u of deps) uris.set(u.toString(), u);
      return deps.map(sourceFile);
    },
  });
  const result: SearchResult = { ...defs, uris, filesListed: files.length, filesScanned: defs.scanned, truncated, include, ms: Date.now() - started };
  log.info(`Prompt source search: ${result.candidates.length} candidates in ${files.length} files, ${defs.decision.action} (${result.ms} ms${truncated ? `, stopped at ${MAX_FILES} files` : ''})`);
  return result;
}

/**
 * The workspace symbol provider's exact-name matches: they confirm a text
 * hit (language servers know what is a definition) and add definitions text
 * search misses. Slow servers are not waited for.
 */
async function workspaceSymbols(refs: SourceRef[], dataPaths: string[]): Promise<{ uri: vscode.Uri; candidate: Candidate }[]> {
  const out: { uri: vscode.Uri; candidate: Candidate }[] = [];
  const names = refs.map((r, i) => ({ name: r.name, i })).filter((n): n is { name: string; i: number } => !!n.name && /^[\w$.-]+$/.test(n.name));
  if (!names.length) return out;
  const ask = async ({ name, i }: { name: string; i: number }) => {
    const list = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', name);
    for (const s of list ?? []) {
      const uri = s.location?.uri;
      if (!uri || s.name !== name || !vscode.workspace.getWorkspaceFolder(uri)) continue;
      if (uri.scheme === 'file' && isUnder(uri.fsPath, dataPaths)) continue;
      const place = placeOf(vscode.workspace.asRelativePath(uri, false));
      if (place === 'dependency' || place === 'nonsource') continue;
      const r = s.location.range;
      out.push({
        uri,
        candidate: {
          file: uri.toString(),
          line: r.start.line,
          column: r.start.character,
          length: r.isSingleLine ? r.end.character - r.start.character : 0,
          tier: 'definition',
          score: 1,
          label: SYMBOL_LABEL,
          preview: `${vscode.SymbolKind[s.kind] ?? 'symbol'} ${s.name}${s.containerName ? ` (${s.containerName})` : ''}`,
          ref: i,
          place,
        },
      });
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SYMBOL_TIMEOUT_MS)));
  await Promise.race([Promise.all(names.slice(0, 4).map((n) => ask(n).catch(() => undefined))), timeout]);
  clearTimeout(timer);
  // Results that arrive after the timeout are ignored: copy what we have now.
  return [...out];
}
