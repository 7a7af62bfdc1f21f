// Node's built-in SQLite (`node:sqlite`, Node ≥ 22.13 and the VS Code builds
// on it): a real read-only connection to the agent's file, so queries read
// only the pages they touch and WAL files are SQLite's own business. Hosts
// without it fall back to the sql.js copy (./sqlite).
import type { Row } from './sql';

interface Statement {
  all(...params: unknown[]): Row[];
  setReadBigInts(enabled: boolean): void;
}

export interface NodeDatabase {
  prepare(sql: string): Statement;
  close(): void;
}

interface NodeSqliteModule {
  DatabaseSync: new (file: string, options: { readOnly: boolean }) => NodeDatabase;
}

let loaded: NodeSqliteModule | null | undefined;

/** The module, or undefined on hosts without it. */
function nodeSqlite(): NodeSqliteModule | undefined {
  if (loaded === undefined) {
    // Loading it prints "SQLite is an experimental feature" once; that line
    // would land in the CLI's stderr and the host's log for every user.
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (!/SQLite is an experimental feature/.test(String(warning))) (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      // getBuiltinModule (Node ≥ 20.16) gives undefined for a module this Node lacks.
      const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
      loaded = (getBuiltin?.call(process, 'node:sqlite') as NodeSqliteModule | undefined) ?? null;
    } catch {
      loaded = null;
    } finally {
      process.emitWarning = emit;
    }
  }
  return loaded ?? undefined;
}

export function hasNodeSqlite(): boolean {
  return nodeSqlite() !== undefined;
}

/** Opens the file read-only (never creates it: the caller checked it exists). */
export function openNodeSqlite(file: string): NodeDatabase {
  const mod = nodeSqlite();
  if (!mod) throw new Error('node:sqlite is not available in this Node.js');
  return new mod.DatabaseSync(file, { readOnly: true });
}

/** All rows of one read statement, as plain objects like sql.js gives. */
export function allRows(db: NodeDatabase, sql: string, params: unknown[]): Row[] {
  const stmt = db.prepare(sql);
  try {
    return stmt.all(...params);
  } catch (err) {
    // An integer past 2^53 (hostile or odd data) fails the whole statement;
    // read it as sql.js does, as the nearest double, rather than lose the page.
    if ((err as { code?: string }).code !== 'ERR_OUT_OF_RANGE') throw err;
    stmt.setReadBigInts(true);
    return stmt.all(...params).map((row) => {
      for (const k of Object.keys(row)) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
      return row;
    });
  }
}
