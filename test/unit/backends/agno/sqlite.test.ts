import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { NO_SESSION_ID } from '../../../../src/backends/agno/map';
import { hasNodeSqlite } from '../../../../src/backends/agno/nodeSqlite';
import { createBackend } from '../../../../src/backends/registry';
import { loadAllSpans, type BackendChange } from '../../../../src/backends/types';
import {
  agnoExtraRun,
  agnoFixture,
  appendAgnoSqlite,
  FX,
  FX_COUNTS,
  T0,
  writeAgnoSqlite,
  writeSqliteWithoutTracing,
  type AgnoData,
} from '../../../fixtures/agno/index';
import { agno as agnoBackend, agnoContract, rejectsWith, testContext } from './contract';
import { interleavedContract, interleavedSession } from './interleaved';
import { waitFor } from '../../../support/waitFor';

// Both engines where the host has node:sqlite (`npm test` also runs this file on Node 24); sql.js alone on older Node.
const ENGINES = hasNodeSqlite() ? (['node:sqlite', 'sql.js'] as const) : (['sql.js'] as const);

for (const engine of ENGINES) describe(`agno backend — SQLite (${engine})`, function () {
  const setting = engine === 'sql.js' ? { sqliteEngine: 'sql.js' } : {};
  const agno: typeof agnoBackend = (config, root) => agnoBackend({ ...setting, ...config }, root);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agno-sqlite-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('fixture database', () => {
    let file: string;
    before(async () => {
      fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
      file = path.join(dir, 'tmp', 'traces.db');
      await writeAgnoSqlite(file, agnoFixture());
    });
    // Workspace-relative path, as in settings.json.
    agnoContract('sqlite', (extra) => agno({ database: 'tmp/traces.db', ...extra }, dir));

    it('is created through the registry and accepts SQLAlchemy-style sqlite:/// URLs', async () => {
      const context = testContext(dir);
      const b = await createBackend({ id: 'a', type: 'agno', database: 'sqlite:///tmp/traces.db', ...setting }, context);
      try {
        assert.equal(b.label, 'Agno · traces.db');
        assert.equal((await b.listSessions({})).sessions.length, 4);
        assert.ok(context.lines.some((l) => l.startsWith('info: ') && l.includes(`read with ${engine}`)), `the log names the engine: ${context.lines.join(' | ')}`);
      } finally {
        b.dispose?.();
      }
    });
  });

  describe('a session of overlapping runs', () => {
    interleavedContract((extra) => agno({ database: path.join(dir, 'interleaved.db'), ...extra }));
    before(() => writeAgnoSqlite(path.join(dir, 'interleaved.db'), interleavedSession()));
  });

  describe('a session of overlapping runs, spans without a trace_id index (one ordered scan per chunk)', () => {
    interleavedContract((extra) => agno({ database: path.join(dir, 'interleaved-noindex.db'), ...extra }));
    before(async () => {
      const file = path.join(dir, 'interleaved-noindex.db');
      await writeAgnoSqlite(file, interleavedSession());
      const SQL = await initSqlJs();
      const db = new SQL.Database(fs.readFileSync(file));
      db.run('DROP INDEX ix_agno_spans_trace_id');
      fs.writeFileSync(file, db.export());
      db.close();
    });
  });

  it('reads custom table names', async () => {
    const file = path.join(dir, 'custom.db');
    await writeAgnoSqlite(file, agnoFixture(), { tracesTable: 'my_traces', spansTable: 'my_spans' });
    const b = agno({ database: file, tracesTable: 'my_traces', spansTable: 'my_spans' });
    try {
      assert.equal((await loadAllSpans(b, FX.financeSession)).length, FX_COUNTS.finance);
    } finally {
      b.dispose?.();
    }
    const wrong = agno({ database: file });
    try {
      await rejectsWith(wrong.listSessions({}), 'notFound', /Table agno_traces was not found in .*custom\.db.*setup_tracing\(db=/);
    } finally {
      wrong.dispose?.();
    }
  });

  it('reports a database without tracing tables, naming the table', async () => {
    const file = path.join(dir, 'no-tracing.db');
    await writeSqliteWithoutTracing(file);
    const b = agno({ database: file });
    try {
      const err = await rejectsWith(b.listSessions({}), 'notFound', /Table agno_traces was not found/);
      assert.deepEqual(err.nextSteps, ['openSettings', 'retry']);
    } finally {
      b.dispose?.();
    }
  });

  it('reports a missing file, then picks it up when the agent creates it', async () => {
    const file = path.join(dir, 'later.db');
    const b = agno({ database: file });
    const events: BackendChange[] = [];
    const sub = b.onDidChange!((e) => events.push(e));
    try {
      await rejectsWith(b.listSessions({}), 'notFound', /later\.db does not exist.*setup_tracing/);
      await writeAgnoSqlite(file, agnoFixture());
      await waitFor('a change event', () => events.some((e) => e.sessionId === undefined));
      assert.equal((await b.listSessions({})).sessions.length, 4);
    } finally {
      sub.dispose();
      b.dispose?.();
    }
  });

  it('rejects a file that is not SQLite, and bad settings', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'hello, this is not a database at all'.repeat(10));
    const b = agno({ database: file });
    try {
      await rejectsWith(b.listSessions({}), 'badData', /notes\.txt is not an SQLite database/);
    } finally {
      b.dispose?.();
    }
    assert.throws(() => agno({ database: file, spansTable: 'spans; DROP TABLE x' }), /"spansTable" must be a plain table name/);
    assert.throws(() => agno({ database: '' }), /"database" is required/);
    assert.throws(() => agno({ database: file, sqliteEngine: 'native' }), /"sqliteEngine" must be "auto" or "sql.js", got "native"/);
    const folder = agno({ database: dir });
    await rejectsWith(folder.listSessions({}), 'config', /points to a folder/);
  });

  it('reports a database locked by a writer as retryable, and recovers', async () => {
    const file = path.join(dir, 'locked.db');
    await writeAgnoSqlite(file, agnoFixture());
    // What SQLite leaves beside the db while a write transaction is open: a hot rollback journal.
    const journal = Buffer.alloc(512);
    Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]).copy(journal);
    fs.writeFileSync(file + '-journal', journal);
    const b = agno({ database: file });
    try {
      const err = await rejectsWith(b.listSessions({}), 'timeout', /locked by a writer \(SQLITE_BUSY/);
      assert.deepEqual(err.nextSteps, ['retry']);
      fs.rmSync(file + '-journal');
      assert.equal((await b.listSessions({})).sessions.length, 4);
    } finally {
      b.dispose?.();
    }
  });

  it('follows a growing file: onDidChange fires for the session and new spans load', async () => {
    const file = path.join(dir, 'live.db');
    await writeAgnoSqlite(file, agnoFixture());
    const b = agno({ database: file });
    const events: BackendChange[] = [];
    const sub = b.onDidChange!((e) => events.push(e));
    try {
      assert.equal((await loadAllSpans(b, FX.financeSession)).length, FX_COUNTS.finance);
      await appendAgnoSqlite(file, agnoExtraRun(FX.financeSession, 1));
      await waitFor('a change event', () => events.some((e) => e.sessionId === FX.financeSession));
      assert.ok(events.some((e) => e.sessionId === undefined), 'the session list changed too');
      assert.ok(!events.some((e) => e.sessionId === FX.teamSession), 'untouched sessions are not reported');
      const spans = await loadAllSpans(b, FX.financeSession);
      assert.equal(spans.length, FX_COUNTS.finance + 2);
      const fin = (await b.listSessions({})).sessions.find((s) => s.id === FX.financeSession);
      assert.equal(fin?.attributes?.['agno.runs'], 3);

      // A brand-new session appears as a list change.
      events.length = 0;
      await appendAgnoSqlite(file, agnoExtraRun('sess-new', 2, T0 + 100 * 60_000));
      await waitFor('a change event', () => events.some((e) => e.sessionId === 'sess-new'));
      assert.equal((await b.listSessions({})).sessions[0].id, 'sess-new', 'newest first');
    } finally {
      sub.dispose();
      b.dispose?.();
    }
  });

  describe('WAL-mode database written by real SQLite', () => {
    // A writer in WAL mode keeps new pages in <db>-wal until a checkpoint; the
    // main file alone is stale. Python's sqlite3 module is the real writer here.
    function sqliteWriter(file: string, data: AgnoData, mode: 'wal-append'): void {
      const script = `
import json, os, sqlite3, sys
data = json.load(sys.stdin)
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('BEGIN')
for t in data['traces']:
    c.execute('INSERT INTO agno_traces VALUES (%s)' % ','.join('?' * len(t)), t)
for s in data['spans']:
    c.execute('INSERT INTO agno_spans VALUES (%s)' % ','.join('?' * len(s)), s)
c.execute('COMMIT')
sys.stdout.flush()
os._exit(0)  # exit without the close-time checkpoint: the new rows stay in the WAL only
`;
      const traces = data.traces.map((t) => [t.trace_id, t.name, t.status, t.start_time, t.end_time, t.duration_ms, t.run_id, t.session_id, t.user_id, t.agent_id, t.team_id, t.workflow_id, t.created_at]);
      const spans = data.spans.map((s) => [s.span_id, s.trace_id, s.parent_span_id, s.name, s.span_kind, s.status_code, s.status_message, s.start_time, s.end_time, s.duration_ms, typeof s.attributes === 'string' ? s.attributes : JSON.stringify(s.attributes), s.created_at]);
      const res = spawnSync('python3', ['-c', script, file], { input: JSON.stringify({ traces, spans }), encoding: 'utf8' });
      if (res.error || res.status !== 0) {
        throw new Error(`This test needs python3 with its sqlite3 module (a real SQLite writer in ${mode} mode): ${res.error?.message ?? res.stderr}`);
      }
    }

    it('reads committed rows that are only in the -wal file, and follows new ones', async () => {
      const file = path.join(dir, 'wal.db');
      await writeAgnoSqlite(file, agnoFixture());
      sqliteWriter(file, agnoExtraRun(FX.teamSession, 3), 'wal-append');
      assert.ok(fs.statSync(file + '-wal').size > 0, 'rows are in the WAL');
      const b = agno({ database: file });
      const events: BackendChange[] = [];
      const sub = b.onDidChange!((e) => events.push(e));
      try {
        assert.equal((await loadAllSpans(b, FX.teamSession)).length, FX_COUNTS.team + 2);
        sqliteWriter(file, agnoExtraRun(FX.teamSession, 4), 'wal-append');
        await waitFor('a change event', () => events.some((e) => e.sessionId === FX.teamSession));
        assert.equal((await loadAllSpans(b, FX.teamSession)).length, FX_COUNTS.team + 4);
        // The agent's database is never modified by reading it.
        const header = fs.readFileSync(file).subarray(18, 20);
        assert.deepEqual([...header], [2, 2], 'still a WAL-mode file');
      } finally {
        sub.dispose();
        b.dispose?.();
      }
    });
  });

  it('reads an integer past 2^53 as the nearest number instead of failing the page', async () => {
    const data = agnoFixture();
    const span = data.spans.find((s) => s.trace_id === data.traces.find((t) => t.session_id === FX.financeSession)!.trace_id)!;
    const file = path.join(dir, 'bigint.db');
    await writeAgnoSqlite(file, data);
    const res = spawnSync('python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE agno_spans SET duration_ms = 9223372036854775807 WHERE span_id = ?", (sys.argv[2],)); c.commit()', file, span.span_id], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const b = agno({ database: file });
    try {
      const spans = await loadAllSpans(b, FX.financeSession);
      assert.equal(spans.length, FX_COUNTS.finance);
      assert.ok(spans.some((s) => s.id === span.span_id), 'the span with the huge duration is loaded');
    } finally {
      b.dispose?.();
    }
  });

  it('handles a session with thousands of spans in pages', async function () {
    this.timeout(60_000);
    const { generateAgnoSpans } = await import('../../../fixtures/agno/index');
    const file = path.join(dir, 'big.db');
    await writeAgnoSqlite(file, generateAgnoSpans(5000, { sessionId: 'sess-big' }));
    const b = agno({ database: file });
    try {
      const t = Date.now();
      const pages: number[] = [];
      for await (const p of b.loadSpans('sess-big')) pages.push(p.spans.length);
      // A small first page, so the tree shows spans at once; then full pages (2,000).
      assert.deepEqual(pages, [250, 1000, 2000, 1750]);
      assert.ok(Date.now() - t < 15_000, `took ${Date.now() - t}ms`);
      assert.equal((await b.getSession('sess-big'))?.spanCount, 5000);
      assert.deepEqual((await b.listSessions({})).sessions.map((s) => s.id), ['sess-big']);
      assert.ok(!(await b.resolveSession(NO_SESSION_ID)).length);
    } finally {
      b.dispose?.();
    }
  });
});
