// The `agno` backend's settings: the database (a SQLite file or a PostgreSQL
// URL), the two table names, the PostgreSQL schema, the SQLite engine and the
// span page size.
import { configError, optionalString, requireString } from '../config';
import type { BackendConfig, BackendContext } from '../types';
import { isPostgresUrl } from './postgres';
import { isIdentifier } from './sql';

const DEFAULT_SPAN_PAGE = 2000;

export interface AgnoSettings {
  /** A PostgreSQL URL, or the SQLite file's path (resolved). */
  database: { dialect: 'postgres'; url: string; lockTimeoutMs?: number } | { dialect: 'sqlite'; file: string; engine: 'auto' | 'wasm' | 'sql.js' };
  tracesTable: string;
  spansTable: string;
  /** PostgreSQL only (default `ai`, PostgresDb's default schema). */
  schema?: string;
  spanPage: number;
}

export function parseAgnoConfig(config: BackendConfig, context: BackendContext): AgnoSettings {
  const database = requireString(config, 'database');
  const tracesTable = tableName(config, 'tracesTable', 'agno_traces');
  const spansTable = tableName(config, 'spansTable', 'agno_spans');
  let schema = optionalString(config, 'schema');
  if (schema !== undefined && !isIdentifier(schema)) {
    throw configError(config, `"schema" must be a plain identifier (letters, digits, _), got ${JSON.stringify(schema)}.`);
  }
  const page = config.pageSize;
  const spanPage = typeof page === 'number' && Number.isInteger(page) && page > 0 ? page : DEFAULT_SPAN_PAGE;
  if (isPostgresUrl(database)) {
    const lockTimeoutMs = typeof config.lockTimeoutMs === 'number' ? config.lockTimeoutMs : undefined;
    return { database: { dialect: 'postgres', url: database, lockTimeoutMs }, tracesTable, spansTable, schema: schema ?? 'ai', spanPage };
  }
  if (schema !== undefined) {
    context.log.warn(`[${config.id}] "schema" applies to PostgreSQL only; ignored for the SQLite file.`);
    schema = undefined;
  }
  // SQLAlchemy style (sqlite:///tmp/agno.db) as in Agno's docs, or a plain path.
  const file = database.replace(/^sqlite:\/\/\//i, '');
  const engine = optionalString(config, 'sqliteEngine') ?? 'auto';
  if (engine !== 'auto' && engine !== 'wasm' && engine !== 'sql.js') {
    throw configError(config, `"sqliteEngine" must be "auto", "wasm" or "sql.js", got ${JSON.stringify(engine)}.`);
  }
  return { database: { dialect: 'sqlite', file: context.resolvePath(file), engine }, tracesTable, spansTable, spanPage };
}

function tableName(config: BackendConfig, key: string, fallback: string): string {
  const v = optionalString(config, key) ?? fallback;
  if (!isIdentifier(v)) {
    throw configError(config, `"${key}" must be a plain table name (letters, digits, _), got ${JSON.stringify(v)}.`);
  }
  return v;
}
