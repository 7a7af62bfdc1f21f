// `npm run demo -- --stores`: a real Jaeger v2 and a real Arize Phoenix on
// 127.0.0.1 beside the demo, fed by the OTel Python SDK, added as backends
// (docs/team.md). Jaeger is built on first use (minutes); Phoenix needs the
// test venv (test/support/python.ts) and takes ~30 s to start.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startJaeger, waitForTrace } from '../test/support/jaeger';
import { startPhoenix } from '../test/support/phoenix';
import { runPython } from '../test/support/python';

export interface DemoStores {
  backends: Record<string, unknown>[];
  close(): Promise<void>;
}

async function produce(endpoint: string, args: string[]): Promise<{ conversations: Record<string, string[]> }> {
  const r = await runPython(['store_producer.py', '--endpoint', endpoint, ...args], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`store_producer.py failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

export async function startDemoStores(): Promise<DemoStores> {
  const [jaeger, phoenix] = await Promise.all([startJaeger(), startPhoenix()]);
  const args = ['--conversations', '3', '--traces-per-conversation', '2', '--openinference-sessions', '2', '--plain', '2'];
  const sent = await produce(jaeger.otlpHttpUrl, [...args, '--service', 'travel-agent', '--tag', 'demo']);
  await produce(phoenix.otlpHttpUrl, [...args, '--project', 'support', '--tag', 'demo']);
  for (const t of Object.values(sent.conversations).flat()) await waitForTrace(jaeger.baseUrl, t, 4);
  console.log(`Jaeger: ${jaeger.baseUrl}   Phoenix: ${phoenix.baseUrl}`);
  return {
    backends: [
      { id: 'team-jaeger', type: 'jaeger', label: 'Team Jaeger (real Jaeger v2)', baseUrl: jaeger.baseUrl, service: 'travel-agent' },
      { id: 'team-phoenix', type: 'phoenix', label: 'Team Phoenix (real Arize Phoenix)', baseUrl: phoenix.baseUrl, project: 'support' },
    ],
    close: async () => {
      await Promise.all([jaeger.close(), phoenix.close()]);
    },
  };
}

/** Appends the stores to the demo workspace's settings. */
export function addToSettings(workspace: string, settings: Record<string, unknown>, backends: Record<string, unknown>[]): void {
  const list = Array.isArray(settings['spanInspector.backends']) ? (settings['spanInspector.backends'] as unknown[]) : [];
  settings['spanInspector.backends'] = [...list, ...backends];
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}
