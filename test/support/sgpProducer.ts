// Runs test/python/sgp_producer.py (the real scale-gp-beta client) against an
// SGP emulator. Shared by the producer test and the recording script.
import type { SgpSpanRecord } from '../../src/backends/sgp/client';
import type { SgpEmulator } from '../emulators/sgp/server';
import { runPython } from './python';

export interface SgpProduced {
  written: string[];
  /** Search pages or spans that did not match the SDK's types. */
  problems: string[];
  /** Span ids found by `agentex_agent_names: ['weather-agent']`. */
  byAgent: string[];
  /** [trace_id, id, status] found by `spans: [{trace_id: 'trc-sdk-2', span_id: 'spn-shared'}]`. */
  byPair: [string, string, string][];
  /** The names of the SDK's search parameters (SpanSearchParams: query and body). */
  searchParams: string[];
  /** Every span, read back with the SDK's auto-pagination. */
  spans: SgpSpanRecord[];
}

export async function produceSgp(emu: SgpEmulator): Promise<SgpProduced> {
  const run = await runPython(['sgp_producer.py', '--url', emu.url, '--api-key', emu.apiKey, '--account', emu.accountId], { timeoutMs: 120_000 });
  if (run.code !== 0) throw new Error(`sgp_producer.py failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  return JSON.parse(run.stdout) as SgpProduced;
}
