// The real Jaeger v2 for tests, the bench and the demo: built once from the Go
// module proxy (github.com/jaegertracing/jaeger, the approved release) into
// .vscode-test/jaeger-<version>/ (git-ignored, keyed by version), then started
// on 127.0.0.1 free ports from test/support/jaeger*.yaml.
//
// `go install …/cmd/jaeger@v…` refuses the module (it has replace
// directives), so the module is downloaded with `go mod download`, copied to
// a writable folder and built there with its own go.mod.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './python';

export const JAEGER_VERSION = '1.75.0';
const MODULE = 'github.com/jaegertracing/jaeger';

export function jaegerDir(): string {
  return path.join(ROOT, '.vscode-test', `jaeger-${JAEGER_VERSION}`);
}

/** Builds the binary if missing (once: ~5 minutes cold, under a minute with warm Go caches) and returns its path. */
export function ensureJaeger(): string {
  const fromEnv = process.env.JAEGER_BIN;
  if (fromEnv) return fromEnv;
  const dir = jaegerDir();
  const bin = path.join(dir, 'jaeger');
  const marker = path.join(dir, '.built');
  if (fs.existsSync(marker) && fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // A lock folder keeps parallel test processes from building it twice.
  const lock = `${dir}.lock`;
  try {
    fs.mkdirSync(lock);
  } catch {
    return waitFor(marker, bin);
  }
  try {
    if (spawnSync('go', ['version']).status !== 0) {
      throw new Error('Go was not found. The Jaeger tests build the real Jaeger v2 from the Go module proxy: install Go 1.24+ (Debian: apt-get install golang) or set JAEGER_BIN to a jaeger binary.');
    }
    process.stderr.write(`[jaeger] building ${MODULE}/cmd/jaeger v${JAEGER_VERSION} into ${path.relative(ROOT, dir)} (once, a few minutes)…\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@v${JAEGER_VERSION}`], { encoding: 'utf8', timeout: 20 * 60_000 })) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? 'no Dir'}`);
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'jaeger-src-'));
    try {
      fs.cpSync(info.Dir, src, { recursive: true });
      execFileSync('chmod', ['-R', 'u+w', src]);
      const tmpBin = path.join(src, 'jaeger.bin');
      execFileSync('go', ['build', '-trimpath', '-o', tmpBin, './cmd/jaeger'], { cwd: src, stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60_000, env: { ...process.env, CGO_ENABLED: '0' } });
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(tmpBin, bin);
      fs.chmodSync(bin, 0o755);
      fs.writeFileSync(marker, new Date().toISOString());
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  return bin;
}

function waitFor(marker: string, bin: string): string {
  const deadline = Date.now() + 30 * 60_000;
  while (!fs.existsSync(marker)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build ${bin}`);
    spawnSync('sleep', ['2']);
  }
  return bin;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface JaegerPorts {
  otlpHttp: number;
  otlpGrpc: number;
  queryHttp: number;
  queryGrpc: number;
  health: number;
}

export interface TestJaeger {
  /** Query API base, e.g. http://127.0.0.1:PORT (the backend's `baseUrl`). */
  baseUrl: string;
  /** OTLP/HTTP traces endpoint: http://127.0.0.1:PORT/v1/traces */
  otlpHttpUrl: string;
  /** OTLP/gRPC endpoint: http://127.0.0.1:PORT */
  otlpGrpcUrl: string;
  ports: JaegerPorts;
  /** The config file it runs. */
  configFile: string;
  /** Stops the process (SIGTERM); the Badger folder stays until close(). */
  stop(): Promise<void>;
  /** Starts it again on the same ports (and Badger folder). */
  restart(): Promise<void>;
  close(): Promise<void>;
  /** The server's process id while it runs (the bench reads its RSS). */
  readonly pid: number | undefined;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** Starts Jaeger on 127.0.0.1 with in-memory storage, or Badger in a temp folder. */
export async function startJaeger(options: { storage?: 'memory' | 'badger'; maxTraces?: number } = {}): Promise<TestJaeger> {
  const bin = ensureJaeger();
  const storage = options.storage ?? 'memory';
  const configFile = path.join(ROOT, 'test', 'support', storage === 'badger' ? 'jaeger-badger.yaml' : 'jaeger.yaml');
  const ports: JaegerPorts = { otlpHttp: await freePort(), otlpGrpc: await freePort(), queryHttp: await freePort(), queryGrpc: await freePort(), health: await freePort() };
  const badgerDir = storage === 'badger' ? fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-badger-')) : undefined;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
    JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
    JAEGER_QUERY_HTTP_PORT: String(ports.queryHttp),
    JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
    JAEGER_HEALTH_PORT: String(ports.health),
    JAEGER_MAX_TRACES: String(options.maxTraces ?? 100_000),
    ...(badgerDir ? { JAEGER_BADGER_DIR: badgerDir } : {}),
  };
  let child: ChildProcess | undefined;
  let log = '';
  const launch = async () => {
    log = '';
    const p = spawn(bin, ['--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    running.add(p);
    p.stdout?.on('data', (d) => (log = (log + d).slice(-8000)));
    p.stderr?.on('data', (d) => (log = (log + d).slice(-8000)));
    p.once('exit', () => running.delete(p));
    await waitHealthy(ports.health, p, () => log);
  };
  const stop = async () => {
    const p = child;
    child = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
      p.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      p.kill('SIGTERM');
    });
  };
  await launch();
  return {
    baseUrl: `http://127.0.0.1:${ports.queryHttp}`,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`,
    otlpGrpcUrl: `http://127.0.0.1:${ports.otlpGrpc}`,
    ports,
    configFile,
    stop,
    restart: launch,
    close: async () => {
      await stop();
      if (badgerDir) fs.rmSync(badgerDir, { recursive: true, force: true });
    },
    get pid() {
      return child?.pid;
    },
  };
}

async function waitHealthy(port: number, p: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`jaeger exited (${p.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  p.kill('SIGKILL');
  throw new Error(`jaeger did not become healthy in 60 s:\n${log()}`);
}

/** Waits until Jaeger's query API returns `n` spans for a trace (ingest is batched and asynchronous). */
export async function waitForTrace(baseUrl: string, traceId: string, spans: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const r = await fetch(`${baseUrl}/api/v3/traces/${traceId}`);
    if (r.ok) {
      const text = await r.text();
      seen = text.split('"spanId"').length - 1;
      if (seen >= spans) return;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`Jaeger has ${seen}/${spans} spans of trace ${traceId} after ${timeoutMs} ms`);
}

/**
 * An OpenTelemetry Collector (test/support/otel-collector.yaml) in front of a
 * Jaeger: agents → collector → Jaeger, the team setup of docs/team.md. It runs
 * under the Jaeger v2 binary, a Collector build with the same components.
 */
export async function startCollector(jaeger: TestJaeger, environment = 'staging'): Promise<{ otlpHttpUrl: string; close(): Promise<void> }> {
  const bin = ensureJaeger();
  const http = await freePort();
  const grpc = await freePort();
  const env = {
    ...(process.env as Record<string, string>),
    COLLECTOR_OTLP_HTTP_PORT: String(http),
    COLLECTOR_OTLP_GRPC_PORT: String(grpc),
    COLLECTOR_JAEGER_OTLP_GRPC: `127.0.0.1:${jaeger.ports.otlpGrpc}`,
    COLLECTOR_ENVIRONMENT: environment,
  };
  let log = '';
  const p = spawn(bin, ['--config', path.join(ROOT, 'test', 'support', 'otel-collector.yaml')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(p);
  p.stdout?.on('data', (d) => (log = (log + d).slice(-8000)));
  p.stderr?.on('data', (d) => (log = (log + d).slice(-8000)));
  p.once('exit', () => running.delete(p));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (p.exitCode !== null) throw new Error(`collector exited (${p.exitCode}):\n${log}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(http, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      p.kill('SIGKILL');
      throw new Error(`collector did not listen in 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    otlpHttpUrl: `http://127.0.0.1:${http}/v1/traces`,
    close: async () => {
      if (p.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGTERM');
      });
    },
  };
}
