// Agno's PostgreSQL database (PostgresDb), read through a small `pg` pool.
// Every session is read-only (default_transaction_read_only) with a lock
// timeout, so a long migration or a locked table surfaces as a retryable
// message instead of a hung tree, and nothing can be written by mistake.
import { Pool } from 'pg';
import { BackendError, throwIfAborted, toBackendError } from '../errors';
import type { Logger } from '../types';
import { numberPlaceholders, type Row, type SqlSource, type TableRef } from './sql';

export interface PostgresOptions {
  log?: Logger;
  /** How long a query waits for a table lock before giving up (ms). */
  lockTimeoutMs?: number;
  /** Upper bound for one query (ms). */
  statementTimeoutMs?: number;
}

/** SQLAlchemy URLs (`postgresql+psycopg://…`, as in Agno's docs) → a libpq URL. */
function normalizePostgresUrl(url: string): string {
  return url.replace(/^postgres(ql)?\+[a-z0-9_]+:\/\//i, 'postgresql://');
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?(\+[a-z0-9_]+)?:\/\//i.test(value);
}

/** host:port/db for messages: never the user name's password. */
function describePostgresUrl(url: string): string {
  try {
    const u = new URL(normalizePostgresUrl(url));
    const host = u.hostname || (u.searchParams.get('host') ?? 'localhost');
    return `${host}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : '/'}`;
  } catch {
    return 'PostgreSQL (unparsable URL)';
  }
}

/** `options=` given in the URL itself; kept ahead of ours. */
function urlOptions(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('options') ?? undefined;
  } catch {
    return undefined;
  }
}

export class PostgresSource implements SqlSource {
  readonly dialect = 'postgres' as const;
  readonly where: string;
  private pool: Pool | undefined;

  constructor(private readonly url: string, private readonly options: PostgresOptions = {}) {
    this.where = describePostgresUrl(url);
  }

  async columns(table: TableRef, signal?: AbortSignal): Promise<string[] | undefined> {
    const rows = await this.query(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      [table.schema ?? 'public', table.name],
      signal,
    );
    return rows.length ? rows.map((r) => String(r.column_name)) : undefined;
  }

  async query(sql: string, params: unknown[], signal?: AbortSignal): Promise<Row[]> {
    throwIfAborted(signal);
    try {
      const result = await this.getPool().query(numberPlaceholders(sql), params);
      throwIfAborted(signal);
      return result.rows as Row[];
    } catch (err) {
      throw this.translate(err);
    }
  }

  dispose(): void {
    const pool = this.pool;
    this.pool = undefined;
    pool?.end().catch(() => undefined);
  }

  private getPool(): Pool {
    if (!this.pool) {
      const connectionString = normalizePostgresUrl(this.url);
      const lock = Math.max(1, Math.round(this.options.lockTimeoutMs ?? 5000));
      const statement = Math.max(1, Math.round(this.options.statementTimeoutMs ?? 60_000));
      let pool: Pool;
      try {
        pool = new Pool({
          connectionString,
          max: 3,
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: 10_000,
          application_name: 'span-inspector',
          // Startup parameters: every session is read-only and gives up on locks, from its first query.
          // No JIT: our queries are short, and compiling one costs ~0.2 s whenever the planner
          // overestimates rows (a page of 250 spans took 250 ms, 228 of them compiling).
          options: [urlOptions(connectionString), `-c default_transaction_read_only=on -c lock_timeout=${lock} -c statement_timeout=${statement} -c jit=off`].filter(Boolean).join(' '),
        });
      } catch (err) {
        throw new BackendError('config', `The Agno "database" URL is not a valid PostgreSQL URL (${(err as Error).message}).`, { nextSteps: ['openSettings'] });
      }
      // Idle clients that lose their connection emit here; the next query reconnects.
      pool.on('error', (err) => this.options.log?.debug(`Agno (${this.where}): idle connection error: ${err.message}`));
      this.pool = pool;
    }
    return this.pool;
  }

  /** pg / PostgreSQL errors → a precise BackendError; never echoes the URL (it may hold a password). */
  private translate(err: unknown): BackendError {
    if (err instanceof BackendError) return err;
    const e = err as { code?: string; message?: string };
    const at = `PostgreSQL at ${this.where}`;
    const msg = e.message ?? String(err);
    switch (e.code) {
      case '28P01':
      case '28000':
        return new BackendError('auth', `${at} rejected the login: ${msg}. Check the user and password in the "database" URL (or PGPASSWORD).`, { nextSteps: ['openSettings', 'retry'], cause: err });
      case '3D000':
        return new BackendError('notFound', `${at}: ${msg}. Check the database name in the "database" URL.`, { nextSteps: ['openSettings', 'retry'], cause: err });
      case '42501':
        return new BackendError('forbidden', `${at}: ${msg}. The user needs SELECT on the Agno tracing tables.`, { nextSteps: ['openSettings', 'retry'], cause: err });
      case '55P03':
        return new BackendError('timeout', `${at}: a table is locked by another session (lock timeout). Agno or a migration may be writing; try again in a moment.`, { nextSteps: ['retry'], cause: err });
      case '57014':
        return new BackendError('timeout', `${at}: the query was cancelled (statement timeout).`, { nextSteps: ['retry'], cause: err });
      case '53300':
      case '57P03':
        return new BackendError('throttled', `${at} is not accepting connections right now: ${msg}`, { nextSteps: ['retry'], cause: err });
      default:
        break;
    }
    const net = toBackendError(err);
    if (net.code === 'network' || net.code === 'timeout') {
      return new BackendError(net.code, `Cannot reach ${at} (${e.code ?? 'connection error'}): is the server running and the URL right?`, { nextSteps: ['retry', 'openSettings'], cause: err });
    }
    if (/timeout exceeded when trying to connect|Connection terminated/i.test(msg)) {
      return new BackendError('timeout', `Cannot reach ${at}: ${msg}.`, { nextSteps: ['retry', 'openSettings'], cause: err });
    }
    return new BackendError('server', `${at}: ${msg}`, { nextSteps: ['retry', 'openLog'], cause: err });
  }
}
