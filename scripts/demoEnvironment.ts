// The embedded demo: every backend fed from local stand-ins, no cloud account.
// Used by `npm run demo` and by the UI tests, so what a newcomer sees is what
// the tests check.
//   - Amazon Q Connect: the restJson1 emulator (real AWS SDK, SigV4-checked)
//   - Scale GenAI Platform: the v5 spans emulator (API key checked)
//   - Agno: a SQLite file with Agno's schema in the workspace (tmp/traces.db)
//   - OpenAI Agents SDK: a JSONL trace file; OTLP: a collector file-exporter file
//   - Live capture: enabled; sample OpenAI and OTLP traces are posted to it
//   - the workspace holds prompt/agent/tool sources for "Go to Prompt Source"
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postSamples } from '../src/capture/samples';
import { agnoFixture, writeAgnoSqlite } from '../test/fixtures/agno';
import { EMULATOR_CREDENTIALS, startQConnectEmulator } from '../test/emulators/qconnect/emulator';
import { startSgpEmulator } from '../test/emulators/sgp/server';
import { freePort } from '../test/support/server';

export const ROOT = path.resolve(__dirname, '..');

export interface DemoEnvironment {
  workspace: string;
  settings: Record<string, unknown>;
  /** Environment for the VS Code process (emulator credentials, SGP key). */
  env: Record<string, string>;
  capturePort: number;
  qconnect: Awaited<ReturnType<typeof startQConnectEmulator>>;
  sgp: Awaited<ReturnType<typeof startSgpEmulator>>;
  /** Posts the sample OpenAI + OTLP traces once the extension's receiver listens. */
  postCaptureSamples(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function prepareDemo(workspace: string, options: { qconnectPort?: number; sgpPort?: number; capturePort?: number } = {}): Promise<DemoEnvironment> {
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, 'tmp'), { recursive: true });
  await writeAgnoSqlite(path.join(workspace, 'tmp', 'traces.db'), agnoFixture());
  fs.mkdirSync(path.join(workspace, 'logs'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'openai', 'python-sdk.jsonl'), path.join(workspace, 'logs', 'openai-traces.jsonl'));
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'otlp', 'collector-file-exporter.jsonl'), path.join(workspace, 'logs', 'otel-traces.jsonl'));

  const qconnect = await startQConnectEmulator({ port: options.qconnectPort ?? 0 });
  const sgp = await startSgpEmulator({ port: options.sgpPort ?? 0 });
  const capturePort = options.capturePort ?? (await freePort());
  // A free OTLP/gRPC port too: the default 4317 may be taken by a collector or a parallel run.
  const captureGrpcPort = await freePort();
  const settings = {
    'spanInspector.backends': [
      { id: 'qconnect', type: 'qconnect', label: 'Amazon Q Connect (emulator)', region: qconnect.region, assistantId: qconnect.assistantId, endpoint: qconnect.url },
      { id: 'sgp', type: 'sgp', label: 'Scale GenAI Platform (emulator)', baseUrl: sgp.url, accountId: sgp.accountId },
      { id: 'agno', type: 'agno', label: 'Agno (tmp/traces.db)', database: 'tmp/traces.db' },
      { id: 'openai-jsonl', type: 'openaiAgents', label: 'OpenAI Agents SDK (logs/openai-traces.jsonl)', path: 'logs/openai-traces.jsonl' },
      { id: 'otel-files', type: 'otlp', label: 'OpenTelemetry files (logs/otel-traces.jsonl)', path: 'logs/otel-traces.jsonl' },
      { id: 'exports', type: 'file', label: 'Exported sessions (traces/)', path: 'traces' },
    ],
    'spanInspector.capture.enabled': true,
    'spanInspector.capture.port': capturePort,
    'spanInspector.capture.grpcPort': captureGrpcPort,
  };
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);

  return {
    workspace,
    settings,
    env: {
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      SGP_API_KEY: sgp.apiKey,
    },
    capturePort,
    qconnect,
    sgp,
    async postCaptureSamples(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const r = await postSamples(`http://127.0.0.1:${capturePort}`);
          if (r.openai === 200 && r.otlp === 200) return;
        } catch {
          // the extension has not started its receiver yet
        }
        if (Date.now() > deadline) throw new Error(`capture receiver on port ${capturePort} did not answer in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async close() {
      await Promise.all([qconnect.close(), sgp.close()]);
    },
  };
}
