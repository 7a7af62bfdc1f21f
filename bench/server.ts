// Serves one generated session from a local emulator, in its own process so
// the measured worker only does the client's work (as against a real service).
//   node --import tsx bench/server.ts qconnect|sgp DATA_DIR [--record FILE]
// Prints one line `READY {json}` when listening on 127.0.0.1 (ephemeral port).
// --record writes every 2xx response as `URL<TAB>body` (one per line) to FILE:
// the bytes the client parsed, for the JSON.parse floor.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { EMULATOR_CREDENTIALS, startQConnectEmulator } from '../test/emulators/qconnect/emulator';
import { startSgpEmulator, SGP_EMULATOR_API_KEY } from '../test/emulators/sgp/server';
import type { SgpSpanRecord } from '../src/backends/sgp/client';
import { QC_ASSISTANT, SGP_ACCOUNT } from './lib/encode';

function readJsonl<T>(file: string): T[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) out.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return out;
}

/** Captures response bodies written with res.end(string) (both emulators answer that way). */
function record(file: string): void {
  const fd = fs.openSync(file, 'w');
  const end = http.ServerResponse.prototype.end;
  http.ServerResponse.prototype.end = function (this: http.ServerResponse, ...args: unknown[]) {
    const chunk = args[0];
    if (this.statusCode >= 200 && this.statusCode < 300 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      // `URL<TAB>body`: the floor tells span pages from other requests by URL.
      fs.writeSync(fd, `${this.req?.url ?? ''}\t`);
      fs.writeSync(fd, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      fs.writeSync(fd, '\n');
    }
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof end;
}

async function main(): Promise<void> {
  const [kind, dir] = process.argv.slice(2);
  const recIdx = process.argv.indexOf('--record');
  if (recIdx > 0) record(process.argv[recIdx + 1]);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { ids: { qconnect: string }; spans: number };
  let close: () => Promise<void>;
  let info: Record<string, unknown>;
  if (kind === 'qconnect') {
    const spans = readJsonl<Record<string, unknown>>(path.join(dir, 'qconnect.jsonl'));
    const emu = await startQConnectEmulator({
      assistantId: QC_ASSISTANT,
      sessions: [{ session: { sessionId: meta.ids.qconnect, name: `Benchmark session (${meta.spans} spans)`, origin: 'SYSTEM' }, spans }],
      prompts: [],
      // The service's maximum page (ListSpans maxResults ≤ 100).
      spanPageSize: 100,
    });
    close = emu.close;
    info = { url: emu.url, region: emu.region, assistantId: emu.assistantId, accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey };
  } else if (kind === 'sgp') {
    const spans = readJsonl<SgpSpanRecord>(path.join(dir, 'sgp.jsonl'));
    const emu = await startSgpEmulator({ spans, fixtures: false, accountId: SGP_ACCOUNT });
    close = emu.close;
    info = { url: emu.url, accountId: emu.accountId, apiKey: SGP_EMULATOR_API_KEY };
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
  const stop = () => void close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Also stop when the parent goes away.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
