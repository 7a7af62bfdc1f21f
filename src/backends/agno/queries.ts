// The SQL of the `agno` backend over either dialect (./sql): which columns
// this Agno version has, the session key, grouped session rows, span keyset
// pages and per-session change fingerprints. Rows come back unmapped (./map).
import { BackendError } from '../errors';
import { numLike as num, text as str } from '../decode/wire';
import { NO_SESSION_ID, TRACE_PREFIX } from './map';
import type { Row, SqlSource, TableRef } from './sql';

export interface Columns {
  traces: Set<string>;
  /** Undefined when the spans table does not exist. */
  spans: Set<string> | undefined;
}

/** Rows for the "No session" session: its runs (grouped) and the spans without a trace row. */
export interface NoSessionRows {
  row: Row | undefined;
  /** Spans of runs without a session id plus orphaned spans; undefined without a spans table. */
  spanCount: number | undefined;
  orphans: Row | undefined;
}

const RESOLVE_LIMIT = 20;

export class AgnoQueries {
  private columnsCache: Promise<Columns> | undefined;
  private byTraceCache: Promise<boolean> | undefined;

  constructor(readonly source: SqlSource, readonly traces: TableRef, readonly spans: TableRef) {}

  /** The database as named in messages. */
  where(): string {
    return this.source.dialect === 'sqlite' ? this.source.where : `PostgreSQL ${this.source.where}`;
  }

  missingTableMessage(table: TableRef): string {
    return `Table ${table.display} was not found in ${this.where()}. This Agno database has no tracing tables yet (or they have other names): enable tracing with setup_tracing(db=…) or AgentOS(tracing=True) and run an agent, or set "tracesTable"/"spansTable"${this.source.dialect === 'postgres' ? '/"schema"' : ''} in the backend settings.`;
  }

  /** Forgets the cached columns (tracing may just have created the tables). */
  forgetColumns(): void {
    this.columnsCache = undefined;
    this.byTraceCache = undefined;
  }

  async columns(signal?: AbortSignal): Promise<Columns> {
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

  // ------------------------------------------------------------- sessions

  /** One page of grouped session rows (`sid` and the sessionSelect columns), newest first. */
  sessionPage(cols: Columns, limit: number, offset: number, signal?: AbortSignal): Promise<Row[]> {
    const key = this.sessionKey(cols);
    return this.source.query(
      `${this.sessionSelect(cols)} WHERE ${key} IS NOT NULL GROUP BY ${key} ORDER BY MAX(${this.c(this.tc(cols, 'start_time'))}) DESC, ${key} LIMIT ? OFFSET ?`,
      [limit + 1, offset],
      signal,
    );
  }

  sessionsByIds(cols: Columns, ids: string[], signal?: AbortSignal): Promise<Row[]> {
    const key = this.sessionKey(cols);
    return this.source.query(
      `${this.sessionSelect(cols)} WHERE ${key} IN (${ids.map(() => '?').join(', ')}) GROUP BY ${key} ORDER BY MAX(${this.c(this.tc(cols, 'start_time'))}) DESC`,
      ids,
      signal,
    );
  }

  /** Span counts of the given sessions (one grouped query). */
  async spanCounts(cols: Columns, ids: string[], signal?: AbortSignal): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!cols.spans || !ids.length) return counts;
    const key = this.sessionKey(cols);
    const res = await this.source.query(
      `SELECT ${key} AS sid, COUNT(*) AS n FROM ${this.spans.sql} s JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id WHERE ${key} IN (${ids.map(() => '?').join(', ')}) GROUP BY ${key}`,
      ids,
      signal,
    );
    for (const r of res) counts.set(String(r.sid), num(r.n) ?? 0);
    return counts;
  }

  /** Runs without a session id plus spans whose trace row is missing. */
  async noSession(cols: Columns, signal?: AbortSignal): Promise<NoSessionRows> {
    const key = this.sessionKey(cols);
    const [row] = await this.source.query(`${this.sessionSelect(cols)} WHERE ${key} IS NULL GROUP BY ${key}`, [], signal);
    if (!cols.spans) return { row, spanCount: undefined, orphans: undefined };
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
    return { row, spanCount: (num(own?.n) ?? 0) + (num(orphans?.n) ?? 0), orphans };
  }

  async sessionExists(cols: Columns, sessionId: string, signal?: AbortSignal): Promise<boolean> {
    const rows = await this.source.query(`SELECT 1 AS x FROM ${this.traces.sql} t WHERE ${this.sessionKey(cols)} = ? LIMIT 1`, [sessionId], signal);
    return rows.length > 0;
  }

  /** `{sid}` rows of the sessions of a run id, trace id or span id. */
  sessionsOfId(cols: Columns, id: string, signal?: AbortSignal): Promise<Row[]> {
    const ids: unknown[] = [id];
    let where = 't.trace_id = ?';
    if (cols.traces.has('run_id')) {
      where += ' OR t.run_id = ?';
      ids.push(id);
    }
    if (cols.spans) {
      where += ` OR t.trace_id IN (SELECT s.trace_id FROM ${this.spans.sql} s WHERE s.span_id = ?)`;
      ids.push(id);
    }
    return this.source.query(`SELECT DISTINCT ${this.sessionKey(cols)} AS sid FROM ${this.traces.sql} t WHERE ${where}`, ids, signal);
  }

  /** Whether a span or trace id has spans but no trace row (it lives in "No session"). */
  async isOrphan(cols: Columns, id: string, signal?: AbortSignal): Promise<boolean> {
    if (!cols.spans) return false;
    const orphan = await this.source.query(`SELECT 1 AS x FROM ${this.spans.sql} s WHERE s.trace_id = ? OR s.span_id = ? LIMIT 1`, [id, id], signal);
    return orphan.length > 0;
  }

  /** `{sid}` rows of sessions whose run/agent/team/workflow names or ids contain `q` (case-insensitive), newest first. */
  async sessionsNamed(cols: Columns, q: string, signal?: AbortSignal): Promise<Row[]> {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    const nameCols = ['name', 'agent_id', 'team_id', 'workflow_id', 'user_id'].filter((c) => cols.traces.has(c));
    if (!nameCols.length) return [];
    const key = this.sessionKey(cols);
    const cond = nameCols.map((c) => `LOWER(t."${c}") LIKE ? ESCAPE '\\'`).join(' OR ');
    return this.source.query(
      `SELECT ${key} AS sid, MAX(${this.c(this.tc(cols, 'start_time'))}) AS latest FROM ${this.traces.sql} t WHERE ${cond} GROUP BY ${key} ORDER BY latest DESC LIMIT ${RESOLVE_LIMIT}`,
      nameCols.map(() => like),
      signal,
    );
  }

  // ------------------------------------------------------------- spans

  /**
   * The next `limit` span keys (`k` span id, `st` start) of a session after
   * `after` ([start, span id]), in (start_time, span_id) order. Two steps,
   * because sorting whole rows (attributes are kilobytes) page after page is
   * what makes big sessions slow: first the order as narrow keys, a chunk at
   * a time; then each page's rows by primary key (spanRows).
   */
  spanKeys(cols: Columns, sessionId: string, after: [string, string] | undefined, limit: number, signal?: AbortSignal): Promise<Row[]> {
    const none = sessionId === NO_SESSION_ID;
    const key = this.sessionKey(cols);
    // `t.session_id = ?` first so the session_id index serves finished runs; a run
    // still in progress (no session_id on its row yet) is found by its spans' session.id.
    const where = none
      ? `(t.trace_id IS NULL OR ${key} IS NULL)`
      : cols.traces.has('session_id') ? `(t.session_id = ? OR ((t.session_id IS NULL OR t.session_id = '') AND ${key} = ?))` : '1 = 0';
    const params: unknown[] = none ? [] : [sessionId, sessionId];
    let sql = `SELECT s.span_id AS k, COALESCE(s.start_time, '') AS st FROM ${none ? this.joined() : `${this.spans.sql} s JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id`} WHERE ${where}`;
    if (after) {
      sql += ` AND ${this.afterKey()}`;
      params.push(after[0], after[0], after[1]);
    }
    return this.source.query(`${sql} ORDER BY ${this.c(`COALESCE(s.start_time, '')`)}, ${this.c('s.span_id')} LIMIT ?`, [...params, limit], signal);
  }

  /**
   * Whether spans can be looked up by trace_id through an index (Agno creates
   * ix_<spans>_trace_id): then a session's keys are read run by run (./walk)
   * instead of in a scan of the whole spans table per chunk.
   */
  spansByTrace(signal?: AbortSignal): Promise<boolean> {
    this.byTraceCache ??= (async () => {
      const rows =
        this.source.dialect === 'postgres'
          ? await this.source.query(
              `SELECT 1 AS x FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) AND a.attname = 'trace_id' LIMIT 1`,
              [this.spans.sql],
              signal,
            )
          : await this.source.query(
              `SELECT 1 AS x FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = 'trace_id' LIMIT 1`,
              [this.spans.name],
              signal,
            );
      return rows.length > 0;
    })();
    const pending = this.byTraceCache;
    // A failed look-up (cancelled, say) is asked again next time.
    pending.catch(() => {
      if (this.byTraceCache === pending) this.byTraceCache = undefined;
    });
    return pending;
  }

  /**
   * The runs (trace id, start) of a named session, as spanKeys selects them.
   * Two branches so that each can use the session_id index.
   */
  sessionRuns(cols: Columns, sessionId: string, signal?: AbortSignal): Promise<Row[]> {
    const key = this.sessionKey(cols);
    const select = `SELECT t.trace_id AS id, COALESCE(${this.tc(cols, 'start_time')}, '') AS st FROM ${this.traces.sql} t`;
    return this.source.query(
      `${select} WHERE t.session_id = ? UNION ALL ${select} WHERE (t.session_id IS NULL OR t.session_id = '') AND ${key} = ?`,
      [sessionId, sessionId],
      signal,
    );
  }

  /** Keys (`k`, `st`) of the spans of these traces after `after`, unordered: the caller merges them (./walk). */
  runSpanKeys(traceIds: string[], after: [string, string] | undefined, signal?: AbortSignal): Promise<Row[]> {
    let sql = `SELECT s.span_id AS k, COALESCE(s.start_time, '') AS st FROM ${this.spans.sql} s WHERE s.trace_id IN (${traceIds.map(() => '?').join(', ')})`;
    const params: unknown[] = [...traceIds];
    if (after) {
      sql += ` AND ${this.afterKey()}`;
      params.push(after[0], after[0], after[1]);
    }
    return this.source.query(sql, params, signal);
  }

  /** Whole span rows with their run's trace row as `t__*` columns, in the order of `ids`. */
  async spanRows(cols: Columns, ids: unknown[], signal?: AbortSignal): Promise<Row[]> {
    const traceCols = [...cols.traces].filter((c) => c !== 'trace_id');
    // Root spans also count their run's failed spans: the run's status comes from them (see runFailed).
    const errorSpans = `CASE WHEN s.parent_span_id IS NULL OR s.parent_span_id = '' THEN (SELECT COUNT(*) FROM ${this.spans.sql} se WHERE se.trace_id = s.trace_id AND se.status_code = 'ERROR') END AS "${TRACE_PREFIX}error_spans"`;
    const select = ['s.*', `t.trace_id AS ${TRACE_PREFIX}trace_id`, ...traceCols.map((c) => `t."${c}" AS "${TRACE_PREFIX}${c}"`), errorSpans].join(', ');
    const rows = await this.source.query(`SELECT ${select} FROM ${this.joined()} WHERE s.span_id IN (${ids.map(() => '?').join(', ')})`, ids, signal);
    const at = new Map(ids.map((id, j) => [String(id), j]));
    return rows.sort((a, b) => (at.get(String(a.span_id)) ?? 0) - (at.get(String(b.span_id)) ?? 0));
  }

  /** One span's own row, as stored (the Raw tab). */
  async spanRow(spanId: string, traceId: string, signal?: AbortSignal): Promise<Row | undefined> {
    const rows = await this.source.query(`SELECT s.* FROM ${this.spans.sql} s WHERE s.span_id = ? AND s.trace_id = ? LIMIT 1`, [spanId, traceId], signal);
    return rows[0];
  }

  // ------------------------------------------------------------- changes

  /** Per session: span count, latest span end and run count; a change means new data to show. */
  async fingerprints(): Promise<Map<string, string> | undefined> {
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

  // ------------------------------------------------------------- SQL pieces

  /** `s` comes after the key bound as (start, start, span id). */
  private afterKey(): string {
    const start = this.c(`COALESCE(s.start_time, '')`);
    return `(${start} > ? OR (${start} = ? AND ${this.c('s.span_id')} > ?))`;
  }

  private joined(): string {
    return `${this.spans.sql} s LEFT JOIN ${this.traces.sql} t ON t.trace_id = s.trace_id`;
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
}
