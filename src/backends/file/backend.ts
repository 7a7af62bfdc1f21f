// The built-in `file` backend: reads session exports in the normalized format
// (`{session, spans}`, an array of them, or a folder of such .json files).
// It is what the CLI writes, so an export can be re-opened and shared.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coerceSession, coerceSpan } from '../../model/coerce';
import { StringPool } from '../../model/intern';
import { parseJsonExact } from '../../model/json';
import type { Session, Span } from '../../model/types';
import { requireString } from '../config';
import { BackendError, throwIfAborted } from '../errors';
import type { Backend, BackendChange, BackendConfig, BackendContext, Disposable, LoadOptions, SessionPage, SpanPage } from '../types';

/** Spans per yielded page: small enough that the tree fills progressively. */
const PAGE_SIZE = 1000;

/**
 * A session's spans: parsed JSON values, decoded into Spans page by page as
 * they are first loaded (so the first page shows right after the parse, not
 * after decoding 100k spans), then kept decoded.
 */
interface SessionSpans {
  /** Parsed export entries and their index in their export (for coerceSpan); dropped once all are decoded. */
  raw: { value: unknown; index: number }[] | undefined;
  decoded: Span[];
  pool: StringPool | undefined;
}

interface Loaded {
  sessions: Session[];
  spans: Map<string, SessionSpans>;
  warnings: string[];
}

export function createFileBackend(config: BackendConfig, context: BackendContext): Backend {
  return new FileBackend(config, context);
}

class FileBackend implements Backend {
  readonly id: string;
  readonly type = 'file' as const;
  readonly label: string;
  private readonly target: string;
  private loaded: Promise<Loaded> | undefined;
  private readonly listeners = new Set<(c: BackendChange) => void>();
  private watcher: fs.FSWatcher | undefined;

  constructor(config: BackendConfig, private readonly context: BackendContext) {
    this.id = config.id;
    this.target = context.resolvePath(requireString(config, 'path'));
    this.label = typeof config.label === 'string' && config.label ? config.label : path.basename(this.target);
  }

  async listSessions(): Promise<SessionPage> {
    const data = await this.load();
    return { sessions: data.sessions, warnings: data.warnings.length ? data.warnings : undefined };
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    return (await this.load()).sessions.find((s) => s.id === sessionId);
  }

  async *loadSpans(sessionId: string, options: LoadOptions = {}): AsyncIterable<SpanPage> {
    const data = await this.load();
    const entry = data.spans.get(sessionId);
    if (!entry) {
      throw new BackendError('notFound', `No session "${sessionId}" in ${this.target}.`, { nextSteps: ['retry'] });
    }
    const total = entry.raw ? entry.raw.length : entry.decoded.length;
    let start = options.resumeFrom ? Number(options.resumeFrom) : 0;
    if (!Number.isInteger(start) || start < 0) {
      start = 0;
    }
    for (let i = start; i < total || i === 0; i += PAGE_SIZE) {
      throwIfAborted(options.signal);
      const end = Math.min(total, i + PAGE_SIZE);
      yield { spans: decodeUpTo(entry, sessionId, end).slice(i, end), cursor: end < total ? String(end) : undefined };
      if (end >= total) {
        break;
      }
    }
  }

  async resolveSession(query: string): Promise<Session[]> {
    const q = query.trim().toLowerCase();
    const { sessions } = await this.load();
    const exact = sessions.filter((s) => s.id.toLowerCase() === q);
    const named = sessions.filter((s) => !exact.includes(s) && (s.name ?? '').toLowerCase().includes(q));
    return [...exact, ...named];
  }

  onDidChange(listener: (change: BackendChange) => void): Disposable {
    this.listeners.add(listener);
    this.ensureWatcher();
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.watcher?.close();
    this.listeners.clear();
  }

  private ensureWatcher(): void {
    if (this.watcher) {
      return;
    }
    try {
      let timer: NodeJS.Timeout | undefined;
      this.watcher = fs.watch(this.target, () => {
        // Editors write files in several steps; settle before re-reading.
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.loaded = undefined;
          for (const l of this.listeners) l({});
        }, 200);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // A missing file is reported by load(); nothing to watch yet.
    }
  }

  private load(): Promise<Loaded> {
    this.loaded ??= this.read().catch((err) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  private async read(): Promise<Loaded> {
    let files: string[];
    try {
      const stat = await fs.promises.stat(this.target);
      files = stat.isDirectory()
        ? (await fs.promises.readdir(this.target)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(this.target, f))
        : [this.target];
    } catch (err) {
      throw new BackendError('notFound', `Cannot read ${this.target}: ${(err as Error).message}`, { nextSteps: ['openSettings', 'retry'] });
    }
    const out: Loaded = { sessions: [], spans: new Map(), warnings: [] };
    for (const file of files) {
      let doc: unknown;
      try {
        // Exact: integers beyond 2^53 stay digits instead of being rounded.
        doc = parseJsonExact(await fs.promises.readFile(file, 'utf8'));
      } catch (err) {
        const msg = `${path.basename(file)}: not valid JSON (${(err as Error).message}).`;
        if (files.length === 1) {
          throw new BackendError('badData', msg, { nextSteps: ['openSettings', 'retry'] });
        }
        out.warnings.push(msg);
        continue;
      }
      const exports = Array.isArray(doc) ? doc : [doc];
      exports.forEach((entry, i) => {
        const e = entry as { session?: unknown; spans?: unknown } | null;
        if (!e || typeof e !== 'object' || !Array.isArray(e.spans)) {
          out.warnings.push(`${path.basename(file)}: entry ${i + 1} is not a session export ({session, spans}); skipped.`);
          return;
        }
        const session = coerceSession(e.session, this.id, `${path.basename(file, '.json')}#${i + 1}`);
        if (out.spans.has(session.id)) {
          out.warnings.push(`${path.basename(file)}: session ${session.id} appears twice; spans merged.`);
        }
        const spans = out.spans.get(session.id) ?? { raw: [], decoded: [], pool: new StringPool() };
        e.spans.forEach((value, index) => spans.raw!.push({ value, index }));
        session.spanCount = spans.raw!.length;
        if (!out.spans.has(session.id)) {
          out.sessions.push(session);
        }
        out.spans.set(session.id, spans);
      });
    }
    out.sessions.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0));
    for (const w of out.warnings) {
      this.context.log.warn(`[${this.id}] ${w}`);
    }
    return out;
  }
}

/** Decodes the session's spans up to `end` (exclusive) if not done yet; returns the decoded list. */
function decodeUpTo(entry: SessionSpans, sessionId: string, end: number): Span[] {
  const raw = entry.raw;
  if (raw) {
    for (let i = entry.decoded.length; i < end; i++) {
      // Exports repeat transcript text in every LLM span: keep one copy of each long string.
      entry.decoded.push(coerceSpan(entry.pool!.internDeep(raw[i].value), sessionId, raw[i].index));
    }
    if (entry.decoded.length === raw.length) {
      entry.raw = undefined;
      entry.pool = undefined;
    }
  }
  return entry.decoded;
}
