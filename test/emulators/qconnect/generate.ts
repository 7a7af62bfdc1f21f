// Deterministic generator of large Q Connect sessions (wire format, epoch-second
// timestamps) for the 10,000-span test and the benchmark. The shape mimics a long
// orchestration: one root agent span, then repeated turns of
// LLM call → tool call(s) → guardrail check, nested two levels deep.

export type WireSpan = Record<string, unknown>;

export interface GenerateOptions {
  sessionId: string;
  assistantId: string;
  /** Epoch seconds of the first span (default 2025-10-01T00:00:00Z). */
  startSeconds?: number;
  /** Changes ids/texts while staying deterministic. */
  seed?: number;
}

const WORDS = ['order', 'refund', 'parcel', 'invoice', 'account', 'password', 'delivery', 'voucher', 'charge', 'card', 'address', 'plan'];

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0').slice(-width);
}

/** Spans in parent-before-child order; `count` exactly. */
export function generateSpans(count: number, options: GenerateOptions): WireSpan[] {
  const { sessionId, assistantId } = options;
  const seed = options.seed ?? 1;
  let t = options.startSeconds ?? 1759276800;
  const spans: WireSpan[] = [];
  // Q Connect ids are UUIDs (botocore's model: spanId, messageId, toolUseId are `Uuid`).
  const uuid = (tag: number, i: number) => `${hex(seed * 2654435761, 8)}-${hex(tag, 4)}-4000-8000-${hex(i, 12)}`;
  const id = (i: number) => uuid(0, i);
  const msg = (i: number, dir: 'in' | 'out') => uuid(dir === 'in' ? 1 : 2, i);
  const tu = (i: number) => uuid(3, i);
  const base = (i: number, parent: string | undefined, name: string, type: string, start: number, end: number): WireSpan => ({
    spanId: id(i),
    assistantId,
    sessionId,
    ...(parent ? { parentSpanId: parent } : {}),
    spanName: name,
    spanType: type,
    startTimestamp: Math.round(start * 1000) / 1000,
    endTimestamp: Math.round(end * 1000) / 1000,
    status: 'OK',
    requestId: `${hex(seed, 8)}-0000-4000-8000-${hex(Math.floor(i / 40), 12)}`,
    attributes: {} as Record<string, unknown>,
  });
  if (count <= 0) return spans;
  const rootId = id(0);
  const root = base(0, undefined, 'SelfServiceOrchestrator', 'SERVER', t, t);
  root.attributes = { operationName: 'invoke_agent', aiAgentType: 'ORCHESTRATION', aiAgentName: 'SelfServiceOrchestrator', aiAgentVersion: 3 };
  spans.push(root);
  let i = 1;
  let turn = 0;
  let turnParent = rootId;
  while (i < count) {
    const word = WORDS[(turn + seed) % WORDS.length];
    const kind = i % 4;
    let s: WireSpan;
    if (kind === 1) {
      // A turn wrapper every 40 spans keeps the tree a few levels deep.
      if (turn % 10 === 0) {
        s = base(i, rootId, `Turn ${turn / 10 + 1}`, 'INTERNAL', t, t + 3.5);
        s.attributes = { operationName: 'invoke_agent', aiAgentType: 'ORCHESTRATION' };
        turnParent = s.spanId as string;
        spans.push(s);
        i += 1;
        turn += 1;
        continue;
      }
      s = base(i, turnParent, 'Orchestration.Converse', 'CLIENT', t, t + 0.9);
      s.attributes = {
        operationName: 'chat',
        providerName: 'aws.bedrock',
        requestModel: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        responseModel: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        usageInputTokens: 900 + (i % 300),
        usageOutputTokens: 40 + (i % 60),
        usageTotalTokens: 940 + (i % 300) + (i % 60),
        timeToFirstTokenMs: 300 + (i % 500),
        promptId: 'd7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69',
        promptName: 'SelfServiceOrchestration',
        promptVersion: 5,
        inputMessages: [{ messageId: msg(i, 'in'), participant: 'CUSTOMER', timestamp: t, values: [{ text: { value: `Question ${turn} about my ${word}.` } }] }],
        outputMessages: [
          {
            messageId: msg(i, 'out'),
            participant: 'BOT',
            timestamp: t + 0.9,
            values: [{ text: { value: `Looking up the ${word}.` } }, { toolUse: { toolUseId: tu(i), name: 'Retrieve', arguments: { query: word } } }],
          },
        ],
      };
    } else if (kind === 2) {
      s = base(i, turnParent, 'Tool.Retrieve', 'INTERNAL', t + 0.9, t + 1.4);
      s.attributes = {
        operationName: 'execute_tool',
        inputMessages: [{ messageId: msg(i, 'in'), participant: 'BOT', timestamp: t + 0.9, values: [{ toolUse: { toolUseId: tu(i - 1), name: 'Retrieve', arguments: { query: word } } }] }],
        outputMessages: [
          {
            messageId: msg(i, 'out'),
            participant: 'BOT',
            timestamp: t + 1.4,
            values: [{ toolResult: { toolUseId: tu(i - 1), values: [{ text: { value: `Article about ${word}.`, citations: [{ contentId: uuid(4, turn), title: `${word} FAQ` }] } }] } }],
          },
        ],
      };
    } else if (kind === 3) {
      s = base(i, turnParent, 'Guardrail.Output', 'INTERNAL', t + 1.4, t + 1.5);
      s.attributes = {
        operationName: 'apply_guardrail',
        guardrailAssessments: [{ guardrailId: 'gr-1', guardrailName: 'SupportSafety', source: 'OUTPUT', action: 'NONE', policies: [{ policyType: 'CONTENT_FILTER', action: 'NONE' }] }],
      };
    } else {
      s = base(i, turnParent, 'AnswerGeneration', 'CLIENT', t + 1.5, t + 2.4);
      s.attributes = {
        operationName: 'chat',
        requestModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
        usageInputTokens: 1200,
        usageOutputTokens: 80,
        outputMessages: [{ messageId: msg(i, 'out'), participant: 'BOT', timestamp: t + 2.4, values: [{ text: { value: `Here is what I found about your ${word}.` } }] }],
      };
      t += 2.5;
      turn += 1;
    }
    spans.push(s);
    i += 1;
  }
  root.endTimestamp = Math.round((t + 1) * 1000) / 1000;
  return spans;
}
