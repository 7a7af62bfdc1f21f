// Standalone Q Connect emulator: `npx tsx test/emulators/qconnect/main.ts --port 4566 [--big 10000] [--span-page-size 100] [--latency 50]`
import { EMULATOR_CREDENTIALS, FIXTURE, startQConnectEmulator } from './emulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const big = arg('big');
  const emulator = await startQConnectEmulator({
    port: arg('port') ? Number(arg('port')) : 0,
    spanPageSize: arg('span-page-size') ? Number(arg('span-page-size')) : undefined,
    latencyMs: arg('latency') ? Number(arg('latency')) : undefined,
    generated: big ? [{ sessionId: '00000000-0000-4000-8000-00000000b16e', name: `Load test (${big} spans)`, spanCount: Number(big) }] : undefined,
  });
  const settings = {
    'spanInspector.backends': [
      { id: 'qconnect-emulator', type: 'qconnect', label: 'Q Connect (emulator)', region: emulator.region, assistantId: emulator.assistantId, endpoint: emulator.url },
    ],
  };
  process.stdout.write(
    [
      `Q Connect emulator listening on ${emulator.url}`,
      `assistant ${emulator.assistantId} (${emulator.region}); sessions: ${FIXTURE.sessions.map((s) => `${s.id} "${s.name}"`).join(', ')}`,
      `credentials: AWS_ACCESS_KEY_ID=${EMULATOR_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${EMULATOR_CREDENTIALS.secretAccessKey}`,
      `settings.json: ${JSON.stringify(settings)}`,
      '',
    ].join('\n'),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
