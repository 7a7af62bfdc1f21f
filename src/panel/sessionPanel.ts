// One webview panel showing one session: the waterfall streams in while the
// session loads, span details and the conversation are sent on request. The
// webview may be torn down whenever it is hidden (no retainContextWhenHidden),
// so every `ready` starts from scratch: init, all rows, load state. A fresh
// page carries its `init` (html.ts): `ready` then skips it unless it changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { oneLine } from '../model/format';
import { limitDepth } from '../model/json';
import { timingProblems } from '../model/time';
import type { Session } from '../model/types';
import { LIMITS, safeLink, type ConversationTurn, type EmbeddedInit, type HostMessage, type LoadInfo, type PanelState, type PanelView, type SpanAction, type WebviewMessage } from '../protocol';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import { PRICING_SETTING } from '../services/pricingSetting';
import { Conversation } from './conversation';
import { aggregate } from '../model/aggregates';
import { buildAgentGraph } from '../model/agentGraph';
import { aggregateView, spanCostInfo, summaryInfo } from './costInfo';
import { makeNonce, panelHtml } from './html';
import { toJsonText } from './rawJson';
import { keyedSpans, RowStreamer, type RowBatch } from './rows';
import { searchSpans } from './search';
import { relatedToolResults, toolSpanResults, unansweredCalls } from './toolResults';
import { Commands } from '../common/commands';
import { Disposable } from '../common/disposable';
import { Signal } from '../common/signal';
import { nextTurn, TimeSlice } from '../common/timeSlice';
import { panelStrings } from './panelStrings';

export const MARKDOWN_PREF = 'spanInspector.panel.markdown';

/** Adds to each turn the results tool spans hold for its calls (`index`: toolSpanResults of the whole session). */
function withToolSpanResults(turns: ConversationTurn[], forest: LoadedSession['forest'], index: ReturnType<typeof toolSpanResults>): ConversationTurn[] {
  if (!index.size) return turns;
  for (const t of turns) {
    const span = forest.get(t.key)?.span;
    if (!span) continue;
    const related = [...unansweredCalls(span)].map((id) => index.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
    if (related.length) t.related = related;
  }
  return turns;
}

/** The chunks webview.js imports (written by esbuild.mjs); none if the file is missing. Read per page: `--watch` rewrites it. */
function webviewPreloads(root: string): string[] {
  try {
    const list: unknown = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'webview.preload.json'), 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string' && /^chunks\/[\w.-]+\.js$/.test(p)) : [];
  } catch {
    return [];
  }
}

/** What the webview's init uses of the state: a session's counts changing while it loads need no new `init`. */
function initKey(s: PanelState): string {
  return JSON.stringify([s.backendId, s.session.id, s.session.name, s.view, s.spanKey, s.markdown]);
}

function rowsMessage(batch: RowBatch): HostMessage {
  return { type: 'rows', reset: batch.reset, rows: batch.rows };
}

/** The conversation of what was loaded when it was made, built as far as its pages were read. */
interface ConversationBuild {
  forest: unknown;
  size: number;
  complete: boolean;
  conversation: Conversation;
  toolResults: ReturnType<typeof toolSpanResults>;
}

/** Longest stretch of building the conversation before the event loop (rows, messages) gets a turn. */
const CONVERSATION_SLICE_MS = 16;

/** Tree issues (orphans, cycles, duplicates) listed in the panel's warning area. */
const MAX_ISSUES = 20;

export interface PanelHost {
  readonly context: vscode.ExtensionContext;
  readonly sessions: SessionCache;
  readonly log: vscode.LogOutputChannel;
  readonly onDidChangeBackends: vscode.Event<void>;
  didSelectSpan(panel: SessionPanel, spanKey: string): void;
  didDispose(panel: SessionPanel): void;
  /** The user works in the panel (double-click, search): it stops being the preview. */
  pin(panel: SessionPanel): void;
  isPreview(panel: SessionPanel): boolean;
  updateContext(): void;
}

export class SessionPanel extends Disposable {
  private loaded: LoadedSession;
  private loadSub: vscode.Disposable | undefined;
  /** Holds the load after its first rows until the webview has them (see bind). */
  private loadHold: vscode.Disposable | undefined;
  private readonly streamer = new RowStreamer();
  private ready = false;
  /** A span the webview asked for before it was loaded; sent once it arrives. */
  private pendingSpan: string | undefined;
  private conversation: ConversationBuild | undefined;
  /** Messages waiting for a turn of the event loop (see pushRows); made when sent. */
  private readonly outbox: (() => HostMessage | undefined)[] = [];
  /** The `load` message waiting in the outbox: a newer one replaces it (one per update piled up behind the rows). */
  private queuedLoad: (() => HostMessage) | undefined;
  /** The outbox holds the rest of a row batch. */
  private rowsQueued = false;
  /** `rows` messages the webview has not said it applied yet (see drain). */
  private rowsInFlight = 0;
  private readonly rowsApplied = new Signal();
  /** When the last rows were pushed and how long finding them took (see onUpdate). */
  private lastPushAt = 0;
  private lastPushCost = 0;
  private deferred: NodeJS.Timeout | undefined;
  /** The `init` the current page carries (its initKey), until its webview says `ready`. */
  private embedded: { id: string; key: string } | undefined;

  constructor(
    private readonly host: PanelHost,
    readonly panel: vscode.WebviewPanel,
    public backendId: string,
    session: Session,
    public view: PanelView,
    public spanKey: string | undefined,
  ) {
    super();
    this.loaded = host.sessions.get(backendId, session);
    const root = host.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    panel.title = this.title();
    this.loadHtml();
    this._register(panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        // A hidden webview is destroyed; it says `ready` again when shown.
        if (!panel.visible) {
          this.ready = false;
          this.rowsDone(true); // a drain waiting for the webview ends
          this.releaseLoad();
        }
        host.updateContext();
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
    // Settings changes clear the SessionCache; pick up the new LoadedSession.
    this._register(host.onDidChangeBackends(() => setTimeout(() => this.rebind(), 0)));
    this.bind();
  }

  /** A fresh page: the webview says `ready` and gets everything from scratch. */
  private loadHtml(): void {
    const root = this.host.context.extensionUri;
    const uri = (...p: string[]) => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
    const init: EmbeddedInit = { id: makeNonce(), state: this.state(), strings: panelStrings(vscode.l10n) };
    this.embedded = { id: init.id, key: initKey(init.state) };
    this.panel.webview.html = panelHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      init,
      module: true,
      preloadUris: webviewPreloads(root.fsPath).map((p) => uri('dist', ...p.split('/'))),
      scriptUri: uri('dist', 'webview.js'),
      styleUri: uri('media', 'panel.css'),
      codiconUri: uri('dist', 'codicons', 'codicon.css'),
    });
  }

  /** The preview panel shows another session (the panel manager reuses it). */
  retarget(backendId: string, session: Session, view: PanelView, spanKey: string | undefined): void {
    this.backendId = backendId;
    this.loaded = this.host.sessions.get(backendId, session);
    this.view = view;
    this.spanKey = spanKey;
    this.conversation = undefined;
    this.pendingSpan = undefined;
    clearTimeout(this.deferred);
    this.deferred = undefined;
    this.ready = false;
    this.clearOutbox();
    this.rowsDone(true); // a drain waiting for the old page ends
    this.streamer.reset();
    this.bind();
    this.panel.title = this.title();
    this.loadHtml();
  }

  setPreview(preview: boolean): void {
    this.preview = preview;
    this.panel.title = this.title();
  }

  get session(): Session {
    return this.loaded.session;
  }

  get sessionId(): string {
    return this.loaded.session.id;
  }

  /** Shows a span or the session view; the panel is revealed by the caller. */
  show(view: PanelView, spanKey: string | undefined): void {
    this.view = view;
    if (spanKey) this.spanKey = spanKey;
    this.post({ type: 'show', view, spanKey });
  }

  private preview = false;

  private title(): string {
    const s = this.loaded.session;
    const name = oneLine(s.name || s.id, 40);
    return this.preview ? vscode.l10n.t('{0} (preview)', name) : name;
  }

  private bind(): void {
    this.loadSub?.dispose();
    this.loadSub = this.loaded.onDidUpdate(() => this.onUpdate());
    // Load the first rows while the webview starts (~0.4–1 s): its `ready` then finds them
    // waiting. The rest waits until the webview has applied them, so the load and the
    // webview's start do not share the machine.
    this.releaseLoad();
    if (this.panel.visible) {
      this.loadHold = this.loaded.holdAfter(LIMITS.firstRowsPerMessage);
      void this.loaded.ensureLoaded();
    }
  }

  private rebind(): void {
    if (this.disposed) return;
    const current = this.host.sessions.get(this.backendId, this.loaded.session);
    if (current === this.loaded) return;
    this.loaded = current;
    this.conversation = undefined;
    this.bind();
    if (this.ready) {
      this.clearOutbox(); // rows of the replaced forest
      this.streamer.reset();
      this.onUpdate();
    }
  }

  private onUpdate(): void {
    if (!this.ready || this.disposed) return;
    // Pushing rows costs time in proportion to what arrived: while loading,
    // keep that below ~20% of the extension host's time by spacing pushes out.
    const wait = this.lastPushAt + this.lastPushCost * 4 - Date.now();
    if (this.loaded.state === 'loading' && wait > 0) {
      this.deferred ??= setTimeout(() => {
        this.deferred = undefined;
        this.onUpdate();
      }, wait);
      return;
    }
    this.panel.title = this.title();
    const started = Date.now();
    this.pushRows();
    this.lastPushAt = Date.now();
    this.lastPushCost = this.lastPushAt - started;
    this.postLoad();
    if (this.pendingSpan && this.loaded.forest.get(this.pendingSpan)) {
      const key = this.pendingSpan;
      this.pendingSpan = undefined;
      void this.sendSpan(key);
    }
  }

  /**
   * Rows go out a message per turn of the event loop, a few screens first:
   * messages are serialized when posted but leave the extension host only
   * when its turn ends, so 100,000 rows at once would hold back the first of
   * them (and `init`) by ~0.2 s.
   */
  private pushRows(): void {
    if (this.rowsQueued) return; // the queued batch takes what arrived since
    const forest = this.loaded.forest;
    const first = this.streamer.next(forest, LIMITS.firstRowsPerMessage);
    if (!first) return;
    this.post(rowsMessage(first));
    if (!first.more) return;
    const rest = (): HostMessage | undefined => {
      const batch = this.loaded.forest === forest ? this.streamer.next(forest, LIMITS.rowsPerMessage) : undefined;
      this.rowsQueued = !!batch?.more;
      if (batch?.more) this.outbox.unshift(rest);
      return batch && rowsMessage(batch);
    };
    this.rowsQueued = true;
    this.outbox.push(rest);
    if (this.outbox.length === 1) void this.drain();
  }

  private loadInfo(): LoadInfo {
    const l = this.loaded;
    const forest = l.forest;
    const issues = [...forest.issues.slice(0, MAX_ISSUES)];
    if (l.state !== 'loading' && issues.length < MAX_ISSUES) {
      issues.push(...forest.orphanIssues().slice(0, MAX_ISSUES - issues.length));
    }
    const info: LoadInfo = {
      state: l.state,
      count: l.spanCount,
      warnings: [...l.warnings, ...issues.map((i) => i.message)],
    };
    if (l.session.spanCount !== undefined) info.expected = l.session.spanCount;
    const cost = summaryInfo(l.cost);
    if (cost) info.cost = cost;
    if (l.state === 'error' && l.error) {
      info.error = { message: l.error.message, canRetry: true };
    }
    return info;
  }

  private onMessage(m: WebviewMessage): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.clearOutbox(); // meant for the webview that is gone
        this.rowsDone(true);
        this.streamer.reset();
        this.pendingSpan = undefined;
        // The page's own init is used once; a reloaded or restored page, or a target changed since, gets it here.
        const state = this.state();
        const current = m.init !== undefined && m.init === this.embedded?.id && this.embedded.key === initKey(state);
        this.embedded = undefined;
        if (!current) this.post({ type: 'init', state, strings: panelStrings(vscode.l10n) });
        this.onUpdate();
        void this.loaded.ensureLoaded();
        return;
      }
      case 'rowsApplied':
        this.rowsDone(false);
        this.releaseLoad();
        return;
      case 'openSpan': {
        if (typeof m.key !== 'string') return;
        // A recreated webview re-opens the span it showed: that is not a new selection.
        const changed = this.view !== 'span' || this.spanKey !== m.key;
        this.view = 'span';
        this.spanKey = m.key;
        void this.sendSpan(m.key);
        if (changed) this.host.didSelectSpan(this, m.key);
        return;
      }
      case 'openSession':
        this.view = 'session';
        return;
      case 'requestConversation':
        void this.sendConversation(m.offset, m.limit);
        return;
      case 'search':
        this.host.pin(this);
        this.search(String(m.query ?? ''));
        return;
      case 'action':
        void this.runAction(m.action, m.key);
        return;
      case 'copy':
        if (typeof m.text === 'string') {
          void vscode.env.clipboard.writeText(m.text).then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
        }
        return;
      case 'copyRaw': {
        const node = typeof m.key === 'string' ? this.loaded.forest.get(m.key) : undefined;
        if (node) {
          void this.loaded
            .rawRecord(node.span)
            .then((raw) => vscode.env.clipboard.writeText(toJsonText(raw ?? node.span)))
            .then(() => vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to clipboard'), 2000));
        }
        return;
      }
      case 'openLink':
        void this.openLink(m.url);
        return;
      case 'retry':
        void this.loaded.retry();
        return;
      case 'pin':
        this.host.pin(this);
        return;
      case 'setMarkdown':
        void this.host.context.globalState.update(MARKDOWN_PREF, !!m.on);
        return;
      case 'requestGraph':
        this.post({ type: 'graph', graph: buildAgentGraph(this.loaded.spans()), complete: this.loaded.state !== 'loading' });
        return;
      case 'requestAggregates':
        this.post({ type: 'aggregates', rows: aggregate(this.loaded.spans()).map(aggregateView), complete: this.loaded.state !== 'loading' });
        return;
      case 'openPricingSettings':
        void vscode.commands.executeCommand('workbench.action.openSettings', PRICING_SETTING);
        return;
    }
  }

  private state(): PanelState {
    return {
      backendId: this.backendId,
      session: this.loaded.session,
      spanKey: this.spanKey,
      view: this.view,
      markdown: this.host.context.globalState.get<boolean>(MARKDOWN_PREF, true),
    };
  }

  private async sendSpan(key: string): Promise<void> {
    const loaded = this.loaded;
    const node = loaded.forest.get(key);
    if (!node) {
      // Not loaded (yet): say so now, send it when it arrives.
      if (this.loaded.state === 'loading' || this.loaded.state === 'idle') this.pendingSpan = key;
      this.post({ type: 'span', key, rawIsOriginal: false, flags: {} });
      return;
    }
    // Some backends read the record again (Agno): the panel may have moved to another session meanwhile.
    const original = await loaded.rawRecord(node.span);
    if (loaded !== this.loaded) return;
    const related = relatedToolResults(node.span, (function* (walk) {
      for (const w of walk) yield w.node.span;
    })(this.loaded.forest.walk()));
    const timing = timingProblems(node.span);
    // Only what the Raw tab shows crosses to the panel: a 30 MB record is a 30 MB message otherwise.
    const raw = toJsonText(original ?? node.span);
    const cut = raw.length > LIMITS.rawDisplayChars;
    this.post({
      type: 'span',
      key,
      span: limitDepth(node.span, LIMITS.maxValueDepth),
      raw: cut ? raw.slice(0, LIMITS.rawDisplayChars) : raw,
      rawLength: cut ? raw.length : undefined,
      rawIsOriginal: original !== undefined,
      flags: { orphan: node.orphan, cycle: node.cycle, duplicate: node.duplicate, timing: timing.length ? timing : undefined },
      ...(related.length ? { relatedResults: related } : {}),
      cost: spanCostInfo(node.span.cost),
    });
  }

  private async sendConversation(offset: number, limit: number): Promise<void> {
    const from = Math.max(0, Math.floor(Number(offset) || 0));
    const n = Math.min(Math.max(1, Math.floor(Number(limit) || LIMITS.conversationPage)), 1000);
    const forest = this.loaded.forest;
    let build = this.conversation;
    let turns: ConversationTurn[];
    try {
      if (!build || build.forest !== forest || build.size !== forest.size) {
        // Read now: the forest grows while loading, between the slices.
        const keyed = [...keyedSpans(forest)];
        build = this.conversation = {
          forest,
          size: forest.size,
          complete: this.loaded.state !== 'loading',
          conversation: new Conversation(keyed),
          toolResults: toolSpanResults(keyed.map((k) => k.span)),
        };
      }
      const slice = new TimeSlice(CONVERSATION_SLICE_MS);
      turns = (await build.conversation.upTo(from + n, () => slice.pause())).slice(from);
    } catch (err) {
      if (build === this.conversation) this.conversation = undefined;
      this.host.log.error(`Building the conversation failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return;
    }
    if (build !== this.conversation) return; // another session or a newer build since
    this.post({
      type: 'conversation',
      offset: from,
      turns: limitDepth(withToolSpanResults(turns, forest, build.toolResults), LIMITS.maxValueDepth),
      total: build.conversation.total,
      complete: build.complete,
    });
  }

  private search(query: string): void {
    const result = searchSpans(keyedSpans(this.loaded.forest), query, LIMITS.maxSearchResults);
    this.post({ type: 'searchResults', query, keys: result.keys, truncated: result.truncated });
  }

  private async runAction(action: SpanAction, key: string): Promise<void> {
    const commands: Record<SpanAction, string> = {
      goToPromptSource: Commands.goToPromptSource,
      copySpanId: Commands.copySpanId,
      revealInTree: Commands.revealInTree,
    };
    const command = commands[action];
    if (!command || typeof key !== 'string') return;
    try {
      await vscode.commands.executeCommand(command, { backendId: this.backendId, sessionId: this.sessionId, spanKey: key });
    } catch (err) {
      this.host.log.error(`Panel action ${action} failed: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Span Inspector: the action failed. See the Span Inspector log for details.'));
    }
  }

  private async openLink(url: unknown): Promise<void> {
    const target = safeLink(url);
    if (!target) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Span Inspector only opens http, https and mailto links.'));
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(target, true));
  }

  /** The load state, after the rows queued so far; only the newest waits in the outbox. */
  private postLoad(): void {
    const message: HostMessage = { type: 'load', info: this.loadInfo() };
    if (!this.outbox.length) return this.post(message);
    if (!this.ready || this.disposed) return;
    const stale = this.queuedLoad ? this.outbox.indexOf(this.queuedLoad) : -1;
    if (stale >= 0) this.outbox.splice(stale, 1);
    this.queuedLoad = () => message;
    this.outbox.push(this.queuedLoad);
  }

  private post(message: HostMessage): void {
    if (!this.ready || this.disposed) return;
    if (this.outbox.length) this.outbox.push(() => message); // behind the rows still to come: order kept
    else this.send(message);
  }

  /**
   * Sends what the outbox holds, one message per turn of the event loop, and
   * rows only once the webview has applied the previous ones. Without that,
   * the host spent the turns after `init` building more rows, and `init` and
   * the first rows reached the webview ~0.3 s late: the host's side of the
   * connection writes only between turns.
   */
  private async drain(): Promise<void> {
    while (this.outbox.length) {
      await nextTurn();
      while (this.rowsInFlight && !this.disposed && this.ready) await this.rowsApplied.next();
      if (this.disposed || !this.ready) return;
      const message = this.outbox.shift()?.();
      if (message) this.send(message);
    }
  }

  private releaseLoad(): void {
    this.loadHold?.dispose();
    this.loadHold = undefined;
  }

  /** The webview applied a `rows` message, or all of them are gone with it (`all`). */
  private rowsDone(all: boolean): void {
    this.rowsInFlight = all ? 0 : Math.max(0, this.rowsInFlight - 1);
    this.rowsApplied.fire();
  }

  private clearOutbox(): void {
    this.outbox.length = 0;
    this.queuedLoad = undefined;
    this.rowsQueued = false;
  }

  private send(message: HostMessage): void {
    if (message.type === 'rows') this.rowsInFlight++;
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    clearTimeout(this.deferred);
    this.rowsDone(true);
    this.releaseLoad();
    this.loadSub?.dispose();
    this.host.didDispose(this);
    this.panel.dispose();
  }
}
