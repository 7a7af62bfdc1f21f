// Starting and stopping the real servers tests run (Jaeger, the collector,
// Phoenix): a free loopback port, a child process whose output tail explains
// a failed start, readiness polling, SIGTERM then SIGKILL, and no process
// left behind when the test run exits.
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
// @ts-expect-error plain ESM helper shared with the code-server launcher
import { freePort as pickPort } from '../host/ports.mjs';

/** A free loopback port outside the ephemeral range (test/host/ports.mjs). */
export const freePort = (): Promise<number> => pickPort();

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** Readiness: an HTTP GET answers 2xx. */
export const httpOk = (url: string) => async (): Promise<boolean> => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false; // not listening yet
  }
};

/** Readiness: something accepts TCP connections on the loopback port. */
export const listening = (port: number) => (): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** The output's last error line, first in the message: its head is usually start-up noise. */
function cause(log: string): string {
  const line = log.split('\n').reverse().find((l) => /\b(error|fatal|panic)\b/i.test(l));
  return line ? `: ${line.trim().slice(0, 400)}` : '';
}

export interface ServerProcess {
  /** Spawns the server and resolves once it is ready; throws with its output if it exits or is not ready in time. */
  start(): Promise<void>;
  /** SIGTERM, SIGKILL after `killAfterMs`; resolves when it exited. A stopped server may be started again. */
  stop(): Promise<void>;
  /** The running server's process id (the bench reads its RSS). */
  readonly pid: number | undefined;
}

export function serverProcess(
  name: string,
  spawnIt: () => ChildProcess,
  ready: () => Promise<boolean>,
  options: { readyTimeoutMs: number; killAfterMs: number; pollMs?: number },
): ServerProcess {
  let child: ChildProcess | undefined;
  return {
    get pid() {
      return child?.pid;
    },
    async start() {
      let log = '';
      const p = spawnIt();
      child = p;
      running.add(p);
      p.stdout?.on('data', (d) => (log = (log + d).slice(-8000)));
      p.stderr?.on('data', (d) => (log = (log + d).slice(-8000)));
      p.once('exit', () => running.delete(p));
      const deadline = Date.now() + options.readyTimeoutMs;
      for (;;) {
        if (p.exitCode !== null) throw new Error(`${name} exited (${p.exitCode})${cause(log)}:\n${log}`);
        if (await ready()) return;
        if (Date.now() > deadline) {
          p.kill('SIGKILL');
          throw new Error(`${name} was not ready in ${Math.round(options.readyTimeoutMs / 1000)} s:\n${log}`);
        }
        await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
      }
    },
    async stop() {
      const p = child;
      child = undefined;
      if (!p || p.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => p.kill('SIGKILL'), options.killAfterMs);
        p.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        p.kill('SIGTERM');
      });
    },
  };
}
