import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { NO_SESSION_ID } from '../../../../src/backends/agno/map';
import { hasNodeSqlite } from '../../../../src/backends/agno/nodeSqlite';
import { walHasFrames } from '../../../../src/backends/agno/wal';
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

// Every engine the host has (`npm test` also runs this file on Node 24, which has node:sqlite; Node 20 has not).
const ENGINES = hasNodeSqlite() ? (['node:sqlite', 'node-sqlite3-wasm', 'sql.js'] as const) : (['node-sqlite3-wasm', 'sql.js'] as const);
const SETTING = { 'node:sqlite': {}, 'node-sqlite3-wasm': { sqliteEngine: 'wasm' }, 'sql.js': { sqliteEngine: 'sql.js' } };

for (const engine of ENGINES) describe(`agno backend — SQLite (${engine})`, function () {
  const setting = SETTING[engine];
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

  // Python's sqlite3 module as the real writer: 'append' commits and closes
  // (rollback journal); 'wal' switches the file to WAL mode and closes (SQLite
  // checkpoints and removes the -wal and -shm); 'wal-append' commits in WAL
  // mode and exits without the close-time checkpoint, so the new rows stay in
  // the -wal only (and the -shm stays).
  function sqliteWriter(file: string, data: AgnoData, mode: 'append' | 'wal' | 'wal-append'): void {
    const script = `
import json, os, sqlite3, sys
data = json.load(sys.stdin)
mode = sys.argv[2]
c = sqlite3.connect(sys.argv[1], isolation_level=None)
if mode != 'append':
    c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('BEGIN')
for t in data['traces']:
    c.execute('INSERT INTO agno_traces VALUES (%s)' % ','.join('?' * len(t)), t)
for s in data['spans']:
    c.execute('INSERT INTO agno_spans VALUES (%s)' % ','.join('?' * len(s)), s)
c.execute('COMMIT')
sys.stdout.flush()
if mode == 'wal-append':
    os._exit(0)  # exit without the close-time checkpoint: the new rows stay in the WAL only
c.close()
`;
    const traces = data.traces.map((t) => [t.trace_id, t.name, t.status, t.start_time, t.end_time, t.duration_ms, t.run_id, t.session_id, t.user_id, t.agent_id, t.team_id, t.workflow_id, t.created_at]);
    const spans = data.spans.map((s) => [s.span_id, s.trace_id, s.parent_span_id, s.name, s.span_kind, s.status_code, s.status_message, s.start_time, s.end_time, s.duration_ms, typeof s.attributes === 'string' ? s.attributes : JSON.stringify(s.attributes), s.created_at]);
    const res = spawnSync('python3', ['-c', script, file, mode], { input: JSON.stringify({ traces, spans }), encoding: 'utf8' });
    if (res.error || res.status !== 0) {
      throw new Error(`This test needs python3 with its sqlite3 module (a real SQLite writer in ${mode} mode): ${res.error?.message ?? res.stderr}`);
    }
  }

  /** Every entry of the folder with its size, mtime and content hash (not atime: reading may update it). */
  function folderState(folder: string): Record<string, string> {
    const state: Record<string, string> = {};
    for (const name of fs.readdirSync(folder).sort()) {
      const f = path.join(folder, name);
      const st = fs.statSync(f, { bigint: true });
      state[name] = st.isDirectory() ? 'folder' : `${st.size}:${st.mtimeNs}:${createHash('sha1').update(fs.readFileSync(f)).digest('hex')}`;
    }
    return state;
  }

  /**
   * Runs `read` and asserts the folder is as it was: same entries, same bytes,
   * and that a watcher saw nothing (no lock folder, journal, -wal or -shm
   * created or written, even for a moment). `walReader`: node:sqlite is a real
   * WAL reader, which writes its read lock into the -shm and creates an empty
   * -wal and a -shm beside a WAL-mode file that has none, as every SQLite
   * reader does; for it only the database file itself is checked.
   */
  async function readsWithoutWriting(folder: string, read: () => Promise<void>, walReader = false): Promise<void> {
    const before = folderState(folder);
    const events: string[] = [];
    const watcher = fs.watch(folder, (event, name) => events.push(`${event} ${name}`));
    try {
      await read();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      watcher.close();
    }
    const after = folderState(folder);
    if (walReader) {
      assert.equal(after['agno.db'], before['agno.db'], 'the database file is unchanged');
      assert.deepEqual(Object.keys(after).filter((n) => !/^agno\.db(-wal|-shm)?$/.test(n)), [], 'nothing but the -wal and -shm');
      return;
    }
    assert.deepEqual(after, before, 'the folder and every file in it are unchanged');
    assert.deepEqual(events, [], 'nothing was created or written beside the database, even for a moment');
  }

  describe('never writes to the agent\'s database or its folder', () => {
    let folder: string;
    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(dir, 'ro-'));
    });

    it('a rollback-journal database written by Python\'s sqlite3', async () => {
      const file = path.join(folder, 'agno.db');
      await writeAgnoSqlite(file, agnoFixture());
      sqliteWriter(file, agnoExtraRun(FX.teamSession, 3), 'append');
      const b = agno({ database: file });
      try {
        await readsWithoutWriting(folder, async () => {
          assert.equal((await b.listSessions({})).sessions.length, 4);
          assert.equal((await loadAllSpans(b, FX.teamSession)).length, FX_COUNTS.team + 2);
        });
      } finally {
        b.dispose?.();
      }
      assert.deepEqual(fs.readdirSync(folder), ['agno.db']);
    });

    /** The team session (with the two spans the writer added) loads, and nothing beside the database is written. */
    async function loadsTeamWithoutWriting(file: string): Promise<void> {
      const b = agno({ database: file });
      try {
        await readsWithoutWriting(folder, async () => {
          assert.equal((await loadAllSpans(b, FX.teamSession)).length, FX_COUNTS.team + 2);
        }, engine === 'node:sqlite');
      } finally {
        b.dispose?.();
      }
    }

    it('a WAL-mode database with a live -wal and -shm (rows only in the -wal)', async () => {
      const file = path.join(folder, 'agno.db');
      await writeAgnoSqlite(file, agnoFixture());
      sqliteWriter(file, agnoExtraRun(FX.teamSession, 3), 'wal-append');
      assert.deepEqual(fs.readdirSync(folder).sort(), ['agno.db', 'agno.db-shm', 'agno.db-wal']);
      await loadsTeamWithoutWriting(file);
    });

    it('a WAL-mode database after a clean close (no -wal, no -shm)', async () => {
      const file = path.join(folder, 'agno.db');
      await writeAgnoSqlite(file, agnoFixture());
      sqliteWriter(file, agnoExtraRun(FX.teamSession, 3), 'wal');
      assert.deepEqual([...fs.readFileSync(file).subarray(18, 20)], [2, 2], 'a WAL-mode file');
      assert.deepEqual(fs.readdirSync(folder), ['agno.db'], 'checkpointed on close');
      await loadsTeamWithoutWriting(file);
      if (engine !== 'node:sqlite') assert.deepEqual(fs.readdirSync(folder), ['agno.db']);
    });
  });

  if (engine === 'node-sqlite3-wasm') {
    it('reads only the pages a query needs, not the whole file', async () => {
      const file = path.join(dir, 'pages.db');
      await writeAgnoSqlite(file, agnoFixture());
      const readFile = fs.promises.readFile;
      const wholeReads: string[] = [];
      fs.promises.readFile = ((f: fs.PathLike | fs.promises.FileHandle, ...rest: unknown[]) => {
        if (typeof f === 'string' && f.startsWith(file)) wholeReads.push(f);
        return (readFile as (...a: unknown[]) => Promise<unknown>)(f, ...rest);
      }) as typeof readFile;
      const b = agno({ database: file });
      try {
        assert.equal((await loadAllSpans(b, FX.financeSession)).length, FX_COUNTS.finance);
      } finally {
        fs.promises.readFile = readFile;
        b.dispose?.();
      }
      assert.deepEqual(wholeReads, [], 'the file is not copied into memory');
    });
  }

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
    assert.throws(() => agno({ database: file, sqliteEngine: 'native' }), /"sqliteEngine" must be "auto", "wasm" or "sql.js", got "native"/);
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
    // main file alone is stale.
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

describe('agno SQLite: which -wal files hold frames (node-sqlite3-wasm cannot read them; sql.js applies them)', () => {
  it('a live WAL written by SQLite does; a missing, empty or header-only one does not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agno-wal-'));
    try {
      const file = path.join(dir, 'w.db');
      const res = spawnSync('python3', ['-c', `
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('CREATE TABLE t (v TEXT)'); c.execute("INSERT INTO t VALUES ('x')")
os._exit(0)`, file], { encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      const wal = fs.readFileSync(file + '-wal');
      assert.ok(walHasFrames(wal.subarray(0, 56)));
      assert.ok(!walHasFrames(undefined));
      assert.ok(!walHasFrames(new Uint8Array(0)));
      assert.ok(!walHasFrames(wal.subarray(0, 32)), 'header only');
      const reset = Buffer.from(wal.subarray(0, 56));
      reset.writeUInt32BE(reset.readUInt32BE(16) + 1, 16); // a writer restarted the WAL: new salt, old frames
      assert.ok(!walHasFrames(reset));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
