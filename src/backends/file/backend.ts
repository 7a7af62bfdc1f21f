// The built-in `file` backend: reads session exports in the normalized format
// (`{session, spans}`, an array of them, or a folder of such .json files).
// It is what the CLI writes, so an export can be re-opened and shared.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coerceSession, coerceSpan } from '../../model/coerce';
import { StringPool } from '../../model/intern';
import { parseJsonExact } from '../../model/json';
import { JsonArraySplitter, type ByteRange } from '../../model/jsonStream';
import type { Session, Span } from '../../model/types';
import { requireString } from '../config';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendChange, BackendConfig, BackendContext, Disposable, LoadOptions, SessionPage, SpanPage } from '../types';
import type { IDisposable } from '../../common/disposable';
import { Emitter } from '../../common/emitter';
import { watchDebounced } from '../../common/watch';
import { Signal } from '../../common/signal';
import { readRange } from '../store/lines';

/**
 * Spans per yielded page: the tree fills progressively, and a page is decoded
 * in one stretch of the extension host's thread (250 spans: ~10–25 ms).
 */
const PAGE_SIZE = 250;
/** Read sizes of a streamed file: a small first read so the first page comes quickly, then larger ones. */
const FIRST_CHUNK = 256 * 1024;
const CHUNK = 8 * 1024 * 1024;

/**
 * A span not decoded yet, with its index in its export (for coerceSpan): its
 * parsed value (a document read whole), or where its bytes are in a streamed
 * file. A streamed file's spans are not held between the read that lists the
 * session and the load that wants them: 100,000 parsed spans take ~0.6 GB.
 */
type Pending = { value: unknown; index: number } | { range: ByteRange; index: number };

/** The streamed file pending ranges point into, as it was when read: a change makes them stale. */
interface Source {
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * A session's spans: decoded into Spans page by page as they are first loaded
 * (so the first page shows at once, not after decoding 100k spans), then kept decoded.
 */
interface SessionSpans {
  /** Export entries not decoded yet; dropped once all are decoded. */
  raw: Pending[] | undefined;
  decoded: Span[];
  pool: StringPool | undefined;
  source?: Source;
  /** The decoding under way: pages are decoded one after the other (loads may run side by side). */
  busy: Promise<unknown>;
}

function sessionSpans(raw: Pending[] = [], source?: Source): SessionSpans {
  return { raw, decoded: [], pool: new StringPool(), source, busy: Promise.resolve() };
}

interface Loaded {
  sessions: Session[];
  spans: Map<string, SessionSpans>;
  warnings: string[];
  /** False while a single export file is still being streamed in (sessions and spans grow). */
  done: boolean;
  /** Why the read failed, once done. */
  error?: unknown;
  /** Resolves at the next growth (or the end) of a read in progress. */
  changed(): Promise<void>;
}

/** What a read in progress shares with loadSpans: the data so far, and a wake-up per growth. */
class Progress implements Loaded {
  sessions: Session[] = [];
  spans = new Map<string, SessionSpans>();
  warnings: string[] = [];
  done = false;
  error: unknown;
  private readonly signal = new Signal();

  changed(): Promise<void> {
    return this.done ? Promise.resolve() : this.signal.next();
  }

  notify(): void {
    this.signal.fire();
  }
}

export function createFileBackend(config: BackendConfig, context: BackendContext): Backend {
  return new FileBackend(config, context);
}

class FileBackend implements Backend {
  readonly id: string;
  readonly type = 'file' as const;
  readonly label: string;
  private readonly target: string;
  private loaded: Promise<Loaded> | undefined;
  private readonly changed = new Emitter<BackendChange>();
  private watcher: IDisposable | undefined;
  /** The read in progress or finished, shared by every caller. */
  private progress: Progress | undefined;

  constructor(config: BackendConfig, private readonly context: BackendContext) {
    this.id = config.id;
    this.target = context.resolvePath(requireString(config, 'path'));
    this.label = typeof config.label === 'string' && config.label ? config.label : path.basename(this.target);
  }

  async listSessions(): Promise<SessionPage> {
    const data = await this.load();
    return { sessions: data.sessions, warnings: data.warnings.length ? data.warnings : undefined };
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    return (await this.load()).sessions.find((s) => s.id === sessionId);
  }

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    // Pages are yielded while a big export file is still being read: the first one right after its first chunk.
    const data = await this.start();
    let entry = data.spans.get(sessionId);
    while (!entry && !data.done) {
      await data.changed();
      throwIfAborted(options.signal);
      entry = data.spans.get(sessionId);
    }
    if (data.error) throw data.error;
    if (!entry) {
      throw new BackendError('notFound', `No session "${sessionId}" in ${this.target}.`, { nextSteps: ['retry'] });
    }
    let start = options.resumeFrom ? Number(options.resumeFrom) : 0;
    if (!Number.isInteger(start) || start < 0) {
      start = 0;
    }
    const available = () => (entry.raw ? entry.raw.length : entry.decoded.length);
    for (let i = start, first = true; ; first = false) {
      throwIfAborted(options.signal);
      // A full page, or what is left once the read is over; the first page as soon as it has spans.
      while (!data.done && available() < i + PAGE_SIZE && !(first && available() > i)) {
        await data.changed();
        throwIfAborted(options.signal);
      }
      if (data.error) throw data.error;
      const total = available();
      const end = Math.min(total, i + PAGE_SIZE);
      // The read ended right after a full page: that page was the last (an empty session still gets its one page).
      if (end === i && !first) break;
      const last = data.done && end >= total;
      let decoded: Awaited<ReturnType<typeof decodeUpTo>>;
      try {
        decoded = await decodeUpTo(entry, sessionId, end, data.done);
      } catch (err) {
        // The file changed or went away since it was read: Retry reads it again.
        if (this.progress === data) {
          this.loaded = undefined;
          this.progress = undefined;
        }
        throw err;
      }
      yield { spans: decoded.spans.slice(i, end), cursor: last ? undefined : String(end), warnings: decoded.warnings };
      if (last) {
        break;
      }
      i = end;
    }
  }

  async resolveSession(query: string): Promise<Session[]> {
    const q = query.trim().toLowerCase();
    const { sessions } = await this.load();
    const exact = sessions.filter((s) => s.id.toLowerCase() === q);
    const named = sessions.filter((s) => !exact.includes(s) && (s.name ?? '').toLowerCase().includes(q));
    return [...exact, ...named];
  }

  onDidChange(listener: (change: BackendChange) => void): Disposable {
    const sub = this.changed.event(listener);
    this.ensureWatcher();
    return sub;
  }

  dispose(): void {
    // Also drops a re-read still waiting for the writes to settle.
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changed.dispose();
  }

  private ensureWatcher(): void {
    if (this.watcher) {
      return;
    }
    try {
      // Editors write files in several steps; settle before re-reading.
      this.watcher = watchDebounced(
        this.target,
        () => {
          this.loaded = undefined;
          this.progress = undefined;
          this.changed.fire({});
        },
        { debounceMs: 200 },
      );
    } catch {
      // A missing file is reported by load(); nothing to watch yet.
    }
  }

  /** The whole read, finished. */
  private load(): Promise<Loaded> {
    void this.start();
    return this.loaded!;
  }

  /** Starts the read if none is under way; resolves with its data as soon as there is something to look at. */
  private async start(): Promise<Loaded> {
    if (!this.progress || !this.loaded) {
      const progress = new Progress();
      this.progress = progress;
      this.loaded = this.read(progress).then(
        () => {
          progress.done = true;
          progress.notify();
          return progress;
        },
        (err) => {
          progress.done = true;
          progress.error = err;
          progress.notify();
          if (this.progress === progress) {
            this.loaded = undefined;
            this.progress = undefined;
          }
          throw err;
        },
      );
      this.loaded.catch(() => undefined);
    }
    const progress = this.progress;
    const loaded = this.loaded;
    await Promise.race([loaded, progress.changed()]);
    return progress;
  }

  private async read(out: Progress): Promise<void> {
    let files: string[];
    try {
      const stat = await fs.promises.stat(this.target);
      files = stat.isDirectory()
        ? (await fs.promises.readdir(this.target)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(this.target, f))
        : [this.target];
    } catch (err) {
      throw new BackendError('notFound', `Cannot read ${this.target}: ${(err as Error).message}`, { nextSteps: ['openSettings', 'retry'] });
    }
    for (const file of files) {
      let doc: unknown;
      try {
        // A single export is streamed (its first spans show while the rest is read); anything else parsed whole.
        doc = files.length === 1 ? await this.stream(file, out) : parseJsonExact(await fs.promises.readFile(file, 'utf8'));
        if (doc === STREAMED) continue;
      } catch (err) {
        const msg = `${path.basename(file)}: not valid JSON (${(err as Error).message}).`;
        if (files.length === 1) {
          throw new BackendError('badData', msg, { nextSteps: ['openSettings', 'retry'] });
        }
        out.warnings.push(msg);
        continue;
      }
      const exports = Array.isArray(doc) ? doc : [doc];
      exports.forEach((entry, i) => {
        const e = entry as { session?: unknown; spans?: unknown } | null;
        if (!e || typeof e !== 'object' || !Array.isArray(e.spans)) {
          out.warnings.push(`${path.basename(file)}: entry ${i + 1} is not a session export ({session, spans}); skipped.`);
          return;
        }
        const session = coerceSession(e.session, this.id, `${path.basename(file, '.json')}#${i + 1}`);
        if (out.spans.has(session.id)) {
          out.warnings.push(`${path.basename(file)}: session ${session.id} appears twice; spans merged.`);
        }
        const spans = out.spans.get(session.id) ?? sessionSpans();
        e.spans.forEach((value, index) => spans.raw!.push({ value, index }));
        session.spanCount = spans.raw!.length;
        if (!out.spans.has(session.id)) {
          out.sessions.push(session);
        }
        out.spans.set(session.id, spans);
      });
    }
    out.sessions.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
    for (const w of out.warnings) {
      this.context.log.warn(`[${this.id}] ${w}`);
    }
  }

  /**
   * Reads one export file in chunks, adding where each span lies to `out` as
   * it is split off (a page's spans are read again and parsed when loaded,
   * each on its own, exactly as a whole parse would), and waking loadSpans
   * after each chunk. Returns STREAMED, or the whole parsed
   * document when it is not a single `{session, spans}` export.
   */
  private async stream(file: string, out: Progress): Promise<unknown> {
    const splitter = new JsonArraySplitter('spans');
    const handle = await fs.promises.open(file, 'r');
    let entry: SessionSpans | undefined;
    let session: Session | undefined;
    // Spans split off before the session is known (it comes after them in the file).
    const early: Pending[] = [];
    let index = 0;
    let source: Source;
    try {
      const stat = await handle.stat();
      source = { file, size: stat.size, mtimeMs: stat.mtimeMs };
      let want = FIRST_CHUNK;
      for (;;) {
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buf, 0, want, null);
        if (bytesRead <= 0) break;
        want = CHUNK;
        const elements = splitter.push(buf.subarray(0, bytesRead));
        if (!splitter.streamable) continue;
        if (!entry && splitter.started) {
          const head = parseJsonExact(splitter.head()!) as { session?: unknown };
          if (head.session !== undefined) {
            session = coerceSession(head.session, this.id, `${path.basename(file, '.json')}#1`);
            entry = sessionSpans([], source);
            out.sessions.push(session);
            out.spans.set(session.id, entry);
          }
        }
        const target = entry?.raw ?? early;
        for (const range of elements) target.push({ range, index: index++ });
        if (session) session.spanCount = target.length;
        if (elements.length) out.notify();
      }
    } finally {
      await handle.close();
    }
    // The rest of the document (everything but the spans) must parse too.
    const rest = parseJsonExact(splitter.rest()) as { session?: unknown; spans?: unknown };
    if (!splitter.streamable || !splitter.started || !rest || typeof rest !== 'object' || Array.isArray(rest)) return rest;
    if (!entry) {
      session = coerceSession(rest.session, this.id, `${path.basename(file, '.json')}#1`);
      entry = sessionSpans(early, source);
      session.spanCount = early.length;
      out.sessions.push(session);
      out.spans.set(session.id, entry);
    }
    return STREAMED;
  }
}

/** stream() added the file's session itself. */
const STREAMED = Symbol('streamed');

/**
 * Decodes the session's spans up to `end` (exclusive) if not done yet;
 * returns the decoded list and what was wrong with the new ones. One decoding
 * at a time per session: two loads must not decode the same spans twice.
 */
function decodeUpTo(entry: SessionSpans, sessionId: string, end: number, complete: boolean): Promise<{ spans: Span[]; warnings?: string[] }> {
  const run = entry.busy.then(() => decodeNow(entry, sessionId, end, complete));
  entry.busy = run.catch(() => undefined);
  return run;
}

async function decodeNow(entry: SessionSpans, sessionId: string, end: number, complete: boolean): Promise<{ spans: Span[]; warnings?: string[] }> {
  const raw = entry.raw;
  const from = entry.decoded.length;
  let warnings: string[] | undefined;
  if (raw && end > from) {
    const { values, invalid } = await pendingValues(entry, raw, from, end);
    for (let i = from; i < end; i++) {
      const problem = invalid.get(i - from);
      if (problem !== undefined) {
        (warnings ??= []).push(`${path.basename(entry.source?.file ?? '')}: span ${raw[i].index + 1} is not valid JSON (${problem}); shown as an error span.`);
        // Kept as a placeholder, so positions (and resume cursors) stay those of the file.
        const placeholder = { id: `invalid-${raw[i].index + 1}`, name: 'not valid JSON', status: 'error', statusMessage: problem, startTime: entry.decoded.at(-1)?.startTime ?? 0 };
        entry.decoded.push(coerceSpan(placeholder, sessionId, raw[i].index));
        continue;
      }
      // Exports repeat transcript text in every LLM span: keep one copy of each long string.
      entry.decoded.push(coerceSpan(entry.pool!.internDeep(values[i - from]), sessionId, raw[i].index));
    }
    // Decoded: the parsed values are not needed any more (the read may still be adding entries after them).
    raw.fill(DECODED, from, end);
  }
  if (raw && complete && entry.decoded.length === raw.length) {
    entry.raw = undefined;
    entry.pool = undefined;
  }
  return { spans: entry.decoded, warnings };
}

const DECODED: Pending = { value: undefined, index: -1 };

/**
 * The values of raw[from..end): parsed ones as they are, ranges read again
 * from the file in one read (they are in file order) and parsed one by one;
 * `invalid` has the parse error of each position that is not valid JSON.
 */
async function pendingValues(entry: SessionSpans, raw: Pending[], from: number, end: number): Promise<{ values: unknown[]; invalid: Map<number, string> }> {
  const ranges = raw.slice(from, end);
  const invalid = new Map<number, string>();
  const first = ranges.find((r): r is { range: ByteRange; index: number } => 'range' in r);
  if (!first || !entry.source) return { values: ranges.map((r) => ('value' in r ? r.value : undefined)), invalid };
  const last = ranges.findLast((r): r is { range: ByteRange; index: number } => 'range' in r)!;
  const base = first.range.start;
  const bytes = await readSource(entry.source, base, last.range.end - base);
  const values = ranges.map((r, i) => {
    if ('value' in r) return r.value;
    try {
      return parseJsonExact(bytes.toString('utf8', r.range.start - base, r.range.end - base));
    } catch (err) {
      invalid.set(i, (err as Error).message ?? String(err));
      return undefined;
    }
  });
  return { values, invalid };
}

/** Bytes of the streamed file, if it is still the file that was read. */
async function readSource(source: Source, offset: number, length: number): Promise<Buffer> {
  const changed = () =>
    new BackendError('badData', `${path.basename(source.file)} changed since it was read. Retry reads it again.`, { nextSteps: ['retry'] });
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(source.file, 'r');
  } catch (err) {
    throw new BackendError('notFound', `Cannot read ${source.file}: ${(err as Error).message}`, { nextSteps: ['retry', 'openSettings'] });
  }
  try {
    const stat = await handle.stat();
    if (stat.size !== source.size || stat.mtimeMs !== source.mtimeMs) throw changed();
    const buf = await readRange(handle, offset, length);
    if (!buf) throw changed();
    return buf;
  } finally {
    await handle.close();
  }
}
