// Q Connect wire span (FORMATS.md §1) → normalized Span. One pass over each
// record's keys: known members go to their model slot, everything else to
// `attributes`, unknown union members to {type:'unknown'} parts. The wire
// object itself is kept as the span's raw record (no copy).
import { setRaw } from '../../model/raw';
import { durationOf, epochToMs } from '../../model/time';
import type {
  AgentRef,
  Citation,
  GuardrailAssessment,
  Message,
  ModelInfo,
  Part,
  PromptRef,
  Span,
  SpanKind,
  SpanStatus,
  ToolCall,
  Usage,
} from '../../model/types';
import { asText, num, obj, own, setOwn, str, type Obj } from '../decode/wire';

const STATUS: Record<string, SpanStatus> = { OK: 'ok', ERROR: 'error', TIMEOUT: 'timeout' };
const ROLE: Record<string, string> = { CUSTOMER: 'customer', AGENT: 'agent', BOT: 'bot' };

function citation(v: unknown): Citation {
  const c = obj(v) ?? {};
  const out: Citation = {};
  if (typeof c.contentId === 'string') out.contentId = c.contentId;
  if (typeof c.title === 'string') out.title = c.title;
  if (typeof c.knowledgeBaseId === 'string') out.knowledgeBaseId = c.knowledgeBaseId;
  if (typeof c.knowledgeBaseArn === 'string') out.knowledgeBaseArn = c.knowledgeBaseArn;
  if (typeof c.url === 'string') out.url = c.url;
  return out;
}

/** SpanMessageValue: a tagged union with exactly one member set. */
export function toPart(value: unknown): Part {
  const v = obj(value);
  if (!v) return { type: 'unknown', raw: value };
  const text = obj(v.text);
  if (text && typeof text.value === 'string') {
    const part: Part = { type: 'text', text: text.value };
    if (Array.isArray(text.citations) && text.citations.length) part.citations = text.citations.map(citation);
    const guard = obj(text.aiGuardrailAssessment);
    if (guard && typeof guard.blocked === 'boolean') part.blocked = guard.blocked;
    return part;
  }
  const toolUse = obj(v.toolUse);
  if (toolUse && typeof toolUse.name === 'string') {
    return { type: 'toolUse', id: str(toolUse.toolUseId) ?? '', name: toolUse.name, arguments: toolUse.arguments };
  }
  const toolResult = obj(v.toolResult);
  if (toolResult) {
    const part: Part = { type: 'toolResult', id: str(toolResult.toolUseId) ?? '', parts: Array.isArray(toolResult.values) ? toolResult.values.map(toPart) : [] };
    if (toolResult.error !== undefined && toolResult.error !== null) {
      part.error = typeof toolResult.error === 'string' ? toolResult.error : JSON.stringify(toolResult.error);
    }
    return part;
  }
  const reasoning = obj(v.reasoning);
  if (reasoning && typeof reasoning.value === 'string') {
    return { type: 'reasoning', text: reasoning.value };
  }
  // A member added to the API after this code, or a malformed known one.
  return { type: 'unknown', raw: value };
}

function toParts(values: unknown): Part[] {
  return Array.isArray(values) ? values.map(toPart) : [];
}

function toMessages(list: unknown): Message[] {
  if (!Array.isArray(list)) return [];
  return list.map((m) => {
    const o = obj(m) ?? {};
    const participant = str(o.participant);
    const msg: Message = { role: participant ? (own(ROLE, participant) ?? participant.toLowerCase()) : 'unknown', parts: toParts(o.values) };
    if (typeof o.messageId === 'string') msg.id = o.messageId;
    const ts = epochToMs(o.timestamp);
    if (ts !== undefined) msg.timestamp = ts;
    return msg;
  });
}

function lower<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  const s = typeof v === 'string' ? (v.toLowerCase() as T) : undefined;
  return s && allowed.includes(s) ? s : fallback;
}

function toGuardrails(list: unknown): GuardrailAssessment[] {
  if (!Array.isArray(list)) return [];
  return list.map((g) => {
    const o = obj(g) ?? {};
    const out: GuardrailAssessment = {
      name: str(o.guardrailName) ?? str(o.guardrailId) ?? '(unnamed guardrail)',
      // An action the model does not know (added later) still shows as "triggered".
      action: lower(o.action, ['none', 'blocked', 'masked'] as const, 'triggered'),
      policies: Array.isArray(o.policies)
        ? o.policies.map((p) => {
            const po = obj(p) ?? {};
            const policy: GuardrailAssessment['policies'][number] = {
              type: str(po.policyType) ?? 'UNKNOWN',
              action: typeof po.action === 'string' ? po.action.toLowerCase() : 'unknown',
            };
            if (typeof po.details === 'string') policy.details = po.details;
            return policy;
          })
        : [],
    };
    if (typeof o.guardrailId === 'string') out.guardrailId = o.guardrailId;
    const source = typeof o.source === 'string' ? o.source.toLowerCase() : undefined;
    if (source === 'input' || source === 'output') out.source = source;
    return out;
  });
}

/** GenAI semantic-convention operation names (Q Connect's `operationName`) → kind. */
const OPERATION_KIND: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  invoke_model: 'llm',
  invokemodel: 'llm',
  converse: 'llm',
  embeddings: 'retrieval',
  retrieve: 'retrieval',
  search: 'retrieval',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  apply_guardrail: 'guardrail',
  guardrail: 'guardrail',
};

/** Agent types that are searches rather than generations. */
const RETRIEVAL_AGENT_TYPES = new Set(['MANUAL_SEARCH']);

function onlyToolParts(messages: Message[] | undefined): boolean | undefined {
  if (!messages?.length) return undefined;
  for (const m of messages) for (const p of m.parts) if (p.type !== 'toolUse' && p.type !== 'toolResult') return false;
  return true;
}

function kindOf(span: Span, operation: string | undefined, agentType: string | undefined, hasModel: boolean): SpanKind {
  const op = operation?.toLowerCase();
  const opKind = op ? own(OPERATION_KIND, op) : undefined;
  if (opKind) return opKind;
  const name = span.name.toLowerCase();
  if (name.includes('guardrail') || (span.guardrails?.length && !hasModel && !span.input?.length)) return 'guardrail';
  if (hasModel) return 'llm';
  const toolIn = onlyToolParts(span.input);
  const toolOut = onlyToolParts(span.output);
  if ((toolIn ?? true) && (toolOut ?? true) && (toolIn || toolOut)) return 'tool';
  if (name.startsWith('tool') || name.includes('.tool')) return 'tool';
  if (agentType && RETRIEVAL_AGENT_TYPES.has(agentType)) return 'retrieval';
  if (name.includes('retriev') || name.includes('search') || name.includes('knowledgebase') || name.includes('knowledge base')) return 'retrieval';
  if (agentType || name.includes('agent') || name.includes('orchestrat')) return 'agent';
  return 'custom';
}

/** Fills span.tool for tool spans from their toolUse / toolResult parts. */
function toolOf(span: Span): ToolCall | undefined {
  let use: Extract<Part, { type: 'toolUse' }> | undefined;
  let result: Extract<Part, { type: 'toolResult' }> | undefined;
  for (const list of [span.input, span.output]) {
    for (const m of list ?? []) {
      for (const p of m.parts) {
        if (p.type === 'toolUse' && !use) use = p;
        else if (p.type === 'toolResult' && !result && (!use || p.id === use.id || !p.id)) result = p;
      }
    }
  }
  if (!use && !result) return undefined;
  const tool: ToolCall = { name: use?.name ?? span.name };
  const callId = use?.id || result?.id;
  if (callId) tool.callId = callId;
  if (use) tool.arguments = use.arguments;
  if (result) {
    // A single text result reads best as plain text; anything richer stays structured.
    tool.result = result.parts.length === 1 && result.parts[0].type === 'text' ? result.parts[0].text : result.parts;
    if (result.error !== undefined) tool.error = result.error;
  }
  return tool;
}

type Slot = 'model' | 'usage' | 'prompt' | 'agent';

/** A wire attribute with a model slot: `span[slot][to]`, when its value has the expected type. */
interface Field {
  slot: Slot;
  to: string;
  type: 'string' | 'number' | 'strings';
  /** Request/response model: makes the span an LLM call. */
  llm?: true;
}

const FITS: Record<Field['type'], (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => num(v) !== undefined,
  strings: (v) => Array.isArray(v),
};

const FIELDS: Record<string, Field> = {
  requestModel: { slot: 'model', to: 'request', type: 'string', llm: true },
  responseModel: { slot: 'model', to: 'response', type: 'string', llm: true },
  temperature: { slot: 'model', to: 'temperature', type: 'number' },
  topP: { slot: 'model', to: 'topP', type: 'number' },
  requestMaxTokens: { slot: 'model', to: 'maxTokens', type: 'number' },
  responseFinishReasons: { slot: 'model', to: 'finishReasons', type: 'strings' },
  timeToFirstTokenMs: { slot: 'model', to: 'timeToFirstTokenMs', type: 'number' },
  usageInputTokens: { slot: 'usage', to: 'input', type: 'number' },
  usageOutputTokens: { slot: 'usage', to: 'output', type: 'number' },
  usageTotalTokens: { slot: 'usage', to: 'total', type: 'number' },
  cacheReadInputTokens: { slot: 'usage', to: 'cacheRead', type: 'number' },
  cacheWriteInputTokens: { slot: 'usage', to: 'cacheWrite', type: 'number' },
  promptArn: { slot: 'prompt', to: 'arn', type: 'string' },
  promptId: { slot: 'prompt', to: 'id', type: 'string' },
  promptName: { slot: 'prompt', to: 'name', type: 'string' },
  promptType: { slot: 'prompt', to: 'type', type: 'string' },
  promptVersion: { slot: 'prompt', to: 'version', type: 'number' },
  aiAgentId: { slot: 'agent', to: 'id', type: 'string' },
  aiAgentName: { slot: 'agent', to: 'name', type: 'string' },
  aiAgentType: { slot: 'agent', to: 'type', type: 'string' },
  aiAgentVersion: { slot: 'agent', to: 'version', type: 'number' },
};

/** Wire span → normalized span (raw kept). `sessionId` is the fallback when the record lacks one. */
export function toSpan(record: unknown, sessionId: string, index: number): Span {
  const w = obj(record) ?? { value: record };
  const attributes: Obj = {};
  const span: Span = { id: '', sessionId, name: '', kind: 'custom', status: 'unset', startTime: 0, attributes };
  let startTime: number | undefined;
  let endTime: number | undefined;
  let wireAttributes: Obj | undefined;
  for (const key in w) {
    const v = w[key];
    switch (key) {
      case 'spanId':
        span.id = asText(v);
        break;
      case 'parentSpanId':
        if (typeof v === 'string' && v) span.parentId = v;
        break;
      case 'sessionId':
        if (typeof v === 'string' && v) span.sessionId = v;
        break;
      case 'spanName':
        span.name = asText(v);
        break;
      case 'status':
        if (typeof v === 'string' && own(STATUS, v)) span.status = STATUS[v];
        else attributes.status = v;
        break;
      case 'statusDescription':
        if (typeof v === 'string' && v) span.statusMessage = v;
        break;
      case 'startTimestamp':
        startTime = epochToMs(v);
        break;
      case 'endTimestamp':
        endTime = epochToMs(v);
        break;
      case 'attributes':
        wireAttributes = obj(v);
        if (!wireAttributes && v !== undefined) attributes.attributes = v;
        break;
      default:
        // spanType, assistantId, requestId, originRequestId and anything newer.
        setOwn(attributes, key, v);
    }
  }
  if (!span.id) span.id = `missing-span-id-${index}`;
  if (!span.name) span.name = '(unnamed span)';
  span.startTime = startTime ?? endTime ?? 0;
  if (endTime !== undefined) span.endTime = endTime;
  const duration = durationOf(startTime, endTime);
  if (duration !== undefined) span.durationMs = duration;

  let operation: string | undefined;
  if (wireAttributes) {
    const slots: Record<Slot, Obj> = { model: {}, usage: {}, prompt: {}, agent: {} };
    let provider: unknown;
    let hasModel = false; // request/response model: what makes a span an LLM call
    for (const key in wireAttributes) {
      const v = wireAttributes[key];
      if (v === undefined || v === null) continue;
      switch (key) {
        case 'providerName':
          // Goes to model.provider on LLM spans, stays an attribute elsewhere (decided below).
          provider = v;
          break;
        case 'inputMessages':
          span.input = toMessages(v);
          break;
        case 'outputMessages':
          span.output = toMessages(v);
          break;
        case 'systemInstructions':
          span.system = toParts(v);
          break;
        case 'guardrailAssessments':
          span.guardrails = toGuardrails(v);
          break;
        case 'operationName':
          if (typeof v === 'string') operation = v;
          attributes[key] = v;
          break;
        default: {
          const field = own(FIELDS, key);
          if (!field) {
            // errorType, agentId, instanceArn, contactId, initialContactId, sessionName,
            // aiAgentArn, aiAgentInvoker, aiAgentOrchestratorUseCase, and anything newer.
            setOwn(attributes, key, v);
          } else if (FITS[field.type](v)) {
            slots[field.slot][field.to] = field.type === 'strings' ? (v as unknown[]).map(asText) : v;
            if (field.llm) hasModel = true;
          } else {
            // A known attribute of an unexpected type is kept as it came.
            attributes[key] = v;
          }
        }
      }
    }
    const model = slots.model as ModelInfo;
    if (hasModel || Object.keys(model).length) {
      if (typeof provider === 'string') model.provider = provider;
      else if (provider !== undefined) attributes.providerName = provider;
      span.model = model;
    } else if (provider !== undefined) {
      attributes.providerName = provider;
    }
    if (Object.keys(slots.usage).length) span.usage = slots.usage as Usage;
    if (Object.keys(slots.prompt).length) span.prompt = slots.prompt as PromptRef;
    if (Object.keys(slots.agent).length) span.agent = slots.agent as AgentRef;
    span.kind = kindOf(span, operation, str(slots.agent.type), hasModel);
  } else {
    span.kind = kindOf(span, undefined, undefined, false);
  }
  if (span.kind === 'tool') {
    const tool = toolOf(span);
    if (tool) span.tool = tool;
  }
  return setRaw(span, record);
}
