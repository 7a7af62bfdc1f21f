// node-sqlite3-wasm (SQLite compiled to WebAssembly, with a VFS on Node's fs):
// the fallback for hosts without node:sqlite (VS Code's Node 20). It reads
// only the pages a query touches, so a 400 MB file opens at once.
//
// Its VFS takes SQLite's locks by creating a `<db>.lock` directory beside the
// database (on every read transaction), and has no shared memory, so a WAL
// database could only be read in exclusive locking mode, which opens the
// `-wal` read-write (creating it when missing) and checkpoints into the
// database on close. We must never write to the agent's database or its
// folder, so the file is opened as an immutable URI (`?immutable=1`): SQLite
// then takes no lock, opens no journal, WAL or -shm and only reads the main
// file. The price, handled by ./sqlite: SQLite does not notice changes, so the
// caller reopens when the file changed and checks that it did not change
// during a query; and a WAL's frames are not seen, so a database whose -wal
// holds frames is read through the sql.js copy with the WAL applied instead.
import type { Row } from './sql';

interface WasmStatementRow {
  [column: string]: number | bigint | string | Uint8Array | null;
}

interface WasmDatabase {
  all(sql: string, values?: unknown[]): WasmStatementRow[];
  close(): void;
}

interface WasmModule {
  Database: new (filename: string, options: { readOnly: boolean }) => WasmDatabase;
  /** The C entry point the Database constructor calls (looked up on each call). */
  _sqlite3_open_v2: (filename: number, out: number, flags: number, vfs: number) => number;
}

const SQLITE_OPEN_URI = 0x40;

let loaded: WasmModule | Error | undefined;

/** The module (it compiles its .wasm synchronously on first load); throws when the .wasm is missing. */
function wasmSqlite(): WasmModule {
  if (loaded === undefined) {
    try {
      // The package finds node-sqlite3-wasm.wasm beside its script: in
      // node_modules from source, beside the bundle (dist/) when packaged.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('node-sqlite3-wasm') as WasmModule;
    } catch (err) {
      // A second require() would hand back the half-initialized module: keep the first error.
      loaded = err instanceof Error ? err : new Error(String(err));
    }
  }
  if (loaded instanceof Error) throw loaded;
  return loaded;
}

/** Loads the engine now; throws when it cannot be loaded (the .wasm is missing). */
export function loadWasmSqlite(): void {
  wasmSqlite();
}

/** `file:` URI of an absolute path, with `?immutable=1` (SQLite decodes the %-escapes; the VFS resolves the path with Node's path module). */
export function immutableUri(file: string): string {
  const p = file.replace(/\\/g, '/');
  const encoded = p.split('/').map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ':')).join('/');
  // `file:///tmp/a.db`, `file:////server/share/a.db` (empty authority, then the path); `file:C:/a.db` (a
  // leading slash before the drive would reach the VFS as \C:\…).
  return `${p.startsWith('/') ? 'file://' : 'file:'}${encoded}?immutable=1`;
}

/**
 * Opens the file read-only and immutable (no lock, no journal, WAL or -shm
 * file: nothing is created beside it). The Database constructor passes no
 * SQLITE_OPEN_URI flag and the build has no SQLITE_USE_URI, so the flag is
 * added for this one call.
 */
export function openWasmSqlite(file: string): WasmDatabase {
  const mod = wasmSqlite();
  const open = mod._sqlite3_open_v2;
  mod._sqlite3_open_v2 = (name, out, flags, vfs) => open(name, out, flags | SQLITE_OPEN_URI, vfs);
  try {
    return new mod.Database(immutableUri(file), { readOnly: true });
  } finally {
    mod._sqlite3_open_v2 = open;
  }
}

/** All rows of one read statement, as plain objects like sql.js gives. */
export function allWasmRows(db: WasmDatabase, sql: string, params: unknown[]): Row[] {
  const rows = db.all(sql, params.map((p) => (p === undefined ? null : p)));
  // Integers past 2^53 come as bigint: read them as sql.js does, as the nearest double.
  const columns = rows.length ? Object.keys(rows[0]) : [];
  for (const row of rows) {
    for (const k of columns) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  }
  return rows as Row[];
}
