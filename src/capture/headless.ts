// `span-inspector capture`: the live-capture receiver without VS Code, for CI
// jobs that keep an agent's traces as artifacts. Every session that changes is
// (re)written to the output folder, shortly after its last change and on stop:
//   <session>.session.json   the normalized {session, spans} export (the `file` backend reads it;
//                            GenAI content that came as log events is in its messages)
//   <session>.jsonl          OpenAI Agents SDK items as received (the `openaiAgents` backend)
//   <session>.otlp.json      OTLP JSON ExportTraceServiceRequest (the `otlp` backend, OTel tools)
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../backends/types';
import { exportCapturedSession } from './export';
import { CaptureReceiver } from './receiver';
import { CaptureStore } from '../backends/store/captureStore';

export interface HeadlessCaptureOptions {
  outDir: string;
  port: number;
  /** undefined: no gRPC receiver. */
  grpcPort?: number;
  log: Logger;
  /** Printed lines (addresses, then one line per written session). */
  print: (line: string) => void;
  /** Stops the capture (then every pending session is written). */
  signal: AbortSignal;
  /** Delay after a session's last change before it is written. Default 300 ms. */
  debounceMs?: number;
}

/** File name stem for a session id (ids are untrusted: no separators, no dot files, bounded). */
function sessionFileStem(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return safe || 'session';
}

/** Runs until `signal` aborts; resolves after the last files are written. */
export async function runHeadlessCapture(o: HeadlessCaptureOptions): Promise<void> {
  fs.mkdirSync(o.outDir, { recursive: true });
  const store = CaptureStore.inMemory({ log: o.log });
  const receiver = new CaptureReceiver({ store, port: o.port, grpcPort: o.grpcPort, log: o.log });
  const { url } = await receiver.start();
  o.print(`OpenAI Agents SDK: ${url}/v1/traces/ingest`);
  o.print(`OTLP/HTTP traces:  ${url}/v1/traces`);
  o.print(`OTLP/HTTP logs:    ${url}/v1/logs`);
  if (receiver.grpcAddress) o.print(`OTLP/gRPC:         ${receiver.grpcAddress}`);
  else if (receiver.grpcError) o.print(`OTLP/gRPC:         not running (${receiver.grpcError.message})`);
  o.print(`Writing sessions to ${path.resolve(o.outDir)}`);

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  /** Writes one after another (a native export reads the records again from the log). */
  let writing = Promise.resolve();
  const write = (): void => {
    timer = undefined;
    writing = writing.then(writePending);
  };
  const writePending = async (): Promise<void> => {
    for (const id of [...pending]) {
      pending.delete(id);
      const stem = path.join(o.outDir, sessionFileStem(id));
      const normalized = await exportCapturedSession(store, id, 'normalized');
      const native = await exportCapturedSession(store, id, 'native');
      if (!normalized || !native) continue;
      fs.writeFileSync(`${stem}.session.json`, normalized.text);
      fs.writeFileSync(`${stem}${native.extension === '.jsonl' ? '.jsonl' : '.otlp.json'}`, native.text);
      o.print(`wrote ${sessionFileStem(id)} (${store.getSession(id)?.spanCount ?? 0} spans)`);
    }
  };
  const sub = store.onDidChange((c) => {
    if (c.sessionId === undefined) return;
    pending.add(c.sessionId);
    timer ??= setTimeout(write, o.debounceMs ?? 300);
  });

  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    else o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await receiver.stop();
  sub.dispose();
  if (timer) clearTimeout(timer);
  write();
  await writing;
  await store.dispose();
}
