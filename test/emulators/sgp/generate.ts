// Generates large SGP traces for load tests and benchmarks: a root agent span,
// then "turns" of ten spans (completion with tool call, tool, retrieval, …).
// Deterministic: the same options always give the same records.
import type { SgpSpanRecord } from '../../../src/backends/sgp/client';

export interface GenerateOptions {
  traceId: string;
  /** Total spans including the root. */
  spans: number;
  groupId?: string;
  accountId?: string;
  /** Start of the root span, epoch ms (default 2025-06-03T00:00:00Z). */
  start?: number;
  /** Gap between consecutive span starts in ms (default 5). */
  stepMs?: number;
}

const TURN = 10;

export function generateTrace(o: GenerateOptions): SgpSpanRecord[] {
  const start = o.start ?? Date.parse('2025-06-03T00:00:00Z');
  const step = o.stepMs ?? 5;
  const account = o.accountId ?? 'acct-demo';
  const iso = (ms: number) => new Date(ms).toISOString();
  const rootId = `${o.traceId}-root`;
  const out: SgpSpanRecord[] = [];
  const base = (id: string, i: number, parent: string | null, name: string, type: string, extra: Partial<SgpSpanRecord>): SgpSpanRecord => ({
    id,
    object: 'span',
    account_id: account,
    trace_id: o.traceId,
    parent_id: parent,
    group_id: o.groupId ?? null,
    name,
    type,
    status: 'SUCCESS',
    start_timestamp: iso(start + i * step),
    end_timestamp: iso(start + i * step + step * 3),
    input: {},
    output: {},
    metadata: { __agent_name__: 'Load Agent', __agent_id__: 'agent-load' },
    ...extra,
  });
  out.push({ ...base(rootId, 0, null, 'load-agent.run', 'AGENT_WORKFLOW', { input: { messages: [{ role: 'user', content: 'Run the load test.' }] } }), end_timestamp: iso(start + o.spans * step + 10) });
  let turnId = rootId;
  for (let i = 1; i < o.spans; i++) {
    const id = `${o.traceId}-s${String(i).padStart(6, '0')}`;
    const slot = (i - 1) % TURN;
    const n = Math.floor((i - 1) / TURN);
    if (slot === 0) {
      turnId = id;
      out.push(base(id, i, rootId, `turn ${n}`, 'AGENT_TRACER', { input: { turn: n } }));
      continue;
    }
    const callId = `call_${n}`;
    switch (slot) {
      case 1:
        out.push(base(id, i, turnId, 'chat gpt-4o', 'COMPLETION', {
          input: { model: 'gpt-4o', messages: [{ role: 'user', content: `Question ${n}` }] },
          output: { choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: 'lookup', arguments: `{"n":${n}}` } }] }, finish_reason: 'tool_calls' }] },
          input_tokens: 40 + (n % 50),
          output_tokens: 12,
        }));
        break;
      case 2:
        out.push(base(id, i, turnId, 'lookup', 'CUSTOM', { input: { tool_name: 'lookup', tool_call_id: callId, arguments: { n } }, output: { result: { value: n * 2 } } }));
        break;
      case 3:
        out.push(base(id, i, turnId, 'kb.search', 'KB_RETRIEVAL', { input: { query: `q${n}` }, output: { chunks: [{ chunk_id: `c${n}`, score: 0.5 }] } }));
        break;
      case 4:
        out.push(base(id, i, turnId, 'guard', 'GUARDRAIL', { output: { triggered: n % 97 === 0 } }));
        break;
      default:
        out.push(base(id, i, turnId, `step ${slot}`, slot === 9 && n % 53 === 0 ? 'EXTERNAL_ENDPOINT' : 'DATA_MANIPULATION', {
          input: { slot, n },
          output: { ok: true },
          status: slot === 9 && n % 53 === 0 ? 'ERROR' : 'SUCCESS',
        }));
    }
  }
  return out;
}
