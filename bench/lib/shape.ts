// A synthetic agent session, independent of any wire format: the benchmark
// encodes the same logical session into every backend's format, so the rows
// of the results table compare like with like.
//
// Shape (per user turn = one run = one trace): an orchestrator agent span;
// input and output guardrails; an LLM ⇄ tools loop whose LLM calls carry the
// system prompt and the recent conversation (multi-KB transcripts); tool
// calls fan out (1–3 in parallel), some are knowledge-base searches returning
// documents, some delegate to a specialist agent that runs its own loop one
// level deeper (agent-as-tool), and some turns hand off to another agent.
// Depth reaches 8–10, fan-out under the root 5–40. Deterministic per seed.

export type Kind = 'agent' | 'llm' | 'tool' | 'retrieval' | 'guardrail' | 'handoff';

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface Msg {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string;
  toolCalls?: ToolCall[];
  toolCallId?: string;
}

export interface Doc {
  id: string;
  title: string;
  text: string;
  score: number;
}

export interface ASpan {
  /** Position in the session, parents before children. */
  n: number;
  /** 16 hex digits. */
  id: string;
  parent?: string;
  run: number;
  /** 32 hex digits. */
  traceId: string;
  kind: Kind;
  name: string;
  /** epoch ms */
  start: number;
  end: number;
  error?: string;
  /** The agent this span belongs to (agent spans: itself). */
  agent: string;
  // llm
  model?: string;
  provider?: string;
  system?: string;
  input?: Msg[];
  output?: Msg;
  usage?: { input: number; output: number; cacheRead?: number };
  temperature?: number;
  ttftMs?: number;
  // tool / retrieval
  call?: ToolCall;
  result?: string;
  docs?: Doc[];
  // guardrail
  guard?: { name: string; source: 'input' | 'output'; triggered: boolean };
  // handoff
  handoff?: { from: string; to: string };
  // agent
  task?: string;
  answer?: string;
}

export interface ARun {
  run: number;
  traceId: string;
  rootId: string;
  start: number;
  end: number;
  input: string;
  output: string;
}

export interface ASession {
  id: string;
  name: string;
  userId: string;
  spans: ASpan[];
  runs: ARun[];
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'order refund parcel invoice account password delivery voucher charge card address plan customer support agent ' +
  'shipment warehouse return policy exchange subscription billing payment method tracking number carrier delay ' +
  'damaged item replacement credit balance statement tax receipt discount promotion loyalty points tier upgrade ' +
  'downgrade cancel renewal contract clause warranty repair technician appointment schedule window confirm verify ' +
  'identity email phone message notification settings profile preference language region currency store branch ' +
  'inventory stock available backorder estimate arrival dispatch label customs duty international domestic express ' +
  'standard economy priority weekend holiday business day hour minute request ticket case escalation supervisor ' +
  'resolution summary feedback survey rating complaint apology compensation goodwill gesture exception approval'
).split(' ');

const UNICODE = ['café', '€12.50', 'naïve', 'Zürich', '—', '“quoted”', 'São Paulo', '✓'];

/** A pool of paragraphs (120–700 chars) picked from by index: cheap to generate, realistic to parse. */
function paragraphPool(rand: () => number, size: number): string[] {
  const pool: string[] = [];
  for (let p = 0; p < size; p++) {
    const target = 120 + Math.floor(rand() * 580);
    let text = '';
    while (text.length < target) {
      const len = 6 + Math.floor(rand() * 14);
      const words: string[] = [];
      for (let w = 0; w < len; w++) words.push(WORDS[Math.floor(rand() * WORDS.length)]);
      if (rand() < 0.08) words.push(UNICODE[Math.floor(rand() * UNICODE.length)]);
      if (rand() < 0.1) words.push(String(Math.floor(rand() * 100000)));
      const s = words.join(' ');
      text += (text ? ' ' : '') + s[0].toUpperCase() + s.slice(1) + (rand() < 0.15 ? '?' : '.');
    }
    pool.push(text);
  }
  return pool;
}

const AGENTS = {
  orchestrator: { name: 'Support Orchestrator', model: 'claude-sonnet-4-20250514', provider: 'anthropic' },
  billing: { name: 'Billing Specialist', model: 'gpt-4o', provider: 'openai' },
  logistics: { name: 'Logistics Specialist', model: 'gpt-4o-mini', provider: 'openai' },
  returns: { name: 'Returns Agent', model: 'claude-3-5-haiku-20241022', provider: 'anthropic' },
} as const;
type AgentKey = keyof typeof AGENTS;

const TOOLS = ['lookup_order', 'get_invoice', 'track_parcel', 'update_address', 'issue_refund', 'check_stock'];

export function agentInfo(name: string): { model: string; provider: string } {
  for (const a of Object.values(AGENTS)) if (a.name === name) return a;
  return AGENTS.orchestrator;
}

/** A session of exactly `count` spans. */
export function generateSession(count: number, seed = 1): ASession {
  const rand = prng(seed * 7919 + count);
  const pool = paragraphPool(rand, 512);
  const para = () => pool[Math.floor(rand() * pool.length)];
  const paras = (min: number, max: number) => {
    const k = min + Math.floor(rand() * (max - min + 1));
    const out: string[] = [];
    for (let i = 0; i < k; i++) out.push(para());
    return out.join('\n\n');
  };
  const systems: Record<string, string> = {};
  for (const a of Object.values(AGENTS)) {
    systems[a.name] = `You are the ${a.name} of an online retailer. Follow the policies below exactly.\n\n${paras(1, 1)}`;
  }
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const seedHex = hex((seed * 2654435761) >>> 0, 8);

  const session: ASession = { id: `sess-${seedHex}-${count}`, name: `Benchmark session (${count} spans)`, userId: 'bench@example.com', spans: [], runs: [] };
  const spans = session.spans;
  let callSeq = 0;
  let t = Date.UTC(2025, 5, 1, 8, 0, 0);
  const full = () => spans.length >= count;

  const add = (s: Omit<ASpan, 'n' | 'id' | 'end'> & { end?: number }): ASpan => {
    const span = { ...s, n: spans.length, id: seedHex + hex(spans.length + 1, 8), end: s.end ?? s.start } as ASpan;
    spans.push(span);
    return span;
  };

  /** The LLM ⇄ tools loop of one agent; returns its final answer and the time it ends. */
  const loop = (ctx: { parent: ASpan; agent: AgentKey; run: number; traceId: string; depth: number }, history: Msg[], start: number): { answer: string; end: number } => {
    const a = AGENTS[ctx.agent];
    let now = start;
    let answer = '';
    const iterations = ctx.depth === 0 ? int(2, 6) : int(1, 3);
    for (let it = 0; it < iterations && !full(); it++) {
      const last = it === iterations - 1;
      const input: Msg[] = [{ role: 'system', content: systems[a.name] }, ...history.slice(-3)];
      const calls: ToolCall[] = [];
      if (!last) {
        const k = rand() < 0.6 ? 1 : int(2, 3);
        for (let c = 0; c < k; c++) {
          const r = rand();
          const name = r < 0.3 ? 'search_kb' : r < 0.42 && ctx.depth < 6 ? 'ask_specialist' : TOOLS[int(0, TOOLS.length - 1)];
          const args: Record<string, unknown> =
            name === 'search_kb' ? { query: para().slice(0, 80), top_k: 4 }
              : name === 'ask_specialist' ? { specialist: rand() < 0.5 ? 'billing' : 'logistics', task: para().slice(0, 200) }
                : { order_id: `ORD-${int(100000, 999999)}`, include_history: rand() < 0.5, fields: ['status', 'items', 'total'] };
          calls.push({ id: `call_${hex(++callSeq, 10)}`, name, args });
        }
      }
      const llmMs = int(400, 3500);
      const output: Msg = last ? { role: 'assistant', content: paras(1, 2) } : { role: 'assistant', content: rand() < 0.4 ? para() : undefined, toolCalls: calls };
      const promptTokens = Math.round(input.reduce((n, m) => n + (m.content?.length ?? 60), 0) / 4);
      const llm = add({
        parent: ctx.parent.id, run: ctx.run, traceId: ctx.traceId, kind: 'llm', name: `${a.name.replace(/ /g, '')}.chat`, agent: a.name,
        start: now, end: now + llmMs, model: a.model, provider: a.provider, system: systems[a.name], input, output,
        usage: { input: promptTokens, output: Math.round((output.content?.length ?? 120) / 4), cacheRead: it > 0 ? Math.round(promptTokens * 0.6) : undefined },
        temperature: 0.2, ttftMs: int(150, 900),
      });
      now = llm.end + int(5, 40);
      history.push(output);
      if (last) {
        answer = output.content ?? '';
        break;
      }
      // Parallel tool calls: they start together; the loop waits for the slowest.
      let slowest = now;
      for (const call of calls) {
        if (full()) break;
        const toolStart = now + int(0, 15);
        let result: string;
        let end: number;
        if (call.name === 'search_kb') {
          const docs: Doc[] = [];
          for (let d = int(2, 4); d > 0; d--) docs.push({ id: `kb-${int(1000, 9999)}`, title: para().slice(0, 60), text: para().slice(0, 240), score: Math.round(rand() * 1000) / 1000 });
          const s = add({ parent: ctx.parent.id, run: ctx.run, traceId: ctx.traceId, kind: 'retrieval', name: 'search_kb', agent: a.name, start: toolStart, end: toolStart + int(80, 600), call, docs });
          result = JSON.stringify(docs.map((d) => ({ id: d.id, title: d.title, text: d.text })));
          s.result = result;
          end = s.end;
        } else if (call.name === 'ask_specialist' && !full()) {
          const tool = add({ parent: ctx.parent.id, run: ctx.run, traceId: ctx.traceId, kind: 'tool', name: 'ask_specialist', agent: a.name, start: toolStart, call });
          const sub: AgentKey = call.args.specialist === 'billing' ? 'billing' : 'logistics';
          const task = String(call.args.task);
          const agentSpan = add({ parent: tool.id, run: ctx.run, traceId: ctx.traceId, kind: 'agent', name: AGENTS[sub].name, agent: AGENTS[sub].name, start: toolStart + 2, task });
          const r = loop({ parent: agentSpan, agent: sub, run: ctx.run, traceId: ctx.traceId, depth: ctx.depth + 2 }, [{ role: 'user', content: task }], toolStart + 5);
          agentSpan.end = r.end + 2;
          agentSpan.answer = r.answer;
          tool.end = agentSpan.end + 2;
          result = r.answer;
          tool.result = result;
          end = tool.end;
        } else {
          const failed = rand() < 0.03;
          result = JSON.stringify({ order_id: call.args.order_id, status: failed ? 'error' : 'shipped', items: [{ sku: `SKU-${int(1000, 9999)}`, qty: int(1, 4), price: int(5, 500) }], note: para().slice(0, 240) });
          const s = add({
            parent: ctx.parent.id, run: ctx.run, traceId: ctx.traceId, kind: 'tool', name: call.name, agent: a.name,
            start: toolStart, end: toolStart + int(20, 400), call, result, error: failed ? 'Upstream service returned HTTP 503' : undefined,
          });
          end = s.end;
        }
        slowest = Math.max(slowest, end);
        history.push({ role: 'tool', toolCallId: call.id, content: result });
      }
      now = slowest + int(5, 40);
    }
    return { answer, end: now };
  };

  for (let run = 0; !full(); run++) {
    const traceId = seedHex + hex(run + 1, 24);
    const userText = para();
    const root = add({ run, traceId, kind: 'agent', name: AGENTS.orchestrator.name, agent: AGENTS.orchestrator.name, start: t, task: userText });
    let now = t + 3;
    const guard = (source: 'input' | 'output') => {
      if (full()) return;
      const g = add({ parent: root.id, run, traceId, kind: 'guardrail', name: `${source}_guardrail`, agent: root.agent, start: now, end: now + int(20, 120), guard: { name: 'Safety', source, triggered: rand() < 0.02 } });
      now = g.end + 2;
    };
    guard('input');
    const r = loop({ parent: root, agent: 'orchestrator', run, traceId, depth: 0 }, [{ role: 'user', content: userText }], now);
    now = r.end;
    let answer = r.answer;
    if (!full() && rand() < 0.15) {
      const h = add({ parent: root.id, run, traceId, kind: 'handoff', name: 'handoff', agent: root.agent, start: now, end: now + 1, handoff: { from: root.agent, to: AGENTS.returns.name } });
      const agentSpan = add({ parent: root.id, run, traceId, kind: 'agent', name: AGENTS.returns.name, agent: AGENTS.returns.name, start: h.end + 1, task: userText });
      const hr = loop({ parent: agentSpan, agent: 'returns', run, traceId, depth: 1 }, [{ role: 'user', content: userText }], agentSpan.start + 2);
      agentSpan.end = hr.end;
      agentSpan.answer = hr.answer;
      answer = hr.answer || answer;
      now = hr.end + 2;
    }
    guard('output');
    root.end = now + 2;
    root.answer = answer;
    session.runs.push({ run, traceId, rootId: root.id, start: root.start, end: root.end, input: userText, output: answer });
    t = root.end + int(5_000, 60_000);
  }
  // A specialist or handoff adds two spans at once: drop the overshoot (parents come first, so no orphans).
  spans.length = count;
  return session;
}

/** Deepest span, largest fan-out and LLM span count (written to meta.json). */
export function shapeStats(s: ASession): { maxDepth: number; maxFanOut: number; llm: number } {
  const depth = new Map<string, number>();
  const kids = new Map<string, number>();
  let maxDepth = 0;
  let llm = 0;
  for (const sp of s.spans) {
    const d = sp.parent ? (depth.get(sp.parent) ?? 0) + 1 : 0;
    depth.set(sp.id, d);
    maxDepth = Math.max(maxDepth, d);
    if (sp.parent) kids.set(sp.parent, (kids.get(sp.parent) ?? 0) + 1);
    if (sp.kind === 'llm') llm++;
  }
  let maxFanOut = 0;
  // A loop, not Math.max(...): a million spread arguments overflow the stack.
  for (const n of kids.values()) if (n > maxFanOut) maxFanOut = n;
  return { maxDepth, maxFanOut, llm };
}
