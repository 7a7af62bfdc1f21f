// A throw-away PostgreSQL server (test/support/postgres.ts) holding the Agno
// tables of one generated session, for the `agno-pg` rows.
//   node --import tsx bench/pg.ts DATA_DIR   → prints `READY {"url":…}`, stops on stdin end / SIGTERM
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { loadAgnoPostgres } from '../test/fixtures/agno/postgres';
import type { AgnoData, AgnoSpanRow, AgnoTraceRow } from '../test/fixtures/agno/data';
import { SPAN_COLUMNS, TRACE_COLUMNS } from '../test/fixtures/agno/sqlite';
import { startPostgres } from '../test/support/postgres';

async function main(): Promise<void> {
  const dir = process.argv[2];
  // The rows come from the generated SQLite file, so both databases hold the same data.
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(path.join(dir, 'agno.db')));
  const rows = (table: string, cols: readonly string[]) => db.exec(`SELECT ${cols.join(', ')} FROM ${table}`)[0]?.values ?? [];
  const data: AgnoData = {
    traces: rows('agno_traces', TRACE_COLUMNS).map((r) => Object.fromEntries(TRACE_COLUMNS.map((c, i) => [c, r[i]])) as unknown as AgnoTraceRow),
    spans: rows('agno_spans', SPAN_COLUMNS).map((r) => {
      const o = Object.fromEntries(SPAN_COLUMNS.map((c, i) => [c, r[i]])) as unknown as AgnoSpanRow;
      o.attributes = typeof o.attributes === 'string' ? (JSON.parse(o.attributes) as Record<string, unknown>) : o.attributes;
      return o;
    }),
  };
  db.close();
  const pg = await startPostgres();
  await loadAgnoPostgres(pg.url, data);
  process.stdout.write(`READY ${JSON.stringify({ url: pg.url })}\n`);
  const stop = () => void pg.close().then(() => process.exit(0), () => process.exit(1));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
