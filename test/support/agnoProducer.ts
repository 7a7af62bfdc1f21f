// Runs the real Agno producer (test/python/agno_producer.py) against the LLM
// stand-in, writing traces with Agno's own setup_tracing(db=…) into SQLite or
// PostgreSQL, and reads the rows back. Shared by the producer tests and the
// recording script (scripts/record-agno-sgp-qconnect.ts).
import { Client } from 'pg';
import { SqliteSource } from '../../src/backends/agno/sqlite';
import type { AgnoData, AgnoSpanRow, AgnoTraceRow } from '../fixtures/agno/data';
import type { LlmStandIn } from './llm';
import { runPython } from './python';

export interface AgnoProduced {
  sessions: { tools: string; reasoning: string; recover: string; team: string; live: string };
  runs: Record<string, string>;
  recoverAttempts: number;
}

/**
 * One process, five sessions (see agno_producer.py). The support agent's and the
 * live team's model turns are scripted: a tool call that fails and is retried,
 * and a leader that delegates and then dies inside its own tool.
 */
export async function produceAgno(llm: LlmStandIn, database: string): Promise<AgnoProduced> {
  const call = (model: string, name: string, args: unknown) => ({ model, toolCalls: [{ name, arguments: args }] });
  llm.enqueue(
    call('gpt-4o-support', 'lookup_order', { order_id: '4471' }),
    call('gpt-4o-support', 'lookup_order', { order_id: '4471' }),
    { model: 'gpt-4o-support', text: 'Order 4471 has shipped.' },
    call('gpt-4o-live', 'delegate_task_to_member', { member_id: 'fact-checker', task: 'Check that Dune was written by Frank Herbert' }),
    call('gpt-4o-live', 'write_report', { topic: 'Dune' }),
  );
  const run = await runPython(['agno_producer.py', '--db', database, '--llm', llm.baseUrl, '--hang'], {
    timeoutMs: 240_000,
    env: { AGNO_TELEMETRY: 'false', AGNO_DEBUG: 'false' },
  });
  const line = run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (run.code !== 0 || !line) throw new Error(`agno_producer.py failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  return JSON.parse(line) as AgnoProduced;
}

/** The tracing rows of an Agno SQLite file, as Agno wrote them (attributes parsed; its -wal file applied). */
export async function readAgnoSqliteRows(file: string): Promise<AgnoData> {
  const source = new SqliteSource(file);
  try {
    const traces = (await source.query('SELECT * FROM agno_traces ORDER BY start_time, trace_id', [])) as unknown as AgnoTraceRow[];
    const spans = (await source.query('SELECT * FROM agno_spans ORDER BY start_time, span_id', [])).map((r) => ({
      ...r,
      attributes: typeof r.attributes === 'string' ? (JSON.parse(r.attributes) as Record<string, unknown>) : r.attributes,
    })) as unknown as AgnoSpanRow[];
    return { traces, spans };
  } finally {
    source.dispose();
  }
}

/** The same from PostgreSQL (schema `ai`, Agno's default). */
export async function readAgnoPostgresRows(url: string): Promise<AgnoData> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const traces = (await client.query('SELECT * FROM ai.agno_traces ORDER BY start_time, trace_id')).rows as AgnoTraceRow[];
    const spans = (await client.query('SELECT * FROM ai.agno_spans ORDER BY start_time, span_id')).rows as AgnoSpanRow[];
    return { traces, spans };
  } finally {
    await client.end();
  }
}
