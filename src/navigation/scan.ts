// Reading and scanning candidate files, without `vscode`: a size cap and a
// byte-level prefilter (Buffer.indexOf of the literal needles) so only files
// that can match are decoded and run through the regexes. The VS Code layer
// supplies the file list (findFiles) and a reader for non-`file:` URIs.
//
// Local files are read synchronously into one reused buffer, in time slices
// that yield to the event loop: measured on 10,000 small files that is ~5x
// faster than async reads (which queue four syscalls per file on libuv's
// four-thread pool; FileHandle promises are slower still), and the
// extension host never blocks for more than a slice.
import * as fs from 'node:fs';
import { TimeSlice } from '../common/timeSlice';
import { fileNameCandidate, scanText, type Candidate, type SourceSearch } from './patterns';

/** Files larger than this are data, not prompt sources. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const READ_CONCURRENCY = 16;
/** Longest stretch of synchronous reading before yielding to the event loop. */
const SLICE_MS = 12;

export interface SourceFile {
  /** Candidate.file of hits in this file (a URI string in the extension). */
  key: string;
  /** A path-like name for file-name matches (`/x/prompts/answer.yaml`). */
  name: string;
  /** Workspace-relative, `/`-separated (`services/x/agents.py`): decides the place (source, docs, vendored…). Defaults to `name`. */
  rel?: string;
  /** Local files: the path, read synchronously in time slices. */
  path?: string;
  /** Other files: the bytes, or undefined when too large. */
  read?(): Promise<Uint8Array | undefined>;
}

/** Reads a local file into `buf` if it fits (open, fstat, read, close); the view is valid until the next read. */
export function readLocalFileSync(path: string, buf: Buffer): Buffer | undefined {
  const fd = fs.openSync(path, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    if (size > buf.length) return undefined;
    const n = fs.readSync(fd, buf, 0, size, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** UTF-8 without a BOM: editors hide the BOM, so keeping it would shift columns on line 1. */
function decode(buf: Buffer): string {
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Candidates in one file's bytes; files without any needle are not decoded. */
export function scanBytes(bytes: Uint8Array, key: string, name: string, search: SourceSearch, needles: readonly Buffer[], rel = name): Candidate[] {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hits = needles.some((n) => buf.indexOf(n) >= 0) ? scanText(decode(buf), key, search, rel) : [];
  // A file named after the prompt/agent counts when nothing inside it defines it.
  const named = fileNameCandidate(name, search, rel);
  if (named && !hits.some((h) => h.tier !== 'mention' && h.ref === named.ref)) hits.push({ ...named, file: key });
  return hits;
}

export interface ScanResult {
  candidates: Candidate[];
  /** Files read and checked (not skipped as too large or unreadable). */
  scanned: number;
}

export interface ReadOptions {
  concurrency?: number;
  cancelled?: () => boolean;
  maxBytes?: number;
}

/** Scans every file; stops early when `cancelled()` says so. */
export async function scanFiles(files: readonly SourceFile[], search: SourceSearch, options: ReadOptions = {}): Promise<ScanResult> {
  const needles = search.needles.map((n) => Buffer.from(n, 'utf8'));
  const candidates: Candidate[] = [];
  const scanned = await readFiles(files, options, (bytes, file) => {
    for (const c of scanBytes(bytes, file.key, file.name, search, needles, file.rel ?? file.name)) candidates.push(c);
  });
  return { candidates, scanned };
}

/** The text of every file containing one of `needles` (decoded only then). */
export async function readTexts(files: readonly SourceFile[], needles: readonly string[], visit: (text: string, file: SourceFile) => void, options: ReadOptions = {}): Promise<number> {
  const bufs = needles.map((n) => Buffer.from(n, 'utf8'));
  return readFiles(files, options, (bytes, file) => {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bufs.some((n) => buf.indexOf(n) >= 0)) visit(decode(buf), file);
  });
}

/** Reads every file (local ones synchronously in time slices), hands the bytes to `take`; returns how many were read. */
async function readFiles(files: readonly SourceFile[], options: ReadOptions, visit: (bytes: Uint8Array, file: SourceFile) => void): Promise<number> {
  let scanned = 0;
  const take = (bytes: Uint8Array | undefined, file: SourceFile) => {
    if (!bytes) return;
    scanned++;
    visit(bytes, file);
  };

  const local = files.filter((f) => f.path !== undefined);
  const buf = Buffer.allocUnsafe(options.maxBytes ?? MAX_FILE_BYTES);
  const slice = new TimeSlice(SLICE_MS);
  for (const file of local) {
    if (options.cancelled?.()) break;
    try {
      take(readLocalFileSync(file.path!, buf), file);
    } catch {
      // deleted meanwhile, permissions, a directory: not a source
    }
    await slice.pause();
  }

  const remote = files.filter((f) => f.path === undefined && f.read);
  let next = 0;
  const worker = async () => {
    while (next < remote.length && !options.cancelled?.()) {
      const file = remote[next++];
      try {
        take(await file.read!(), file);
      } catch {
        // unreadable: not a source
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? READ_CONCURRENCY, remote.length) }, worker));
  return scanned;
}
