// Fast tests on the rows real Agno wrote (test/fixtures/recorded/agno/,
// `npm run record`), replayed into a SQLite file: the same checks as the live
// producer test, without Python.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgnoData } from '../../../fixtures/agno/data';
import { writeAgnoSqlite } from '../../../fixtures/agno/sqlite';
import { agno } from './contract';
import { checkAgnoRows, checkAgnoShapes } from './producerShapes';

const DIR = path.resolve(__dirname, '../../../fixtures/recorded/agno');

describe('agno: recorded Agno 3.1 rows', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agno-recorded-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const name of ['sqlite.json', 'postgres.json']) {
    it(`${name}: every run shape decodes`, async () => {
      const data = JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')) as AgnoData;
      checkAgnoRows(data);
      const file = path.join(tmp, name.replace('.json', '.db'));
      await writeAgnoSqlite(file, data);
      const backend = agno({ database: file });
      try {
        await checkAgnoShapes(backend);
      } finally {
        backend.dispose?.();
      }
    });
  }
});
