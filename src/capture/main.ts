// Standalone entry for the live-capture receiver (demos, UI tests, manual checks):
//   npx tsx src/capture/main.ts [--port 4318] [--storage DIR] [--samples]
//     runs the receiver until Ctrl+C; --samples posts the sample traces to it once it listens
//   npx tsx src/capture/main.ts --post-samples http://127.0.0.1:4318 [--protobuf]
//     posts the sample traces to a receiver that is already running (e.g. the extension's)
import type { Logger } from '../backends/types';
import { DEFAULT_CAPTURE_PORT, startReceiver } from './receiver';
import { postSamples } from './samples';
import { CaptureStore } from '../backends/store/captureStore';
import { openCaptureStore } from './persist';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

async function main(): Promise<void> {
  const target = arg('--post-samples');
  if (target) {
    const r = await postSamples(target.replace(/\/+$/, ''), { protobuf: process.argv.includes('--protobuf') });
    console.log(`OpenAI sample → HTTP ${r.openai}; OTLP sample → HTTP ${r.otlp}`);
    process.exitCode = r.openai === 200 && r.otlp === 200 ? 0 : 1;
    return;
  }
  const port = Number(arg('--port') ?? DEFAULT_CAPTURE_PORT);
  const storage = arg('--storage');
  const store = storage ? await openCaptureStore({ storageDir: storage, log }) : CaptureStore.inMemory({ log });
  const server = await startReceiver({ store, port, log });
  server.receiver.onDidReceive((e) => {
    const s = store.stats();
    console.log(`${e.source} (${e.encoding}): +${e.spans} span(s)${e.rejected ? `, ${e.rejected} rejected` : ''} → ${s.sessions} session(s), ${s.spans} span(s) in memory`);
  });
  console.log(`OpenAI Agents SDK endpoint: ${server.url}/v1/traces/ingest`);
  console.log(`OTLP/HTTP endpoint:         ${server.url}/v1/traces`);
  if (process.argv.includes('--samples')) await postSamples(server.url, { protobuf: process.argv.includes('--protobuf') });
  const stop = async (): Promise<void> => {
    await server.close();
    await store.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
