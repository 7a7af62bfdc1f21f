// Append-only persistence of what the receiver accepted, so captured sessions
// survive a reload. Each line is one received request, replayed through the
// same ingest code on start:
//   {"v":1,"at":<epoch ms>,"kind":"openai"|"otlp"|"otlp-logs","body":<the request body as JSON>}
// Files are `capture-<epoch ms of creation>.jsonl` in the storage folder; a new
// file starts each day and when the current one passes `maxFileBytes`, and the
// oldest files are deleted while the folder holds more than `maxBytes`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureStore, type BodyRef, type PersistedRecord, type RecordKind, type StoreLog } from '../backends/store/captureStore';
import { FileLine, lineRanges } from '../backends/store/lines';
import type { Logger } from '../backends/types';

export interface CaptureLogOptions {
  maxBytes: number;
  maxFileBytes: number;
  log?: Logger;
}

const FILE_RE = /^capture-(\d+)\.jsonl$/;

interface FileInfo {
  name: string;
  created: number;
  size: number;
}

/**
 * One record of the log, for reading its body again: its text until it is
 * written, then its place in the file (so the text is not held in memory).
 */
class LogRecord implements BodyRef {
  private line: FileLine | undefined;

  constructor(private text: string) {}

  /** A record already in a file (read on start). */
  static stored(file: string, offset: number, length: number): LogRecord {
    const r = new LogRecord('');
    r.written(file, offset, length);
    return r;
  }

  get pendingText(): string {
    return this.text;
  }

  written(file: string, offset: number, length: number): void {
    this.line = new FileLine(file, offset, length);
    this.text = '';
  }

  async read(): Promise<unknown> {
    const record = (this.line ? await this.line.read() : JSON.parse(this.text)) as PersistedRecord;
    return record.body;
  }
}

class CaptureLog implements StoreLog {
  private files: FileInfo[] = [];
  private pending: LogRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private warned = false;

  constructor(readonly dir: string, private readonly options: CaptureLogOptions) {}

  get totalBytes(): number {
    return this.files.reduce((n, f) => n + f.size, 0) + this.pending.reduce((n, r) => n + Buffer.byteLength(r.pendingText), 0);
  }

  /** Reads every stored record, oldest first. Damaged lines (e.g. a crash mid-write) are counted and skipped. */
  async load(onRecord: (record: PersistedRecord, ref: BodyRef) => void): Promise<{ records: number; badLines: number }> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    this.files = await this.scan();
    let records = 0;
    let badLines = 0;
    for (const f of this.files) {
      const file = path.join(this.dir, f.name);
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(file);
      } catch {
        badLines++;
        continue;
      }
      for (const { start, end } of lineRanges(bytes)) {
        const line = bytes.toString('utf8', start, end);
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as PersistedRecord;
          if ((r.kind === 'openai' || r.kind === 'otlp' || r.kind === 'otlp-logs') && typeof r.at === 'number') {
            onRecord(r, LogRecord.stored(file, start, end - start));
            records++;
          } else {
            badLines++;
          }
        } catch {
          badLines++;
        }
      }
    }
    return { records, badLines };
  }

  /**
   * Queues one record. `bodyText` is the body exactly as received, when it is
   * JSON on one line: it is written as is instead of being re-serialized.
   */
  append(kind: RecordKind, at: number, body: unknown, bodyText?: string): BodyRef {
    const text = bodyText !== undefined && !bodyText.includes('\n') ? bodyText.trim() : JSON.stringify(body);
    const record = new LogRecord(`{"v":1,"at":${at},"kind":"${kind}","body":${text}}\n`);
    this.pending.push(record);
    if (!this.scheduled) {
      this.scheduled = true;
      // One write per tick, however many requests arrived in it.
      setImmediate(() => {
        this.scheduled = false;
        this.writing = this.writing.then(() => this.writePending());
      });
    }
    return record;
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    if (this.pending.length) this.writing = this.writing.then(() => this.writePending());
    await this.writing;
  }

  /** Deletes every capture file. */
  async clear(): Promise<void> {
    this.pending = [];
    await this.flush();
    const files = await this.scan().catch(() => [] as FileInfo[]);
    await Promise.all(files.map((f) => fs.promises.rm(path.join(this.dir, f.name), { force: true })));
    this.files = [];
  }

  private async writePending(): Promise<void> {
    if (!this.pending.length) return;
    const records = this.pending;
    const chunk = records.map((r) => r.pendingText).join('');
    this.pending = [];
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      const file = this.currentFile();
      const where = path.join(this.dir, file.name);
      await fs.promises.appendFile(where, chunk);
      // Each record's place in the file; its text is dropped (kept only when the write failed).
      let offset = file.size;
      for (const r of records) {
        const length = Buffer.byteLength(r.pendingText);
        r.written(where, offset, length - 1);
        offset += length;
      }
      file.size = offset;
      await this.enforceCap();
    } catch (err) {
      // Capture keeps working in memory; say once why it will not survive a reload.
      if (!this.warned) {
        this.warned = true;
        this.options.log?.warn(`Captured spans could not be saved in ${this.dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); they are kept in memory only.`);
      }
    }
  }

  private currentFile(): FileInfo {
    const last = this.files[this.files.length - 1];
    const now = Date.now();
    if (last && last.size < this.options.maxFileBytes && sameDay(last.created, now)) {
      return last;
    }
    // Names must stay unique and ordered even for two files in one millisecond.
    const created = last && last.created >= now ? last.created + 1 : now;
    const f = { name: `capture-${created}.jsonl`, created, size: 0 };
    this.files.push(f);
    return f;
  }

  private async enforceCap(): Promise<void> {
    let total = this.files.reduce((n, f) => n + f.size, 0);
    while (total > this.options.maxBytes && this.files.length > 1) {
      const oldest = this.files.shift()!;
      total -= oldest.size;
      await fs.promises.rm(path.join(this.dir, oldest.name), { force: true });
    }
  }

  private async scan(): Promise<FileInfo[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const out: FileInfo[] = [];
    for (const name of names) {
      const m = FILE_RE.exec(name);
      if (!m) continue;
      const st = await fs.promises.stat(path.join(this.dir, name)).catch(() => undefined);
      if (st?.isFile()) out.push({ name, created: Number(m[1]), size: st.size });
    }
    return out.sort((a, b) => a.created - b.created);
  }
}

function sameDay(a: number, b: number): boolean {
  const da = new Date(a);
  const db = new Date(b);
  return da.getFullYear() === db.getFullYear() && da.getMonth() === db.getMonth() && da.getDate() === db.getDate();
}

export interface PersistedStoreOptions {
  /** Folder for the persisted capture log; no persistence when absent. */
  storageDir?: string;
  /** Memory cap: total spans kept; least recently updated sessions are evicted beyond it. Default 200,000. */
  maxSpans?: number;
  /** Disk cap for the capture log. Default 256 MiB. */
  maxDiskBytes?: number;
  /** Size at which a new log file is started. Default maxDiskBytes / 8 (at least 1 MiB). */
  maxFileBytes?: number;
  log?: Logger;
}

const DEFAULT_MAX_DISK = 256 * 1024 * 1024;

/** A capture store kept on disk under `storageDir` (reloaded from it now), or in memory without one. */
export function openCaptureStore(options: PersistedStoreOptions = {}): Promise<CaptureStore> {
  const { storageDir, maxDiskBytes, maxFileBytes, ...storeOptions } = options;
  if (!storageDir) return CaptureStore.open(storeOptions);
  const maxBytes = maxDiskBytes ?? DEFAULT_MAX_DISK;
  const persistence = new CaptureLog(storageDir, {
    maxBytes,
    maxFileBytes: maxFileBytes ?? Math.max(1024 * 1024, Math.floor(maxBytes / 8)),
    log: options.log,
  });
  return CaptureStore.open({ ...storeOptions, persistence });
}
