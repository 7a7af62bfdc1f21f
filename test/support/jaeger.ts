// The real Jaeger v2 for tests, the bench and the demo: built once from the Go
// module proxy (github.com/jaegertracing/jaeger, the approved release) into
// .vscode-test/jaeger-<version>/ (git-ignored, keyed by version), then started
// on 127.0.0.1 free ports from test/support/jaeger*.yaml.
//
// `go install …/cmd/jaeger@v…` refuses the module (it has replace
// directives), so the module is downloaded with `go mod download`, copied to
// a writable folder and built there with its own go.mod.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './python';
import { freePort, httpOk, listening, serverProcess } from './server';

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
  const server = serverProcess('jaeger', () => spawn(bin, ['--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] }), httpOk(`http://127.0.0.1:${ports.health}/status`), {
    readyTimeoutMs: 60_000,
    killAfterMs: 10_000,
  });
  const stop = () => server.stop();
  await server.start();
  return {
    baseUrl: `http://127.0.0.1:${ports.queryHttp}`,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`,
    otlpGrpcUrl: `http://127.0.0.1:${ports.otlpGrpc}`,
    ports,
    configFile,
    stop,
    restart: () => server.start(),
    close: async () => {
      await stop();
      if (badgerDir) fs.rmSync(badgerDir, { recursive: true, force: true });
    },
    get pid() {
      return server.pid;
    },
  };
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
  const server = serverProcess('collector', () => spawn(bin, ['--config', path.join(ROOT, 'test', 'support', 'otel-collector.yaml')], { env, stdio: ['ignore', 'pipe', 'pipe'] }), listening(http), {
    readyTimeoutMs: 60_000,
    killAfterMs: 10_000,
  });
  await server.start();
  return { otlpHttpUrl: `http://127.0.0.1:${http}/v1/traces`, close: () => server.stop() };
}
