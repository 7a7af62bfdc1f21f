// The sessions table: one webview listing the sessions of every backend.
// Each backend is paged independently and rows are pushed as pages arrive
// (nothing waits for the slowest backend). Span-derived columns (errors, LLM
// calls, tokens, cost, agents, models) come from sessions already loaded,
// and the webview asks for the visible rows' details, loaded two at a time.
// Filters and sort live in workspaceState, so a reload restores them.
import * as vscode from 'vscode';
import { toBackendError } from '../backends/errors';
import type { Backend } from '../backends/types';
import { matchesFilters, sessionRow, tableView, type SessionTableRow } from '../model/sessionTable';
import type { Session } from '../model/types';
import { SESSIONS_TABLE_VIEW_TYPE, type TableHostMessage, type TableState, type TableWebviewMessage } from '../protocol';
import type { BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import { makeNonce, panelHtml } from './html';
import { Commands } from '../common/commands';
import { registerCommand } from '../views/registerCommand';
import { Disposable } from '../common/disposable';
import { tableStrings } from './panelStrings';

const STATE_KEY = 'spanInspector.sessionsTable.state';
/** Pages listed per backend before stopping (each page is the backend's own size). */
const MAX_PAGES = 50;
/** Details are loaded for sessions this small or of unknown size only. */
const MAX_DETAIL_SPANS = 20_000;
const PUSH_MS = 150;
/** Sessions loaded to apply a span-derived filter (errors, agent, model, cost). */
const MAX_FILTER_DETAILS = 200;

export const DEFAULT_TABLE_STATE: TableState = { filters: {}, sort: { column: 'start', desc: true } };

export class SessionsTable extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly sessions = new Map<string, { backendId: string; label: string; session: Session }>();
  private readonly listing = new Set<string>();
  private readonly errors: string[] = [];
  private state: TableState;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly detailQueue: string[] = [];
  private detailWorkers = 0;
  private readonly derived = new WeakMap<LoadedSession, { revision: number; session: Session; row: SessionTableRow }>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly backends: BackendService,
    private readonly cache: SessionCache,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.state = context.workspaceState.get<TableState>(STATE_KEY) ?? DEFAULT_TABLE_STATE;
    this._register(backends.onDidChangeBackends(() => this.panel && this.relist()));
    // Live backends (capture) change while the table is open: list them again, at most once a second.
    this._register(backends.onDidChangeData(({ backendId }) => this.panel && this.relistSoon(backendId)));
  }

  /** Shows the table (creating it), or adopts a panel VS Code restored after a reload. */
  show(restored?: vscode.WebviewPanel): void {
    if (this.panel && !restored) {
      this.panel.reveal();
      return;
    }
    const panel = restored ?? vscode.window.createWebviewPanel(SESSIONS_TABLE_VIEW_TYPE, vscode.l10n.t('Sessions table'), vscode.ViewColumn.Active, { enableScripts: true });
    this.panel = panel;
    const root = this.context.extensionUri;
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')] };
    const uri = (...p: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: uri('dist', 'sessionsTable.js'),
      styleUri: uri('media', 'sessionsTable.css'),
      codiconUri: uri('dist', 'codicons', 'codicon.css'),
    });
    const subs = [
      panel.webview.onDidReceiveMessage((m: TableWebviewMessage) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    ];
    panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.panel === panel) this.panel = undefined;
      this.generation++;
    });
    this.relist();
  }

  /** The filters and the backend list (sent again when backends change: live capture starts later). */
  private postInit(): void {
    this.post({
      type: 'init',
      state: this.state,
      backends: this.backends.list().map((e) => ({ id: e.id, label: e.label })),
      canCompare: this.canCompare,
      strings: tableStrings(vscode.l10n),
    });
  }

  private readonly relistTimers = new Map<string, ReturnType<typeof setTimeout>>();

  private relistSoon(id: string): void {
    if (this.relistTimers.has(id)) return;
    this.relistTimers.set(
      id,
      setTimeout(() => {
        this.relistTimers.delete(id);
        const entry = this.backends.entry(id);
        if (this.panel && entry && !entry.configError) void this.listBackend(id, entry.label, this.generation);
      }, 1000),
    );
  }

  private relist(): void {
    if (this.ready) this.postInit();
    const gen = ++this.generation;
    this.sessions.clear();
    this.errors.length = 0;
    this.listing.clear();
    for (const entry of this.backends.list()) {
      if (entry.configError) {
        this.errors.push(`${entry.label}: ${entry.configError.message}`);
        continue;
      }
      this.listing.add(entry.id);
      void this.listBackend(entry.id, entry.label, gen);
    }
    this.schedule();
  }

  private async listBackend(id: string, label: string, gen: number): Promise<void> {
    try {
      const backend = await this.backends.get(id);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES && gen === this.generation; page++) {
        const res = await backend.listSessions({ cursor });
        if (gen !== this.generation) return;
        for (const s of res.sessions) this.sessions.set(`${id}\u0000${s.id}`, { backendId: id, label, session: s });
        this.schedule();
        void this.fillNames(backend, res.sessions.filter((s) => !s.name), gen);
        cursor = res.cursor;
        if (!cursor) break;
      }
    } catch (err) {
      const e = toBackendError(err);
      this.errors.push(`${label}: ${e.message}`);
      this.log.error(`[${id}] sessions table: ${e.message}`);
    } finally {
      if (gen === this.generation) {
        this.listing.delete(id);
        this.schedule();
      }
    }
  }

  /** Backends that list ids only (Q Connect SearchSessions): names from getSession, a few at a time. */
  private async fillNames(backend: Backend, unnamed: Session[], gen: number): Promise<void> {
    const queue = [...unnamed];
    const worker = async () => {
      for (let s = queue.shift(); s && gen === this.generation; s = queue.shift()) {
        try {
          const details = await backend.getSession(s.id);
          if (details?.name) {
            s.name = details.name;
            s.startTime ??= details.startTime;
            s.endTime ??= details.endTime;
            this.schedule();
          }
        } catch {
          // The id stays as the name; opening the session reports real errors.
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }

  private rows(): SessionTableRow[] {
    const out: SessionTableRow[] = [];
    for (const { backendId, label, session } of this.sessions.values()) {
      const loaded = this.cache.peek(backendId, session.id);
      out.push(loaded && loaded.state === 'done' ? this.loadedRow(loaded, label) : sessionRow(backendId, label, loaded?.session ?? session));
    }
    return out;
  }

  /** A loaded session's row, derived from its spans once per update (a million spans take a second to sum). */
  private loadedRow(loaded: LoadedSession, label: string): SessionTableRow {
    const cached = this.derived.get(loaded);
    if (cached && cached.revision === loaded.revision && cached.session === loaded.session && cached.row.backendLabel === label) return cached.row;
    const row = sessionRow(loaded.backendId, label, loaded.session, loaded.spans());
    this.derived.set(loaded, { revision: loaded.revision, session: loaded.session, row });
    return row;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.push();
    }, PUSH_MS);
  }

  private push(): void {
    if (!this.ready || !this.panel) return;
    const all = this.rows();
    // Span-derived filters cannot judge rows whose spans are not loaded: load those
    // that pass the other filters, so they show up (or stay hidden) for a reason.
    const f = this.state.filters;
    if (f.errorsOnly || f.agent || f.model || f.minCost !== undefined) {
      const rest = { ...f, errorsOnly: undefined, agent: undefined, model: undefined, minCost: undefined };
      this.loadDetails(all.filter((r) => !r.detailed && matchesFilters(r, rest)).slice(0, MAX_FILTER_DETAILS).map((r) => r.key));
    }
    this.post({ type: 'rows', rows: tableView(all, this.state.filters, this.state.sort), total: all.length, listing: [...this.listing].map((id) => this.backends.entry(id)?.label ?? id), errors: [...this.errors] });
  }

  private onMessage(m: TableWebviewMessage): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.postInit();
        this.push();
        return;
      case 'setState':
        if (m.state && typeof m.state === 'object' && m.state.sort && m.state.filters) {
          this.state = { filters: { ...m.state.filters }, sort: { ...m.state.sort } };
          void this.context.workspaceState.update(STATE_KEY, this.state);
          this.push();
        }
        return;
      case 'rowAction':
        void this.rowAction(m.action, m.key);
        return;
      case 'details':
        if (Array.isArray(m.keys)) this.loadDetails(m.keys.filter((k): k is string => typeof k === 'string').slice(0, MAX_FILTER_DETAILS));
        return;
    }
  }

  private canCompare = false;

  /** Whether the editor's compare command exists (it is another feature's). */
  async refreshCompare(): Promise<void> {
    this.canCompare = (await vscode.commands.getCommands(true)).includes(Commands.compareSessions);
  }

  private loadDetails(keys: string[]): void {
    for (const k of keys) {
      const s = this.sessions.get(k);
      if (!s || this.detailQueue.includes(k)) continue;
      const loaded = this.cache.peek(s.backendId, s.session.id);
      if (loaded && loaded.state !== 'idle') continue;
      if ((s.session.spanCount ?? 0) > MAX_DETAIL_SPANS) continue;
      this.detailQueue.push(k);
    }
    while (this.detailWorkers < 2 && this.detailQueue.length) {
      this.detailWorkers++;
      void this.detailWorker();
    }
  }

  private async detailWorker(): Promise<void> {
    try {
      for (let k = this.detailQueue.shift(); k; k = this.detailQueue.shift()) {
        const s = this.sessions.get(k);
        if (!s || !this.panel) continue;
        await this.cache.get(s.backendId, s.session).ensureLoaded();
        this.schedule();
      }
    } finally {
      this.detailWorkers--;
    }
  }

  private async rowAction(action: string, key: string): Promise<void> {
    const s = typeof key === 'string' ? this.sessions.get(key) : undefined;
    if (!s) return;
    const target = { backendId: s.backendId, session: s.session };
    const command = action === 'open' ? Commands.openSession : action === 'export' ? Commands.exportSession : action === 'compare' ? Commands.compareSessions : undefined;
    if (!command) return;
    try {
      await vscode.commands.executeCommand(command, target);
    } catch (err) {
      this.log.error(`Sessions table ${action} failed: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Span Inspector: the action failed. See the Span Inspector log for details.'));
    }
  }

  private post(message: TableHostMessage): void {
    if (!this.ready || !this.panel) return;
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  override dispose(): void {
    clearTimeout(this.timer);
    this.relistTimers.forEach((timer) => clearTimeout(timer));
    super.dispose();
    this.panel?.dispose();
  }
}

/** Wires the table: its command, the reload serializer, and the compare check. */
export function registerSessionsTable(context: vscode.ExtensionContext, backends: BackendService, cache: SessionCache, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const table = new SessionsTable(context, backends, cache, log);
  void table.refreshCompare();
  return [
    table,
    registerCommand(log, Commands.openSessionsTable, vscode.l10n.t('Open Sessions Table'), async () => {
      await table.refreshCompare();
      table.show();
    }),
    vscode.window.registerWebviewPanelSerializer(SESSIONS_TABLE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        await table.refreshCompare();
        table.show(panel);
      },
    }),
  ];
}
