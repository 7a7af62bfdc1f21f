// Standalone SGP emulator:
//   npx tsx test/emulators/sgp/main.ts [--port 8123] [--key KEY] [--account ID] [--project ID]
//        [--spans N] [--next-cursor] [--no-shift] [--latency MS]
// --spans N adds a generated trace "trc-load-N" with N spans next to the fixtures.
import { generateTrace } from './generate';
import { startSgpEmulator } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function run(): Promise<void> {
  const n = Number(arg('spans') ?? 0);
  const emulator = await startSgpEmulator({
    port: Number(arg('port') ?? 0),
    apiKey: arg('key'),
    accountId: arg('account'),
    projectId: arg('project'),
    nextCursor: process.argv.includes('--next-cursor'),
    shiftToNow: !process.argv.includes('--no-shift'),
    latencyMs: Number(arg('latency') ?? 0) || undefined,
  });
  if (n > 0) {
    emulator.addSpans(generateTrace({ traceId: `trc-load-${n}`, spans: n, accountId: emulator.accountId, start: Date.now() - 5 * 60_000 }));
  }
  // The emulator's key is a fixed test value, not a secret: print it so a demo can use it.
  console.log(`SGP emulator listening on ${emulator.url} (account ${emulator.accountId}, x-api-key ${emulator.apiKey})`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
