// The `agno` backend: traces that Agno's tracing (setup_tracing(db=…) or
// AgentOS(tracing=True)) writes into the agent's own database — a SQLite
// file or PostgreSQL. Two tables (FORMATS.md §3): `agno_traces` (one row per
// run) and `agno_spans` (OpenTelemetry spans with OpenInference attributes).
//
// Mapping:
// - a Session is a distinct `agno_traces.session_id`; each run (trace) of it
//   becomes a root span tree. Root spans carry the run's trace row as
//   `agno.trace.*` attributes so the tree can label runs.
// - traces without a session id, and spans whose trace row is missing, are
//   grouped under one synthetic session, NO_SESSION_ID ("No session").
// - spans are read in keyset pages ordered by (start_time, span_id), so a
//   page cursor resumes exactly where a failed load stopped.
import * as path from 'node:path';
import { setRaw } from '../../model/raw';
import { isoToMs } from '../../model/time';
import type { Session, Span, SpanStatus } from '../../model/types';
import { configError, optionalString, requireString } from '../config';
import { BackendError, throwIfAborted } from '../errors';
import { otelToSpan } from '../otel/span';
import type { Backend, BackendChange, BackendConfig, BackendContext, Disposable, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { isPostgresUrl, PostgresSource } from './postgres';
import { isIdentifier, tableRef, type Row, type SqlSource, type TableRef } from './sql';
import { SqliteSource } from './sqlite';
import { numLike as num, text as str } from '../decode/wire';

/** The synthetic session holding runs without a session id and spans without a trace row. */
export const NO_SESSION_ID = 'agno:no-session';
export const NO_SESSION_NAME = 'No session';

export const DEFAULT_SPAN_PAGE = 2000;
const DEFAULT_SESSION_PAGE = 100;
const RESOLVE_LIMIT = 20;
/** Span keys ordered per query; pages are cut from them. */
const KEY_CHUNK = 50_000;

/** Span columns with a slot in the model; any other column goes to attributes as `agno.<column>`. */
const SPAN_COLUMNS = new Set(['span_id', 'trace_id', 'parent_span_id', 'name', 'span_kind', 'status_code', 'status_message', 'start_time', 'end_time', 'duration_ms', 'attributes']);
const TRACE_PREFIX = 't__';

export function createAgnoBackend(config: BackendConfig, context: BackendContext): Backend {
  return new AgnoBackend(config, context);
}

interface Columns {
  traces: Set<string>;
  /** Undefined when the spans table does not exist. */
  spans: Set<string> | undefined;
}

class AgnoBackend implements Backend {
  readonly id: string;
  readonly type = 'agno' as const;
  readonly label: string;
  private readonly source: SqlSource;
  private readonly traces: TableRef;
  private readonly spans: TableRef;
  private readonly spanPage: number;
  private columnsCache: Promise<Columns> | undefined;
  private readonly listeners = new Set<(c: BackendChange) => void>();
  private sourceSub: Disposable | undefined;
  private prints: Promise<Map<string, string> | undefined> | undefined;

  constructor(config: BackendConfig, private readonly context: BackendContext) {
    this.id = config.id;
    const database = requireString(config, 'database');
    const tracesName = tableName(config, 'tracesTable', 'agno_traces');
    const spansName = tableName(config, 'spansTable', 'agno_spans');
    let schema = optionalString(config, 'schema');
    if (schema !== undefined && !isIdentifier(schema)) {
      throw configError(config, `"schema" must be a plain identifier (letters, digits, _), got ${JSON.stringify(schema)}.`);
    }
    const page = config.pageSize;
    this.spanPage = typeof page === 'number' && Number.isInteger(page) && page > 0 ? page : DEFAULT_SPAN_PAGE;

    if (isPostgresUrl(database)) {
      schema ??= 'ai'; // PostgresDb's default schema
      const lockTimeoutMs = typeof config.lockTimeoutMs === 'number' ? config.lockTimeoutMs : undefined;
      this.source = new PostgresSource(database, { log: context.log, lockTimeoutMs });
    } else {
      if (schema !== undefined) {
        context.log.warn(`[${this.id}] "schema" applies to PostgreSQL only; ignored for the SQLite file.`);
        schema = undefined;
      }
      // SQLAlchemy style (sqlite:///tmp/agno.db) as in Agno's docs, or a plain path.
      const file = database.replace(/^sqlite:\/\/\//i, '');
      this.source = new SqliteSource(context.resolvePath(file), { log: context.log });
    }
    this.traces = tableRef(tracesName, schema);
    this.spans = tableRef(spansName, schema);
    this.label =
      typeof config.label === 'string' && config.label
        ? config.label
        : `Agno · ${this.source.dialect === 'sqlite' ? path.basename(this.source.where) : this.source.where}`;
  }

  // -------------------------------------------------------------------------
  // Sessions

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const cols = await this.columns(options.signal);
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_SESSION_PAGE, 1000));
    const offset = options.cursor ? Number(options.cursor) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new BackendError('badData', `Invalid session page cursor "${options.cursor}".`, { nextSteps: ['retry'] });
    }
    const warnings: string[] = [];
    if (!cols.spans) warnings.push(this.missingTableMessage(this.spans));
    const key = this.sessionKey(cols);
    const rows = await this.source.query(
      `${this.sessionSelect(cols)} WHERE ${key} IS NOT NULL GROUP BY ${key} ORDER BY MAX(${this.c(this.tc(cols, 'start_time'))}) DESC, ${key} LIMIT ? OFFSET ?`,
      [limit + 1, offset],
      options.signal,
    );
    const more = rows.length > limit;
    const sessions = await this.withSpanCounts(cols, rows.slice(0, limit), options.signal);
    if (offset === 0) {
      // "No session" rides on the first page, at its place in time (or last).
      const none = await this.noSession(cols, options.signal);
      if (none) {
        const at = sessions.findIndex((s) => (s.startTime ?? 0) < (none.startTime ?? 0));
        sessions.splice(at < 0 ? sessions.length : at, 0, none);
        if (none.attributes?.['agno.orphanTraces']) {
          warnings.push(`${none.attributes['agno.orphanTraces']} trace(s) have spans in ${this.spans.display} but no row in ${this.traces.display}; their spans are listed under "${NO_SESSION_NAME}".`);
        }
      }
    }
    return { sessions, cursor: more ? String(offset + limit) : undefined, warnings: warnings.length ? warnings : undefined };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const cols = await this.columns(signal);
    if (sessionId === NO_SESSION_ID) return this.noSession(cols, signal);
    return (await this.sessionsByIds(cols, [sessionId], signal))[0];
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const q = query.trim();
    if (!q) return [];
    const cols = await this.columns(signal);
    const found: Session[] = [];
    const seen = new Set<string>();
    const add = (list: (Session | undefined)[]) => {
      for (const s of list) {
        if (s && !seen.has(s.id)) {
          seen.add(s.id);
          found.push(s);
        }
      }
    };
    const key = this.sessionKey(cols);
    if (q === NO_SESSION_ID || q.toLowerCase() === NO_SESSION_NAME.toLowerCase()) {
      add([await this.noSession(cols, signal)]);
    }
    // 1. a session id
    add(await this.sessionsByIds(cols, [q], signal));
    // 2. a run id or trace id (→ its session), or a span id (→ its trace's session)
    const ids: unknown[] = [q];
    let where = 't.trace_id = ?';
    if (cols.traces.has('run_id')) {
      where += ' OR t.run_id = ?';
      ids.push(q);
    }
    if (cols.spans) {
      where += ` OR t.trace_id IN (SELECT s.trace_id FROM ${this.spans.sql} s WHERE s.span_id = ?)`;
      ids.push(q);
    }
    const byRun = await this.source.query(`SELECT DISTINCT ${key} AS sid FROM ${this.traces.sql} t WHERE ${where}`, ids, signal);
    add(await this.sessionsForKeys(cols, byRun, signal));
    if (cols.spans && !found.length) {
      // A span or trace id whose trace row is missing lives in "No session".
      const orphan = await this.source.query(`SELECT 1 AS x FROM ${this.spans.sql} s WHERE s.trace_id = ? OR s.span_id = ? LIMIT 1`, [q, q], signal);
      if (orphan.length) add([await this.noSession(cols, signal)]);
    }
    // 3. names: run/agent/team/workflow names and ids, case-insensitive substring
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    const nameCols = ['name', 'agent_id', 'team_id', 'workflow_id', 'user_id'].filter((c) => cols.traces.has(c));
    if (nameCols.length) {
      const cond = nameCols.map((c) => `LOWER(t."${c}") LIKE ? ESCAPE '\\'`).join(' OR ');
      const byName = await this.source.query(
        `SELECT ${key} AS sid, MAX(${this.c(this.tc(cols, 'start_time'))}) AS latest FROM ${this.traces.sql} t WHERE ${cond} GROUP BY ${key} ORDER BY latest DESC LIMIT ${RESOLVE_LIMIT}`,
        nameCols.map(() => like),
        signal,
      );
      add(await this.sessionsForKeys(cols, byName, signal));
    }
    return found;
  }

  // -------------------------------------------------------------------------
  // Spans

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const { signal } = options;
    const cols = await this.columns(signal);
    if (!cols.spans) {
      throw new BackendError('notFound', this.missingTableMessage(this.spans), { nextSteps: ['openSettings', 'retry'] });
    }
    let after = parseCursor(options.resumeFrom);
    const none = sessionId === NO_SESSION_ID;
    const key = this.sessionKey(cols);
    const traceCols = [...cols.traces].filter((c) => c !== 'trace_id');
    // Root spans also count their run's failed spans: the run's status comes from them (see runFailed).
    const errorSpans = `CASE WHEN s.parent_span_id IS NULL OR s.parent_span_id = '' THEN (SELECT COUNT(*) FROM ${this.spans.sql} se WHERE se.trace_id = s.trace_id AND se.status_code = 'ERROR') END AS "${TRACE_PREFIX}error_spans"`;
    const select = ['s.*', `t.trace_id AS ${TRACE_PREFIX}trace_id`, ...traceCols.map((c) => `t."${c}" AS "${TRACE_PREFIX}${c}"`), errorSpans].join(', ');
    const joined = `${this.spans.sql} s LEFT JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id`;
    // `t.session_id = ?` (not NULLIF) so the session_id index can be used.
    // `t.session_id = ?` first so the session_id index serves finished runs; a run
    // still in progress (no session_id on its row yet) is found by its spans' session.id.
    const where = none
      ? `(t.trace_id IS NULL OR ${key} IS NULL)`
      : cols.traces.has('session_id') ? `(t.session_id = ? OR ((t.session_id IS NULL OR t.session_id = '') AND ${key} = ?))` : '1 = 0';
    const start = this.c(`COALESCE(s.start_time, '')`);
    const spanId = this.c('s.span_id');
    const orphansSeen = new Set<string>();
    let first = !after;

    // Two steps, because sorting whole rows (attributes are kilobytes) page
    // after page is what makes big sessions slow: first the order as narrow
    // keys, a chunk at a time; then each page's rows by primary key.
    for (;;) {
      throwIfAborted(signal);
      const params: unknown[] = none ? [] : [sessionId, sessionId];
      let sql = `SELECT s.span_id AS k, COALESCE(s.start_time, '') AS st FROM ${none ? joined : `${this.spans.sql} s JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id`} WHERE ${where}`;
      if (after) {
        sql += ` AND (${start} > ? OR (${start} = ? AND ${spanId} > ?))`;
        params.push(after[0], after[0], after[1]);
      }
      const chunk = Math.max(this.spanPage, KEY_CHUNK - (KEY_CHUNK % this.spanPage));
      const keys = await this.source.query(`${sql} ORDER BY ${start}, ${spanId} LIMIT ?`, [...params, chunk], signal);
      if (first && !keys.length && !none && !(await this.sessionExists(cols, sessionId, signal))) {
        throw new BackendError('notFound', `No Agno session "${sessionId}" in ${this.where()}.`, { nextSteps: ['retry'] });
      }
      if (!keys.length) {
        // An empty session, or the previous chunk ended exactly at the last span.
        yield { spans: [] };
        return;
      }
      first = false;
      for (let i = 0; i < keys.length; i += this.spanPage) {
        throwIfAborted(signal);
        const page = keys.slice(i, i + this.spanPage);
        const ids = page.map((k) => k.k);
        const rows = await this.source.query(`SELECT ${select} FROM ${joined} WHERE s.span_id IN (${ids.map(() => '?').join(', ')})`, ids, signal);
        const at = new Map(ids.map((id, j) => [String(id), j]));
        rows.sort((a, b) => (at.get(String(a.span_id)) ?? 0) - (at.get(String(b.span_id)) ?? 0));
        const warnings: string[] = [];
        const spans = rows.map((row) => this.rowToSpan(row, sessionId, warnings, orphansSeen));
        const last = page[page.length - 1];
        after = [String(last.st ?? ''), String(last.k ?? '')];
        const done = keys.length < chunk && i + this.spanPage >= keys.length;
        yield { spans, cursor: done ? undefined : JSON.stringify(after), warnings: warnings.length ? warnings : undefined };
        if (done) return;
      }
    }
  }

  private rowToSpan(row: Row, sessionId: string, warnings: string[], orphansSeen: Set<string>): Span {
    const spanId = str(row.span_id) ?? '';
    const name = str(row.name) ?? '(unnamed span)';
    // attributes: JSON text in SQLite, JSONB (already parsed by pg) in PostgreSQL.
    let attributes: Record<string, unknown> = {};
    let rawAttributes: unknown = row.attributes;
    let malformed: string | undefined;
    let nonObject: unknown;
    if (typeof row.attributes === 'string') {
      try {
        rawAttributes = JSON.parse(row.attributes);
      } catch {
        malformed = row.attributes;
      }
    }
    if (malformed === undefined && rawAttributes !== null && rawAttributes !== undefined) {
      if (typeof rawAttributes === 'object' && !Array.isArray(rawAttributes)) attributes = rawAttributes as Record<string, unknown>;
      else nonObject = rawAttributes;
    }
    const startTime = isoToMs(row.start_time) ?? isoToMs(row.created_at);
    const span = otelToSpan(
      {
        traceId: str(row.trace_id) ?? '',
        spanId,
        parentSpanId: str(row.parent_span_id),
        name,
        kind: str(row.span_kind),
        startTime: startTime ?? 0,
        endTime: isoToMs(row.end_time),
        durationMs: num(row.duration_ms),
        status: status(row.status_code),
        statusMessage: str(row.status_message),
        attributes,
      },
      sessionId,
    );
    const attrs = span.attributes;
    if (malformed !== undefined) {
      attrs['agno.attributes_raw'] = malformed;
      warnings.push(`Span "${name}" (${spanId}) has malformed JSON in its attributes column; its raw text is kept as "agno.attributes_raw".`);
    } else if (nonObject !== undefined) {
      attrs['agno.attributes'] = nonObject;
    }
    if (startTime === undefined) {
      warnings.push(`Span "${name}" (${spanId}) has no valid start_time (${JSON.stringify(row.start_time ?? null)}); it is placed at the epoch.`);
    }
    const raw: Row = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith(TRACE_PREFIX)) continue;
      raw[k] = k === 'attributes' ? rawAttributes : v;
      if (!SPAN_COLUMNS.has(k) && v !== null && v !== undefined) attrs[`agno.${k}`] = v;
    }
    const traceId = str(row.trace_id) ?? '';
    if (row[`${TRACE_PREFIX}trace_id`] === null || row[`${TRACE_PREFIX}trace_id`] === undefined) {
      if (!orphansSeen.has(traceId)) {
        orphansSeen.add(traceId);
        warnings.push(`Trace ${traceId} has spans but no row in ${this.traces.display}; they are shown under "${NO_SESSION_NAME}".`);
      }
    } else if (!span.parentId) {
      // The run's own record, for labelling the run in the tree.
      for (const [k, v] of Object.entries(row)) {
        if (k.startsWith(TRACE_PREFIX) && k !== `${TRACE_PREFIX}trace_id` && v !== null && v !== undefined && v !== '') {
          const numeric = k === `${TRACE_PREFIX}duration_ms` || k === `${TRACE_PREFIX}error_spans`;
          attrs[`agno.trace.${k.slice(TRACE_PREFIX.length)}`] = numeric ? (num(v) ?? v) : v;
        }
      }
      const failed = num(row[`${TRACE_PREFIX}error_spans`]) ?? 0;
      if (!failed) delete attrs['agno.trace.error_spans'];
      else if (attrs['agno.trace.status'] !== 'ERROR') {
        // The row keeps the last batch's status; the run had failed spans.
        if (attrs['agno.trace.status'] !== undefined) attrs['agno.trace.row_status'] = attrs['agno.trace.status'];
        attrs['agno.trace.status'] = 'ERROR';
      }
    }
    return setRaw(span, raw);
  }

  // -------------------------------------------------------------------------
  // Live updates (SQLite files)

  onDidChange(listener: (change: BackendChange) => void): Disposable {
    this.listeners.add(listener);
    if (!this.sourceSub && this.source.onDidChange) {
      this.prints = this.fingerprints();
      this.sourceSub = this.source.onDidChange(() => this.changed());
    }
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.sourceSub?.dispose();
    this.listeners.clear();
    this.source.dispose();
  }

  private changed(): void {
    this.columnsCache = undefined; // tracing may just have created the tables
    const before = this.prints ?? Promise.resolve(undefined);
    const after = before.then(() => this.fingerprints());
    this.prints = after;
    void Promise.all([before, after]).then(([old, now]) => {
      this.emit({});
      if (!old || !now) return;
      for (const id of new Set([...old.keys(), ...now.keys()])) {
        if (old.get(id) !== now.get(id)) this.emit({ sessionId: id });
      }
    });
  }

  private emit(change: BackendChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.context.log.error(`[${this.id}] change listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Per session: span count, latest span end and run count; a change means new data to show. */
  private async fingerprints(): Promise<Map<string, string> | undefined> {
    try {
      const cols = await this.columns();
      const key = this.sessionKey(cols);
      const prints = new Map<string, string>();
      const runs = await this.source.query(
        `SELECT ${key} AS sid, COUNT(*) AS n, MAX(${this.tc(cols, 'end_time')}) AS e, MAX(${this.tc(cols, 'status')}) AS st FROM ${this.traces.sql} t GROUP BY ${key}`,
        [],
      );
      for (const r of runs) prints.set(str(r.sid) ?? NO_SESSION_ID, `${r.n}|${r.e}|${r.st}`);
      if (cols.spans) {
        const spans = await this.source.query(
          `SELECT ${key} AS sid, COUNT(*) AS n, MAX(s.end_time) AS e FROM ${this.spans.sql} s LEFT JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id GROUP BY ${key}`,
          [],
        );
        for (const r of spans) {
          const id = str(r.sid) ?? NO_SESSION_ID;
          prints.set(id, `${prints.get(id) ?? ''}#${r.n}|${r.e}`);
        }
      }
      return prints;
    } catch {
      return undefined; // missing file or tables: any later data counts as a change
    }
  }

  // -------------------------------------------------------------------------
  // Queries and helpers

  private async columns(signal?: AbortSignal): Promise<Columns> {
    this.columnsCache ??= (async () => {
      const traces = await this.source.columns(this.traces, signal);
      if (!traces) {
        throw new BackendError('notFound', this.missingTableMessage(this.traces), { nextSteps: ['openSettings', 'retry'] });
      }
      if (!traces.includes('trace_id')) {
        throw new BackendError('badData', `${this.traces.display} in ${this.where()} has no trace_id column: it is not an Agno traces table. Check "tracesTable".`, { nextSteps: ['openSettings'] });
      }
      const spans = await this.source.columns(this.spans, signal);
      if (spans && !(spans.includes('span_id') && spans.includes('trace_id'))) {
        throw new BackendError('badData', `${this.spans.display} in ${this.where()} has no span_id/trace_id columns: it is not an Agno spans table. Check "spansTable".`, { nextSteps: ['openSettings'] });
      }
      return { traces: new Set(traces), spans: spans ? new Set(spans) : undefined };
    })();
    const pending = this.columnsCache;
    try {
      const cols = await pending;
      // A missing spans table may appear later (tracing enabled): look again next time.
      if (!cols.spans && this.columnsCache === pending) this.columnsCache = undefined;
      return cols;
    } catch (err) {
      if (this.columnsCache === pending) this.columnsCache = undefined;
      throw err;
    }
  }

  private missingTableMessage(table: TableRef): string {
    return `Table ${table.display} was not found in ${this.where()}. This Agno database has no tracing tables yet (or they have other names): enable tracing with setup_tracing(db=…) or AgentOS(tracing=True) and run an agent, or set "tracesTable"/"spansTable"${this.source.dialect === 'postgres' ? '/"schema"' : ''} in the backend settings.`;
  }

  private where(): string {
    return this.source.dialect === 'sqlite' ? this.source.where : `PostgreSQL ${this.source.where}`;
  }

  /** PostgreSQL compares text by locale; ISO timestamps and hex ids need byte order. */
  private c(expr: string): string {
    return this.source.dialect === 'postgres' ? `(${expr}) COLLATE "C"` : expr;
  }

  /** A trace column, or a typed NULL when this Agno version lacks it. */
  private tc(cols: Columns, name: string): string {
    return cols.traces.has(name) ? `t."${name}"` : 'CAST(NULL AS TEXT)';
  }

  /**
   * A run's session: its trace row's session_id, else the `session.id` its spans
   * carry. Agno fills the row's session_id only from the run's root span, which
   * is written when the run ends, so a run still in progress (or one whose
   * process died) has a row without it while its finished agent spans (a team
   * member's run, say) already name the session.
   */
  private sessionKey(cols: Columns): string {
    if (!cols.traces.has('session_id')) return 'CAST(NULL AS TEXT)';
    const own = `NULLIF(t.session_id, '')`;
    if (!cols.spans) return own;
    return `COALESCE(${own}, (SELECT MAX(${this.spanAttr('sx', 'session.id')}) FROM ${this.spans.sql} sx WHERE sx.trace_id = t.trace_id))`;
  }

  /** A string attribute of a span row (JSON text in SQLite; JSONB in PostgreSQL, or json/text in hand-made tables). */
  private spanAttr(alias: string, key: string): string {
    return this.source.dialect === 'postgres'
      ? `NULLIF((${alias}.attributes)::jsonb->>'${key}', '')`
      : `NULLIF(json_extract(CASE WHEN json_valid(${alias}.attributes) THEN ${alias}.attributes END, '$."${key}"'), '')`;
  }

  /** Runs whose own (root) span was never written: still in progress, or their process died. */
  private unfinished(cols: Columns): string {
    if (!cols.spans) return '0';
    return `SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM ${this.spans.sql} sr WHERE sr.trace_id = t.trace_id AND (sr.parent_span_id IS NULL OR sr.parent_span_id = '')) THEN 1 ELSE 0 END)`;
  }

  /**
   * Whether a run failed, from its spans: Agno's upsert keeps the status of the
   * last span batch written (the root's, OK), so a run whose tool failed before
   * it recovered still says OK on its row although Agno counts it as an error.
   */
  private runFailed(cols: Columns): string {
    const row = `${this.tc(cols, 'status')} = 'ERROR'`;
    if (!cols.spans) return row;
    return `(${row} OR EXISTS (SELECT 1 FROM ${this.spans.sql} se WHERE se.trace_id = t.trace_id AND se.status_code = 'ERROR'))`;
  }

  private sessionSelect(cols: Columns): string {
    const tc = (n: string) => this.tc(cols, n);
    const names = this.source.dialect === 'postgres' ? `string_agg(DISTINCT ${tc('name')}, ',')` : `group_concat(DISTINCT ${tc('name')})`;
    return `SELECT ${this.sessionKey(cols)} AS sid, MIN(${this.c(tc('start_time'))}) AS start_time, MAX(${this.c(tc('end_time'))}) AS end_time, COUNT(*) AS runs,
      SUM(CASE WHEN ${this.runFailed(cols)} THEN 1 ELSE 0 END) AS errors, SUM(CASE WHEN ${tc('status')} = 'OK' THEN 1 ELSE 0 END) AS oks,
      MAX(${tc('user_id')}) AS user_id, MAX(${tc('agent_id')}) AS agent_id, MAX(${tc('team_id')}) AS team_id, MAX(${tc('workflow_id')}) AS workflow_id,
      ${this.unfinished(cols)} AS unfinished, ${names} AS names FROM ${this.traces.sql} t`;
  }

  private toSession(id: string, row: Row, spanCount: number | undefined): Session {
    const runs = num(row.runs) ?? 0;
    const errors = num(row.errors) ?? 0;
    const session: Session = { backendId: this.id, id };
    const name = id === NO_SESSION_ID ? NO_SESSION_NAME : sessionName(str(row.names));
    if (name) session.name = name;
    const startTime = isoToMs(row.start_time);
    const endTime = isoToMs(row.end_time);
    if (startTime !== undefined) session.startTime = startTime;
    if (endTime !== undefined) session.endTime = endTime;
    if (spanCount !== undefined) session.spanCount = spanCount;
    session.status = errors > 0 ? 'error' : (num(row.oks) ?? 0) > 0 ? 'ok' : 'unset';
    const attributes: Record<string, unknown> = { 'agno.runs': runs, 'agno.errorRuns': errors };
    const unfinished = num(row.unfinished) ?? 0;
    if (unfinished) attributes['agno.unfinishedRuns'] = unfinished;
    for (const [col, attr] of [['user_id', 'user.id'], ['agent_id', 'agno.agent.id'], ['team_id', 'agno.team.id'], ['workflow_id', 'agno.workflow.id']]) {
      const v = str(row[col]);
      if (v) attributes[attr] = v;
    }
    session.attributes = attributes;
    return session;
  }

  /** Adds span counts (one grouped query for the whole page). */
  private async withSpanCounts(cols: Columns, rows: Row[], signal?: AbortSignal): Promise<Session[]> {
    const ids = rows.map((r) => String(r.sid));
    const counts = new Map<string, number>();
    if (cols.spans && ids.length) {
      const key = this.sessionKey(cols);
      const res = await this.source.query(
        `SELECT ${key} AS sid, COUNT(*) AS n FROM ${this.spans.sql} s JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id WHERE ${key} IN (${ids.map(() => '?').join(', ')}) GROUP BY ${key}`,
        ids,
        signal,
      );
      for (const r of res) counts.set(String(r.sid), num(r.n) ?? 0);
    }
    return rows.map((r, i) => this.toSession(ids[i], r, cols.spans ? (counts.get(ids[i]) ?? 0) : undefined));
  }

  private async sessionsByIds(cols: Columns, ids: string[], signal?: AbortSignal): Promise<Session[]> {
    if (!ids.length) return [];
    const key = this.sessionKey(cols);
    const rows = await this.source.query(
      `${this.sessionSelect(cols)} WHERE ${key} IN (${ids.map(() => '?').join(', ')}) GROUP BY ${key} ORDER BY MAX(${this.c(this.tc(cols, 'start_time'))}) DESC`,
      ids,
      signal,
    );
    return this.withSpanCounts(cols, rows, signal);
  }

  /** Rows of `{sid}` → sessions; a NULL sid is "No session". */
  private async sessionsForKeys(cols: Columns, rows: Row[], signal?: AbortSignal): Promise<Session[]> {
    const ids = rows.map((r) => str(r.sid)).filter((s): s is string => !!s);
    const byId = new Map((await this.sessionsByIds(cols, ids, signal)).map((s) => [s.id, s]));
    const out: Session[] = [];
    for (const r of rows) {
      const sid = str(r.sid);
      const s = sid ? byId.get(sid) : await this.noSession(cols, signal);
      if (s) out.push(s);
    }
    return out;
  }

  /** Runs without a session id plus spans whose trace row is missing; undefined when there are none. */
  private async noSession(cols: Columns, signal?: AbortSignal): Promise<Session | undefined> {
    const key = this.sessionKey(cols);
    const [row] = await this.source.query(`${this.sessionSelect(cols)} WHERE ${key} IS NULL GROUP BY ${key}`, [], signal);
    let spanCount: number | undefined;
    let orphanTraces = 0;
    let orphanErrors = 0;
    let start: unknown;
    let end: unknown;
    if (cols.spans) {
      const [own] = await this.source.query(
        `SELECT COUNT(*) AS n FROM ${this.spans.sql} s JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id WHERE ${key} IS NULL`,
        [],
        signal,
      );
      const [orphans] = await this.source.query(
        `SELECT COUNT(DISTINCT s.trace_id) AS traces, COUNT(*) AS n, MIN(${this.c('s.start_time')}) AS start_time, MAX(${this.c('s.end_time')}) AS end_time,
          SUM(CASE WHEN s.status_code = 'ERROR' THEN 1 ELSE 0 END) AS errors
         FROM ${this.spans.sql} s LEFT JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id WHERE t.trace_id IS NULL`,
        [],
        signal,
      );
      spanCount = (num(own?.n) ?? 0) + (num(orphans?.n) ?? 0);
      orphanTraces = num(orphans?.traces) ?? 0;
      orphanErrors = num(orphans?.errors) ?? 0;
      start = orphans?.start_time;
      end = orphans?.end_time;
    }
    const runs = num(row?.runs) ?? 0;
    if (!runs && !orphanTraces) return undefined;
    const session = this.toSession(NO_SESSION_ID, row ?? {}, spanCount);
    // Widen the time range and status with the orphaned spans.
    const s = isoToMs(start);
    const e = isoToMs(end);
    if (s !== undefined && (session.startTime === undefined || s < session.startTime)) session.startTime = s;
    if (e !== undefined && (session.endTime === undefined || e > session.endTime)) session.endTime = e;
    if (orphanErrors) session.status = 'error';
    else if (orphanTraces && session.status === 'unset') session.status = 'ok';
    if (orphanTraces) session.attributes = { ...session.attributes, 'agno.orphanTraces': orphanTraces };
    return session;
  }

  private async sessionExists(cols: Columns, sessionId: string, signal?: AbortSignal): Promise<boolean> {
    const rows = await this.source.query(`SELECT 1 AS x FROM ${this.traces.sql} t WHERE ${this.sessionKey(cols)} = ? LIMIT 1`, [sessionId], signal);
    return rows.length > 0;
  }
}

function tableName(config: BackendConfig, key: string, fallback: string): string {
  const v = optionalString(config, key) ?? fallback;
  if (!isIdentifier(v)) {
    throw configError(config, `"${key}" must be a plain table name (letters, digits, _), got ${JSON.stringify(v)}.`);
  }
  return v;
}

function parseCursor(cursor: string | undefined): [string, string] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(cursor) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new BackendError('badData', `Invalid span page cursor ${JSON.stringify(cursor)}; reload the session.`, { nextSteps: ['retry'] });
}

/** "Web_Agent.run,Research_Team.arun" → "Web_Agent, Research_Team". */
function sessionName(names: string | undefined): string | undefined {
  if (!names) return undefined;
  const unique = [...new Set(names.split(',').map((n) => n.trim().replace(/\.a?run$/, '')).filter(Boolean))].sort();
  if (!unique.length) return undefined;
  return unique.length > 3 ? `${unique.slice(0, 3).join(', ')} +${unique.length - 3}` : unique.join(', ');
}

function status(v: unknown): SpanStatus {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  return s === 'OK' ? 'ok' : s === 'ERROR' ? 'error' : 'unset';
}
