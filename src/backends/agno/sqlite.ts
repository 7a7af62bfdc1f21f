// Agno's SQLite database, read without a native module to build for each
// VS Code / Electron version:
// - node:sqlite (./nodeSqlite) where the host has it: a read-only connection
//   that reads only the pages a query touches (a 400 MB file opens at once).
// - node-sqlite3-wasm (./wasmSqlite: SQLite compiled to WebAssembly, reading
//   the file through Node's fs) elsewhere, or when the settings ask for it
//   (`"sqliteEngine": "wasm"`): the file opened immutable, so SQLite only
//   reads the pages a query touches and creates nothing beside it. It does
//   not see changes itself: each query first checks the file's signature
//   (inode, size, mtime of the db, its -wal and -journal) and reopens when
//   anything changed, and a query during which the file changed is run
//   again. It cannot read a WAL's frames: while the -wal holds frames, the
//   database is read as the sql.js copy below instead.
// - sql.js (SQLite compiled to WebAssembly, in memory), for a database whose
//   -wal holds frames, or always when the settings ask for it
//   (`"sqliteEngine": "sql.js"`): the file is read into memory with the WAL's
//   committed frames applied (./wal) and opened there; re-read when the
//   signature changed.
// None ever writes to the agent's database or its folder. A directory
// watcher reports changes for live updates.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { BackendError, throwIfAborted } from '../errors';
import type { Disposable, Logger } from '../types';
import type { Row, SqlSource, TableRef } from './sql';
import { allRows, hasNodeSqlite, openNodeSqlite } from './nodeSqlite';
import { applyWal, markLegacy, walGeneration, walHasFrames } from './wal';
import { allWasmRows, loadWasmSqlite, openWasmSqlite } from './wasmSqlite';
import type { IDisposable } from '../../common/disposable';
import { Emitter } from '../../common/emitter';
import { debounce, watchDebounced, type Debounced } from '../../common/watch';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
type SqlJsDatabase = InstanceType<SqlJs['Database']>;

/** An open database, whichever engine holds it. */
interface Database {
  run(sql: string, params: unknown[]): Row[];
  close(): void;
  /** Reads the file as it is at each query without SQLite's locks (node-sqlite3-wasm): a query during which the file changed must run again. */
  live?: boolean;
}

export type SqliteEngine = 'node:sqlite' | 'node-sqlite3-wasm' | 'sql.js';

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
  /** By default node:sqlite when the host has it, else node-sqlite3-wasm; `wasm` forces node-sqlite3-wasm, `sql.js` the in-memory copy. */
  engine?: 'auto' | 'wasm' | 'sql.js';
}

export class SqliteSource implements SqlSource {
  readonly dialect = 'sqlite' as const;
  readonly where: string;
  readonly engine: SqliteEngine;
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
    this.engine = options.engine === 'sql.js' ? 'sql.js' : options.engine !== 'wasm' && hasNodeSqlite() ? 'node:sqlite' : 'node-sqlite3-wasm';
    const how = { 'node:sqlite': 'read-only connection', 'node-sqlite3-wasm': 'read-only, immutable; an in-memory sql.js copy while the -wal holds frames', 'sql.js': 'an in-memory copy' };
    options.log?.info(`${file}: read with ${this.engine} (${how[this.engine]})`);
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
        const rows = db.run(sql, params);
        if (db.live && this.db === db && this.signature() !== this.loadedSig && attempt < READ_ATTEMPTS) {
          // Written while we read pages of it: the rows may mix two versions. Reopen and read again.
          this.drop();
          await delay(RETRY_DELAY_MS);
          continue;
        }
        return rows;
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

  /** The open database: a connection, reopened when the file was replaced; or the in-memory copy, re-read when the file changed since it was taken. */
  private async open(signal?: AbortSignal): Promise<Database> {
    const sig = this.signature();
    if (this.db && sig === this.loadedSig) return this.db;
    if (!this.loading) {
      this.loading = this.read(signal).finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  /** What must stay the same for the open database to still be current. */
  private signature(): string {
    return this.engine === 'node:sqlite' ? identity(this.file) : signature(this.file);
  }

  private async read(signal?: AbortSignal): Promise<Database> {
    const SQL = this.engine === 'sql.js' ? await loadSqlJs() : undefined;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const sig = this.signature();
      const db = SQL ? await this.copy(SQL) : this.engine === 'node:sqlite' ? await this.connect() : await this.openWasm();
      if (db === 'busy') {
        if (attempt >= READ_ATTEMPTS) throw busyError(this.file, 'a write transaction is in progress (hot rollback journal)');
        await delay(RETRY_DELAY_MS * attempt);
        continue;
      }
      if (sig !== this.signature() && attempt < READ_ATTEMPTS) {
        db.close();
        await delay(RETRY_DELAY_MS); // written (or replaced) while we read: let the writer finish, then read again
        continue;
      }
      this.drop();
      this.db = db;
      this.loadedSig = sig;
      return db;
    }
  }

  /** A read-only connection, or 'busy'. */
  private async connect(): Promise<Database | 'busy'> {
    if ((await this.check()) === 'busy') return 'busy';
    try {
      const conn = openNodeSqlite(this.file);
      return { run: (sql, params) => allRows(conn, sql, params), close: () => conn.close() };
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      if (isTransient(message)) return 'busy';
      throw new BackendError('badData', `Could not open the Agno database ${this.file}: ${message}`, { nextSteps: ['openLog', 'retry'], cause: err });
    }
  }

  /** The file through node-sqlite3-wasm, or the sql.js copy while the -wal holds frames (which node-sqlite3-wasm cannot read), or 'busy'. */
  private async openWasm(): Promise<Database | 'busy'> {
    if ((await this.check()) === 'busy') return 'busy';
    if (walHasFrames(await readHead(this.file + '-wal', 56))) return this.copy(await loadSqlJs());
    try {
      loadWasmSqlite();
    } catch (err) {
      throw new BackendError('server', `Could not load the SQLite engine: node-sqlite3-wasm.wasm is missing or unreadable (${(err as Error).message.split('\n')[0]}). Reinstall the extension.`, { nextSteps: ['openLog'], cause: err });
    }
    try {
      const conn = openWasmSqlite(this.file);
      return { run: (sql, params) => allWasmRows(conn, sql, params), close: () => conn.close(), live: true };
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      if (isTransient(message)) return 'busy';
      throw new BackendError('badData', `Could not open the Agno database ${this.file}: ${message}`, { nextSteps: ['openLog', 'retry'], cause: err });
    }
  }

  /** The in-memory copy, or 'busy'. */
  private async copy(SQL: SqlJs): Promise<Database | 'busy'> {
    const image = await this.readImage();
    if (image === 'busy') return 'busy';
    const db = new SQL.Database(image);
    return { run: (sql, params) => run(db, sql, params), close: () => db.close() };
  }

  /** The database bytes as a reader would see them now (WAL applied), or 'busy'. */
  private async readImage(restarts = 0): Promise<Uint8Array | 'busy'> {
    if ((await this.check()) === 'busy') return 'busy';
    try {
      const walBefore = await readHead(this.file + '-wal', 32);
      const db = await fs.promises.readFile(this.file);
      const wal = walBefore && walGeneration(walBefore) ? await readOptional(this.file + '-wal') : undefined;
      if (wal && walGeneration(wal) !== walGeneration(walBefore!)) {
        // The WAL restarted (checkpoint) between our two reads: the main
        // file may hold a mix of generations. Read everything again.
        return restarts < READ_ATTEMPTS ? this.readImage(restarts + 1) : 'busy';
      }
      const image = (wal && applyWal(db, wal)) || Uint8Array.from(db);
      markLegacy(image);
      return image;
    } catch (err) {
      throw fileError(this.file, err);
    }
  }

  /** That the file is there, readable and SQLite, or 'busy' while a write transaction is open. */
  private async check(): Promise<'ok' | 'busy'> {
    try {
      const stat = await fs.promises.stat(this.file);
      if (stat.isDirectory()) {
        throw new BackendError('config', `The Agno "database" setting points to a folder (${this.file}); give the SQLite file itself, e.g. tmp/agno.db.`, { nextSteps: ['openSettings'] });
      }
      if (await hotJournal(this.file + '-journal')) return 'busy';
      const head = await readStart(this.file, 16);
      if (head.length && !head.equals(SQLITE_MAGIC)) {
        throw new BackendError('badData', `${this.file} is not an SQLite database. Point "database" at the file Agno writes (SqliteDb(db_file=…)) or use a postgresql:// URL.`, { nextSteps: ['openSettings'] });
      }
      return 'ok';
    } catch (err) {
      throw fileError(this.file, err);
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

function run(db: SqlJsDatabase, sql: string, params: unknown[]): Row[] {
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

/**
 * Errors that mean "read mid-write", worth a fresh read: a copy taken while a
 * writer was busy, or a connection that met a lock or a hot journal (which a
 * read-only connection may not roll back).
 */
function isTransient(message: string): boolean {
  return /SQLITE_(BUSY|LOCKED|CORRUPT|NOTADB)|database (disk image )?is (locked|malformed)|file is not a database|attempt to write a readonly database/i.test(message);
}

/** A failed file access as the user should read it. */
function fileError(file: string, err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new BackendError('notFound', `The Agno database file ${file} does not exist. Check "database" in the backend settings, or run your agent once with tracing enabled (setup_tracing(db=SqliteDb(db_file=…))) to create it.`, { nextSteps: ['openSettings', 'retry'], cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BackendError('forbidden', `No permission to read the Agno database file ${file}.`, { nextSteps: ['openSettings', 'retry'], cause: err });
  }
  return new BackendError('server', `Could not read the Agno database file ${file}: ${(err as Error).message}`, { nextSteps: ['retry'], cause: err });
}

function busyError(file: string, why: string, cause?: unknown): BackendError {
  return new BackendError(
    'timeout',
    `The Agno database ${file} is locked by a writer (SQLITE_BUSY: ${why}). It is probably being written by a running agent; try again in a moment.`,
    { nextSteps: ['retry'], cause },
  );
}

/** The db file's inode: a new one means the file was replaced (an open connection would still read the old one). */
function identity(file: string): string {
  try {
    return String(fs.statSync(file, { bigint: true }).ino);
  } catch {
    return '-';
  }
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

/** The first `n` bytes (fewer in a shorter file). */
async function readStart(file: string, n: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The first `n` bytes of a file that may be missing. */
async function readHead(file: string, n: number): Promise<Buffer | undefined> {
  return readStart(file, n).catch(() => undefined);
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
