// Headless CLI over the same backends the extension uses (DESIGN.md "CLI").
//   sessions --config FILE --backend ID [--limit N]   one Session JSON per line
//   export   --config FILE --backend ID --session SID the session export JSON
//   capture  [--port 4318] [--grpc-port 4317|off] --out DIR
//            the live-capture receiver without VS Code, until SIGINT/SIGTERM
// Exit code ≠ 0 with a one-line error on stderr for any failure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { validateBackendList } from './backends/config';
import { BackendError, toBackendError } from './backends/errors';
import { createBackend } from './backends/registry';
import { loadAllSpans, type Backend, type BackendContext } from './backends/types';
import { stringifyJson } from './model/json';
import { Pricer, priceSpans } from './model/pricing';
import type { Session, SessionExport } from './model/types';
import { buildSessionExport, serializeSessionExport } from './model/sessionExport';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Ends `capture` (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = `Usage:
  span-inspector sessions --config FILE --backend ID [--limit N]
  span-inspector export --config FILE --backend ID --session SESSION_ID [--out FILE]
  span-inspector capture [--port 4318] [--grpc-port 4317|off] --out DIR`;

function parseArgs(argv: string[]): { command?: string; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) {
          throw new BackendError('config', `Option ${a} needs a value.`);
        }
        flags.set(a.slice(2), v);
        i++;
      }
    } else if (!command) {
      command = a;
    } else {
      throw new BackendError('config', `Unexpected argument "${a}".`);
    }
  }
  return { command, flags };
}

function need(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (!v) {
    throw new BackendError('config', `Missing --${name}.`);
  }
  return v;
}

/** Reads `spanInspector.backends` from a JSON/JSONC file (a settings.json works as is). */
export function readBackendConfig(file: string, backendId: string) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new BackendError('config', `Cannot read config file ${file}: ${(err as Error).message}`);
  }
  const errors: ParseError[] = [];
  const doc = parseJsonc(text, errors, { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  if (errors.length || !doc || typeof doc !== 'object') {
    throw new BackendError('config', `Config file ${file} is not valid JSON/JSONC (error at offset ${errors[0]?.offset ?? 0}).`);
  }
  const list = doc['spanInspector.backends'] ?? (doc.spanInspector as Record<string, unknown> | undefined)?.backends;
  if (list === undefined) {
    throw new BackendError('config', `Config file ${file} has no "spanInspector.backends".`);
  }
  const { configs, errors: configErrors } = validateBackendList(list);
  const config = configs.find((c) => c.id === backendId);
  if (!config) {
    const bad = configErrors.find((e) => e.message.includes(`"${backendId}"`));
    if (bad) throw bad;
    const ids = configs.map((c) => c.id).join(', ') || 'none';
    throw new BackendError('config', `No backend "${backendId}" in ${file} (configured: ${ids}).`);
  }
  return config;
}

/** `spanInspector.pricing` from the same file (absent = the bundled price table only). */
export function readPricing(file: string): unknown[] {
  const doc = parseJsonc(fs.readFileSync(file, 'utf8'), [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  const list = doc?.['spanInspector.pricing'] ?? (doc?.spanInspector as Record<string, unknown> | undefined)?.pricing;
  return Array.isArray(list) ? list : [];
}

function cliContext(configFile: string, io: CliIo): BackendContext {
  const base = path.dirname(path.resolve(configFile));
  // Relative paths resolve against the workspace: a settings.json lives in <workspace>/.vscode/.
  const root = path.basename(base) === '.vscode' ? path.dirname(base) : base;
  const quiet = () => undefined;
  const verbose = io.env.SPAN_INSPECTOR_VERBOSE ? (m: string) => io.stderr(`${m}\n`) : quiet;
  return {
    log: { trace: quiet, debug: verbose, info: verbose, warn: (m) => io.stderr(`warning: ${m}\n`), error: verbose },
    // The CLI has no SecretStorage: secrets come from the environment (e.g. SGP_API_KEY).
    getSecret: async () => undefined,
    resolvePath: (p) => (path.isAbsolute(p) ? p : path.join(root, p)),
    storageDir: io.env.SPAN_INSPECTOR_STORAGE,
  };
}

/** Fills missing names with getSession, four at a time; a failed lookup keeps the listed session. */
async function withNames(backend: Backend, sessions: Session[]): Promise<Session[]> {
  const out = [...sessions];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < out.length; i = next++) {
      if (out[i].name) continue;
      const details = await backend.getSession(out[i].id).catch(() => undefined);
      if (details) out[i] = { ...out[i], ...details, id: out[i].id, backendId: out[i].backendId };
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let backend: Backend | undefined;
  try {
    const { command, flags } = parseArgs(argv);
    if (!command || command === 'help' || flags.has('help')) {
      io.stdout(`${USAGE}\n`);
      return command ? 0 : 2;
    }
    if (command === 'capture') {
      await capture(flags, io);
      return 0;
    }
    if (command !== 'sessions' && command !== 'export') {
      throw new BackendError('config', `Unknown command "${command}".\n${USAGE}`);
    }
    const configFile = need(flags, 'config');
    const config = readBackendConfig(configFile, need(flags, 'backend'));
    backend = await createBackend(config, cliContext(configFile, io));

    if (command === 'sessions') {
      const limit = flags.has('limit') ? Number(flags.get('limit')) : Infinity;
      if (!(limit > 0)) {
        throw new BackendError('config', '--limit must be a positive number.');
      }
      let printed = 0;
      let cursor: string | undefined;
      const seen = new Set<string>();
      do {
        const page = await backend.listSessions({ cursor, limit: Number.isFinite(limit) ? Math.min(100, limit - printed) : undefined });
        for (const w of page.warnings ?? []) io.stderr(`warning: ${w}\n`);
        const shown = page.sessions.slice(0, Math.max(0, limit - printed));
        // Some backends list ids only (Q Connect SearchSessions): names come from GetSession, as in the tree.
        const named = await withNames(backend, shown);
        for (const s of named) {
          io.stdout(`${stringifyJson(s)}\n`);
          printed++;
        }
        if (page.cursor && seen.has(page.cursor)) {
          throw new BackendError('badData', 'The backend returned the same page cursor twice; stopped to avoid a loop.');
        }
        if (page.cursor) seen.add(page.cursor);
        cursor = page.cursor;
      } while (cursor && printed < limit);
      return 0;
    }

    const sessionId = need(flags, 'session');
    const session = (await backend.getSession(sessionId)) ?? (await backend.resolveSession(sessionId))[0];
    if (!session) {
      throw new BackendError('notFound', `No session "${sessionId}" in backend "${config.id}".`);
    }
    const spans = await loadAllSpans(backend, session.id);
    const pricer = new Pricer(readPricing(configFile));
    for (const p of pricer.problems) io.stderr(`warning: ${p}\n`);
    priceSpans(spans, pricer);
    const doc: SessionExport = buildSessionExport(session, spans);
    const out = serializeSessionExport(doc);
    const outFile = flags.get('out');
    if (outFile) {
      fs.writeFileSync(outFile, out);
    } else {
      io.stdout(out);
    }
    return 0;
  } catch (err) {
    const e = toBackendError(err);
    io.stderr(`span-inspector: ${e.message.split('\n')[0]}\n`);
    return e.code === 'config' ? 2 : 1;
  } finally {
    backend?.dispose?.();
  }
}

function portFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new BackendError('config', `--${name} must be a port number (0 picks a free one).`);
  return n;
}

async function capture(flags: Map<string, string>, io: CliIo): Promise<void> {
  const outDir = need(flags, 'out');
  const port = portFlag(flags, 'port', 4318);
  const grpcPort = flags.get('grpc-port') === 'off' ? undefined : portFlag(flags, 'grpc-port', 4317);
  const { runHeadlessCapture } = await import('./capture/headless');
  let signal = io.signal;
  if (!signal) {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    signal = stop.signal;
  }
  const quiet = (): undefined => undefined;
  const log = { trace: quiet, debug: quiet, info: quiet, warn: (m: string) => io.stderr(`warning: ${m}\n`), error: (m: string) => io.stderr(`error: ${m}\n`) };
  await runHeadlessCapture({ outDir, port, grpcPort, log, print: (l) => io.stdout(`${l}\n`), signal });
}

function defaultIo(): CliIo {
  return { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };
}

// Run when executed (dist/cli.js), not when imported by tests.
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`span-inspector: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
