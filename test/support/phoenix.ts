// The real Arize Phoenix server for tests, the bench and the demo, from the
// pinned test venv: 127.0.0.1 on free ports (HTTP for the REST API and OTLP,
// gRPC for OTLP), offline (no telemetry, no external resources), on SQLite
// in a temp working folder or on a PostgreSQL URL. Auth is on when a secret
// is given: then PHOENIX_ADMIN_SECRET is the bearer token that works.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, httpOk, serverProcess } from './server';
import { spawnPython } from './python';

export interface TestPhoenix {
  /** http://127.0.0.1:PORT (the backend's `baseUrl`) */
  baseUrl: string;
  /** OTLP/HTTP traces endpoint */
  otlpHttpUrl: string;
  /** OTLP/gRPC endpoint */
  otlpGrpcUrl: string;
  /** The bearer token that works (auth on), else undefined. */
  token?: string;
  /** Stops the server; SQLite data stays in its folder until close(). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
  /** The server's process id while it runs (the bench reads its RSS). */
  readonly pid: number | undefined;
}

export async function startPhoenix(options: { databaseUrl?: string; auth?: boolean } = {}): Promise<TestPhoenix> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'span-inspector-phoenix-'));
  const port = await freePort();
  const grpcPort = await freePort();
  const token = options.auth ? `admin${crypto.randomBytes(16).toString('hex')}9` : undefined;
  const env: Record<string, string> = {
    PHOENIX_HOST: '127.0.0.1',
    PHOENIX_PORT: String(port),
    PHOENIX_GRPC_PORT: String(grpcPort),
    PHOENIX_WORKING_DIR: dir,
    PHOENIX_TELEMETRY_ENABLED: 'false',
    PHOENIX_ALLOW_EXTERNAL_RESOURCES: 'false',
    PHOENIX_DISABLE_AGENT_ASSISTANT: 'true',
    ...(options.databaseUrl ? { PHOENIX_SQL_DATABASE_URL: options.databaseUrl } : {}),
    ...(token ? { PHOENIX_ENABLE_AUTH: 'true', PHOENIX_SECRET: `sign${crypto.randomBytes(16).toString('hex')}7`, PHOENIX_ADMIN_SECRET: token } : {}),
  };
  const server = serverProcess('phoenix', () => spawnPython(['phoenix_serve.py'], { env }), httpOk(`http://127.0.0.1:${port}/healthz`), {
    readyTimeoutMs: 600_000,
    killAfterMs: 15_000,
    pollMs: 300,
  });
  const stop = () => server.stop();
  try {
    await server.start();
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    otlpHttpUrl: `http://127.0.0.1:${port}/v1/traces`,
    otlpGrpcUrl: `http://127.0.0.1:${grpcPort}`,
    token,
    stop,
    restart: () => server.start(),
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    get pid() {
      return server.pid;
    },
  };
}
