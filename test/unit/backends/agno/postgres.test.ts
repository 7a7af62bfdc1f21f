import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { PostgresSource } from '../../../../src/backends/agno/postgres';
import { tableRef } from '../../../../src/backends/agno/sql';
import { loadAllSpans } from '../../../../src/backends/types';
import { agnoFixture, FX, FX_COUNTS, loadAgnoPostgres } from '../../../fixtures/agno/index';
import { startPostgres, type TestPostgres } from '../../../support/postgres';
import { agno, agnoContract, rejectsWith } from './contract';
import { interleavedContract, interleavedSession } from './interleaved';

describe('agno backend — PostgreSQL (pg)', function () {
  this.timeout(60_000);
  let pg: TestPostgres;

  before(async () => {
    pg = await startPostgres(['agno']);
    await loadAgnoPostgres(pg.urlFor('agno'), agnoFixture());
    await loadAgnoPostgres(pg.urlFor('agno'), agnoFixture(), { schema: 'tracing', tracesTable: 'my_traces', spansTable: 'my_spans' });
  });
  after(async () => {
    await pg?.close();
  });

  describe('fixture database (schema ai, default tables)', () => {
    // Agno's docs spell URLs the SQLAlchemy way.
    agnoContract('postgres', (extra) => agno({ database: pg.urlFor('agno').replace('postgresql://', 'postgresql+psycopg://'), ...extra }));
  });

  describe('a session of overlapping runs', () => {
    before(() => loadAgnoPostgres(pg.urlFor('agno'), interleavedSession(), { schema: 'overlap' }));
    interleavedContract((extra) => agno({ database: pg.urlFor('agno'), schema: 'overlap', ...extra }));
  });

  it('reads a custom schema and table names, and names a missing table', async () => {
    const b = agno({ database: pg.urlFor('agno'), schema: 'tracing', tracesTable: 'my_traces', spansTable: 'my_spans' });
    try {
      assert.equal((await loadAllSpans(b, FX.teamSession)).length, FX_COUNTS.team);
      assert.match(b.label, /^Agno · 127\.0\.0\.1:\d+\/agno$/);
    } finally {
      b.dispose?.();
    }
    const wrong = agno({ database: pg.urlFor('agno'), schema: 'public' });
    try {
      await rejectsWith(wrong.listSessions({}), 'notFound', /Table public\.agno_traces was not found in PostgreSQL 127\.0\.0\.1:\d+\/agno.*setup_tracing/);
    } finally {
      wrong.dispose?.();
    }
  });

  it('reports a table locked by another session as retryable, then recovers', async () => {
    const locker = new Client({ connectionString: pg.urlFor('agno') });
    await locker.connect();
    const b = agno({ database: pg.urlFor('agno'), lockTimeoutMs: 300 });
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE ai.agno_spans IN ACCESS EXCLUSIVE MODE');
      const err = await rejectsWith(loadAllSpans(b, FX.financeSession), 'timeout', /locked by another session \(lock timeout\)/);
      assert.deepEqual(err.nextSteps, ['retry']);
      await locker.query('ROLLBACK');
      assert.equal((await loadAllSpans(b, FX.financeSession)).length, FX_COUNTS.finance);
    } finally {
      await locker.end();
      b.dispose?.();
    }
  });

  it('opens read-only sessions without JIT compilation', async () => {
    const source = new PostgresSource(pg.urlFor('agno'));
    try {
      assert.deepEqual(await source.columns(tableRef('agno_traces', 'ai')).then((c) => c?.slice(0, 2)), ['trace_id', 'name']);
      await rejectsWith(source.query('DELETE FROM ai.agno_spans', []), 'server', /read-only transaction/);
      const [row] = await source.query('SELECT COUNT(*) AS n FROM ai.agno_spans', []);
      assert.equal(Number(row.n), agnoFixture().spans.length);
      // JIT costs ~0.2 s per query whose row estimate is high: the first page waited for it.
      const [jit] = await source.query('SHOW jit', []);
      assert.equal(jit.jit, 'off');
    } finally {
      source.dispose();
    }
  });

  it('reports a wrong password without revealing it', async () => {
    const secret = 'not-the-password-42';
    const b = agno({ database: pg.urlFor('agno', { password: secret }) });
    try {
      const err = await rejectsWith(b.listSessions({}), 'auth', /rejected the login.*password authentication failed/);
      assert.ok(!err.message.includes(secret));
      assert.ok(!(err.detail ?? '').includes(secret));
    } finally {
      b.dispose?.();
    }
  });

  it('reports a missing database and an unreachable server', async () => {
    const missing = agno({ database: pg.urlFor('nope') });
    try {
      await rejectsWith(missing.listSessions({}), 'notFound', /database "nope" does not exist/);
    } finally {
      missing.dispose?.();
    }
    const down = agno({ database: `postgresql://postgres:pw@127.0.0.1:1/agno` });
    try {
      const err = await rejectsWith(down.listSessions({}), 'network', /Cannot reach PostgreSQL at 127\.0\.0\.1:1\/agno \(ECONNREFUSED\)/);
      assert.ok(!err.message.includes(':pw@'));
    } finally {
      down.dispose?.();
    }
  });

  it('validates schema and table names before sending any SQL', () => {
    assert.throws(() => agno({ database: pg.urlFor('agno'), schema: 'ai"; DROP SCHEMA ai; --' }), /"schema" must be a plain identifier/);
    assert.throws(() => agno({ database: pg.urlFor('agno'), tracesTable: 'a b' }), /"tracesTable" must be a plain table name/);
  });
});
