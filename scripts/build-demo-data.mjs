// Writes media/demo/sample-sessions.json: two sessions in the normalized
// export format, shipped with the extension for "Open Demo Data" and used by
// the integration tests. Re-run after changing it: node scripts/build-demo-data.mjs
import * as fs from 'node:fs';

const t0 = Date.parse('2026-11-20T09:30:00Z');
const span = (o) => ({ status: 'ok', attributes: {}, ...o, durationMs: o.endTime - o.startTime });

const support = {
  session: { backendId: 'demo', id: 'demo-support-7f3a', name: 'Refund request — order 88123', startTime: t0, endTime: t0 + 9400, status: 'ok' },
  spans: [
    span({ id: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'SupportOrchestrator.run', kind: 'agent', startTime: t0, endTime: t0 + 9400,
      agent: { id: 'agent-orch-1', name: 'SupportOrchestrator', type: 'ORCHESTRATION', version: 3 } }),
    span({ id: 'sup-guard-in', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'InputGuardrail', kind: 'guardrail', startTime: t0 + 20, endTime: t0 + 180,
      guardrails: [{ guardrailId: 'gr-pii', name: 'pii-and-topics', source: 'input', action: 'masked', policies: [
        { type: 'SENSITIVE_INFORMATION_PII', action: 'MASKED', details: 'EMAIL masked' },
        { type: 'TOPIC', action: 'NONE' }, { type: 'CONTENT_FILTER', action: 'NONE', details: 'HATE: NONE' }] }] }),
    span({ id: 'sup-llm-1', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'bedrock.converse', kind: 'llm', startTime: t0 + 200, endTime: t0 + 3100,
      model: { request: 'anthropic.claude-sonnet-4', response: 'anthropic.claude-sonnet-4', provider: 'aws.bedrock', temperature: 0.2, topP: 0.9, maxTokens: 1024, finishReasons: ['tool_use'], timeToFirstTokenMs: 640 },
      usage: { input: 1840, output: 212, total: 2052, cacheRead: 1200, cacheWrite: 0 },
      prompt: { id: 'b7e1c2d4-0c1f-4d7a-9a55-3f1c9a0e5b21', name: 'support-orchestration', version: 4, type: 'ORCHESTRATION' },
      system: [{ type: 'text', text: 'You are a support agent for Acme Outfitters. Be concise. Use tools to look up orders before answering refund questions.' }],
      input: [{ role: 'customer', id: 'm1', timestamp: t0 + 100, parts: [{ type: 'text', text: 'Hi, I returned order **88123** last week but have not seen my refund. My email is [masked].' }] }],
      output: [{ role: 'bot', id: 'm2', timestamp: t0 + 3100, parts: [
        { type: 'reasoning', text: 'The customer asks about a refund. I should look up the order status first.' },
        { type: 'toolUse', id: 'tu-1', name: 'lookup_order', arguments: { orderId: '88123', include: ['refund', 'shipments'] } }] }],
      attributes: { requestId: 'req-5c1e', originRequestId: 'req-orig-77', instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/demo' } }),
    span({ id: 'sup-tool-1', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'lookup_order', kind: 'tool', startTime: t0 + 3150, endTime: t0 + 3900,
      tool: { callId: 'tu-1', name: 'lookup_order', arguments: { orderId: '88123', include: ['refund', 'shipments'] }, result: { status: 'RETURN_RECEIVED', refund: { state: 'PENDING', amount: 129.95, currency: 'USD', eta: '2026-11-24' } } } }),
    span({ id: 'sup-kb', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'knowledge_base.retrieve', kind: 'retrieval', startTime: t0 + 3950, endTime: t0 + 4400,
      attributes: { query: 'refund processing time', resultCount: 2 } }),
    span({ id: 'sup-llm-2', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'bedrock.converse', kind: 'llm', startTime: t0 + 4450, endTime: t0 + 9100,
      model: { request: 'anthropic.claude-sonnet-4', response: 'anthropic.claude-sonnet-4', provider: 'aws.bedrock', temperature: 0.2, finishReasons: ['end_turn'], timeToFirstTokenMs: 910 },
      usage: { input: 2410, output: 168, total: 2578, cacheRead: 1800 },
      prompt: { id: 'b7e1c2d4-0c1f-4d7a-9a55-3f1c9a0e5b21', name: 'support-orchestration', version: 4, type: 'ORCHESTRATION' },
      input: [
        { role: 'customer', id: 'm1', timestamp: t0 + 100, parts: [{ type: 'text', text: 'Hi, I returned order **88123** last week but have not seen my refund. My email is [masked].' }] },
        { role: 'tool', parts: [{ type: 'toolResult', id: 'tu-1', parts: [{ type: 'text', text: '{"status":"RETURN_RECEIVED","refund":{"state":"PENDING","amount":129.95}}' }] }] }],
      output: [{ role: 'bot', id: 'm3', timestamp: t0 + 9100, parts: [{ type: 'text', text: 'Thanks for waiting! We received your return and your refund of **$129.95** is being processed. Refunds post within 3–5 business days, so expect it by **Nov 24**.',
        citations: [{ contentId: 'kb-refund-policy', title: 'Refund policy', knowledgeBaseId: 'kb-support', url: 'https://example.com/help/refunds' }, { contentId: 'kb-returns-faq', title: 'Returns FAQ', knowledgeBaseId: 'kb-support' }] }] }] }),
    span({ id: 'sup-guard-out', parentId: 'sup-root', sessionId: 'demo-support-7f3a', traceId: 'tr-support-1', name: 'OutputGuardrail', kind: 'guardrail', startTime: t0 + 9120, endTime: t0 + 9380,
      guardrails: [{ guardrailId: 'gr-grounding', name: 'grounding-check', source: 'output', action: 'none', policies: [{ type: 'CONTEXTUAL_GROUNDING', action: 'NONE', details: 'grounding 0.93 ≥ 0.75' }] }] }),
  ],
};

const t1 = t0 + 3_600_000;
const coding = {
  session: { backendId: 'demo', id: 'demo-coder-41c9', name: 'Fix failing build (coding agent)', startTime: t1, endTime: t1 + 15200, status: 'error' },
  spans: [
    span({ id: 'cod-root', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'CodingAgent.run', kind: 'agent', startTime: t1, endTime: t1 + 15200, status: 'error', statusMessage: 'Max turns (3) exceeded',
      agent: { name: 'CodingAgent', type: 'openai-agents' } }),
    span({ id: 'cod-gen-1', parentId: 'cod-root', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'generation', kind: 'llm', startTime: t1 + 50, endTime: t1 + 4200,
      model: { request: 'gpt-4.1', response: 'gpt-4.1-2025-04-14', provider: 'openai', temperature: 0, maxTokens: 4096, finishReasons: ['tool_calls'] }, usage: { input: 5120, output: 96, total: 5216 },
      system: [{ type: 'text', text: 'You are a careful coding agent. Run the tests before and after each change.' }],
      input: [{ role: 'user', parts: [{ type: 'text', text: 'The CI build fails on `npm test`. Please fix it.' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'toolUse', id: 'call_1', name: 'run_shell', arguments: { cmd: 'npm test -- --reporter dot' } }] }] }),
    span({ id: 'cod-tool-1', parentId: 'cod-root', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'run_shell', kind: 'tool', startTime: t1 + 4250, endTime: t1 + 9800, status: 'error', statusMessage: 'exit code 1',
      tool: { callId: 'call_1', name: 'run_shell', arguments: { cmd: 'npm test -- --reporter dot' }, error: 'exit code 1: 2 failing (expected 3 to equal 4)' } }),
    span({ id: 'cod-handoff', parentId: 'cod-root', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'handoff → Reviewer', kind: 'handoff', startTime: t1 + 9900, endTime: t1 + 9910, attributes: { from_agent: 'CodingAgent', to_agent: 'Reviewer' } }),
    span({ id: 'cod-gen-2', parentId: 'cod-root', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'generation', kind: 'llm', startTime: t1 + 9950, endTime: t1 + 15100, status: 'error', statusMessage: 'Max turns (3) exceeded',
      model: { request: 'gpt-4.1', provider: 'openai' }, usage: { input: 6400, output: 0, total: 6400 } }),
    span({ id: 'cod-late', parentId: 'span-not-exported', sessionId: 'demo-coder-41c9', traceId: 'tr-coder-1', name: 'custom: flush_metrics', kind: 'custom', startTime: t1 + 15150, endTime: t1 + 15180, attributes: { note: 'its parent span was never exported' } }),
  ],
};

fs.writeFileSync('media/demo/sample-sessions.json', `${JSON.stringify([support, coding], null, 1)}\n`);
console.log('wrote media/demo/sample-sessions.json');
