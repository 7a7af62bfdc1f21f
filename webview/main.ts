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
import type { HostMessage, LoadInfo, PanelState } from '../src/protocol';
import { AggregatesView } from './aggregatesView';
import { GraphView } from './graphView';
import { ConversationView } from './conversationView';
import { costView } from './cost';
import { getState, h, icon, iconButton, post, setState, textButton } from './dom';
import { formatInt } from './renderable';
import { spanView, type SpanDetail } from './spanView';
import { setStrings, t } from './strings';
import { Waterfall } from './waterfall';

// Not registered: vscode-badge and vscode-tag. Their shared template carries a
// `style="…"` attribute, which the panel's CSP (no 'unsafe-inline') blocks; the
// panel draws its own badges with the same theme colours instead.
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

interface Persisted extends PanelState {
  tab?: string;
  waterfallHeight?: number;
}

class App {
  private state: Persisted | undefined = getState<Persisted>();
  // The UI is built on the first `init`, which brings the localized strings (strings.ts).
  private waterfall!: Waterfall;
  private readonly topPane = h('div', { class: 'top-pane' });
  private readonly conversation = new ConversationView({
    markdown: () => this.markdown,
    query: () => this.query,
    openSpan: (key) => this.openSpan(key, true),
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
  private view: 'span' | 'session' | 'summary' | 'graph' = 'session';
  private readonly aggregates = new AggregatesView();
  private readonly graph = new GraphView({ filter: (keys, label) => this.waterfall?.timeline.showOnly(keys, label) });
  private spanKey: string | undefined;
  private current: SpanDetail | undefined;
  private search = { query: '', answered: '', keys: [] as string[], index: -1, truncated: false, timer: 0 };
  private built = false;

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
    post({ type: 'ready' });
  }

  // ---------------------------------------------------------------- layout

  private build(): void {
    if (this.built) return;
    this.built = true;
    this.waterfall = new Waterfall({ open: (key) => this.openSpan(key, true), resized: () => this.fitWaterfall(), onlyCleared: () => this.graph.deselect() });
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
        this.conversation.onPage(m.offset, m.turns, m.total, m.complete);
        return;
      case 'searchResults':
        this.onSearchResults(m.query, m.keys, m.truncated);
        return;
      case 'aggregates':
        this.aggregates.onRows(m.rows, m.complete);
        return;
      case 'graph':
        this.graph.onGraph(m.graph, m.complete);
        return;
    }
  }

  private init(s: PanelState): void {
    // Keep UI preferences from an earlier life of this webview; the host's target wins.
    const prev = this.state && this.state.session?.id === s.session.id ? this.state : undefined;
    this.state = { ...prev, ...s, markdown: prev?.markdown ?? s.markdown };
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
    if (wasLoading && info.state !== 'loading' && this.view === 'session' && !this.conversation.isComplete) this.conversation.reload();
    if (wasLoading && info.state !== 'loading' && this.view === 'summary') this.aggregates.reload();
    if (wasLoading && info.state !== 'loading' && this.view === 'graph') this.graph.reload();
    // A search made while loading may have missed spans that arrived since.
    if (wasLoading && info.state !== 'loading' && this.search.query) post({ type: 'search', query: this.search.query });
  }

  // ---------------------------------------------------------------- views

  private openSpan(key: string, fromUser: boolean): void {
    this.view = 'span';
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
    this.view = 'session';
    this.current = undefined;
    this.persist({ view: 'session' });
    if (fromUser) post({ type: 'openSession' });
    this.waterfall.setSelected(undefined);
    this.sessionButton.toggleAttribute('disabled', true);
    this.detail.replaceChildren(this.conversation.el);
    if (!this.conversation.hasRequested || !this.conversation.isComplete) this.conversation.reload();
  }

  /** The Summary replaces the detail area until a span or the session is opened again. */
  private showSummary(): void {
    if (this.view === 'span') post({ type: 'openSession' });
    this.view = 'summary';
    this.current = undefined;
    this.waterfall.setSelected(undefined);
    this.detail.replaceChildren(this.aggregates.el);
    this.aggregates.reload();
  }

  private showGraph(): void {
    if (this.view === 'span') post({ type: 'openSession' });
    this.view = 'graph';
    this.current = undefined;
    this.waterfall.setSelected(undefined);
    this.detail.replaceChildren(this.graph.el);
    this.graph.reload();
  }

  private renderSpan(): void {
    if (!this.current) return;
    this.sessionButton.toggleAttribute('disabled', false);
    const view = spanView(this.current, {
      markdown: this.markdown,
      query: this.search.query,
      tab: this.state?.tab ?? 'details',
      onTab: (tab) => this.persist({ tab }),
    });
    this.detail.replaceChildren(view);
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
    else if (this.view === 'session') this.conversation.rerender();
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
      post({ type: 'search', query: q });
    }, 250);
  }

  private onSearchResults(query: string, keys: string[], truncated: boolean): void {
    // An older query's answer, or one the user is already typing over (its search is on the way).
    if (query !== this.search.query || query !== (this.searchInput.value ?? '').trim()) return;
    const isNew = query !== this.search.answered;
    this.search.answered = query;
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
