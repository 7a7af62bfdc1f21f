// The small SQL surface the Agno backend needs, implemented by the SQLite
// (sql.js, in memory) and PostgreSQL (pg) sources. Queries are written once
// with `?` placeholders; the dialect hooks cover the few differences.
import type { Disposable } from '../types';

export type Row = Record<string, unknown>;

export interface TableRef {
  /** As shown to users, e.g. `ai.agno_spans`. */
  display: string;
  /** Quoted for SQL, e.g. `"ai"."agno_spans"`. */
  sql: string;
  schema?: string;
  name: string;
}

export interface SqlSource {
  readonly dialect: 'sqlite' | 'postgres';
  /** The database as named in messages: a file path or host:port/db (never a password). */
  readonly where: string;
  /** Column names of a table, or undefined when the table does not exist. */
  columns(table: TableRef, signal?: AbortSignal): Promise<string[] | undefined>;
  query(sql: string, params: unknown[], signal?: AbortSignal): Promise<Row[]>;
  /** Fires when the underlying data may have changed (SQLite file writes). */
  onDidChange?(listener: () => void): Disposable;
  dispose(): void;
}

/** Agno creates plain identifiers; anything else is refused rather than quoted blindly. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export function isIdentifier(name: string): boolean {
  return IDENT.test(name);
}

export function tableRef(name: string, schema?: string): TableRef {
  return {
    name,
    schema,
    display: schema ? `${schema}.${name}` : name,
    sql: schema ? `"${schema}"."${name}"` : `"${name}"`,
  };
}

/** `?` → `$1, $2…` for PostgreSQL. Our SQL never has `?` inside literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
