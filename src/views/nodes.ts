// The tree's nodes: one abstract class with a `type` discriminator; each node
// builds its own TreeItem and children, the provider only delegates. Ids are
// path-like and stable (`b:<backend>/s:<session>/sp:<span key>`), so
// expansion survives refreshes and `reveal` can find a node by its id.
import * as vscode from 'vscode';
import { toBackendError, type BackendError } from '../backends/errors';
import { CAPTURE_BACKEND_ID, type Backend } from '../backends/types';
import { formatCount, formatDuration, formatTimestamp, oneLine, spanDuration, spanSummary, totalTokens } from '../model/format';
import type { SpanNode as ForestNode } from '../model/tree';
import { isEmptyFilter, matchesFilters, sessionRow, type SessionFilters } from '../model/sessionTable';
import type { Session, Span } from '../model/types';
import type { BackendEntry, BackendService } from '../services/backendService';
import type { LoadedSession, SessionCache } from '../services/loadedSession';
import { ContextValues } from './contextValues';
import { summarizeError } from './errorText';
import { appendCostTooltip, costSummaryText, spanCostText } from './costText';
import { BACKEND_ICONS, sessionIcon, spanIcon } from './icons';
import { errorsLabel, formatWhen, spansLabel } from './labels';
import { Commands } from '../common/commands';
import { nextStepCommand, stepLabel } from './nextSteps';

/** Children shown per parent before a "Show more" node. */
export const CHILD_PAGE = 200;

export type NodeType = 'backend' | 'session' | 'trace' | 'span' | 'loadMore' | 'message';

/** What nodes need from the provider: services, per-node paging state, refresh. */
export interface TreeHost {
  readonly backends: BackendService;
  readonly sessions: SessionCache;
  refresh(node?: TreeNode): void;
  /** How many children of `parentId` to show (grows with "Show more"). */
  childLimit(parentId: string): number;
  showMore(parentId: string): void;
  /** Node objects are cached by id so getParent/reveal return the same instances. */
  intern<T extends TreeNode>(node: T): T;
  /** The Filter Sessions command's filter (undefined: none). */
  readonly filter?: SessionFilters;
}

export abstract class TreeNode {
  abstract readonly type: NodeType;
  abstract readonly id: string;
  constructor(readonly parent: TreeNode | undefined) {}
  abstract getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }
}

/** Error, warning, info and "Loading…" rows. An error row offers its next step as its command. */
export class MessageNode extends TreeNode {
  readonly type = 'message';
  constructor(
    parent: TreeNode | undefined,
    readonly id: string,
    private readonly text: string,
    private readonly options: { icon?: vscode.ThemeIcon; command?: vscode.Command; tooltip?: string; error?: BackendError; description?: string } = {},
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.tooltip = this.options.tooltip ?? this.text;
    item.description = this.options.description;
    item.contextValue = this.options.error ? ContextValues.error : ContextValues.message;
    return item;
  }

  static loading(parent: TreeNode, text = vscode.l10n.t('Loading…')): MessageNode {
    return new MessageNode(parent, `${parent.id}/loading`, text, { icon: new vscode.ThemeIcon('loading~spin') });
  }

  static warning(parent: TreeNode, index: number, text: string): MessageNode {
    return new MessageNode(parent, `${parent.id}/warning:${index}`, oneLine(text, 200), {
      icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
      tooltip: text,
    });
  }

  /**
   * An error with its first next step as the click action (Retry, Sign in, Open settings…):
   * the cause without the backend prefix its parent already shows, the next step beside it,
   * and the rest of the message (what to check) on a second row.
   */
  static error(parent: TreeNode | undefined, id: string, error: BackendError, retry: vscode.Command): MessageNode[] {
    const step = error.nextSteps[0];
    const command = (step && nextStepCommand(step, { retry, backendId: backendIdOf(parent) })) || retry;
    const steps = error.nextSteps.map(stepLabel).join(' · ');
    const tooltip = `${error.message}${steps ? ` — ${steps}` : ''}`;
    const { cause, rest } = summarizeError(error.message);
    const rows = [new MessageNode(parent, id, cause, { icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')), command, tooltip, error, description: steps })];
    if (rest) rows.push(new MessageNode(parent, `${id}/hint`, oneLine(rest, 300), { icon: new vscode.ThemeIcon('lightbulb'), command, tooltip }));
    return rows;
  }
}

/** The backend a node belongs to (walks up to the BackendNode). */
function backendIdOf(node: TreeNode | undefined): string | undefined {
  for (let n = node; n; n = n.parent) if (n.type === 'backend') return (n as BackendNode).entry.id;
  return undefined;
}

export class LoadMoreNode extends TreeNode {
  readonly type = 'loadMore';
  constructor(
    parent: TreeNode,
    readonly id: string,
    private readonly label: string,
    private readonly command: vscode.Command,
  ) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = this.command;
    item.contextValue = ContextValues.loadMore;
    return item;
  }
}

/** A configured backend: its sessions, a page at a time. */
export class BackendNode extends TreeNode {
  readonly type = 'backend';
  readonly id: string;
  private loaded: Session[] = [];
  private cursor: string | undefined;
  private done = false;
  private error: BackendError | undefined;
  private warnings: string[] = [];
  private pending: Promise<void> | undefined;
  /** A first page was asked for: sessions added by a lookup or a restored panel do not count as a listing. */
  private listed = false;

  constructor(
    private readonly host: TreeHost,
    readonly entry: BackendEntry,
  ) {
    super(undefined);
    this.id = `b:${entry.id}`;
  }

  get backendType(): string {
    return this.entry.config?.type ?? (this.entry.id === CAPTURE_BACKEND_ID ? 'capture' : 'file');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const failure = this.entry.configError ?? this.error;
    // A failed backend says so while collapsed: error icon and the cause as its description.
    item.iconPath = failure ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon(BACKEND_ICONS[this.backendType] ?? 'server');
    const cost = this.host.sessions.backendCost(this.entry.id);
    item.description = failure ? summarizeError(failure.message, 60).cause : [this.entry.config?.type ?? '', costSummaryText(cost?.cost)].filter(Boolean).join(' · ');
    item.contextValue = failure ? ContextValues.backendError : ContextValues.backend;
    if (failure || !cost) {
      item.tooltip = failure?.message ?? `${this.entry.label} (${this.backendType})`;
    } else {
      const md = new vscode.MarkdownString();
      md.appendText(`${this.entry.label} (${this.backendType})\n\n${vscode.l10n.t('Opened sessions')}: ${cost.sessions}\n\n`);
      appendCostTooltip(md, cost.cost);
      item.tooltip = md;
    }
    return item;
  }

  override async getChildren(): Promise<TreeNode[]> {
    if (this.entry.configError) {
      return MessageNode.error(this, `${this.id}/error`, this.entry.configError, { title: 'Retry', command: Commands.refresh });
    }
    if (!this.done && !this.error && !this.listed) {
      await this.loadPage();
    }
    const out: TreeNode[] = this.warnings.map((w, i) => MessageNode.warning(this, i, w));
    const shown = this.filtered();
    out.push(...shown.map((s) => this.host.intern(new SessionNode(this.host, this, s))));
    if (shown.length < this.loaded.length) {
      out.push(new MessageNode(this, `${this.id}/filtered`, vscode.l10n.t('{0} sessions hidden by the filter', this.loaded.length - shown.length), {
        icon: new vscode.ThemeIcon('filter'),
        command: { title: vscode.l10n.t('Filter Sessions'), command: Commands.filterSessions },
      }));
    }
    if (this.error) {
      out.push(...MessageNode.error(this, `${this.id}/error`, this.error, { title: 'Retry', command: Commands.retry, arguments: [this] }));
    } else if (!this.done) {
      out.push(new LoadMoreNode(this, `${this.id}/more`, vscode.l10n.t('Load more sessions…'), { title: 'Load more', command: Commands.loadMore, arguments: [this] }));
    } else if (this.loaded.length === 0) {
      out.push(new MessageNode(this, `${this.id}/empty`, vscode.l10n.t('No sessions'), { icon: new vscode.ThemeIcon('info') }));
    }
    return out;
  }

  /** Loaded sessions that pass the tree's filter (span-derived filters use sessions already loaded). */
  private filtered(): Session[] {
    const f = this.host.filter;
    if (isEmptyFilter(f)) return this.loaded;
    return this.loaded.filter((s) => {
      const loaded = this.host.sessions.peek(this.entry.id, s.id);
      return matchesFilters(sessionRow(this.entry.id, this.entry.label, loaded?.session ?? s, loaded?.state === 'done' ? loaded.spans() : undefined), f!);
    });
  }

  /** Loads the next page of sessions (also the Retry of a failed page). */
  loadPage(): Promise<void> {
    this.pending ??= (async () => {
      this.listed = true;
      const failedBefore = !!this.error;
      this.error = undefined;
      try {
        const backend = await this.host.backends.get(this.entry.id);
        const page = await backend.listSessions({ cursor: this.cursor });
        const known = new Set(this.loaded.map((s) => s.id));
        const fresh = page.sessions.filter((s) => !known.has(s.id));
        this.loaded.push(...fresh);
        this.cursor = page.cursor;
        this.done = !page.cursor;
        if (page.warnings) this.warnings.push(...page.warnings);
        void this.fillNames(backend, fresh.filter((s) => !s.name));
      } catch (err) {
        this.error = toBackendError(err);
        this.host.backends.log.error(`[${this.entry.id}] listing sessions: ${this.error.message}`);
      } finally {
        this.pending = undefined;
        // The backend row's own icon and description follow the outcome.
        if (failedBefore !== !!this.error) setTimeout(() => this.host.refresh(this), 0);
      }
    })();
    return this.pending;
  }

  /**
   * Some backends list ids only (Q Connect SearchSessions): fetch names after
   * the page is shown, a few at a time, and update each row as it arrives.
   */
  private async fillNames(backend: Backend, unnamed: Session[]): Promise<void> {
    const queue = [...unnamed];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          const details = await backend.getSession(s.id);
          if (details?.name) {
            Object.assign(s, { ...details, backendId: s.backendId, id: s.id });
            this.host.refresh(this.host.intern(new SessionNode(this.host, this, s)));
          }
        } catch {
          // The id stays as the label; opening the session reports real errors.
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  /** Forgets loaded pages (Refresh). */
  reset(): void {
    this.listed = false;
    this.loaded = [];
    this.cursor = undefined;
    this.done = false;
    this.error = undefined;
    this.warnings = [];
  }

  sessions(): readonly Session[] {
    return this.loaded;
  }

  /** Whether a page of sessions was asked for (not only sessions added by a lookup). */
  get listedOnce(): boolean {
    return this.listed;
  }

  /** Adds a session found by lookup so it can be revealed even if not on a loaded page. */
  ensureSession(session: Session): SessionNode {
    if (!this.loaded.some((s) => s.id === session.id)) {
      this.loaded.unshift(session);
    }
    return this.host.intern(new SessionNode(this.host, this, session));
  }

  backend(): Promise<Backend> {
    return this.host.backends.get(this.entry.id);
  }
}

/** A session: its spans stream in when it is first expanded. */
export class SessionNode extends TreeNode {
  readonly type = 'session';
  readonly id: string;

  constructor(
    private readonly host: TreeHost,
    parent: BackendNode,
    readonly session: Session,
  ) {
    super(parent);
    this.id = `${parent.id}/s:${session.id}`;
  }

  get backendId(): string {
    return (this.parent as BackendNode).entry.id;
  }

  get loaded(): LoadedSession {
    return this.host.sessions.get(this.backendId, this.session);
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.loaded.session;
    const item = new vscode.TreeItem(oneLine(s.name || s.id, 100), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = this.loaded.state === 'loading' ? new vscode.ThemeIcon('loading~spin') : sessionIcon(s.status);
    const parts: string[] = [];
    // Backends that list ids only (Q Connect) learn the time range once spans are loaded.
    const range = s.startTime ? { start: s.startTime, end: s.endTime } : this.loaded.state === 'idle' ? undefined : spanRange(this.loaded.forest.roots());
    if (range?.start) parts.push(formatWhen(range.start));
    const count = this.loaded.state === 'idle' ? s.spanCount : this.loaded.spanCount;
    if (count !== undefined) parts.push(spansLabel(count));
    if (range?.start && range.end) parts.push(formatDuration(range.end - range.start));
    const cost = this.loaded.state === 'idle' ? undefined : this.loaded.cost;
    const costText = costSummaryText(cost);
    if (costText) parts.push(costText);
    item.description = parts.join(' · ');
    item.contextValue = ContextValues.session + (hasSessionArn(this.host, this.backendId, s) ? ContextValues.arnSuffix : '') + (this.loaded.state === 'loading' ? ContextValues.loadingSuffix : '');
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(s.name || s.id).appendMarkdown('**\n\n');
    md.appendText(`${vscode.l10n.t('Session id')}: ${s.id}\n`);
    if (range?.start) md.appendText(`\n${vscode.l10n.t('Started')}: ${formatWhen(range.start)} (${formatTimestamp(range.start)})\n`);
    if (cost) md.appendText('\n');
    appendCostTooltip(md, cost);
    item.tooltip = md;
    return item;
  }

  override getChildren(): TreeNode[] {
    const loaded = this.loaded;
    if (loaded.state === 'idle') {
      void loaded.ensureLoaded();
    }
    const out: TreeNode[] = loaded.warnings.map((w, i) => MessageNode.warning(this, i, w));
    for (const issue of loaded.forest.issues.slice(0, 20)) {
      out.push(MessageNode.warning(this, out.length, issue.message));
    }
    const roots = loaded.forest.roots();
    out.push(...this.topLevel(roots));
    if (loaded.state === 'loading' || loaded.state === 'idle') {
      out.push(MessageNode.loading(this, roots.length ? vscode.l10n.t('Loading… {0} spans so far', formatCount(loaded.spanCount)) : vscode.l10n.t('Loading spans…')));
    } else if (loaded.state === 'error' && loaded.error) {
      out.push(...MessageNode.error(this, `${this.id}/error`, loaded.error, { title: 'Retry', command: Commands.retry, arguments: [this] }));
    } else if (loaded.state === 'cancelled') {
      out.push(new MessageNode(this, `${this.id}/cancelled`, vscode.l10n.t('Loading cancelled — click to continue'), {
        icon: new vscode.ThemeIcon('debug-pause'),
        command: { title: 'Retry', command: Commands.retry, arguments: [this] },
      }));
    } else if (loaded.spanCount === 0) {
      out.push(new MessageNode(this, `${this.id}/empty`, vscode.l10n.t('No spans in this session'), { icon: new vscode.ThemeIcon('info') }));
    }
    return out;
  }

  /**
   * A session of several traces (Agno runs, SGP/OpenAI groups) lists its runs:
   * a trace with one root shows that root span (its label is the run's);
   * a trace with several roots (orphans) gets a trace node holding them.
   */
  private topLevel(roots: ForestNode[]): TreeNode[] {
    const loaded = this.loaded;
    if (loaded.traces.size <= 1) {
      return pageChildren(this.host, this, roots, (n) => this.host.intern(new SpanTreeNode(this.host, this, this, n)));
    }
    const byTrace = groupByTrace(roots);
    const items = [...byTrace].map(([traceId, list]) =>
      list.length === 1 ? this.host.intern(new SpanTreeNode(this.host, this, this, list[0])) : this.host.intern(new TraceNode(this.host, this, traceId, list)),
    );
    const limit = this.host.childLimit(this.id);
    return items.length > limit ? [...items.slice(0, limit), moreNode(this, items.length - limit)] : items;
  }

  /** The node that shows `key` as a child, for getParent/reveal. */
  nodeFor(key: string): SpanTreeNode | undefined {
    const f = this.loaded.forest.get(key);
    if (!f) return undefined;
    return this.wrap(f);
  }

  /** The tree node of a forest node, with its ancestors (iterative: chains may be 10k deep). */
  wrap(f: ForestNode): SpanTreeNode {
    const chain: ForestNode[] = [];
    for (let n: ForestNode | undefined = f; n; n = n.parent) chain.push(n);
    const top = chain[chain.length - 1];
    let parent: TreeNode = this.runParent(top);
    let node: SpanTreeNode | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      node = this.host.intern(new SpanTreeNode(this.host, this, parent, chain[i]));
      parent = node;
    }
    return node!;
  }

  /** A root span sits under a trace node only when its trace has several roots. */
  private runParent(root: ForestNode): TreeNode {
    if (this.loaded.traces.size > 1) {
      const traceId = root.span.traceId ?? '';
      const siblings = this.loaded.forest.roots().filter((r) => (r.span.traceId ?? '') === traceId);
      if (siblings.length > 1) return this.host.intern(new TraceNode(this.host, this, traceId, siblings));
    }
    return this;
  }
}

/** Earliest start and latest end of the loaded runs. */
function spanRange(roots: readonly ForestNode[]): { start?: number; end?: number } | undefined {
  if (!roots.length) return undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const r of roots) {
    start = Math.min(start, r.span.startTime);
    end = Math.max(end, r.span.endTime ?? r.span.startTime);
  }
  return Number.isFinite(start) ? { start, end: Number.isFinite(end) ? end : undefined } : undefined;
}

/** Q Connect sessions have ARNs; other backends only when the data carries one. */
function hasSessionArn(host: TreeHost, backendId: string, s: Session): boolean {
  return typeof s.attributes?.sessionArn === 'string' || typeof s.attributes?.arn === 'string' || host.backends.entry(backendId)?.config?.type === 'qconnect';
}

function groupByTrace(roots: ForestNode[]): Map<string, ForestNode[]> {
  const byTrace = new Map<string, ForestNode[]>();
  for (const r of roots) {
    const t = r.span.traceId ?? '';
    let list = byTrace.get(t);
    if (!list) byTrace.set(t, (list = []));
    list.push(r);
  }
  return byTrace;
}

/** One trace (an Agno run, an SGP trace) inside a session holding several. */
export class TraceNode extends TreeNode {
  readonly type = 'trace';
  readonly id: string;

  constructor(
    private readonly host: TreeHost,
    readonly sessionNode: SessionNode,
    readonly traceId: string,
    private roots: ForestNode[],
  ) {
    super(sessionNode);
    this.id = `${sessionNode.id}/t:${traceId}`;
  }

  getTreeItem(): vscode.TreeItem {
    const first = this.roots[0]?.span;
    const label = first ? oneLine(first.name, 100) : this.traceId || vscode.l10n.t('(no trace id)');
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const failed = this.roots.some((r) => r.span.status === 'error');
    item.iconPath = new vscode.ThemeIcon('git-commit', failed ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    const parts: string[] = [];
    if (first) {
      const end = Math.max(...this.roots.map((r) => r.span.endTime ?? r.span.startTime));
      parts.push(formatTimestamp(first.startTime).slice(11, 19), formatDuration(end - first.startTime));
    }
    parts.push(costSummaryText(this.sessionNode.loaded.traces.get(this.traceId)?.cost));
    item.description = parts.filter(Boolean).join(' · ');
    item.tooltip = `${vscode.l10n.t('Trace')} ${this.traceId}`;
    item.contextValue = ContextValues.trace;
    return item;
  }

  override getChildren(): TreeNode[] {
    // Roots may have changed since this node was created (live sources).
    this.roots = this.sessionNode.loaded.forest.roots().filter((r) => (r.span.traceId ?? '') === this.traceId);
    return pageChildren(this.host, this, this.roots, (n) => this.host.intern(new SpanTreeNode(this.host, this.sessionNode, this, n)));
  }
}

export class SpanTreeNode extends TreeNode {
  readonly type = 'span';
  readonly id: string;

  constructor(
    private readonly host: TreeHost,
    readonly sessionNode: SessionNode,
    parent: TreeNode,
    readonly node: ForestNode,
  ) {
    super(parent);
    this.id = `${sessionNode.id}/sp:${node.key}`;
  }

  get span(): Span {
    return this.node.span;
  }

  getTreeItem(): vscode.TreeItem {
    const span = this.node.span;
    const hasKids = this.node.children.length > 0;
    const item = new vscode.TreeItem(oneLine(span.name, 100), hasKids ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = spanIcon(span.kind, span.status);
    const marks: string[] = [];
    if (this.node.orphan) marks.push(vscode.l10n.t('⚠ parent missing'));
    if (this.node.cycle) marks.push(vscode.l10n.t('⚠ cycle broken'));
    if (this.node.duplicate) marks.push(vscode.l10n.t('⚠ duplicate id'));
    const summary = spanSummary(span);
    const run = this.parent === this.sessionNode ? this.sessionNode.loaded.traces : undefined;
    const stats = run && run.size > 1 ? run.get(span.traceId ?? '') : undefined;
    const counts = stats ? [spansLabel(stats.spans), stats.errors ? errorsLabel(stats.errors) : '', costSummaryText(stats.cost)] : [];
    item.description = [...marks, stats ? formatTimestamp(span.startTime).slice(11, 19) : '', summary, spanCostText(span.cost), ...counts].filter(Boolean).join(' · ');
    const arn = span.prompt?.arn || typeof span.attributes.aiAgentArn === 'string' || (span.prompt?.id && this.host.backends.entry(this.sessionNode.backendId)?.config?.type === 'qconnect');
    item.contextValue = (span.prompt || span.agent || span.tool ? ContextValues.spanNavigable : ContextValues.span) + (arn ? ContextValues.arnSuffix : '');
    item.command = { title: vscode.l10n.t('Open Span'), command: Commands.openSpan, arguments: [this] };
    item.tooltip = spanTooltip(span, this.node);
    item.accessibilityInformation = { label: `${span.kind} ${span.name}, ${span.status}, ${summary}` };
    return item;
  }

  override getChildren(): TreeNode[] {
    const kids = this.sessionNode.loaded.forest.childrenOf(this.node);
    return pageChildren(this.host, this, kids, (n) => this.host.intern(new SpanTreeNode(this.host, this.sessionNode, this, n)));
  }
}

function spanTooltip(span: Span, node: ForestNode): vscode.MarkdownString {
  // appendText escapes: span names and messages are untrusted.
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(span.name).appendMarkdown('**');
  md.appendText(` — ${span.kind}, ${span.status}\n\n`);
  if (span.statusMessage) md.appendText(`${span.statusMessage}\n\n`);
  const rows: [string, string | undefined][] = [
    [vscode.l10n.t('Start'), formatTimestamp(span.startTime)],
    [vscode.l10n.t('Duration'), formatDuration(spanDuration(span))],
    [vscode.l10n.t('Model'), span.model?.response ?? span.model?.request],
    [vscode.l10n.t('Tokens'), totalTokens(span.usage)?.toString()],
    [vscode.l10n.t('Agent'), span.agent?.name],
    [vscode.l10n.t('Tool'), span.tool?.name],
    [vscode.l10n.t('Prompt'), span.prompt?.name ?? span.prompt?.id],
    [vscode.l10n.t('Span id'), span.id],
    [vscode.l10n.t('Parent'), span.parentId ? `${span.parentId}${node.orphan ? ` (${vscode.l10n.t('not loaded')})` : ''}` : undefined],
  ];
  for (const [k, v] of rows) {
    if (v) md.appendText(`${k}: ${oneLine(v, 200)}\n\n`);
  }
  appendCostTooltip(md, span.cost);
  return md;
}

/** The first `childLimit` children, then a "Show N more" node. */
function pageChildren(host: TreeHost, parent: TreeNode, list: ForestNode[], make: (n: ForestNode) => TreeNode): TreeNode[] {
  const limit = host.childLimit(parent.id);
  const out = list.slice(0, limit).map(make);
  if (list.length > limit) {
    out.push(moreNode(parent, list.length - limit));
  }
  return out;
}

function moreNode(parent: TreeNode, rest: number): LoadMoreNode {
  return new LoadMoreNode(parent, `${parent.id}/more`, vscode.l10n.t('Show {0} more…', formatCount(Math.min(rest, CHILD_PAGE * 5))), {
    title: 'Show more',
    command: Commands.showMore,
    arguments: [parent],
  });
}
