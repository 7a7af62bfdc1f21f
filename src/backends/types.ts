// The contract between the views/CLI and every backend. Backends are pure Node
// (no `vscode`), so the CLI, benchmarks and unit tests run exactly this code.
import type { BackendType, Session, Span } from '../model/types';

/** One entry of `spanInspector.backends`. Type-specific keys ride along. */
export interface BackendConfig {
  id: string;
  type: BackendType;
  label?: string;
  [key: string]: unknown;
}

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a backend may ask of its host (extension or CLI). */
export interface BackendContext {
  log: Logger;
  /** Secret lookup (VS Code SecretStorage in the extension, env in the CLI). */
  getSecret(name: string): Promise<string | undefined>;
  /** Resolves workspace-relative paths (e.g. `tmp/traces.db`). */
  resolvePath(p: string): string;
  /** A writable folder for caches and captured data. */
  storageDir?: string;
}

export interface SessionPage {
  sessions: Session[];
  /** Pass back to get the next page; absent on the last page. */
  cursor?: string;
  /** Non-fatal problems to show beside the list (e.g. "search results partial"). */
  warnings?: string[];
}

export interface SpanPage {
  spans: Span[];
  /** Position after this page: pass as `resumeFrom` to continue after a failure. */
  cursor?: string;
  warnings?: string[];
}

export interface ListOptions {
  cursor?: string;
  limit?: number;
  signal?: AbortSignal;
}

export interface LoadOptions {
  /** Continue after a failure from the cursor of the last page received. */
  resumeFrom?: string;
  signal?: AbortSignal;
}

/** A prompt template fetched from the service (Q Connect GetAIPrompt). */
export interface PromptTemplate {
  name?: string;
  /** Document language for the virtual document, e.g. `yaml`. */
  language: string;
  text: string;
  /** Where it came from, e.g. the ARN and version. */
  source: string;
}

/** `undefined` sessionId: the session list changed. */
export interface BackendChange {
  sessionId?: string;
}

export interface Disposable {
  dispose(): void;
}

export interface Backend {
  readonly id: string;
  readonly type: BackendType;
  readonly label: string;

  /** Sessions newest first where the data allows, a page at a time. */
  listSessions(options: ListOptions): Promise<SessionPage>;

  /** Details of one session (may be fetched lazily and cached). */
  getSession(sessionId: string, signal?: AbortSignal): Promise<Session | undefined>;

  /**
   * A session's spans, page by page. Throws BackendError; spans already
   * yielded stay valid, and `resumeFrom` continues without duplicates.
   */
  loadSpans(sessionId: string, options?: LoadOptions): AsyncIterable<SpanPage>;

  /** Sessions matching an id, ARN or name (exact ids first). */
  resolveSession(query: string, signal?: AbortSignal): Promise<Session[]>;

  /**
   * The span's original wire record for the Raw tab, read again when asked
   * for, by backends that do not keep it beside the span (model/raw): holding
   * every record doubles a session's memory. Undefined when the source no
   * longer has it.
   */
  rawRecord?(span: Span, signal?: AbortSignal): Promise<unknown>;

  /** Template text of a prompt referenced by a span, where the service has it. */
  getPromptTemplate?(prompt: { id?: string; arn?: string; version?: number }, signal?: AbortSignal): Promise<PromptTemplate | undefined>;

  /** Live sources (files being written, capture) report changes here. */
  onDidChange?(listener: (change: BackendChange) => void): Disposable;

  dispose?(): void;
}

/** The id of the "Live capture" backend (the receiver's store), wherever it is named. */
export const CAPTURE_BACKEND_ID = 'capture';

export type BackendFactory = (config: BackendConfig, context: BackendContext) => Backend | Promise<Backend>;

/** Collects every page of a session into one sorted array (CLI export, tests). */
export async function loadAllSpans(backend: Backend, sessionId: string, signal?: AbortSignal): Promise<Span[]> {
  const spans: Span[] = [];
  for await (const page of backend.loadSpans(sessionId, { signal })) {
    for (const s of page.spans) {
      spans.push(s);
    }
  }
  return spans.sort((a, b) => a.startTime - b.startTime);
}
