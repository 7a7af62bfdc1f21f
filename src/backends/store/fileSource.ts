// Backends over files that grow: a JSONL file (or a folder of them) is read
// once, then only the bytes appended since are read, so a file being written
// by a running agent shows up live. The lines are fed to an in-memory
// CaptureStore, which does the OpenAI/OTLP mapping and the session grouping
// exactly as for the receiver.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configError } from '../config';
import { BackendError, throwIfAborted } from '../errors';
import type { BackendConfig, BackendContext, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { Listings } from '../http/paging';
import { parseJsonExact } from '../../model/json';
import type { BackendType, Span } from '../../model/types';
import { ToolPairs } from '../../model/toolPairs';
import { CaptureStore, type BodyRef } from './captureStore';
import { FileLine, lineRanges } from './lines';
import { PAGE_SIZE, StoreBackend } from './storeBackend';
import type { IDisposable } from '../../common/disposable';
import { Signal } from '../../common/signal';
import { watchDebounced } from '../../common/watch';

/** A problem with one line (`line` 0: the whole file), without the file name. */
export interface LineWarning {
  line: number;
  message: string;
}

/** One parsed line, and where it can be read again (its spans' records are not held: the Raw tab re-reads them). */
export interface SinkLine {
  value: unknown;
  line: number;
  ref?: BodyRef;
}

export interface LineSink {
  /** File extensions read from a folder, with the dot. */
  extensions: string[];
  /** Lines of one chunk, each already parsed; returns a warning per unusable line. */
  ingest(store: CaptureStore, lines: SinkLine[]): LineWarning[];
  /** A whole file that is one JSON document (pretty-printed), when the format allows it. */
  wholeDocument?(store: CaptureStore, value: unknown): LineWarning[];
}

interface FileState {
  offset: number;
  /** Lines consumed so far (for file:line warnings). */
  lines: number;
  size: number;
  mtimeMs: number;
  whole: boolean;
}

/**
 * Bytes per read. A chunk's lines are decoded in one stretch of the extension
 * host's thread (2 MB: ~30–60 ms), and the first spans are in the store after
 * the first chunk: one OTLP request line of 512 spans is ~1.1 MB.
 */
const CHUNK = 2 * 1024 * 1024;
/**
 * A file is its own store, so its spans are not capped like live capture's
 * (200,000, which keeps an always-on receiver small): a million-span file
 * loads whole (2–3 GB in memory). Beyond this the earliest are left out and
 * the tree says so; "maxSpans" changes it.
 */
const FILE_MAX_SPANS = 1_000_000;
/** Cursor prefix of a session listing taken while the file is first read. */
const READING = 'reading:';
const MAX_WARNINGS = 50;

export class FileSourceBackend extends StoreBackend {
  private readonly target: string;
  /** Fires after each chunk is ingested, for loads streaming while the file is read. */
  private readonly progress = new Signal();
  /** Span ids sent by streaming loads, by cursor (for Retry). */
  private readonly streams = new Listings<Set<string>>(() => new Set(), 4);
  /** Session ids listed by walks of the list that began while the file was being read. */
  private readonly walks = new Listings<Set<string>>(() => new Set(), 4);
  private walkPages = 0;
  /** A listing ended before the read did: tell the list's readers when it ends. */
  private listedEarly = false;
  private readonly files = new Map<string, FileState>();
  private readonly warningList: string[] = [];
  private suppressed = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private watcher: IDisposable | undefined;

  constructor(config: BackendConfig, private readonly context: BackendContext, type: BackendType, private readonly sink: LineSink, configuredPath: string) {
    const target = context.resolvePath(configuredPath);
    const max = config.maxSpans;
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw configError(config, '"maxSpans" must be a whole number of at least 1.');
    const store = CaptureStore.inMemory({ log: context.log, maxSpans: max ?? FILE_MAX_SPANS });
    super(store, {
      id: config.id,
      type,
      label: typeof config.label === 'string' && config.label ? config.label : path.basename(target),
      where: target,
    });
    this.target = target;
  }

  protected override beforeRead(): Promise<void> {
    return this.refresh();
  }

  /**
   * The session's spans while the file is still being read: each chunk's spans are
   * yielded as soon as it is ingested, so the first page of a 100,000-span file is
   * linked in the time of one chunk, not of the whole file. A tool span that waits for
   * its call or result (paired by call id from transcripts further on) is held back
   * until it is paired or the read ends, so every span is sent once, as a whole-file
   * read would send it. A retry after a failure resumes with the spans not yet sent.
   */
  override async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    if (options.resumeFrom && !this.streams.has(options.resumeFrom)) {
      yield* super.loadSpans(sessionId, options);
      return;
    }
    const cursor = options.resumeFrom ?? `stream-${this.streams.newId()}`;
    const sent = this.streams.get(cursor);
    /** Spans stored and not looked at yet: a chunk costs its own spans, not a scan of the whole session. */
    let fresh: Span[] | undefined;
    let replaced = false;
    /** The stored span object of each id seen (a new object later means the span was re-sent). */
    const seen = new Map<string, Span>();
    const pairs = new ToolPairs();
    /** Tool spans waiting for their call or result, sent when paired or at the end. */
    const held = new Map<string, Span>();
    let watch: IDisposable | undefined;
    const reading = this.refresh().then(
      () => undefined,
      (err: unknown) => ({ err }),
    );
    try {
      for (;;) {
        const outcome = await Promise.race([reading.then((r) => r ?? 'done'), this.progress.next().then(() => 'chunk' as const)]);
        throwIfAborted(options.signal);
        const finished = outcome !== 'chunk';
        if (!fresh) {
          // After the read's first step, which empties the store when the file was rewritten:
          // what the store holds now, then each span as it is stored.
          const queue = (fresh = this.store.getSpans(sessionId) ?? []);
          watch = this.store.watchSpans(sessionId, (span) => queue.push(span));
        }
        const page: Span[] = [];
        for (const span of fresh.splice(0)) {
          const before = seen.get(span.id);
          if (before === span) continue;
          seen.set(span.id, span);
          pairs.learn(span);
          if (before && sent.has(span.id)) replaced = true; // re-sent after it was shown (exporters retry)
          else if (!sent.has(span.id)) held.set(span.id, span);
        }
        for (const [id, span] of held) {
          const paired = pairs.complete(span);
          if (!finished && awaitsPairing(paired)) continue;
          held.delete(id);
          sent.add(id);
          page.push(paired);
        }
        for (let i = 0; i < page.length; i += PAGE_SIZE) yield { spans: page.slice(i, i + PAGE_SIZE), cursor };
        if (!finished) continue;
        if (typeof outcome === 'object') throw outcome.err;
        if (!this.store.getSession(sessionId)) throw this.notFound(sessionId);
        const cap = this.capWarning();
        if (cap) yield { spans: [], cursor, warnings: [cap] };
        break;
      }
    } finally {
      watch?.dispose();
    }
    this.streams.delete(cursor);
    // A span replaced after it was sent: consumers reload a session on a change only once
    // its load is done, so tell them after this returns.
    if (replaced) setTimeout(() => this.store.touch(sessionId), 0);
  }

  /**
   * While the file is first read, the sessions seen so far, after one more chunk, with
   * a cursor: the next page waits for the read to go on and lists only sessions not
   * listed yet. Once the file is read, the plain listing.
   */
  override async listSessions(options: ListOptions = {}): Promise<SessionPage> {
    const walk = options.cursor?.startsWith(READING) ? options.cursor.slice(READING.length).split('/')[0] : undefined;
    if (options.cursor && walk === undefined) return super.listSessions(options);
    const finished = await this.readSome();
    throwIfAborted(options.signal);
    if (finished && walk === undefined) return super.listSessions(options);
    const id = walk ?? this.walks.newId();
    const listed = this.walks.get(id);
    const sessions = this.store.listSessions(this.id).filter((s) => !listed.has(s.id));
    for (const s of sessions) listed.add(s.id);
    if (!finished) this.listedEarly = true;
    const warnings = this.warnings();
    return {
      sessions,
      // A new cursor per page (the CLI stops on a repeated one).
      cursor: finished ? undefined : `${READING}${id}/${++this.walkPages}`,
      warnings: warnings.length ? warnings : undefined,
    };
  }

  /** Waits for the read (started if need be) to ingest one more chunk or end; true when it ended. */
  private readSome(): Promise<boolean> {
    return Promise.race([this.refresh().then(() => true), this.progress.next().then(() => false)]);
  }

  override dispose(): void {
    this.stopWatching();
  }

  override onDidChange(listener: Parameters<StoreBackend['onDidChange']>[0]): ReturnType<StoreBackend['onDidChange']> {
    const d = super.onDidChange(listener);
    this.startWatching();
    return d;
  }

  /** Reads whatever was appended since the last call (one refresh at a time; calls during one queue another). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.readChanges();
        } while (this.again);
        this.store.releasePool();
      } finally {
        this.running = undefined;
        if (this.listedEarly) {
          this.listedEarly = false;
          this.store.touch();
        }
      }
    })();
    return this.running;
  }

  protected override warnings(): string[] {
    const cap = this.capWarning();
    const list = cap ? [cap, ...this.warningList] : [...this.warningList];
    return this.suppressed ? [...list, `…and ${this.suppressed} more problem line(s).`] : list;
  }

  /** Said whenever the store's memory cap dropped spans of these files: a file never loses spans silently. */
  private capWarning(): string | undefined {
    const { evictedSpans } = this.store.stats();
    if (!evictedSpans) return undefined;
    return `${evictedSpans} span(s) of ${path.basename(this.target)} are not shown: a JSON Lines source keeps at most ${this.store.maxSpans} spans in memory (the earliest sessions, or one session's earliest spans, are dropped first). Raise "maxSpans" in the backend's settings (each span takes a few KB of memory), or split the file.`;
  }

  private warn(message: string): void {
    if (this.warningList.length < MAX_WARNINGS) {
      this.warningList.push(message);
      this.context.log.warn(`[${this.id}] ${message}`);
    } else {
      this.suppressed++;
    }
  }

  private async listFiles(): Promise<string[]> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(this.target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new BackendError('notFound', `Backend "${this.id}": cannot read ${this.target} (${code === 'ENOENT' ? 'no such file or folder' : code ?? 'error'}). Check "path" in the backend's settings.`, {
        nextSteps: ['openSettings', 'retry'],
        cause: err,
      });
    }
    if (!stat.isDirectory()) return [this.target];
    const names = await fs.promises.readdir(this.target);
    return names.filter((n) => this.sink.extensions.some((e) => n.toLowerCase().endsWith(e))).sort().map((n) => path.join(this.target, n));
  }

  private async readChanges(): Promise<void> {
    const files = await this.listFiles();
    let rebuild = [...this.files.keys()].some((f) => !files.includes(f));
    const stats = new Map<string, fs.Stats>();
    for (const f of files) {
      const st = await fs.promises.stat(f).catch(() => undefined);
      if (!st?.isFile()) continue;
      stats.set(f, st);
      const state = this.files.get(f);
      // Shrunk (truncated/rewritten), or a whole-document file that changed: start over.
      if (state && (st.size < state.offset || (state.whole && (st.size !== state.size || st.mtimeMs !== state.mtimeMs)))) rebuild = true;
    }
    if (rebuild) {
      this.files.clear();
      this.warningList.length = 0;
      this.suppressed = 0;
      await this.store.clear();
    }
    for (const [f, st] of stats) {
      let state = this.files.get(f);
      if (!state) {
        state = { offset: 0, lines: 0, size: 0, mtimeMs: 0, whole: false };
        this.files.set(f, state);
      }
      if (st.size > state.offset) await this.readFrom(f, state, st.size);
      state.size = st.size;
      state.mtimeMs = st.mtimeMs;
    }
  }

  private async readFrom(file: string, state: FileState, size: number): Promise<void> {
    const name = path.basename(file);
    const handle = await fs.promises.open(file, 'r');
    try {
      if (state.offset === 0 && this.sink.wholeDocument && size <= 256 * 1024 * 1024 && (await firstLineIsPartial(handle, size))) {
        // A pretty-printed document spans lines: try it whole first.
        const text = (await handle.readFile()).toString('utf8');
        const first = text.indexOf('\n');
        if (first >= 0 && first < text.trimEnd().length && !parses(text.slice(0, first))) {
          try {
            const doc = parseJsonExact(text);
            for (const w of this.sink.wholeDocument(this.store, doc)) this.warn(w.line ? `${name}:${w.line}: ${w.message}` : `${name}: ${w.message}`);
            state.offset = size;
            state.whole = true;
            return;
          } catch {
            // not one document either: read it line by line and report the bad lines
          }
        }
      }
      let carry = Buffer.alloc(0);
      let pos = state.offset;
      while (pos < size) {
        const want = Math.min(CHUNK, size - pos);
        // The partial line left from the last chunk goes first; the chunk is read behind it (no concat copy).
        const buf = Buffer.allocUnsafe(carry.length + want);
        carry.copy(buf, 0);
        const { bytesRead } = await handle.read(buf, carry.length, want, pos);
        if (bytesRead <= 0) break;
        pos += bytesRead;
        const data = buf.subarray(0, carry.length + bytesRead);
        // Only complete lines are consumed: a line still being written is read next time.
        const lastNl = data.lastIndexOf(0x0a);
        if (lastNl < 0) {
          carry = data;
          continue;
        }
        this.consume(file, data.subarray(0, lastNl + 1), state, name);
        state.offset += lastNl + 1;
        carry = data.subarray(lastNl + 1);
        // Readers waiting for more are woken while more is to come (the end of the read wakes them too).
        if (pos < size) this.progress.fire();
      }
      // A last line without a newline is taken when it is complete JSON.
      if (carry.length) {
        const tail = carry.toString('utf8');
        if (tail.trim() === '' || parses(tail)) {
          this.consume(file, carry, state, name);
          state.offset += carry.length;
        }
      }
    } finally {
      await handle.close();
    }
  }

  /** Ingests the complete lines in `bytes`, which start at the file's `state.offset`. */
  private consume(file: string, bytes: Buffer, state: FileState, name: string): void {
    const lines: SinkLine[] = [];
    const problems: LineWarning[] = [];
    for (const { start, end } of lineRanges(bytes)) {
      state.lines++;
      const line = bytes.toString('utf8', start, end);
      if (line.trim() === '') continue;
      try {
        lines.push({ value: parseJsonExact(line), line: state.lines, ref: new FileLine(file, state.offset + start, end - start) });
      } catch {
        // Never quote the line: it may hold conversation content.
        problems.push({ line: state.lines, message: 'not valid JSON; line skipped.' });
      }
    }
    if (lines.length) problems.push(...this.sink.ingest(this.store, lines));
    problems.sort((a, b) => a.line - b.line);
    for (const p of problems) this.warn(p.line ? `${name}:${p.line}: ${p.message}` : `${name}: ${p.message}`);
  }

  private startWatching(): void {
    if (this.watcher) return;
    let dir = this.target;
    let only: string | undefined;
    try {
      if (!fs.statSync(this.target).isDirectory()) {
        dir = path.dirname(this.target);
        only = path.basename(this.target);
      }
      // The folder, not the file: writers that replace the file would end a file watch.
      this.watcher = watchDebounced(dir, () => void this.refresh().catch((err) => this.context.log.warn(`[${this.id}] ${(err as Error).message}`)), {
        debounceMs: 100,
        accept: (f) => (only ? f === only : this.sink.extensions.some((e) => f.toLowerCase().endsWith(e))),
        onError: () => this.stopWatching(),
      });
    } catch {
      // Missing path: reads report it; nothing to watch yet.
    }
  }

  private stopWatching(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
  }
}

/**
 * False when the file's first line is complete JSON on its own (JSON Lines):
 * then the file is not one pretty-printed document, and reading all of it
 * as one string first (230 MB for 100,000 spans) is skipped.
 */
async function firstLineIsPartial(handle: fs.promises.FileHandle, size: number): Promise<boolean> {
  let want = 64 * 1024;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(want, size));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (nl >= 0) return !parses(buf.subarray(0, nl).toString('utf8'));
    if (bytesRead >= size) return true;
    want *= 4;
  }
}

/** A tool span whose arguments or result may still come from a transcript later in the file. */
function awaitsPairing(span: Span): boolean {
  return !!span.tool?.callId && (span.tool.arguments === undefined || span.tool.result === undefined);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
