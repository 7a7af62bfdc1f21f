// Agno's SQLite database, read with sql.js (SQLite compiled to WebAssembly:
// no native module to build for each VS Code / Electron version).
//
// The file is read into memory and opened there, so we never take a lock on
// the agent's database and never write to it. Each query first checks the
// file's identity (inode, size, mtime of the db, its -wal and -journal); when
// anything changed the copy is re-read. A directory watcher reports changes
// for live updates.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { BackendError, throwIfAborted } from '../errors';
import type { Disposable, Logger } from '../types';
import type { Row, SqlSource, TableRef } from './sql';
import { applyWal, markLegacy, walGeneration } from './wal';
import type { IDisposable } from '../../common/disposable';
import { Emitter } from '../../common/emitter';
import { debounce, watchDebounced, type Debounced } from '../../common/watch';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
type Database = InstanceType<SqlJs['Database']>;

let sqlJs: Promise<SqlJs> | undefined;

/**
 * sql.js needs its .wasm file: next to the bundle (dist/sql-wasm.wasm) in the
 * packaged extension, or in node_modules when running from source/tests.
 */
function locateSqlWasm(): string {
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(beside)) return beside;
  // Through a variable so bundlers leave the lookup to run time.
  const fromNodeModules = 'sql.js/dist/sql-wasm.wasm';
  return require.resolve(fromNodeModules);
}

function loadSqlJs(): Promise<SqlJs> {
  sqlJs ??= (async () => {
    const bytes = await fs.promises.readFile(locateSqlWasm());
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return initSqlJs({ wasmBinary });
  })().catch((err) => {
    sqlJs = undefined;
    throw new BackendError('server', `Could not load the SQLite engine: sql-wasm.wasm is missing or unreadable beside ${__dirname} (${(err as Error).message.split('\n')[0]}). Reinstall the extension.`, { nextSteps: ['openLog'], cause: err });
  });
  return sqlJs;
}

/** First 8 bytes of a rollback journal that is in use (a write is in progress or was interrupted). */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Attempts before a busy / half-written file is reported; the writer usually finishes within milliseconds. */
const READ_ATTEMPTS = 5;
const RETRY_DELAY_MS = 150;

export interface SqliteOptions {
  log?: Logger;
  /** Debounce for change notifications (ms). */
  debounceMs?: number;
}

export class SqliteSource implements SqlSource {
  readonly dialect = 'sqlite' as const;
  readonly where: string;
  private db: Database | undefined;
  private loadedSig: string | undefined;
  private loading: Promise<Database> | undefined;
  private readonly changed = new Emitter<void>();
  private watcher: IDisposable | undefined;
  private polling = false;
  private notifiedSig: string | undefined;
  private readonly schedule: Debounced;
  private disposed = false;

  constructor(private readonly file: string, private readonly options: SqliteOptions = {}) {
    this.where = file;
    // Writers touch the files several times per transaction: report once, and only when something really changed.
    this.schedule = debounce(() => this.notifyIfChanged(), options.debounceMs ?? 250);
  }

  async columns(table: TableRef, signal?: AbortSignal): Promise<string[] | undefined> {
    const rows = await this.query(`PRAGMA table_info(${table.sql})`, [], signal);
    return rows.length ? rows.map((r) => String(r.name)) : undefined;
  }

  async query(sql: string, params: unknown[], signal?: AbortSignal): Promise<Row[]> {
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const db = await this.open(signal);
      try {
        return run(db, sql, params);
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        if (!isTransient(message)) {
          throw new BackendError('badData', `Query on the Agno database ${this.file} failed: ${message}`, { nextSteps: ['openLog', 'retry'], cause: err });
        }
        // A copy taken while a writer was busy: drop it and read the file again.
        this.drop();
        if (attempt >= READ_ATTEMPTS) throw busyError(this.file, message, err);
        await delay(RETRY_DELAY_MS * attempt);
      }
    }
  }

  onDidChange(listener: () => void): Disposable {
    const sub = this.changed.event(listener);
    this.ensureWatcher();
    return sub;
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (this.polling) fs.unwatchFile(this.file, this.onPoll);
    this.schedule.cancel();
    this.changed.dispose();
    this.drop();
  }

  /** The in-memory copy, re-read when the file changed since it was taken. */
  private async open(signal?: AbortSignal): Promise<Database> {
    const sig = signature(this.file);
    if (this.db && sig === this.loadedSig) return this.db;
    if (!this.loading) {
      this.loading = this.read(signal).finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async read(signal?: AbortSignal): Promise<Database> {
    const SQL = await loadSqlJs();
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const sig = signature(this.file);
      const image = await this.readImage();
      if (image === 'busy') {
        if (attempt >= READ_ATTEMPTS) throw busyError(this.file, 'a write transaction is in progress (hot rollback journal)');
        await delay(RETRY_DELAY_MS * attempt);
        continue;
      }
      if (sig !== signature(this.file) && attempt < READ_ATTEMPTS) {
        await delay(RETRY_DELAY_MS); // written while we read: let the writer finish, then copy again
        continue;
      }
      const db = new SQL.Database(image);
      this.drop();
      this.db = db;
      this.loadedSig = sig;
      return db;
    }
  }

  /** The database bytes as a reader would see them now (WAL applied), or 'busy'. */
  private async readImage(restarts = 0): Promise<Uint8Array | 'busy'> {
    let db: Buffer;
    try {
      const stat = await fs.promises.stat(this.file);
      if (stat.isDirectory()) {
        throw new BackendError('config', `The Agno "database" setting points to a folder (${this.file}); give the SQLite file itself, e.g. tmp/agno.db.`, { nextSteps: ['openSettings'] });
      }
      if (await hotJournal(this.file + '-journal')) return 'busy';
      const walBefore = await readHead(this.file + '-wal', 32);
      db = await fs.promises.readFile(this.file);
      const wal = walBefore && walGeneration(walBefore) ? await readOptional(this.file + '-wal') : undefined;
      if (wal && walGeneration(wal) !== walGeneration(walBefore!)) {
        // The WAL restarted (checkpoint) between our two reads: the main
        // file may hold a mix of generations. Read everything again.
        return restarts < READ_ATTEMPTS ? this.readImage(restarts + 1) : 'busy';
      }
      if (db.length && !db.subarray(0, 16).equals(SQLITE_MAGIC)) {
        throw new BackendError('badData', `${this.file} is not an SQLite database. Point "database" at the file Agno writes (SqliteDb(db_file=…)) or use a postgresql:// URL.`, { nextSteps: ['openSettings'] });
      }
      const image = (wal && applyWal(db, wal)) || Uint8Array.from(db);
      markLegacy(image);
      return image;
    } catch (err) {
      if (err instanceof BackendError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new BackendError('notFound', `The Agno database file ${this.file} does not exist. Check "database" in the backend settings, or run your agent once with tracing enabled (setup_tracing(db=SqliteDb(db_file=…))) to create it.`, { nextSteps: ['openSettings', 'retry'], cause: err });
      }
      if (code === 'EACCES' || code === 'EPERM') {
        throw new BackendError('forbidden', `No permission to read the Agno database file ${this.file}.`, { nextSteps: ['openSettings', 'retry'], cause: err });
      }
      throw new BackendError('server', `Could not read the Agno database file ${this.file}: ${(err as Error).message}`, { nextSteps: ['retry'], cause: err });
    }
  }

  private drop(): void {
    try {
      this.db?.close();
    } catch {
      // already closed
    }
    this.db = undefined;
    this.loadedSig = undefined;
  }

  private ensureWatcher(): void {
    if (this.watcher || this.polling || this.disposed) return;
    this.notifiedSig = signature(this.file);
    const base = path.basename(this.file);
    try {
      // The folder, not the file: SQLite creates and deletes -wal/-journal
      // files, and the database may not exist yet.
      this.watcher = watchDebounced(path.dirname(this.file), () => this.notifyIfChanged(), {
        debounceMs: this.options.debounceMs ?? 250,
        accept: (name) => name.startsWith(base),
        onError: () => this.fallBackToPolling(),
      });
    } catch {
      this.fallBackToPolling();
    }
  }

  private fallBackToPolling(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    if (this.polling || this.disposed) return;
    this.polling = true;
    fs.watchFile(this.file, { interval: 1000 }, this.onPoll);
  }

  private readonly onPoll = (): void => this.schedule();

  private notifyIfChanged(): void {
    const sig = signature(this.file);
    if (sig === this.notifiedSig) return;
    this.notifiedSig = sig;
    this.changed.fire();
  }
}

function run(db: Database, sql: string, params: unknown[]): Row[] {
  const stmt = db.prepare(sql);
  try {
    if (params.length) stmt.bind(params as (string | number | null)[]);
    const rows: Row[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

/** Errors that mean "the copy was taken mid-write", worth a fresh read. */
function isTransient(message: string): boolean {
  return /SQLITE_(BUSY|LOCKED|CORRUPT|NOTADB)|database (disk image )?is (locked|malformed)|file is not a database/i.test(message);
}

function busyError(file: string, why: string, cause?: unknown): BackendError {
  return new BackendError(
    'timeout',
    `The Agno database ${file} is locked by a writer (SQLITE_BUSY: ${why}). It is probably being written by a running agent; try again in a moment.`,
    { nextSteps: ['retry'], cause },
  );
}

/** Inode, size and mtime of the db and its side files: any write changes it. */
function signature(file: string): string {
  let sig = '';
  for (const f of [file, file + '-wal', file + '-journal']) {
    try {
      const s = fs.statSync(f, { bigint: true });
      sig += `${s.ino}:${s.size}:${s.mtimeNs}|`;
    } catch {
      sig += '-|';
    }
  }
  return sig;
}

async function hotJournal(file: string): Promise<boolean> {
  const head = await readHead(file, 8);
  return !!head && head.length === 8 && head.equals(JOURNAL_MAGIC);
}

async function readHead(file: string, n: number): Promise<Buffer | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(file, 'r');
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.promises.readFile(file);
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
