// A small but complete session for the panel's tests and the standalone
// preview: an agent with two LLM calls (history resent), a tool call and its
// result, citations, a blocked text, reasoning, guardrails, a prompt reference,
// an unknown part and a failing tool. Plus a generator for very large sessions.
import type { Message, Session, Span, SpanKind } from '../../../src/model/types';

export const T0 = Date.UTC(2025, 2, 1, 14, 0, 0);

export const session: Session = { backendId: 'demo', id: 'sess-1', name: 'Refund request', startTime: T0, endTime: T0 + 9000, spanCount: 6 };

const sys = [{ type: 'text' as const, text: 'You are a helpful support agent. Answer **briefly**.' }];
const u1: Message = { role: 'customer', id: 'm1', timestamp: T0 + 100, parts: [{ type: 'text', text: 'I want a refund for order 42.' }] };
const a1: Message = {
  role: 'assistant',
  id: 'm2',
  timestamp: T0 + 1500,
  parts: [
    { type: 'reasoning', text: 'The user wants a refund; I should look the order up first.' },
    { type: 'toolUse', id: 'call_1', name: 'lookup_order', arguments: { orderId: 42, include: ['items', 'payments'] } },
  ],
};
const r1: Message = {
  role: 'tool',
  id: 'm3',
  timestamp: T0 + 2600,
  parts: [{ type: 'toolResult', id: 'call_1', parts: [{ type: 'text', text: '{"status":"delivered","total":19.99}' }] }],
};
const a2: Message = {
  role: 'assistant',
  id: 'm4',
  timestamp: T0 + 4200,
  parts: [
    {
      type: 'text',
      text: 'Your order **42** was delivered. See the [refund policy](https://example.com/refunds) and <script>alert(1)</script>.\n\n- item one\n- item two\n\n```json\n{"a": 1}\n```',
      citations: [
        { title: 'Refund policy', contentId: 'doc-7', knowledgeBaseId: 'kb-1', url: 'https://example.com/refunds' },
        { title: 'Internal note', contentId: 'doc-8', knowledgeBaseArn: 'arn:aws:wisdom:us-east-1:1:knowledge-base/kb-2' },
      ],
    },
    { type: 'text', text: 'Here is your card number 4111 1111 1111 1111.', blocked: true },
    { type: 'unknown', raw: { audio: { format: 'wav', bytes: 1024 } } },
  ],
};

export function spans(): Span[] {
  return [
    {
      id: 'root',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'SupportAgent',
      kind: 'agent',
      status: 'ok',
      startTime: T0,
      endTime: T0 + 9000,
      agent: { id: 'agent-1', name: 'SupportAgent', type: 'SELF_SERVICE', version: 3 },
      attributes: { requestId: 'req-123', originRequestId: 'req-000', contactId: 'c-1' },
    },
    {
      id: 'llm-1',
      parentId: 'root',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'chat claude-3',
      kind: 'llm',
      status: 'ok',
      startTime: T0 + 200,
      endTime: T0 + 1500,
      model: { request: 'claude-3', response: 'claude-3-20240229', provider: 'aws.bedrock', temperature: 0.2, topP: 0.9, maxTokens: 1024, finishReasons: ['tool_use'], timeToFirstTokenMs: 340 },
      usage: { input: 1200, output: 80, total: 1280, cacheRead: 1000, cacheWrite: 12 },
      system: sys,
      input: [u1],
      output: [a1],
      prompt: { id: 'prompt-9', name: 'self-service-answer', version: 4, type: 'SELF_SERVICE_ANSWER_GENERATION', arn: 'arn:aws:wisdom:us-east-1:1:ai-prompt/p/prompt-9' },
      attributes: { requestId: 'req-124', 'gen_ai.system': 'aws.bedrock' },
    },
    {
      id: 'tool-1',
      parentId: 'root',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'lookup_order',
      kind: 'tool',
      status: 'ok',
      startTime: T0 + 1600,
      endTime: T0 + 2600,
      tool: { callId: 'call_1', name: 'lookup_order', arguments: '{"orderId":42}', result: { status: 'delivered', total: 19.99 } },
      attributes: {},
    },
    {
      id: 'llm-2',
      parentId: 'root',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'chat claude-3',
      kind: 'llm',
      status: 'ok',
      startTime: T0 + 2700,
      endTime: T0 + 4200,
      model: { request: 'claude-3', finishReasons: ['end_turn'] },
      usage: { input: 1400, output: 120 },
      system: sys,
      // The whole history is resent: u1, a1, r1 — the conversation must not repeat them.
      input: [u1, a1, r1],
      output: [a2],
      guardrails: [
        {
          guardrailId: 'gr-1',
          name: 'pii-filter',
          source: 'output',
          action: 'blocked',
          policies: [
            { type: 'SENSITIVE_INFORMATION_PII', action: 'BLOCKED', details: 'CREDIT_DEBIT_CARD_NUMBER' },
            { type: 'CONTENT_FILTER', action: 'NONE' },
          ],
        },
      ],
      attributes: { 'x-amzn-requestid': 'aws-req-1', temperatureHint: 'n/a' },
    },
    {
      id: 'tool-2',
      parentId: 'root',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'issue_refund',
      kind: 'tool',
      status: 'error',
      statusMessage: 'Payment service unavailable',
      startTime: T0 + 4300,
      endTime: T0 + 8000,
      tool: { callId: 'call_2', name: 'issue_refund', arguments: { orderId: 42 }, error: 'HTTP 503 from payments' },
      attributes: { errorType: 'throttle' },
    },
    {
      id: 'guard-1',
      parentId: 'llm-2',
      sessionId: 'sess-1',
      traceId: 'trace-1',
      name: 'guardrail pii-filter',
      kind: 'guardrail',
      status: 'ok',
      startTime: T0 + 4000,
      endTime: T0 + 4100,
      attributes: {},
    },
  ];
}

const KINDS: SpanKind[] = ['agent', 'llm', 'tool', 'retrieval', 'chain', 'guardrail'];

/** A large session: `n` spans in a tree of depth ≤ 6, ~1% failed, pages in arbitrary order not guaranteed. */
export function bigSession(n: number): Span[] {
  const out: Span[] = [];
  const stack: { id: string; depth: number; start: number }[] = [];
  for (let i = 0; i < n; i++) {
    while (stack.length && (stack[stack.length - 1].depth >= 5 || (i % 7 === 0 && stack.length > 1))) stack.pop();
    const parent = stack[stack.length - 1];
    const start = T0 + i * 10;
    const s: Span = {
      id: `s${i}`,
      parentId: parent?.id,
      sessionId: 'big',
      name: `${KINDS[i % KINDS.length]} step ${i}`,
      kind: KINDS[i % KINDS.length],
      status: i % 97 === 0 ? 'error' : 'ok',
      startTime: start,
      endTime: start + 5 + (i % 50),
      attributes: {},
    };
    if (s.kind === 'llm') {
      s.input = [{ role: 'user', parts: [{ type: 'text', text: `question ${i}` }] }];
      s.output = [{ role: 'assistant', parts: [{ type: 'text', text: `answer ${i}` }] }];
    }
    out.push(s);
    stack.push({ id: s.id, depth: (parent?.depth ?? -1) + 1, start });
  }
  return out;
}
