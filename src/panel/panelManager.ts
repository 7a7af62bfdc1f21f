// Owns the Span Inspector panels: one per session, reused and revealed, and
// restored after a window reload by the WebviewPanelSerializer from the state
// the webview saved ({backendId, session, spanKey, view}). Like the Explorer's
// preview editors, a newly opened session replaces the preview panel until
// the user pins it (Pin action, double-click in the panel or on the tree row,
// or working in it); `spanInspector.panel.preview: false` opens a tab each time.
import * as vscode from 'vscode';
import { coerceSession } from '../model/coerce';
import type { Session } from '../model/types';
import { PANEL_VIEW_TYPE, type PanelView } from '../protocol';
import type { BackendService } from '../services/backendService';
import type { SessionCache } from '../services/loadedSession';
import { SessionPanel, type PanelHost } from './sessionPanel';
import type { Target } from '../common/target';
import { Disposable } from '../common/disposable';

/** spanKey = ForestBuilder node key (span id, or id~N for duplicates). */
export class PanelManager extends Disposable implements PanelHost {
  private readonly panels = new Map<string, SessionPanel>();
  private readonly selected = this._register(new vscode.EventEmitter<{ backendId: string; sessionId: string; spanKey: string }>());
  private readonly opened = this._register(new vscode.EventEmitter<{ backendId: string; session: Session }>());
  /** The panel the next opened session replaces (not pinned yet). */
  private preview: SessionPanel | undefined;
  private lastOpen = { key: '', at: 0 };
  /** Fires whenever a session is shown in a panel (Recent sessions listen). */
  readonly onDidOpenSession = this.opened.event;
  /** Fires when the user opens a span in a panel (so the tree can reveal it). */
  readonly onDidSelectSpan = this.selected.event;
  readonly onDidChangeBackends: vscode.Event<void>;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly sessions: SessionCache,
    backends: BackendService,
    readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.onDidChangeBackends = backends.onDidChangeBackends;
    this._register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
  }

  openSpan(target: Target): Promise<void> {
    return this.open(target, target.spanKey ? 'span' : 'session');
  }

  openSession(target: Target): Promise<void> {
    return this.open(target, 'session');
  }

  /** The panel in front and the span it shows. */
  activeTarget(): Target | undefined {
    for (const p of this.panels.values()) {
      if (p.panel.active) {
        return { backendId: p.backendId, session: p.session, spanKey: p.view === 'span' ? p.spanKey : undefined };
      }
    }
    return undefined;
  }

  private async open(target: Target, view: PanelView): Promise<void> {
    const key = panelKey(target.backendId, target.session.id);
    this.opened.fire({ backendId: target.backendId, session: target.session });
    // Two opens of one session in quick succession = a double-click on its tree row: keep it.
    const now = Date.now();
    const double = this.lastOpen.key === key && now - this.lastOpen.at < DOUBLE_CLICK_MS;
    this.lastOpen = { key, at: now };
    const existing = this.panels.get(key);
    if (existing) {
      if (double && existing === this.preview) this.pin(existing);
      existing.show(view, target.spanKey);
      existing.panel.reveal(undefined, false);
      return;
    }
    const usePreview = vscode.workspace.getConfiguration('spanInspector.panel').get<boolean>('preview', true);
    const reuse = usePreview ? this.preview : undefined;
    if (reuse && !reuse.disposed) {
      this.panels.delete(panelKey(reuse.backendId, reuse.sessionId));
      reuse.retarget(target.backendId, target.session, view, target.spanKey);
      this.panels.set(key, reuse);
      reuse.panel.reveal(undefined, false);
      return;
    }
    const root = this.context.extensionUri;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, target.session.name || target.session.id, vscode.ViewColumn.Active, {
      enableScripts: true,
      // Only the bundle, CSS and codicons; the webview re-sends `ready` when shown again.
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
      retainContextWhenHidden: false,
    });
    const created = new SessionPanel(this, panel, target.backendId, target.session, view, target.spanKey);
    this.add(created);
    if (usePreview) this.setPreview(created);
  }

  /** Keeps the panel open when another session is opened (Pin action, double-click, working in it). */
  pin(panel?: SessionPanel): void {
    const p = panel ?? [...this.panels.values()].find((x) => x.panel.active);
    if (p && p === this.preview) this.setPreview(undefined);
  }

  isPreview(panel: SessionPanel): boolean {
    return panel === this.preview;
  }

  private setPreview(panel: SessionPanel | undefined): void {
    const old = this.preview;
    this.preview = panel;
    old?.setPreview(false);
    panel?.setPreview(true);
    this.updateContext();
  }

  /** `spanInspector.panelIsPreview` drives the Pin button of the editor title. */
  updateContext(): void {
    const active = [...this.panels.values()].find((x) => x.panel.active);
    void vscode.commands.executeCommand('setContext', 'spanInspector.panelIsPreview', !!active && active === this.preview);
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = state && typeof state === 'object' ? (state as Record<string, unknown>) : {};
    const backendId = typeof s.backendId === 'string' ? s.backendId : undefined;
    const sessionValue = s.session && typeof s.session === 'object' ? (s.session as Record<string, unknown>) : undefined;
    if (!backendId || !sessionValue || typeof sessionValue.id !== 'string') {
      // Nothing to restore from (state from an older version): close quietly.
      panel.dispose();
      return;
    }
    const session = coerceSession(sessionValue, backendId, sessionValue.id);
    const key = panelKey(backendId, session.id);
    if (this.panels.has(key)) {
      panel.dispose();
      return;
    }
    const spanKey = typeof s.spanKey === 'string' ? s.spanKey : undefined;
    const view: PanelView = s.view === 'span' && spanKey ? 'span' : 'session';
    this.add(new SessionPanel(this, panel, backendId, session, view, spanKey));
  }

  /** Shows a session in a webview panel VS Code made (the trace-file custom editor), tracked like the others. */
  adopt(panel: vscode.WebviewPanel, backendId: string, session: Session): void {
    this.add(new SessionPanel(this, panel, backendId, session, 'session', undefined));
  }

  private add(p: SessionPanel): void {
    this.panels.set(panelKey(p.backendId, p.sessionId), p);
  }

  didSelectSpan(panel: SessionPanel, spanKey: string): void {
    this.selected.fire({ backendId: panel.backendId, sessionId: panel.sessionId, spanKey });
  }

  didDispose(panel: SessionPanel): void {
    const key = panelKey(panel.backendId, panel.sessionId);
    if (this.panels.get(key) === panel) this.panels.delete(key);
    if (this.preview === panel) this.preview = undefined;
    this.updateContext();
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    super.dispose();
  }
}

const DOUBLE_CLICK_MS = 500;

function panelKey(backendId: string, sessionId: string): string {
  return `${backendId}\u0000${sessionId}`;
}
