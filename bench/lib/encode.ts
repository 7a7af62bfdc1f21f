// Encodes one synthetic session (shape.ts) into each backend's wire format,
// following FORMATS.md and what the real emitters send: Q Connect ListSpans
// spans, SGP v5 span records, Agno table rows (OpenInference attributes, via
// the Agno fixture builder), OpenAI Agents SDK ingest batches (children
// first, as spans are sent when they end) and OTLP/HTTP JSON requests with
// GenAI semantic-convention attributes.
import type { AgnoData, AgnoSpanRow, AgnoTraceRow } from '../../test/fixtures/agno/data';
import { agentAttrs, isoPy, llmAttrs, toolAttrs } from '../../test/fixtures/agno/data';
import type { ASession, ASpan, Msg } from './shape';
import { agentInfo } from './shape';

type Obj = Record<string, unknown>;

/** Ids every format derives from the session, so the worker knows what to load. */
export function sessionIds(s: ASession): { qconnect: string; sgpGroup: string; agno: string; openaiGroup: string; otlpConversation: string } {
  // Q Connect wants a UUID: build one from the session id's hex.
  const h = Buffer.from(s.id).toString('hex').padEnd(32, '0').slice(-32);
  return {
    qconnect: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    sgpGroup: `grp-${s.id}`,
    agno: s.id,
    openaiGroup: `group_${s.id}`,
    otlpConversation: `conv-${s.id}`,
  };
}

const sec = (ms: number) => ms / 1000;

// ---------------------------------------------------------------- Q Connect

export const QC_ASSISTANT = 'a0b1c2d3-e4f5-4a6b-8c7d-8e9fa0b1c2d3';

function qcMessages(msgs: Msg[] | undefined, at: number, prefix: string): Obj[] {
  const out: Obj[] = [];
  (msgs ?? []).forEach((m, i) => {
    if (m.role === 'system') return; // systemInstructions carries it
    const values: Obj[] = [];
    if (m.role === 'tool') {
      values.push({ toolResult: { toolUseId: m.toolCallId, values: [{ text: { value: m.content ?? '' } }] } });
    } else {
      if (m.content) values.push({ text: { value: m.content } });
      for (const c of m.toolCalls ?? []) values.push({ toolUse: { toolUseId: c.id, name: c.name, arguments: c.args } });
    }
    out.push({ messageId: `${prefix}-${i}`, participant: m.role === 'user' ? 'CUSTOMER' : 'BOT', timestamp: sec(at), values });
  });
  return out;
}

export function toQConnect(s: ASession): Obj[] {
  const sessionId = sessionIds(s).qconnect;
  return s.spans.map((sp) => {
    const attributes: Obj = {};
    const w: Obj = {
      spanId: sp.id,
      assistantId: QC_ASSISTANT,
      sessionId,
      ...(sp.parent ? { parentSpanId: sp.parent } : {}),
      spanName: sp.name,
      spanType: sp.kind === 'llm' ? 'CLIENT' : sp.parent ? 'INTERNAL' : 'SERVER',
      startTimestamp: sec(sp.start),
      endTimestamp: sec(sp.end),
      status: sp.error ? 'ERROR' : 'OK',
      ...(sp.error ? { statusDescription: sp.error } : {}),
      requestId: `${sp.traceId.slice(0, 8)}-0000-4000-8000-${sp.traceId.slice(-12)}`,
      attributes,
    };
    if (!sp.parent) attributes.sessionName = s.name;
    switch (sp.kind) {
      case 'agent':
        Object.assign(attributes, {
          operationName: 'invoke_agent',
          aiAgentType: sp.parent ? 'SELF_SERVICE' : 'ORCHESTRATION',
          aiAgentName: sp.name,
          aiAgentVersion: 3,
          inputMessages: qcMessages([{ role: 'user', content: sp.task }], sp.start, `${sp.id}-in`),
          ...(sp.answer ? { outputMessages: qcMessages([{ role: 'assistant', content: sp.answer }], sp.end, `${sp.id}-out`) } : {}),
        });
        break;
      case 'llm':
        Object.assign(attributes, {
          operationName: 'chat',
          providerName: 'aws.bedrock',
          requestModel: sp.model,
          responseModel: sp.model,
          temperature: sp.temperature,
          usageInputTokens: sp.usage!.input,
          usageOutputTokens: sp.usage!.output,
          usageTotalTokens: sp.usage!.input + sp.usage!.output,
          ...(sp.usage!.cacheRead ? { cacheReadInputTokens: sp.usage!.cacheRead } : {}),
          timeToFirstTokenMs: sp.ttftMs,
          responseFinishReasons: [sp.output?.toolCalls?.length ? 'tool_use' : 'end_turn'],
          promptId: 'd7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69',
          promptName: 'SelfServiceOrchestration',
          promptVersion: 5,
          systemInstructions: [{ text: { value: sp.system } }],
          inputMessages: qcMessages(sp.input, sp.start, `${sp.id}-in`),
          outputMessages: qcMessages([sp.output!], sp.end, `${sp.id}-out`),
        });
        break;
      case 'tool':
        Object.assign(attributes, {
          operationName: 'execute_tool',
          inputMessages: qcMessages([{ role: 'assistant', toolCalls: [sp.call!] }], sp.start, `${sp.id}-in`),
          outputMessages: [{ messageId: `${sp.id}-out`, participant: 'BOT', timestamp: sec(sp.end), values: [{ toolResult: { toolUseId: sp.call!.id, values: [{ text: { value: sp.result ?? '' } }], ...(sp.error ? { error: sp.error } : {}) } }] }],
          ...(sp.error ? { errorType: 'upstream' } : {}),
        });
        break;
      case 'retrieval':
        Object.assign(attributes, {
          operationName: 'retrieve',
          inputMessages: qcMessages([{ role: 'assistant', toolCalls: [sp.call!] }], sp.start, `${sp.id}-in`),
          outputMessages: [{
            messageId: `${sp.id}-out`, participant: 'BOT', timestamp: sec(sp.end),
            values: sp.docs!.map((d) => ({ text: { value: d.text, citations: [{ contentId: d.id, title: d.title, knowledgeBaseId: 'kb-0001' }] } })),
          }],
        });
        break;
      case 'guardrail':
        Object.assign(attributes, {
          operationName: 'apply_guardrail',
          guardrailAssessments: [{
            guardrailId: 'gr-safety', guardrailName: sp.guard!.name, source: sp.guard!.source.toUpperCase(),
            action: sp.guard!.triggered ? 'BLOCKED' : 'NONE',
            policies: [{ policyType: 'CONTENT_FILTER', action: sp.guard!.triggered ? 'BLOCKED' : 'NONE' }, { policyType: 'SENSITIVE_INFORMATION_PII', action: 'NONE' }],
          }],
        });
        break;
      case 'handoff':
        Object.assign(attributes, { operationName: 'handoff', aiAgentName: sp.handoff!.to });
        break;
    }
    return w;
  });
}

// ---------------------------------------------------------------- SGP

function chatMessages(msgs: Msg[]): Obj[] {
  return msgs.map((m) => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content ?? '' };
    const o: Obj = { role: m.role, content: m.content ?? null };
    if (m.toolCalls?.length) o.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }));
    return o;
  });
}

export const SGP_ACCOUNT = 'acct-bench';

export function toSgp(s: ASession): Obj[] {
  const group = sessionIds(s).sgpGroup;
  const iso = (ms: number) => new Date(ms).toISOString();
  return s.spans.map((sp) => {
    const r: Obj = {
      id: sp.id,
      object: 'span',
      account_id: SGP_ACCOUNT,
      trace_id: sp.traceId,
      parent_id: sp.parent ?? null,
      group_id: group,
      name: sp.name,
      status: sp.error ? 'ERROR' : 'SUCCESS',
      start_timestamp: iso(sp.start),
      end_timestamp: iso(sp.end),
      metadata: { __agent_name__: sp.agent, __agent_id__: sp.agent.toLowerCase().replace(/ /g, '-') },
    };
    switch (sp.kind) {
      case 'agent':
        Object.assign(r, { type: sp.parent ? 'AGENT_TRACER' : 'AGENT_WORKFLOW', input: { messages: [{ role: 'user', content: sp.task }] }, output: { final_output: sp.answer ?? '' } });
        break;
      case 'llm':
        Object.assign(r, {
          type: 'COMPLETION',
          input: { model: sp.model, messages: chatMessages(sp.input!), temperature: sp.temperature, max_tokens: 2048 },
          output: {
            id: `chatcmpl-${sp.id}`,
            model: sp.model,
            choices: [{ index: 0, message: chatMessages([sp.output!])[0], finish_reason: sp.output!.toolCalls?.length ? 'tool_calls' : 'stop' }],
            usage: { prompt_tokens: sp.usage!.input, completion_tokens: sp.usage!.output, total_tokens: sp.usage!.input + sp.usage!.output },
          },
          input_tokens: sp.usage!.input,
          output_tokens: sp.usage!.output,
        });
        break;
      case 'tool':
        Object.assign(r, { type: 'CUSTOM', input: { tool_name: sp.call!.name, tool_call_id: sp.call!.id, arguments: sp.call!.args }, output: sp.error ? { error: sp.error } : { result: sp.result } });
        break;
      case 'retrieval':
        Object.assign(r, { type: 'KB_RETRIEVAL', input: { query: sp.call!.args.query, top_k: sp.call!.args.top_k }, output: { chunks: sp.docs!.map((d) => ({ chunk_id: d.id, title: d.title, text: d.text, score: d.score })) } });
        break;
      case 'guardrail':
        Object.assign(r, { type: 'GUARDRAIL', input: { source: sp.guard!.source }, output: { guardrail_name: sp.guard!.name, triggered: sp.guard!.triggered, policies: [{ type: 'content_filter', action: sp.guard!.triggered ? 'blocked' : 'none' }] } });
        break;
      case 'handoff':
        Object.assign(r, { type: 'CUSTOM', input: { from_agent: sp.handoff!.from, to_agent: sp.handoff!.to }, output: {}, metadata: { ...(r.metadata as Obj), __span_type__: 'handoff' } });
        break;
    }
    return r;
  });
}

// ---------------------------------------------------------------- Agno (rows for the fixture writer)

type AgnoMsg = { role: string; content?: string; tool_call_id?: string; tool_calls?: { id: string; name: string; arguments: unknown }[] };

function agnoMessages(msgs: Msg[]): AgnoMsg[] {
  return msgs.map((m) => {
    const o: AgnoMsg = { role: m.role };
    if (m.content) o.content = m.content;
    if (m.toolCallId) o.tool_call_id = m.toolCallId;
    if (m.toolCalls?.length) o.tool_calls = m.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.args }));
    return o;
  });
}

export function toAgno(s: ASession): AgnoData {
  const sid = sessionIds(s).agno;
  const spans: AgnoSpanRow[] = [];
  const runIds = new Map<number, string>();
  for (const sp of s.spans) {
    const runId = `run-${sp.traceId.slice(-8)}`;
    runIds.set(sp.run, runId);
    let attributes: Obj;
    let name = sp.name;
    switch (sp.kind) {
      case 'agent':
        name = `${sp.name.replace(/[ -]/g, '_')}.run`;
        attributes = agentAttrs({ name: sp.name, id: sp.name.toLowerCase().replace(/ /g, '-'), input: sp.task ?? '', output: sp.answer, sessionId: sid, userId: s.userId, runId });
        break;
      case 'llm': {
        const info = agentInfo(sp.agent);
        name = info.provider === 'openai' ? 'OpenAIChat.invoke' : 'Claude.invoke';
        attributes = llmAttrs({
          model: sp.model!, provider: info.provider === 'openai' ? 'OpenAI' : 'Anthropic', input: agnoMessages(sp.input!), output: agnoMessages([sp.output!])[0],
          tokens: { prompt: sp.usage!.input, completion: sp.usage!.output, cacheRead: sp.usage!.cacheRead }, params: { temperature: sp.temperature, max_tokens: 2048 }, sessionId: sid,
        });
        break;
      }
      case 'tool':
        attributes = toolAttrs({ name: sp.call!.name, args: sp.call!.args, output: sp.error ?? sp.result ?? '' });
        break;
      case 'retrieval':
        attributes = { 'openinference.span.kind': 'RETRIEVER', 'input.value': String(sp.call!.args.query), 'input.mime_type': 'text/plain' };
        sp.docs!.forEach((d, i) => {
          attributes[`retrieval.documents.${i}.document.id`] = d.id;
          attributes[`retrieval.documents.${i}.document.content`] = d.text;
          attributes[`retrieval.documents.${i}.document.score`] = d.score;
          attributes[`retrieval.documents.${i}.document.metadata`] = JSON.stringify({ title: d.title });
        });
        break;
      case 'guardrail':
        attributes = { 'openinference.span.kind': 'GUARDRAIL', 'input.value': sp.guard!.source, 'output.value': JSON.stringify({ triggered: sp.guard!.triggered }), 'output.mime_type': 'application/json' };
        break;
      default:
        name = `transfer_to_${sp.handoff!.to.toLowerCase().replace(/ /g, '_')}`;
        attributes = toolAttrs({ name, args: {}, output: sp.handoff!.to });
    }
    spans.push({
      span_id: sp.id,
      trace_id: sp.traceId,
      parent_span_id: sp.parent ?? null,
      name,
      span_kind: sp.kind === 'llm' ? 'CLIENT' : 'INTERNAL',
      status_code: sp.error ? 'ERROR' : 'OK',
      status_message: sp.error ?? null,
      start_time: isoPy(sp.start),
      end_time: isoPy(sp.end),
      duration_ms: sp.end - sp.start,
      attributes,
      created_at: isoPy(sp.end + 5),
    });
  }
  const traces: AgnoTraceRow[] = s.runs.map((r) => ({
    trace_id: r.traceId,
    name: 'Support_Orchestrator.run',
    status: 'OK',
    start_time: isoPy(r.start),
    end_time: isoPy(r.end),
    duration_ms: r.end - r.start,
    run_id: runIds.get(r.run) ?? null,
    session_id: sid,
    user_id: s.userId,
    agent_id: 'support-orchestrator',
    team_id: null,
    workflow_id: null,
    created_at: isoPy(r.end + 10),
  }));
  return { traces, spans };
}

// ---------------------------------------------------------------- OpenAI Agents SDK

const oaSpanId = (id: string) => `span_${id}00000000`;
const oaTraceId = (traceId: string) => `trace_${traceId}`;

/** Items in the order the SDK's BatchTraceProcessor sends them: a trace when it starts, a span when it ends. */
export function toOpenAiItems(s: ASession): Obj[] {
  const group = sessionIds(s).openaiGroup;
  const events: { at: number; order: number; item: Obj }[] = [];
  for (const r of s.runs) {
    events.push({ at: r.start, order: -1, item: { object: 'trace', id: oaTraceId(r.traceId), workflow_name: 'Customer support', group_id: group, metadata: { user: s.userId } } });
  }
  for (const sp of s.spans) {
    let data: Obj;
    switch (sp.kind) {
      case 'agent':
        data = { type: 'agent', name: sp.name, handoffs: sp.parent ? [] : ['Returns Agent'], tools: ['search_kb', 'ask_specialist', 'lookup_order'], output_type: 'str' };
        break;
      case 'llm':
        data = {
          type: 'generation',
          input: chatMessages(sp.input!),
          output: chatMessages([sp.output!]),
          model: sp.model,
          model_config: { temperature: sp.temperature, max_tokens: 2048 },
          usage: { input_tokens: sp.usage!.input, output_tokens: sp.usage!.output },
        };
        break;
      case 'tool':
      case 'retrieval':
        data = { type: 'function', name: sp.call!.name, input: JSON.stringify(sp.call!.args), output: sp.error ? null : sp.result, mcp_data: null };
        break;
      case 'guardrail':
        data = { type: 'guardrail', name: sp.guard!.name, triggered: sp.guard!.triggered };
        break;
      default:
        data = { type: 'handoff', from_agent: sp.handoff!.from, to_agent: sp.handoff!.to };
    }
    events.push({
      at: sp.end,
      order: sp.n,
      item: {
        object: 'trace.span',
        id: oaSpanId(sp.id),
        trace_id: oaTraceId(sp.traceId),
        parent_id: sp.parent ? oaSpanId(sp.parent) : null,
        started_at: isoPy(sp.start),
        ended_at: isoPy(sp.end),
        span_data: data,
        error: sp.error ? { message: sp.error, data: { status: 503 } } : null,
      },
    });
  }
  // Spans end children first: a parent ending in the same millisecond as its child comes after it.
  events.sort((a, b) => a.at - b.at || (a.order === -1 ? -1 : b.order === -1 ? 1 : b.order - a.order));
  return events.map((e) => e.item);
}

// ---------------------------------------------------------------- OTLP (GenAI conventions)

function kv(key: string, v: unknown): Obj {
  if (typeof v === 'string') return { key, value: { stringValue: v } };
  if (typeof v === 'boolean') return { key, value: { boolValue: v } };
  if (typeof v === 'number') return Number.isInteger(v) ? { key, value: { intValue: String(v) } } : { key, value: { doubleValue: v } };
  if (Array.isArray(v)) return { key, value: { arrayValue: { values: v.map((x) => kv('', x).value) } } };
  return { key, value: { stringValue: JSON.stringify(v) } };
}

function genAiMessages(msgs: Msg[], finish?: string): Obj[] {
  return msgs.map((m) => {
    const parts: Obj[] = [];
    if (m.role === 'tool') parts.push({ type: 'tool_call_response', id: m.toolCallId, response: m.content });
    else if (m.content) parts.push({ type: 'text', content: m.content });
    for (const c of m.toolCalls ?? []) parts.push({ type: 'tool_call', id: c.id, name: c.name, arguments: c.args });
    return { role: m.role, parts, ...(finish ? { finish_reason: finish } : {}) };
  });
}

const nanos = (ms: number) => `${Math.round(ms)}000000`;

export function otlpSpan(s: ASession, sp: ASpan): Obj {
  const conv = sessionIds(s).otlpConversation;
  const a: Obj = { 'gen_ai.conversation.id': conv };
  let name = sp.name;
  let kind = 1;
  switch (sp.kind) {
    case 'agent':
      name = `invoke_agent ${sp.name}`;
      Object.assign(a, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': sp.name, 'gen_ai.input.messages': JSON.stringify(genAiMessages([{ role: 'user', content: sp.task }])) });
      if (sp.answer) a['gen_ai.output.messages'] = JSON.stringify(genAiMessages([{ role: 'assistant', content: sp.answer }], 'stop'));
      break;
    case 'llm': {
      name = `chat ${sp.model}`;
      kind = 3;
      const finish = sp.output!.toolCalls?.length ? 'tool_call' : 'stop';
      Object.assign(a, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': sp.provider,
        'gen_ai.request.model': sp.model,
        'gen_ai.response.model': sp.model,
        'gen_ai.request.temperature': sp.temperature,
        'gen_ai.usage.input_tokens': sp.usage!.input,
        'gen_ai.usage.output_tokens': sp.usage!.output,
        ...(sp.usage!.cacheRead ? { 'gen_ai.usage.cache_read_input_tokens': sp.usage!.cacheRead } : {}),
        'gen_ai.response.finish_reasons': [finish],
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: sp.system }]),
        'gen_ai.input.messages': JSON.stringify(genAiMessages(sp.input!.filter((m) => m.role !== 'system'))),
        'gen_ai.output.messages': JSON.stringify(genAiMessages([sp.output!], finish)),
      });
      break;
    }
    case 'tool':
    case 'retrieval':
      name = `execute_tool ${sp.call!.name}`;
      Object.assign(a, {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': sp.call!.name,
        'gen_ai.tool.call.id': sp.call!.id,
        'gen_ai.tool.call.arguments': JSON.stringify(sp.call!.args),
        ...(sp.result !== undefined ? { 'gen_ai.tool.call.result': sp.result } : {}),
        ...(sp.error ? { 'error.type': 'UpstreamError' } : {}),
      });
      break;
    case 'guardrail':
      name = `guardrail ${sp.guard!.name}`;
      Object.assign(a, { 'guardrail.name': sp.guard!.name, 'guardrail.source': sp.guard!.source, 'guardrail.triggered': sp.guard!.triggered });
      break;
    default:
      name = `handoff ${sp.handoff!.to}`;
      Object.assign(a, { 'handoff.from_agent': sp.handoff!.from, 'handoff.to_agent': sp.handoff!.to });
  }
  return {
    traceId: sp.traceId,
    spanId: sp.id,
    ...(sp.parent ? { parentSpanId: sp.parent } : {}),
    name,
    kind,
    startTimeUnixNano: nanos(sp.start),
    endTimeUnixNano: nanos(sp.end),
    attributes: Object.entries(a).map(([k, v]) => kv(k, v)),
    status: sp.error ? { code: 2, message: sp.error } : { code: 1 },
  };
}

/** OTLP/HTTP JSON requests as a BatchSpanProcessor sends them (spans by end time, 512 per export). */
export function toOtlpRequests(s: ASession, batch = 512): Obj[] {
  const byEnd = [...s.spans].sort((a, b) => a.end - b.end || b.n - a.n);
  const out: Obj[] = [];
  for (let i = 0; i < byEnd.length; i += batch) {
    out.push({
      resourceSpans: [{
        resource: { attributes: [kv('service.name', 'support-bot'), kv('telemetry.sdk.language', 'python'), kv('telemetry.sdk.version', '1.38.0')] },
        scopeSpans: [{ scope: { name: 'opentelemetry.instrumentation.openai_agents', version: '0.1.0' }, spans: byEnd.slice(i, i + batch).map((sp) => otlpSpan(s, sp)) }],
      }],
    });
  }
  return out;
}
