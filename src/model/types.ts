// The normalized model every backend maps into (DESIGN.md "Normalized model").
// It is also the CLI's JSON export format, so field names are a public contract.

export type BackendType = 'qconnect' | 'sgp' | 'agno' | 'openaiAgents' | 'otlp' | 'file' | 'jaeger' | 'phoenix';

export type SpanStatus = 'ok' | 'error' | 'timeout' | 'cancelled' | 'unset';

export type SpanKind =
  | 'agent'
  | 'llm'
  | 'tool'
  | 'guardrail'
  | 'handoff'
  | 'retrieval'
  | 'chain'
  | 'speech'
  | 'transcription'
  | 'custom';

export const SPAN_KINDS: readonly SpanKind[] = [
  'agent', 'llm', 'tool', 'guardrail', 'handoff', 'retrieval', 'chain', 'speech', 'transcription', 'custom',
];

export interface Session {
  backendId: string;
  id: string;
  name?: string;
  /** epoch ms */
  startTime?: number;
  endTime?: number;
  spanCount?: number;
  status?: SpanStatus;
  /** LLM cost summed over the session's spans (set once its spans are loaded and priced). */
  cost?: CostSummary;
  attributes?: Record<string, unknown>;
}

export interface Citation {
  contentId?: string;
  title?: string;
  knowledgeBaseId?: string;
  knowledgeBaseArn?: string;
  url?: string;
}

export type Part =
  | { type: 'text'; text: string; citations?: Citation[]; blocked?: boolean }
  | { type: 'toolUse'; id: string; name: string; arguments: unknown }
  | { type: 'toolResult'; id: string; parts: Part[]; error?: string }
  | { type: 'reasoning'; text: string }
  | { type: 'unknown'; raw: unknown };

export interface Message {
  /** user|assistant|system|tool|customer|agent|bot */
  role: string;
  id?: string;
  timestamp?: number;
  parts: Part[];
}

export interface GuardrailPolicy {
  type: string;
  action: string;
  details?: string;
}

export interface GuardrailAssessment {
  guardrailId?: string;
  name: string;
  source?: 'input' | 'output';
  action: 'none' | 'blocked' | 'masked' | 'triggered';
  policies: GuardrailPolicy[];
}

export interface ModelInfo {
  request?: string;
  response?: string;
  provider?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  finishReasons?: string[];
  timeToFirstTokenMs?: number;
}

export interface Usage {
  input?: number;
  output?: number;
  total?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface ToolCall {
  callId?: string;
  name: string;
  arguments?: unknown;
  result?: unknown;
  error?: string;
}

export interface PromptRef {
  id?: string;
  arn?: string;
  name?: string;
  version?: number;
  type?: string;
}

export interface AgentRef {
  id?: string;
  name?: string;
  type?: string;
  version?: number;
}

/** A human or evaluator judgement attached to a span (Phoenix span annotations, eval scores). */
export interface Annotation {
  name: string;
  label?: string;
  score?: number;
  explanation?: string;
  /** HUMAN | LLM | CODE */
  annotatorKind?: string;
  /** API | APP */
  source?: string;
  identifier?: string;
  /** epoch ms of the last update */
  time?: number;
  metadata?: Record<string, unknown>;
}

export interface Span {
  id: string;
  parentId?: string;
  sessionId: string;
  traceId?: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  statusMessage?: string;
  /** epoch ms */
  startTime: number;
  endTime?: number;
  durationMs?: number;
  model?: ModelInfo;
  usage?: Usage;
  system?: Part[];
  input?: Message[];
  output?: Message[];
  tool?: ToolCall;
  guardrails?: GuardrailAssessment[];
  prompt?: PromptRef;
  agent?: AgentRef;
  /** Annotations and evaluation scores from the store (Phoenix). */
  annotations?: Annotation[];
  /** What this LLM call cost (pricing.ts); absent on spans that are not LLM calls. */
  cost?: SpanCost;
  /** Everything the model has no slot for. Nothing is dropped. */
  attributes: Record<string, unknown>;
}

/** The cost of one LLM span (normalized model field `Span.cost`). */
export interface SpanCost {
  currency: 'USD';
  /** Absent when the call could not be priced: see `reason`. Never 0 for "unknown". */
  usd?: number;
  /** The model id as the span spelled it. */
  model?: string;
  /** The price entry used and the date of that price. */
  price?: { model: string; source: 'table' | 'setting'; since?: string };
  reason?: 'unknownModel' | 'noModel' | 'noUsage';
}

/** Costs summed over spans (normalized model field `Session.cost`). */
export interface CostSummary {
  currency: 'USD';
  /** Sum over the priced calls only. */
  usd: number;
  pricedCalls: number;
  /** LLM calls without a price (unknown model, no model id, no token counts). */
  unpricedCalls: number;
  /** Model ids that had no price, at most 20. */
  unpricedModels: string[];
  /** Version of the bundled price table. */
  priceTable: string;
}

/** What aggregates (aggregates.ts) group by. */
export type AggregateDimension = 'agent' | 'tool' | 'model' | 'prompt';

/** The CLI `export` format and the `file` backend's input. */
export interface SessionExport {
  session: Session;
  spans: Span[];
}
