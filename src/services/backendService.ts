// Owns the configured backends: reads `spanInspector.backends`, creates each
// backend lazily (first use), recreates them when settings change, and gives
// them a host context (log, SecretStorage, workspace paths).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateBackendList } from '../backends/config';
import { BackendError, toBackendError } from '../backends/errors';
import { createBackend } from '../backends/registry';
import type { Backend, BackendConfig, BackendContext } from '../backends/types';
import { Disposable } from '../common/disposable';

export interface BackendEntry {
  readonly id: string;
  readonly label: string;
  readonly config?: BackendConfig;
  /** Set when the entry is unusable (bad settings); shown as an error node. */
  readonly configError?: BackendError;
}

export class BackendService extends Disposable {
  private entries: BackendEntry[] = [];
  private readonly instances = new Map<string, Promise<Backend>>();
  private readonly extra = new Map<string, Backend>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly backendChanged = this._register(new vscode.EventEmitter<{ backendId: string; sessionId?: string }>());
  /** Fires when the list of backends changes (settings edited, capture started). */
  readonly onDidChangeBackends = this.changed.event;
  /** Fires when a live backend reports new data. */
  readonly onDidChangeData = this.backendChanged.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    readonly log: vscode.LogOutputChannel,
    private readonly storageDir: string,
  ) {
    super();
    this.reload();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('spanInspector.backends')) {
          this.reload();
        }
      }),
    );
  }

  list(): readonly BackendEntry[] {
    return [...this.entries, ...[...this.extra.values()].map((b) => ({ id: b.id, label: b.label }))];
  }

  entry(id: string): BackendEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  /** Creates the backend on first use; a failure is cached until settings change or Retry. */
  get(id: string): Promise<Backend> {
    const live = this.extra.get(id);
    if (live) {
      return Promise.resolve(live);
    }
    let p = this.instances.get(id);
    if (!p) {
      const entry = this.entries.find((e) => e.id === id);
      if (!entry) {
        return Promise.reject(new BackendError('config', `No backend with id "${id}" is configured.`, { nextSteps: ['openSettings'] }));
      }
      if (entry.configError || !entry.config) {
        return Promise.reject(entry.configError);
      }
      p = createBackend(entry.config, this.contextFor(entry.config)).then(
        (backend) => {
          backend.onDidChange?.((c) => this.backendChanged.fire({ backendId: id, sessionId: c.sessionId }));
          return backend;
        },
        (err) => {
          this.instances.delete(id);
          throw toBackendError(err, 'config');
        },
      );
      this.instances.set(id, p);
    }
    return p;
  }

  /** Backends that are not in settings (the live capture store). */
  addExtra(backend: Backend): vscode.Disposable {
    this.extra.set(backend.id, backend);
    const sub = backend.onDidChange?.((c) => this.backendChanged.fire({ backendId: backend.id, sessionId: c.sessionId }));
    this.changed.fire();
    return new vscode.Disposable(() => {
      sub?.dispose();
      if (this.extra.get(backend.id) === backend) {
        this.extra.delete(backend.id);
        this.changed.fire();
      }
    });
  }

  /** Drops a cached instance so the next use recreates it (Retry after a config fix). */
  reset(id: string): void {
    const p = this.instances.get(id);
    this.instances.delete(id);
    p?.then((b) => b.dispose?.(), () => undefined);
  }

  reload(): void {
    const raw = vscode.workspace.getConfiguration('spanInspector').get<unknown>('backends');
    const { configs, errors } = validateBackendList(raw);
    for (const p of this.instances.values()) {
      p.then((b) => b.dispose?.(), () => undefined);
    }
    this.instances.clear();
    this.entries = [
      ...configs.map((c) => ({ id: c.id, label: typeof c.label === 'string' && c.label ? c.label : c.id, config: c })),
      ...errors.map((e, i) => ({ id: `invalid-${i}`, label: vscode.l10n.t('Invalid backend entry'), configError: e })),
    ];
    for (const e of errors) {
      this.log.warn(e.message);
    }
    this.log.info(`Configured backends: ${configs.map((c) => `${c.id} (${c.type})`).join(', ') || 'none'}`);
    this.changed.fire();
  }

  private contextFor(config: BackendConfig): BackendContext {
    const prefix = `[${config.id}] `;
    return {
      log: {
        trace: (m) => this.log.trace(prefix + m),
        debug: (m) => this.log.debug(prefix + m),
        info: (m) => this.log.info(prefix + m),
        warn: (m) => this.log.warn(prefix + m),
        error: (m) => this.log.error(prefix + m),
      },
      getSecret: async (name) => (await this.secrets.get(name)) || undefined,
      resolvePath: (p) => resolveWorkspacePath(p),
      storageDir: this.storageDir,
    };
  }

  override dispose(): void {
    for (const p of this.instances.values()) {
      p.then((b) => b.dispose?.(), () => undefined);
    }
    super.dispose();
  }
}

/** `~/x`, absolute paths and paths relative to the first workspace folder. */
export function resolveWorkspacePath(p: string): string {
  if (p.startsWith('~/')) {
    return path.join(process.env.HOME ?? '', p.slice(2));
  }
  if (path.isAbsolute(p)) {
    return p;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, p) : path.resolve(p);
}
