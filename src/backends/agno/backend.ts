// The `agno` backend: traces that Agno's tracing (setup_tracing(db=…) or
// AgentOS(tracing=True)) writes into the agent's own database — a SQLite
// file or PostgreSQL. Two tables (FORMATS.md §3): `agno_traces` (one row per
// run) and `agno_spans` (OpenTelemetry spans with OpenInference attributes).
//
// Mapping (./map):
// - a Session is a distinct `agno_traces.session_id`; each run (trace) of it
//   becomes a root span tree. Root spans carry the run's trace row as
//   `agno.trace.*` attributes so the tree can label runs.
// - traces without a session id, and spans whose trace row is missing, are
//   grouped under one synthetic session, NO_SESSION_ID ("No session").
// - spans are read in keyset pages ordered by (start_time, span_id), so a
//   page cursor resumes exactly where a failed load stopped (./queries).
import * as path from 'node:path';
import { StringPool } from '../../model/intern';
import type { Session, Span } from '../../model/types';
import { numLike as num, text as str } from '../decode/wire';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendChange, BackendConfig, BackendContext, Disposable, ListOptions, LoadOptions, SessionPage, SpanPage } from '../types';
import { FingerprintChanges } from './changes';
import { parseAgnoConfig } from './config';
import { addOrphans, NO_SESSION_ID, NO_SESSION_NAME, rawSpanRow, rowToSession, rowToSpan } from './map';
import { PostgresSource } from './postgres';
import { AgnoQueries, type Columns } from './queries';
import { tableRef, type Row, type SqlSource } from './sql';
import { SqliteSource } from './sqlite';
import { SpanKeyWalk } from './walk';

const DEFAULT_SESSION_PAGE = 100;
/** Most span keys ordered per query; pages are cut from them. */
const KEY_CHUNK = 50_000;
/** The first chunk of keys, so the first spans come after small queries; each next chunk is CHUNK_GROWTH times larger. */
const FIRST_CHUNK = 250;
const CHUNK_GROWTH = 4;

export function createAgnoBackend(config: BackendConfig, context: BackendContext): Backend {
  return new AgnoBackend(config, context);
}

class AgnoBackend implements Backend {
  readonly id: string;
  readonly type = 'agno' as const;
  readonly label: string;
  private readonly source: SqlSource;
  private readonly q: AgnoQueries;
  private readonly spanPage: number;
  private readonly changes: FingerprintChanges;
  private sourceSub: Disposable | undefined;

  constructor(config: BackendConfig, context: BackendContext) {
    this.id = config.id;
    const settings = parseAgnoConfig(config, context);
    const db = settings.database;
    this.source = db.dialect === 'postgres' ? new PostgresSource(db.url, { log: context.log, lockTimeoutMs: db.lockTimeoutMs }) : new SqliteSource(db.file, { log: context.log, engine: db.engine });
    this.q = new AgnoQueries(this.source, tableRef(settings.tracesTable, settings.schema), tableRef(settings.spansTable, settings.schema));
    this.spanPage = settings.spanPage;
    this.changes = new FingerprintChanges(() => this.q.fingerprints(), context.log, this.id);
    this.label =
      typeof config.label === 'string' && config.label
        ? config.label
        : `Agno · ${this.source.dialect === 'sqlite' ? path.basename(this.source.where) : this.source.where}`;
  }

  // -------------------------------------------------------------------------
  // Sessions

  async listSessions(options: ListOptions): Promise<SessionPage> {
    const cols = await this.q.columns(options.signal);
    const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_SESSION_PAGE, 1000));
    const offset = options.cursor ? Number(options.cursor) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new BackendError('badData', `Invalid session page cursor "${options.cursor}".`, { nextSteps: ['retry'] });
    }
    const warnings: string[] = [];
    if (!cols.spans) warnings.push(this.q.missingTableMessage(this.q.spans));
    const rows = await this.q.sessionPage(cols, limit, offset, options.signal);
    const more = rows.length > limit;
    const sessions = await this.withSpanCounts(cols, rows.slice(0, limit), options.signal);
    if (offset === 0) {
      // "No session" rides on the first page, at its place in time (or last).
      const none = await this.noSession(cols, options.signal);
      if (none) {
        const at = sessions.findIndex((s) => (s.startTime ?? 0) < (none.startTime ?? 0));
        sessions.splice(at < 0 ? sessions.length : at, 0, none);
        if (none.attributes?.['agno.orphanTraces']) {
          warnings.push(`${none.attributes['agno.orphanTraces']} trace(s) have spans in ${this.q.spans.display} but no row in ${this.q.traces.display}; their spans are listed under "${NO_SESSION_NAME}".`);
        }
      }
    }
    return { sessions, cursor: more ? String(offset + limit) : undefined, warnings: warnings.length ? warnings : undefined };
  }

  async getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined> {
    const cols = await this.q.columns(signal);
    if (sessionId === NO_SESSION_ID) return this.noSession(cols, signal);
    return (await this.sessionsByIds(cols, [sessionId], signal))[0];
  }

  /** The span's row, read again: rows are not kept beside the spans (a 100k-span session would hold its data twice). */
  async rawRecord(span: Span, signal?: AbortSignal): Promise<unknown> {
    const row = await this.q.spanRow(span.id, span.traceId ?? '', signal);
    return row && rawSpanRow(row);
  }

  async resolveSession(query: string, signal?: AbortSignal): Promise<Session[]> {
    const q = query.trim();
    if (!q) return [];
    const cols = await this.q.columns(signal);
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
    if (q === NO_SESSION_ID || q.toLowerCase() === NO_SESSION_NAME.toLowerCase()) {
      add([await this.noSession(cols, signal)]);
    }
    // 1. a session id
    add(await this.sessionsByIds(cols, [q], signal));
    // 2. a run id or trace id (→ its session), or a span id (→ its trace's session)
    add(await this.sessionsForKeys(cols, await this.q.sessionsOfId(cols, q, signal), signal));
    // A span or trace id whose trace row is missing lives in "No session".
    if (!found.length && (await this.q.isOrphan(cols, q, signal))) add([await this.noSession(cols, signal)]);
    // 3. names: run/agent/team/workflow names and ids, case-insensitive substring
    add(await this.sessionsForKeys(cols, await this.q.sessionsNamed(cols, q, signal), signal));
    return found;
  }

  // -------------------------------------------------------------------------
  // Spans

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const { signal } = options;
    const cols = await this.q.columns(signal);
    if (!cols.spans) {
      throw new BackendError('notFound', this.q.missingTableMessage(this.q.spans), { nextSteps: ['openSettings', 'retry'] });
    }
    let after = parseCursor(options.resumeFrom);
    const none = sessionId === NO_SESSION_ID;
    const orphansSeen = new Set<string>();
    // Every model call's row repeats the prompt and the conversation so far: keep one copy of each long string.
    const pool = new StringPool();
    const notFound = () => new BackendError('notFound', `No Agno session "${sessionId}" in ${this.q.where()}.`, { nextSteps: ['retry'] });
    const page = async (keys: { k?: unknown; st?: unknown }[], done: boolean): Promise<SpanPage> => {
      const rows = await this.q.spanRows(cols, keys.map((k) => k.k), signal);
      const warnings: string[] = [];
      const spans = rows.map((row) => pool.internDeep(rowToSpan(row, sessionId, warnings, orphansSeen, this.q.traces.display)));
      const last = keys[keys.length - 1];
      after = [String(last.st ?? ''), String(last.k ?? '')];
      return { spans, cursor: done ? undefined : JSON.stringify(after), warnings: warnings.length ? warnings : undefined };
    };
    // "No session" holds spans without a trace row, which only a scan finds.
    if (!none && cols.traces.has('session_id') && cols.traces.has('start_time') && (await this.q.spansByTrace(signal))) {
      const runs = await this.q.sessionRuns(cols, sessionId, signal);
      if (!runs.length && !after) {
        throw notFound();
      }
      const walk = new SpanKeyWalk(
        runs.map((r) => ({ id: String(r.id), st: String(r.st ?? '') })),
        after,
        (ids, from) => this.q.runSpanKeys(ids, from, signal),
      );
      // Pages grow like the chunks below: a small first one, so the tree shows spans at once.
      for (let size = Math.min(this.spanPage, FIRST_CHUNK); ; size = Math.min(this.spanPage, size * CHUNK_GROWTH)) {
        throwIfAborted(signal);
        const keys = await walk.take(size);
        if (!keys.length) {
          yield { spans: [] }; // an empty session, or resumed after its last span
          return;
        }
        yield await page(keys, walk.done);
        if (walk.done) return;
      }
    }
    let first = !after;
    const maxChunk = Math.max(this.spanPage, KEY_CHUNK - (KEY_CHUNK % this.spanPage));
    let chunk = Math.min(this.spanPage, FIRST_CHUNK);
    for (;; chunk = Math.min(maxChunk, chunk * CHUNK_GROWTH)) {
      throwIfAborted(signal);
      const keys = await this.q.spanKeys(cols, sessionId, after, chunk, signal);
      if (first && !keys.length && !none && !(await this.q.sessionExists(cols, sessionId, signal))) {
        throw notFound();
      }
      if (!keys.length) {
        // An empty session, or the previous chunk ended exactly at the last span.
        yield { spans: [] };
        return;
      }
      first = false;
      for (let i = 0; i < keys.length; i += this.spanPage) {
        throwIfAborted(signal);
        const done = keys.length < chunk && i + this.spanPage >= keys.length;
        yield await page(keys.slice(i, i + this.spanPage), done);
        if (done) return;
      }
    }
  }

  // -------------------------------------------------------------------------
  // Live updates (SQLite files)

  onDidChange(listener: (change: BackendChange) => void): Disposable {
    const sub = this.changes.add(listener);
    if (!this.sourceSub && this.source.onDidChange) {
      this.changes.start();
      this.sourceSub = this.source.onDidChange(() => {
        this.q.forgetColumns(); // tracing may just have created the tables
        this.changes.changed();
      });
    }
    return sub;
  }

  dispose(): void {
    this.sourceSub?.dispose();
    this.changes.dispose();
    this.source.dispose();
  }

  // -------------------------------------------------------------------------
  // Rows → sessions

  /** Adds span counts (one grouped query for the whole page). */
  private async withSpanCounts(cols: Columns, rows: Row[], signal?: AbortSignal): Promise<Session[]> {
    const ids = rows.map((r) => String(r.sid));
    const counts = await this.q.spanCounts(cols, ids, signal);
    return rows.map((r, i) => rowToSession(this.id, ids[i], r, cols.spans ? (counts.get(ids[i]) ?? 0) : undefined));
  }

  private async sessionsByIds(cols: Columns, ids: string[], signal?: AbortSignal): Promise<Session[]> {
    if (!ids.length) return [];
    return this.withSpanCounts(cols, await this.q.sessionsByIds(cols, ids, signal), signal);
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
    const { row, spanCount, orphans } = await this.q.noSession(cols, signal);
    if (!(num(row?.runs) ?? 0) && !(num(orphans?.traces) ?? 0)) return undefined;
    return addOrphans(rowToSession(this.id, NO_SESSION_ID, row ?? {}, spanCount), orphans);
  }
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
