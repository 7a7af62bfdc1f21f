// Real Agno 3.1 (agents, a team, a reasoning model, a failing tool that the run
// recovers from, a run still in progress) traced by Agno's own setup_tracing
// into SQLite and PostgreSQL, read by our agno backend. Only the model is a
// stand-in (test/support/llm.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { produceAgno, readAgnoPostgresRows, readAgnoSqliteRows } from '../../../support/agnoProducer';
import { startLlmStandIn, type LlmStandIn } from '../../../support/llm';
import { startPostgres, type TestPostgres } from '../../../support/postgres';
import { ensureVenv } from '../../../support/python';
import { agno } from './contract';
import { checkAgnoRows, checkAgnoShapes } from './producerShapes';

describe('agno producer: real Agno runs → agno backend', function () {
  this.timeout(300_000);
  let llm: LlmStandIn;
  let dir: string;

  // On a fresh machine the pinned venv is built first (minutes): not within a test's timeout.
  before(function () {
    this.timeout(30 * 60_000);
    ensureVenv();
  });
  before(async () => {
    llm = await startLlmStandIn();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agno-producer-'));
  });
  after(async () => {
    await llm?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite (SqliteDb): every run shape decodes', async () => {
    const file = path.join(dir, 'agno.db');
    await produceAgno(llm, `sqlite:///${file}`);
    checkAgnoRows(await readAgnoSqliteRows(file));
    const backend = agno({ database: file });
    try {
      await checkAgnoShapes(backend);
    } finally {
      backend.dispose?.();
    }
  });

  describe('PostgreSQL (PostgresDb)', () => {
    let pg: TestPostgres;
    before(async () => {
      pg = await startPostgres(['agno']);
    });
    after(async () => pg?.close());

    it('every run shape decodes', async () => {
      await produceAgno(llm, pg.urlFor('agno').replace('postgresql://', 'postgresql+psycopg2://'));
      checkAgnoRows(await readAgnoPostgresRows(pg.urlFor('agno')));
      const backend = agno({ database: pg.urlFor('agno') });
      try {
        await checkAgnoShapes(backend);
      } finally {
        backend.dispose?.();
      }
    });
  });
});
