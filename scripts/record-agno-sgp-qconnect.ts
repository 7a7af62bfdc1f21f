// Records what the real Agno, scale-gp-beta and botocore producers send into
// test/fixtures/recorded/{agno,sgp,qconnect}/, so fast unit tests run on real
// shapes without Python. Part of `npm run record`; alone:
//   npx tsx scripts/record-agno-sgp-qconnect.ts [agno] [sgp] [qconnect]
// Needs Python 3.11+ (the pinned venv is built on first use) and PostgreSQL.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startQConnectEmulator } from '../test/emulators/qconnect/emulator';
import { startSgpEmulator } from '../test/emulators/sgp/server';
import { produceAgno, readAgnoPostgresRows, readAgnoSqliteRows } from '../test/support/agnoProducer';
import { startLlmStandIn } from '../test/support/llm';
import { startPostgres } from '../test/support/postgres';
import { ROOT } from '../test/support/python';
import { botocore, LIST_SPANS_INPUTS } from '../test/support/qconnectBotocore';
import { produceSgp } from '../test/support/sgpProducer';

const OUT = path.join(ROOT, 'test', 'fixtures', 'recorded');

/** Versions as pinned in test/python/requirements.txt. */
function pinned(...names: string[]): Record<string, string> {
  const pins = new Map(
    fs
      .readFileSync(path.join(ROOT, 'test', 'python', 'requirements.txt'), 'utf8')
      .split('\n')
      .map((l) => /^([\w.-]+)==(\S+)/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1].toLowerCase(), m[2]]),
  );
  return Object.fromEntries(names.map((n) => [n, pins.get(n) ?? '?']));
}

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

export async function recordAgno(): Promise<void> {
  const llm = await startLlmStandIn();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-agno-'));
  const pg = await startPostgres();
  try {
    const producer = pinned('agno', 'openinference-instrumentation-agno', 'opentelemetry-sdk');
    const file = path.join(dir, 'agno.db');
    await produceAgno(llm, `sqlite:///${file}`);
    write(path.join(OUT, 'agno', 'sqlite.json'), { producer, database: 'SqliteDb', ...(await readAgnoSqliteRows(file)) });
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE agno');
    await admin.end();
    await produceAgno(llm, pg.urlFor('agno').replace('postgresql://', 'postgresql+psycopg2://'));
    write(path.join(OUT, 'agno', 'postgres.json'), { producer, database: 'PostgresDb', ...(await readAgnoPostgresRows(pg.urlFor('agno'))) });
  } finally {
    await llm.close();
    await pg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function recordSgp(): Promise<void> {
  const emu = await startSgpEmulator({ fixtures: false });
  try {
    await produceSgp(emu);
    const requests = emu.requests.filter((r) => r.path !== '/v5/spans/search').map((r) => ({ method: r.method, path: r.path, body: r.body }));
    const res = await fetch(`${emu.url}/v5/spans/search?limit=1000&sort_by=start_timestamp&sort_order=asc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': emu.apiKey, 'x-selected-account-id': emu.accountId },
      body: '{}',
    });
    const { items } = (await res.json()) as { items: unknown[] };
    write(path.join(OUT, 'sgp', 'writes.json'), { producer: pinned('scale-gp-beta'), requests });
    write(path.join(OUT, 'sgp', 'spans.json'), { producer: pinned('scale-gp-beta'), spans: items });
  } finally {
    await emu.close();
  }
}

export async function recordQconnect(): Promise<void> {
  const emulator = await startQConnectEmulator();
  try {
    const inputs = LIST_SPANS_INPUTS(emulator);
    const out = await botocore(emulator, { serialize: inputs.map((params) => ({ op: 'ListSpans', params })) });
    write(path.join(OUT, 'qconnect', 'list-spans-serialized.json'), {
      producer: { botocore: out.botocore },
      note: 'What botocore serializes for ListSpans (its qconnect model); our ListSpansCommand must send the same path and query.',
      cases: inputs.map((input, i) => ({ input, ...out.serialized[i] })),
    });
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const which = process.argv.slice(2);
  const all = !which.length;
  if (all || which.includes('agno')) await recordAgno();
  if (all || which.includes('sgp')) await recordSgp();
  if (all || which.includes('qconnect')) await recordQconnect();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
