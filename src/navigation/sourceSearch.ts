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
import { buildSearch, promptSourceGlobs, rankCandidates, SYMBOL_LABEL, type Candidate, type SourceSearch } from './patterns';
import { MAX_FILE_BYTES, scanFiles, type SourceFile } from './scan';
import type { SourceRef } from './refs';

/** Bounds memory and time on huge workspaces; reported when hit. */
export const MAX_FILES = 20_000;
const SYMBOL_TIMEOUT_MS = 700;

export interface SearchResult {
  candidates: Candidate[];
  /** Candidate.file → Uri. */
  uris: Map<string, vscode.Uri>;
  filesListed: number;
  filesScanned: number;
  truncated: boolean;
  ms: number;
}

/** Reads `spanInspector.promptSources`, plus files.exclude / search.exclude and backend data files. */
export function sourceGlobs(backends: BackendService): { include: string; exclude: string; dataPaths: string[] } {
  const setting = vscode.workspace.getConfiguration('spanInspector').get<unknown>('promptSources');
  const extra: string[] = [];
  for (const section of ['files.exclude', 'search.exclude']) {
    const map = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
    for (const [glob, on] of Object.entries(map)) {
      // `{when: …}` sibling clauses cannot be expressed in one glob; skip them.
      if (on === true) extra.push(glob);
    }
  }
  return { ...promptSourceGlobs(setting, extra), dataPaths: dataPathsOf(backends) };
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
  if (uri.scheme === 'file') {
    return { key: uri.toString(), name: uri.path, path: uri.fsPath };
  }
  return {
    key: uri.toString(),
    name: uri.path,
    read: async () => ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES ? undefined : vscode.workspace.fs.readFile(uri)),
  };
}

export async function searchSources(refs: SourceRef[], backends: BackendService, log: vscode.LogOutputChannel, token?: vscode.CancellationToken): Promise<SearchResult> {
  const started = Date.now();
  const search = buildSearch(refs);
  const { include, exclude, dataPaths } = sourceGlobs(backends);
  const symbols = workspaceSymbols(search, dataPaths);
  const files = (await vscode.workspace.findFiles(include, exclude, MAX_FILES + 1, token)).filter((u) => u.scheme !== 'file' || !isUnder(u.fsPath, dataPaths));
  const truncated = files.length > MAX_FILES;
  if (truncated) files.length = MAX_FILES;

  const { candidates, scanned } = await scanFiles(files.map(sourceFile), search, { cancelled: () => !!token?.isCancellationRequested });
  const uris = new Map<string, vscode.Uri>();
  for (const u of files) uris.set(u.toString(), u);
  const found = [...candidates];
  for (const s of await symbols) {
    uris.set(s.candidate.file, s.uri);
    found.push(s.candidate);
  }
  const result: SearchResult = { candidates: rankCandidates(found), uris, filesListed: files.length, filesScanned: scanned, truncated, ms: Date.now() - started };
  log.info(`Prompt source search: ${result.candidates.length} candidates in ${files.length} files (${Date.now() - started} ms${truncated ? `, stopped at ${MAX_FILES} files` : ''})`);
  return result;
}

/**
 * The workspace symbol provider's exact-name matches (language servers know
 * definitions text search misses). Slow servers are not waited for.
 */
async function workspaceSymbols(search: SourceSearch, dataPaths: string[]): Promise<{ uri: vscode.Uri; candidate: Candidate }[]> {
  const out: { uri: vscode.Uri; candidate: Candidate }[] = [];
  const names = search.refs.map((r, i) => ({ name: r.name, i })).filter((n): n is { name: string; i: number } => !!n.name && /^[\w$.-]+$/.test(n.name));
  if (!names.length) return out;
  const ask = async ({ name, i }: { name: string; i: number }) => {
    const list = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', name);
    for (const s of list ?? []) {
      const uri = s.location?.uri;
      if (!uri || s.name !== name || /[\\/]node_modules[\\/]/.test(uri.path) || !vscode.workspace.getWorkspaceFolder(uri)) continue;
      if (uri.scheme === 'file' && isUnder(uri.fsPath, dataPaths)) continue;
      const r = s.location.range;
      out.push({
        uri,
        candidate: {
          file: uri.toString(),
          line: r.start.line,
          column: r.start.character,
          length: r.isSingleLine ? r.end.character - r.start.character : 0,
          tier: 'definition',
          score: -1,
          label: SYMBOL_LABEL,
          preview: `${vscode.SymbolKind[s.kind] ?? 'symbol'} ${s.name}${s.containerName ? ` (${s.containerName})` : ''}`,
          ref: i,
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
