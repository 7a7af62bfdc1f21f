// Starts a throw-away PostgreSQL server for tests: initdb into a fresh temp
// folder, listen on 127.0.0.1 and a free port (plus a private unix socket
// folder), stop and delete everything on close().
//
// PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` OS user (Debian's package creates it). Missing binaries are an
// error, not a skip: CI must install them (Debian/Ubuntu: `postgresql`).
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from './server';

export interface TestPostgres {
  /** postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** A URL for another database on the same server. */
  urlFor(database: string, credentials?: { user?: string; password?: string }): string;
  close(): Promise<void>;
}

const SEARCH = ['/usr/lib/postgresql', '/usr/local/pgsql/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/bin'];

/** The folder holding initdb and pg_ctl. Throws a clear error when PostgreSQL is not installed. */
export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN;
  const candidates: string[] = fromEnv ? [fromEnv] : [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // pg_config is in the -dev package; fall back to known places
  }
  const versioned = fs.existsSync(SEARCH[0])
    ? fs.readdirSync(SEARCH[0]).sort((a, b) => Number(b) - Number(a)).map((v) => path.join(SEARCH[0], v, 'bin'))
    : [];
  candidates.push(...versioned, ...SEARCH.slice(1));
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found. The Agno PostgreSQL tests need a real server: ' +
      'install it (Debian/Ubuntu: `apt-get install postgresql`) or set PG_BIN to the folder holding initdb.',
  );
}

const running = new Set<() => void>();
process.once('exit', () => {
  for (const stop of running) stop();
});

/** Starts a private PostgreSQL server (stopped at exit), with `databases` created on it. */
export async function startPostgres(databases: string[] = []): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-pg-'));
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'sock');
  fs.mkdirSync(sockets);
  const password = crypto.randomBytes(12).toString('hex');
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    for (const p of [dir, sockets, pwfile]) fs.chownSync(p, Number(ids), Number(gid));
  }
  /** Runs a PostgreSQL tool, as the postgres user when we are root. */
  const run = (tool: string, args: string[]) => {
    const cmd = path.join(bin, tool);
    const res = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (res.status !== 0) {
      throw new Error(`${tool} failed (${res.status ?? res.signal}): ${res.stderr || res.stdout || res.error?.message}`);
    }
  };
  // Password auth over TCP (so tests can check a wrong password), trust on the private socket.
  run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const port = await freePort();
  const logFile = path.join(dir, 'server.log');
  const opts = `-p ${port} -h 127.0.0.1 -k ${sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40`;
  try {
    run('pg_ctl', ['-D', data, '-o', opts, '-l', logFile, '-w', '-t', '60', 'start']);
  } catch (err) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopSync);
  const urlFor = (database: string, c: { user?: string; password?: string } = {}) =>
    `postgresql://${encodeURIComponent(c.user ?? 'postgres')}:${encodeURIComponent(c.password ?? password)}@127.0.0.1:${port}/${database}`;
  if (databases.length) {
    const admin = new Client({ connectionString: urlFor('postgres') });
    await admin.connect();
    try {
      for (const name of databases) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }
  }
  return {
    url: urlFor('postgres'),
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    urlFor,
    close: async () => {
      running.delete(stopSync);
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
