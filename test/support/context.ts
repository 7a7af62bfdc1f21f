// The one recording logger and BackendContext for tests: every log line is
// kept as "<level>: <message>" (to assert what was logged, and that secrets
// never were), secrets come from a map and each read is recorded.
import * as path from 'node:path';
import type { BackendContext } from '../../src/backends/types';

export type Logger = BackendContext['log'];

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(lines: string[] = []): RecordingLogger {
  const rec = (level: string) => (m: string): void => void lines.push(`${level}: ${m}`);
  return { lines, trace: rec('trace'), debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

export interface RecordingContext extends BackendContext {
  log: RecordingLogger;
  /** The log lines (same array as `log.lines`). */
  lines: string[];
  secrets: Map<string, string>;
  /** Secret names asked for, in order. */
  secretReads: string[];
}

/** `secrets` by name; `root` resolves relative paths (default: paths are used as given). */
export function recordingContext(secrets: Record<string, string> = {}, options: { root?: string; lines?: string[] } = {}): RecordingContext {
  const log = recordingLogger(options.lines);
  const stored = new Map(Object.entries(secrets));
  const secretReads: string[] = [];
  return {
    log,
    lines: log.lines,
    secrets: stored,
    secretReads,
    getSecret: async (name) => {
      secretReads.push(name);
      return stored.get(name);
    },
    resolvePath: (p) => (options.root ? path.resolve(options.root, p) : p),
  };
}
