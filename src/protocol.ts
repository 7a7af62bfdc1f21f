// Messages between the panel's host side (src/panel) and its webview
// (webview/). One discriminated union per direction; both sides import this
// file, so a renamed field is a compile error on both ends. Only types and
// constants (and one shared check) live here: the webview bundle must not pull in Node or `vscode`.
import type { AgentGraph } from './model/agentGraph';
import type { AggregateRow } from './model/aggregates';
import type { SessionFilters, SessionSort, SessionTableRow } from './model/sessionTable';
import type { Message, Part, Session, Span, SpanKind, SpanStatus } from './model/types';

/** The webview panel's view type (also the serializer's id). */
export const PANEL_VIEW_TYPE = 'spanInspector.panel';

/** How a session load is going (mirrors LoadedSession.state). */
export type PanelLoadState = 'idle' | 'loading' | 'done' | 'error' | 'cancelled';

/** What the detail area shows: one span, or the whole session's conversation. */
export type PanelView = 'span' | 'session';

/**
 * One waterfall row, as a tuple to keep 100k-span sessions small on the wire.
 * `parentId` is the span's raw parent id ('' for roots); the webview links it to
 * the row whose key equals it, exactly as ForestBuilder does (duplicates get
 * `id~N` keys and never receive children).
 * `end` is -1 when unknown (still running, or no end time recorded).
 * `timing`, when present, says what is wrong with the span's clock (start and
 * end are then -1 where they are not plausible times, keeping the axis sane;
 * '' when only `trace` follows).
 * `trace`, on rows without a parent only, is the span's trace id: the
 * waterfall gives each trace of a multi-trace session its own axis.
 */
export type SpanRow = [key: string, parentId: string, name: string, kind: SpanKind, status: SpanStatus, start: number, end: number, timing?: string, trace?: string];

/** Structural problems of a span's place in the tree (from ForestBuilder). */
export interface NodeFlags {
  orphan?: boolean;
  cycle?: boolean;
  duplicate?: boolean;
  /** What is wrong with the span's timestamps or duration (plain text, one per problem). */
  timing?: string[];
}

/** What the webview persists with `setState` and the serializer restores from. */
export interface PanelState {
  backendId: string;
  session: Session;
  spanKey?: string;
  view?: PanelView;
  markdown?: boolean;
}

/** One LLM call of the session-wide conversation, with repeated history removed. */
export interface ConversationTurn {
  key: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  startTime: number;
  agent?: string;
  model?: string;
  /** Present only when it differs from the previous turn's system instructions. */
  system?: Part[];
  /** Input messages not already shown by an earlier turn. */
  input: Message[];
  /** How many leading input messages were omitted because an earlier turn showed them. */
  repeated: number;
  output: Message[];
  /** Results of this turn's tool calls held by tool spans of the session (OTLP execute_tool). */
  related?: Extract<Part, { type: 'toolResult' }>[];
}

/** Cost as the panel shows it, formatted by the host (src/panel/costInfo.ts). */
export interface CostInfo {
  /** "$0.032", "$0.032 + 1 unpriced", "no price". */
  text: string;
  /** Some LLM call has no price: the panel links to the `spanInspector.pricing` setting. */
  unpriced: boolean;
  /** One line on what was priced and how (tooltip). */
  detail: string;
}

export interface LoadInfo {
  state: PanelLoadState;
  /** Spans loaded so far. */
  count: number;
  /** Expected total when the backend said so (Session.spanCount). */
  expected?: number;
  error?: { message: string; canRetry: boolean };
  /** Backend warnings and tree issues (orphans, cycles, duplicates), already plain text. */
  warnings: string[];
  /** LLM cost of the loaded spans; absent when the session has no LLM calls. */
  cost?: CostInfo;
}

/** One aggregates row (src/model/aggregates.ts) as the panel shows it: its cost priced for display. */
export interface AggregateView extends Omit<AggregateRow, 'cost'> {
  /** Sum of the priced calls (for charts and sorting); absent when nothing here was priced. */
  usd?: number;
  cost?: CostInfo;
}

/**
 * The panel's own UI strings, localized by the host with vscode.l10n.t
 * (src/panel/panelStrings.ts) and sent in `init`: the webview has no l10n API.
 * `{0}`, `{1}` are filled in by the webview (webview/strings.ts).
 */
export interface PanelStrings {
  searchPlaceholder: string;
  searchLabel: string;
  previousMatch: string;
  nextMatch: string;
  searching: string;
  noResults: string;
  markdown: string;
  session: string;
  sessionTooltip: string;
  summary: string;
  summaryTooltip: string;
  graph: string;
  graphTooltip: string;
  resizeWaterfall: string;
  /** {0}: session id */
  sessionId: string;
  /** {0}: count */
  spanCount: string;
  spansCount: string;
  /** {0}: loaded, {1}: expected */
  countOf: string;
  /** {0}: "12 spans" */
  loading: string;
  loadingFailed: string;
  loadedSoFar: string;
  loadingStopped: string;
  retry: string;
  continue: string;
  spansBadge: string;
  spanNotLoaded: string;
  /** {0}: span key */
  spanNotInSession: string;
  errorsOnly: string;
  foldIdle: string;
  foldIdleTooltip: string;
  criticalPath: string;
  criticalPathTooltip: string;
  minimapTooltip: string;
  zoomOut: string;
  zoomIn: string;
  resetZoom: string;
  /** {0}: count */
  hidden: string;
  showAllSpans: string;
  /** {0}: graph node name */
  onlyNode: string;
  /** {0}: span kind */
  hideKind: string;
  showKind: string;
  /** {0}: duration */
  idleFolded: string;
  idle: string;
  spanColumn: string;
  noSpansYet: string;
  spansTreeLabel: string;
  error: string;
  timingProblem: string;
  /** {0}: ordinal, {1}: count of traces */
  traceOf: string;
  /** {0}: ordinal, {1}: root span name */
  traceBand: string;
  agents: string;
  tools: string;
  models: string;
  prompts: string;
  summarizing: string;
  overAllSpans: string;
  stillLoading: string;
  loadingSpan: string;
  conversationLoading: string;
  noAggregates: string;
  name: string;
  calls: string;
  tokens: string;
  cost: string;
  errors: string;
  guardrailBlocks: string;
  costUsd: string;
  p95LatencyMs: string;
  /** {0}: count */
  moreNotShown: string;
  layingOut: string;
  noGraph: string;
  agentGraph: string;
  graphSelected: string;
  graphHint: string;
  setPrices: string;
  setPricesTooltip: string;
  openThisSpan: string;
  noMessages: string;
  noMessagesYet: string;
  /** {0}: count */
  moreCalls: string;
  copyJson: string;
  /** {0}: count */
  moreCharacters: string;
  showDeeper: string;
  /** {0}: shown next, {1}: left */
  showMoreOf: string;
  annotationLabel: string;
  annotationScore: string;
  annotator: string;
  // span view
  spanDetails: string;
  detailsTab: string;
  rawTab: string;
  copySpanId: string;
  revealInTree: string;
  /** {0}: parent span id */
  orphanFlag: string;
  cycleFlag: string;
  /** {0}: span id, {1}: the key it is shown as */
  duplicateFlag: string;
  /** {0}: what is wrong with the span's clock */
  timingFlag: string;
  timing: string;
  agent: string;
  model: string;
  tokenUsage: string;
  llmCall: string;
  requestIds: string;
  ids: string;
  systemInstructions: string;
  transcript: string;
  /** {0}: count of messages */
  inputCount: string;
  /** {0}: count of messages */
  outputCount: string;
  /** {0}: count */
  guardrails: string;
  /** {0}: count */
  annotations: string;
  noContent: string;
  prompt: string;
  goToPromptSource: string;
  /** {0}: tool name */
  toolTitle: string;
  unnamed: string;
  callId: string;
  copyCallId: string;
  arguments: string;
  result: string;
  unknownGuardrail: string;
  overallAction: string;
  policy: string;
  action: string;
  policyDetails: string;
  noPolicyDetails: string;
  originalRecord: string;
  normalizedSpan: string;
  filterAttributes: string;
  attributes: string;
  /** {0}: count (1) */
  attributeCount: string;
  /** {0}: count */
  attributesCount: string;
  /** {0}: shown, {1}: total (1) */
  attributeCountOf: string;
  /** {0}: shown, {1}: total */
  attributesCountOf: string;
  /** {0}: "3 of 5 attributes", {1}: rows shown */
  firstShown: string;
  key: string;
  value: string;
  // header fields (renderable.ts FIELD_LABELS) and values
  /** {0}: count (after a cut value) */
  moreCharactersCut: string;
  /** {0}: a time that is no plausible date */
  msSince1970: string;
  start: string;
  end: string;
  duration: string;
  timeToFirstToken: string;
  type: string;
  version: string;
  agentId: string;
  responseModel: string;
  provider: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  finishReasons: string;
  inputTokens: string;
  outputTokens: string;
  totalTokens: string;
  cacheRead: string;
  cacheWrite: string;
  contentId: string;
  knowledgeBase: string;
  guardrailId: string;
  source: string;
  promptId: string;
  arn: string;
  spanId: string;
  traceId: string;
  parentId: string;
  roleUser: string;
  roleCustomer: string;
  roleAssistant: string;
  roleBot: string;
  roleAgent: string;
  roleSystem: string;
  roleDeveloper: string;
  roleTool: string;
  roleUnknown: string;
  /** {0}: length of the cut value */
  valueCut: string;
  valueMoreOnRaw: string;
  // message parts
  /** {0}: message id */
  messageId: string;
  blockedByGuardrail: string;
  /** {0}: count */
  citations: string;
  untitledSource: string;
  copyCitation: string;
  /** {0}: count */
  reasoning: string;
  unnamedTool: string;
  toolCallId: string;
  copyToolCallId: string;
  noResultInView: string;
  /** {0}: tool name */
  resultOf: string;
  toolCall: string;
  /** {0}: tool name */
  resultShownAbove: string;
  show: string;
  image: string;
  imageNotDecoded: string;
  unknownContent: string;
  /** {0}: count (1) */
  repeatedMessage: string;
  /** {0}: count */
  repeatedMessages: string;
  // toolbar, graph, JSON, long text, Markdown
  /** {0}: count (1) */
  warning: string;
  /** {0}: count */
  warnings: string;
  handoff: string;
  /** {0}: count of failed calls (graph edge label) */
  edgeErrors: string;
  p50: string;
  p95: string;
  /** {0}: count */
  deeperLevels: string;
  /** {0}: count of keys not previewed */
  moreKeys: string;
  /** {0}: count (1) */
  arrayItem: string;
  /** {0}: count */
  arrayItems: string;
  /** {0}: count */
  moreCharactersCopy: string;
  cancel: string;
  /** {0}: percent, {1}: count */
  rendering: string;
  /** {0}: count */
  showRest: string;
  imageAlt: string;
  /** {0}: alt text */
  imageLabel: string;
  copy: string;
}

// ---------------------------------------------------------------- host → webview

export type HostMessage =
  /** First message after every `ready`: the webview starts from scratch (it may have been recreated). */
  | { type: 'init'; state: PanelState; strings: PanelStrings }
  /** Waterfall rows. `reset` drops everything received before (session reloaded). */
  | { type: 'rows'; reset: boolean; rows: SpanRow[] }
  | { type: 'load'; info: LoadInfo }
  /** Full details of one span, sent when the webview asks for it. `span` is absent when the key is unknown. */
  | {
      type: 'span';
      key: string;
      span?: Span;
      /** The original wire record as pretty JSON text, or the normalized span when none was kept. */
      raw?: string;
      /** Set when `raw` was cut at LIMITS.rawDisplayChars: the full length (Copy asks the host with `copyRaw`). */
      rawLength?: number;
      rawIsOriginal: boolean;
      flags: NodeFlags;
      /** Results of this span's tool calls found in other spans of the session (OTLP execute_tool spans…). */
      relatedResults?: Extract<Part, { type: 'toolResult' }>[];
      /** The span's LLM cost, when it is an LLM call. */
      cost?: CostInfo;
    }
  /** Host-side navigation (openSpan / openSession on an already open panel). */
  | { type: 'show'; view: PanelView; spanKey?: string }
  | { type: 'conversation'; offset: number; turns: ConversationTurn[]; total: number; complete: boolean }
  /** Span keys matching a search, in tree (depth-first, start-time) order. */
  | { type: 'searchResults'; query: string; keys: string[]; truncated: boolean }
  /** Per agent, tool, model and prompt over the loaded spans; `complete` is false while loading. */
  | { type: 'aggregates'; rows: AggregateView[]; complete: boolean }
  /** The agent graph (src/model/agentGraph.ts) of the loaded spans. */
  | { type: 'graph'; graph: AgentGraph; complete: boolean };

/**
 * The `init` a fresh panel page carries in a <script type="application/json">
 * element with this id, so the webview builds before the host answers `ready`.
 * `id` is new for every page.
 */
export const INIT_ELEMENT_ID = 'init';
export interface EmbeddedInit {
  id: string;
  state: PanelState;
  strings: PanelStrings;
}

// ---------------------------------------------------------------- webview → host

export type SpanAction = 'goToPromptSource' | 'copySpanId' | 'revealInTree';

export type WebviewMessage =
  /** `init`: the id of the EmbeddedInit the webview applied (the host then skips its `init` when nothing changed). */
  | { type: 'ready'; init?: string }
  /** A `rows` message was applied: the host sends the next one (one in flight, see SessionPanel.drain). */
  | { type: 'rowsApplied' }
  /** The user opened a span (click, Enter) — the host answers with `span`. */
  | { type: 'openSpan'; key: string }
  /** The user went back to the session view (Esc). */
  | { type: 'openSession' }
  | { type: 'requestConversation'; offset: number; limit: number }
  | { type: 'search'; query: string }
  | { type: 'action'; action: SpanAction; key: string }
  | { type: 'copy'; text: string }
  /** Copy the whole Raw JSON of a span (the panel only received its first LIMITS.rawDisplayChars). */
  | { type: 'copyRaw'; key: string }
  /** Links are opened only by the host, after it checks the scheme. */
  | { type: 'openLink'; url: string }
  | { type: 'retry' }
  | { type: 'setMarkdown'; on: boolean }
  /** Double-click in the panel: keep it (it stops being the preview). */
  | { type: 'pin' }
  /** The "no price" link: open the `spanInspector.pricing` setting. */
  | { type: 'openPricingSettings' }
  | { type: 'requestAggregates' }
  | { type: 'requestGraph' };

/** The `performance` mark the panel's waterfall sets when it first draws rows (read by the benchmark). */
export const FIRST_ROWS_MARK = 'spanInspector.firstRows';

/** Limits shared by both sides. */
export const LIMITS = {
  /**
   * Rows per `rows` message after the first: building and serializing one
   * holds the extension host's thread (~15 ms per 5,000), and a message is
   * only on its way once the host has had a few turns of its event loop.
   */
  rowsPerMessage: 5_000,
  /** Rows in the first message of a batch: screens enough, so the waterfall paints before the rest arrives (2,000 took ~50 ms more to apply). */
  firstRowsPerMessage: 400,
  /** Search stops after this many matches. */
  maxSearchResults: 10_000,
  /** Raw JSON text longer than this is shown truncated (Copy still copies all). */
  rawDisplayChars: 200_000,
  /** Conversation turns per page. */
  conversationPage: 100,
  /**
   * Levels of a span (or turn) sent as structure; deeper subtrees travel as
   * JSON text the panel shows on request ("Show deeper"): VS Code serializes
   * messages recursively, and a 20,000-deep argument would not cross.
   */
  maxValueDepth: 64,
} as const;

/**
 * The link as a normalized URL string if the panel may open it (http, https,
 * mailto), else undefined. The webview uses it to decide what is a link; the
 * host checks again before vscode.env.openExternal.
 */
export function safeLink(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > 8192) return undefined;
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- sessions table (its own webview)

export const SESSIONS_TABLE_VIEW_TYPE = 'spanInspector.sessionsTable';

/** Filters and sort of the sessions table, kept across reloads. */
export interface TableState {
  filters: SessionFilters;
  sort: SessionSort;
}

export type TableRowAction = 'open' | 'compare' | 'export';

/** The sessions table's UI strings, localized by the host (src/panel/panelStrings.ts) like PanelStrings. */
export interface TableStrings {
  colStart: string;
  colSession: string;
  colBackend: string;
  colDuration: string;
  colSpans: string;
  colErrors: string;
  colLlmCalls: string;
  colTokens: string;
  colCost: string;
  colAgents: string;
  colModels: string;
  colStatus: string;
  /** {0}: column title */
  sortBy: string;
  searchTable: string;
  errorsOnly: string;
  backend: string;
  allBackends: string;
  agent: string;
  model: string;
  minCost: string;
  minDuration: string;
  from: string;
  to: string;
  sessions: string;
  /** {0}: shown, {1}: total */
  sessionsOf: string;
  /** {0}: backend labels */
  listing: string;
  open: string;
  compare: string;
  export: string;
}

export type TableHostMessage =
  | { type: 'init'; state: TableState; backends: { id: string; label: string }[]; canCompare: boolean; strings: TableStrings }
  /** The filtered, sorted rows; `total` counts every listed session. */
  | { type: 'rows'; rows: SessionTableRow[]; total: number; listing: string[]; errors: string[] };

export type TableWebviewMessage =
  | { type: 'ready' }
  | { type: 'setState'; state: TableState }
  | { type: 'rowAction'; action: TableRowAction; key: string }
  /** Load the spans of these rows to fill errors, LLM calls, tokens, cost, agents, models. */
  | { type: 'details'; keys: string[] };
