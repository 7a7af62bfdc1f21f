// Entry of the panel's webview bundle (dist/webview.js). Owns the page
// layout (toolbar, waterfall, detail area), the message handshake with the
// host, search, keyboard navigation and the state VS Code keeps for restoring
// the panel after a reload.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
  vsCodeProgressRing,
  vsCodeTextField,
  type Checkbox,
  type TextField,
} from '@vscode/webview-ui-toolkit';
import { INIT_ELEMENT_ID, type EmbeddedInit, type HostMessage, type LoadInfo, type PanelState } from '../src/protocol';
import type { AggregatesView } from './aggregatesView';
import type { GraphView } from './graphView';
import type { ConversationView } from './conversationView';
import { costView } from './cost';
import { getState, h, icon, iconButton, post, setState, textButton } from './dom';
import { formatInt } from './renderable';
import type { SpanDetail } from './spanView';
import { setStrings, t } from './strings';
import { Waterfall } from './waterfall';

// Loaded when first shown (chunks of dist/): chart.js, dagre and markdown-it
// are most of the bundle and the first rows need none of them.
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
}
const conversationModule = once(() => import('./conversationView'));
const spanViewModule = once(() => import('./spanView'));
const aggregatesModule = once(() => import('./aggregatesView'));
const graphModule = once(() => import('./graphView'));

/** The host's `init` carried by the page (src/panel/html.ts); removed once read. */
function readEmbeddedInit(): EmbeddedInit | undefined {
  const el = document.getElementById(INIT_ELEMENT_ID);
  if (!el) return undefined;
  el.remove();
  try {
    const init = JSON.parse(el.textContent ?? '') as EmbeddedInit;
    return init && typeof init.id === 'string' && init.state && init.strings ? init : undefined;
  } catch {
    return undefined;
  }
}

// Not registered: vscode-badge and vscode-tag. Their shared template carries a
// `style="…"` attribute, which the panel's CSP (no 'unsafe-inline') blocks; the
// panel draws its own badges with the same theme colours instead.
function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDataGrid(),
    vsCodeDataGridCell(),
    vsCodeDataGridRow(),
    vsCodePanels(),
    vsCodePanelTab(),
    vsCodePanelView(),
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}

interface Persisted extends PanelState {
  tab?: string;
  waterfallHeight?: number;
  /** The embedded init this webview applied: a reload of the same page waits for the host's. */
  initId?: string;
}

type View = 'span' | 'session' | 'summary' | 'graph';

class App {
  private state: Persisted | undefined = getState<Persisted>();
  // The UI is built on the first `init`, which brings the localized strings (strings.ts).
  private waterfall!: Waterfall;
  private readonly topPane = h('div', { class: 'top-pane' });
  private conversation: ConversationView | undefined;
  private readonly loadConversation = once(async () => {
    const { ConversationView } = await conversationModule();
    return (this.conversation = new ConversationView({
      markdown: () => this.markdown,
      query: () => this.query,
      openSpan: (key) => this.openSpan(key, true),
    }));
  });
  private readonly root = document.getElementById('app')!;
  private readonly title = h('span', { class: 'session-title ellipsis', testid: 'session-title' });
  private readonly status = h('div', { class: 'load-status', testid: 'load-status', role: 'status' });
  private readonly warnings = h('details', { class: 'warnings', testid: 'warnings' });
  private readonly detail = h('div', { class: 'detail', testid: 'detail', tabIndex: -1 });
  private searchInput!: TextField & HTMLElement;
  private readonly searchCount = h('span', { class: 'search-count muted', testid: 'search-count', role: 'status' });
  private markdownToggle!: Checkbox & HTMLElement;
  /** The one "Session" control: back to the session view from a span (Esc does the same). */
  private sessionButton!: HTMLElement;
  private load: LoadInfo | undefined;
  private view: View = 'session';
  /** Bumped on every change of view: a lazily loaded view is put in place only if still wanted. */
  private viewSeq = 0;
  private aggregates: AggregatesView | undefined;
  private readonly loadAggregates = once(async () => (this.aggregates = new (await aggregatesModule()).AggregatesView()));
  private graph: GraphView | undefined;
  private readonly loadGraph = once(async () => {
    const { GraphView } = await graphModule();
    return (this.graph = new GraphView({ filter: (keys, label) => this.waterfall?.timeline.showOnly(keys, label) }));
  });
  private spanKey: string | undefined;
  private current: SpanDetail | undefined;
  private search = { query: '', answered: '', keys: [] as string[], index: -1, truncated: false, timer: 0 };
  private built = false;
  /** The page's own `init`, applied in the task after `ready` is posted (see start). */
  private pendingInit: EmbeddedInit | undefined;
  /**
   * Settles when the first rows are drawn or none are coming: lazy views load after it.
   * Chunks loading meanwhile held the first rows back: VS Code's window serves them and
   * forwards the host's messages on one thread.
   */
  private painted: () => void = () => undefined;
  private readonly firstPaint = new Promise<void>((resolve) => (this.painted = resolve));

  get markdown(): boolean {
    return this.state?.markdown ?? true;
  }

  get query(): string {
    return this.search.query;
  }

  start(): void {
    window.addEventListener('message', (e: MessageEvent<HostMessage>) => this.onMessage(e.data));
    window.addEventListener('keydown', (e) => this.onGlobalKey(e));
    // Like a preview editor: double-click keeps the panel when another session opens.
    window.addEventListener('dblclick', () => post({ type: 'pin' }));
    // A fresh page carries `init`: build from it while the host answers `ready` with rows.
    // A reload of the same page (hidden → shown) may be stale: it waits for the host's `init`.
    const embedded = readEmbeddedInit();
    this.pendingInit = embedded && embedded.id !== this.state?.initId ? embedded : undefined;
    post({ type: 'ready', init: this.pendingInit?.id });
    // VS Code's frame runs on this thread and passes `ready` on only when it is idle:
    // build a little later, while the host answers (or when its first message comes).
    if (this.pendingInit) setTimeout(() => this.applyPendingInit(), 10);
  }

  private applyPendingInit(): void {
    const p = this.pendingInit;
    if (!p) return;
    this.pendingInit = undefined;
    setStrings(p.strings);
    this.init(p.state, p.id);
  }

  /** Shows a lazily loaded view once it is there, unless the user moved on meanwhile. */
  private whenLoaded<T>(load: Promise<T>, show: (view: T) => void): void {
    const seq = this.viewSeq;
    void load.then((v) => seq === this.viewSeq && show(v));
  }

  // ---------------------------------------------------------------- layout

  private build(): void {
    if (this.built) return;
    this.built = true;
    registerToolkit();
    this.waterfall = new Waterfall({ open: (key) => this.openSpan(key, true), resized: () => this.fitWaterfall(), onlyCleared: () => this.graph?.deselect(), drewRows: () => this.painted() });
    setTimeout(() => this.painted(), 1000); // a session that has no rows yet
    this.searchInput = h('vscode-text-field', {
      testid: 'search-input',
      attrs: { placeholder: t('searchPlaceholder'), 'aria-label': t('searchLabel') },
    }) as unknown as TextField & HTMLElement;
    this.markdownToggle = h('vscode-checkbox', { testid: 'markdown-toggle' }, t('markdown')) as unknown as Checkbox & HTMLElement;
    this.sessionButton = textButton(t('session'), () => this.showSession(true), { icon: 'arrow-left', testid: 'show-session' });
    const prev = iconButton('arrow-up', t('previousMatch'), () => this.step(-1), 'search-prev');
    const next = iconButton('arrow-down', t('nextMatch'), () => this.step(1), 'search-next');
    this.searchInput.appendChild(Object.assign(icon('search'), { slot: 'start' }));
    this.searchInput.addEventListener('input', () => this.onSearchInput());
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape' && this.searchInput.value) {
        e.stopPropagation();
        this.searchInput.value = '';
        this.onSearchInput();
      }
    });
    this.markdownToggle.checked = this.markdown;
    this.markdownToggle.addEventListener('change', () => {
      const on = this.markdownToggle.checked;
      if (on === this.markdown) return;
      this.persist({ markdown: on });
      post({ type: 'setMarkdown', on });
      this.rerenderDetail();
    });
    this.sessionButton.title = t('sessionTooltip');
    const summaryButton = textButton(t('summary'), () => this.showSummary(), { icon: 'graph', testid: 'show-summary' });
    summaryButton.title = t('summaryTooltip');
    const graphButton = textButton(t('graph'), () => this.showGraph(), { icon: 'type-hierarchy', testid: 'show-graph' });
    graphButton.title = t('graphTooltip');

    const toolbar = h(
      'div',
      { class: 'toolbar', testid: 'toolbar' },
      h('div', { class: 'toolbar-left' }, icon('pulse'), this.title, this.status),
      h('div', { class: 'toolbar-search' }, this.searchInput, this.searchCount, prev, next),
      h('div', { class: 'toolbar-right' }, this.markdownToggle, graphButton, summaryButton, this.sessionButton),
    );
    const splitter = h('div', { class: 'splitter', role: 'separator', attrs: { 'aria-orientation': 'horizontal', 'aria-label': t('resizeWaterfall') } });
    const top = this.topPane;
    top.appendChild(this.waterfall.el);
    this.fitWaterfall();
    this.dragSplitter(splitter, top);
    this.root.replaceChildren(toolbar, this.warnings, top, splitter, this.detail);
  }

  private dragSplitter(splitter: HTMLElement, top: HTMLElement): void {
    splitter.addEventListener('pointerdown', (e) => {
      const startY = e.clientY;
      const startH = top.getBoundingClientRect().height;
      splitter.setPointerCapture(e.pointerId);
      const move = (m: PointerEvent) => {
        const hgt = Math.max(80, Math.min(window.innerHeight - 120, startH + m.clientY - startY));
        top.style.height = `${hgt}px`;
      };
      const up = () => {
        splitter.removeEventListener('pointermove', move);
        splitter.removeEventListener('pointerup', up);
        this.persist({ waterfallHeight: Math.round(top.getBoundingClientRect().height) });
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
  }

  /** The user's splitter position, else just tall enough for a small session (at most 38% of the window). */
  private fitWaterfall(): void {
    const chosen = this.state?.waterfallHeight;
    const height = chosen ?? Math.max(80, Math.min(window.innerHeight * 0.38, this.waterfall.contentHeight));
    this.topPane.style.height = `${Math.round(height)}px`;
  }

  private persist(patch: Partial<Persisted>): void {
    if (!this.state) return;
    this.state = { ...this.state, ...patch };
    setState(this.state);
  }

  // ---------------------------------------------------------------- host messages

  private onMessage(m: HostMessage): void {
    if (!m || typeof m !== 'object') return;
    this.applyPendingInit(); // messages apply to the page's init
    if (m.type === 'init') {
      setStrings(m.strings);
      this.init(m.state);
      return;
    }
    if (m.type === 'rows') {
      if (this.built) this.waterfall.applyRows(m.rows, m.reset);
      post({ type: 'rowsApplied' }); // the host sends the next rows now
      return;
    }
    if (!this.built) return; // the host always sends `init` first
    switch (m.type) {
      case 'load':
        this.onLoad(m.info);
        return;
      case 'span':
        if (m.key !== this.spanKey || this.view !== 'span') return;
        if (m.span) {
          const { type: _type, ...detail } = m;
          this.current = { ...detail, span: m.span };
          this.renderSpan();
        } else {
          this.current = undefined;
          this.renderMissing(m.key);
        }
        return;
      case 'show':
        if (m.view === 'span' && m.spanKey) this.openSpan(m.spanKey, false);
        else this.showSession(false);
        return;
      case 'conversation':
        this.conversation?.onPage(m.offset, m.turns, m.total, m.complete);
        return;
      case 'searchResults':
        this.onSearchResults(m.query, m.keys, m.truncated);
        return;
      case 'aggregates':
        this.aggregates?.onRows(m.rows, m.complete);
        return;
      case 'graph':
        this.graph?.onGraph(m.graph, m.complete);
        return;
    }
  }

  private init(s: PanelState, initId = this.state?.initId): void {
    // Keep UI preferences from an earlier life of this webview; the host's target wins.
    const prev = this.state && this.state.session?.id === s.session.id ? this.state : undefined;
    this.state = { ...prev, ...s, markdown: prev?.markdown ?? s.markdown, initId };
    setState(this.state);
    this.build();
    this.title.textContent = s.session.name || s.session.id;
    this.title.title = t('sessionId', s.session.id);
    this.markdownToggle.checked = this.markdown;
    this.waterfall.applyRows([], true);
    if (s.view === 'span' && s.spanKey) this.openSpan(s.spanKey, false);
    else this.showSession(false);
  }

  private onLoad(info: LoadInfo): void {
    const wasLoading = this.load?.state === 'loading' || this.load?.state === 'idle';
    this.load = info;
    if (info.state !== 'loading' && info.state !== 'idle' && !info.count) this.painted(); // no rows will come
    this.status.dataset.state = info.state;
    const shownTotal = info.expected && info.state === 'loading' ? info.expected : info.count;
    const counted = info.expected && info.state === 'loading' ? t('countOf', formatInt(info.count), formatInt(info.expected)) : formatInt(info.count);
    const count = t(shownTotal === 1 ? 'spanCount' : 'spansCount', counted);
    const children: (Node | string)[] = [];
    if (info.state === 'loading' || info.state === 'idle') {
      children.push(h('vscode-progress-ring', { class: 'ring' }), t('loading', count));
    } else if (info.state === 'error') {
      children.push(icon('error'), h('span', { class: 'error-text', testid: 'load-error' }, info.error?.message ?? t('loadingFailed')), ` ${t('loadedSoFar', count)} `);
      if (info.error?.canRetry) children.push(textButton(t('retry'), () => post({ type: 'retry' }), { icon: 'refresh', testid: 'retry' }));
    } else if (info.state === 'cancelled') {
      children.push(icon('debug-pause'), `${t('loadingStopped', count)} `, textButton(t('continue'), () => post({ type: 'retry' }), { icon: 'debug-continue', testid: 'retry' }));
    } else {
      children.push(h('span', { class: 'count-badge' }, formatInt(info.count)), ` ${t('spansBadge')}`);
    }
    if (info.cost) children.push(' · ', costView(info.cost, 'session-cost'));
    this.status.replaceChildren(...children);

    this.warnings.hidden = !info.warnings.length;
    this.warnings.replaceChildren(
      h('summary', {}, icon('warning'), ` ${t(info.warnings.length === 1 ? 'warning' : 'warnings', info.warnings.length)}`),
      h('ul', {}, ...info.warnings.map((w) => h('li', {}, w))),
    );
    // The conversation is computed from what is loaded: refresh it once loading ends.
    // A view still loading asks when it is shown (see whenLoaded).
    if (wasLoading && info.state !== 'loading' && this.view === 'session' && this.conversation && !this.conversation.isComplete) this.conversation.reload();
    if (wasLoading && info.state !== 'loading' && this.view === 'summary') this.aggregates?.reload();
    if (wasLoading && info.state !== 'loading' && this.view === 'graph') this.graph?.reload();
    // A search made while loading may have missed spans that arrived since.
    if (wasLoading && info.state !== 'loading' && this.search.query) post({ type: 'search', query: this.search.query });
  }

  // ---------------------------------------------------------------- views

  private setView(view: View): void {
    this.view = view;
    this.viewSeq++;
  }

  private openSpan(key: string, fromUser: boolean): void {
    this.setView('span');
    void spanViewModule(); // loads while the host finds the span
    this.spanKey = key;
    this.persist({ view: 'span', spanKey: key });
    this.waterfall.reveal(key, true);
    this.waterfall.setSelected(key);
    if (this.current?.key !== key) {
      this.current = undefined;
      this.detail.replaceChildren(h('div', { class: 'empty muted' }, h('vscode-progress-ring', { class: 'ring' }), ` ${t('loadingSpan')}`));
    }
    post({ type: 'openSpan', key });
    if (fromUser) this.detail.scrollTop = 0;
  }

  private showSession(fromUser: boolean): void {
    this.setView('session');
    this.current = undefined;
    this.persist({ view: 'session' });
    if (fromUser) post({ type: 'openSession' });
    this.waterfall.setSelected(undefined);
    this.sessionButton.toggleAttribute('disabled', true);
    this.detail.replaceChildren(...(this.conversation ? [this.conversation.el] : []));
    this.whenLoaded(this.firstPaint.then(this.loadConversation), (c) => {
      if (this.detail.firstChild !== c.el) this.detail.replaceChildren(c.el);
      if (!c.hasRequested || !c.isComplete) c.reload();
    });
  }

  /** The Summary replaces the detail area until a span or the session is opened again. */
  private showSummary(): void {
    if (this.view === 'span') post({ type: 'openSession' });
    this.setView('summary');
    this.current = undefined;
    this.waterfall.setSelected(undefined);
    this.detail.replaceChildren(...(this.aggregates ? [this.aggregates.el] : []));
    this.whenLoaded(this.loadAggregates(), (a) => {
      this.detail.replaceChildren(a.el);
      a.reload();
    });
  }

  private showGraph(): void {
    if (this.view === 'span') post({ type: 'openSession' });
    this.setView('graph');
    this.current = undefined;
    this.waterfall.setSelected(undefined);
    this.detail.replaceChildren(...(this.graph ? [this.graph.el] : []));
    this.whenLoaded(this.loadGraph(), (g) => {
      this.detail.replaceChildren(g.el);
      g.reload();
    });
  }

  private renderSpan(): void {
    const current = this.current;
    if (!current) return;
    this.sessionButton.toggleAttribute('disabled', false);
    this.whenLoaded(spanViewModule(), ({ spanView }) => {
      if (this.current !== current) return;
      const view = spanView(current, {
        markdown: this.markdown,
        query: this.search.query,
        tab: this.state?.tab ?? 'details',
        onTab: (tab) => this.persist({ tab }),
      });
      this.detail.replaceChildren(view);
    });
  }

  private renderMissing(key: string): void {
    const loading = !this.load || this.load.state === 'loading' || this.load.state === 'idle';
    this.detail.replaceChildren(
      h(
        'div',
        { class: 'empty', testid: 'span-missing' },
        loading ? t('spanNotLoaded') : t('spanNotInSession', key),
      ),
    );
  }

  private rerenderDetail(): void {
    if (this.view === 'span') this.renderSpan();
    else if (this.view === 'session') this.conversation?.rerender();
  }

  // ---------------------------------------------------------------- search

  private onSearchInput(): void {
    clearTimeout(this.search.timer);
    this.search.timer = window.setTimeout(() => {
      const q = (this.searchInput.value ?? '').trim();
      this.search.query = q;
      if (!q) {
        this.onSearchResults('', [], false);
        this.rerenderDetail();
        return;
      }
      this.searchCount.textContent = t('searching');
      this.searchCount.dataset.query = '';
      post({ type: 'search', query: q });
    }, 250);
  }

  private onSearchResults(query: string, keys: string[], truncated: boolean): void {
    // An older query's answer, or one the user is already typing over (its search is on the way).
    if (query !== this.search.query || query !== (this.searchInput.value ?? '').trim()) return;
    const isNew = query !== this.search.answered;
    this.search.answered = query;
    // Which query the count answers (tests wait on it: an older query's late answer also writes the count).
    this.searchCount.dataset.query = query;
    this.search.keys = keys;
    this.search.truncated = truncated;
    this.waterfall.setMatches(keys);
    if (!query) {
      this.search.index = -1;
      this.searchCount.textContent = '';
      return;
    }
    if (!keys.length) {
      this.search.index = -1;
      this.searchCount.textContent = t('noResults');
      return;
    }
    // Stay on the open span when it matches; otherwise a new query jumps to its first match.
    const at = this.spanKey && this.view === 'span' ? keys.indexOf(this.spanKey) : -1;
    if (at >= 0) {
      this.search.index = at;
      this.rerenderDetail();
    } else if (isNew) {
      this.search.index = 0;
      this.openSpan(keys[0], true);
    } else {
      this.search.index = -1;
    }
    this.updateCount();
  }

  private step(delta: number): void {
    const n = this.search.keys.length;
    if (!n) return;
    this.search.index = (this.search.index + delta + n) % n;
    this.openSpan(this.search.keys[this.search.index], true);
    this.updateCount();
  }

  private updateCount(): void {
    const n = this.search.keys.length;
    this.searchCount.textContent = t('countOf', this.search.index >= 0 ? this.search.index + 1 : '–', `${formatInt(n)}${this.search.truncated ? '+' : ''}`);
  }

  // ---------------------------------------------------------------- keyboard

  private onGlobalKey(e: KeyboardEvent): void {
    if (!this.built) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.searchInput.focus();
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.step(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape' && !e.defaultPrevented) {
      if (this.view === 'span' || this.view === 'summary' || this.view === 'graph') {
        this.showSession(true);
        this.waterfall.focus();
      }
    }
  }
}

new App().start();
