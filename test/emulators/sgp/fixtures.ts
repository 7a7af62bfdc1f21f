// The hand-written SGP fixture spans (test/fixtures/sgp/spans.json) and their ids.
// Timestamps in the file are fixed (2025-06-01/02); `shiftToNow` moves them so
// a default 30-day session window shows them in the demo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SgpSpanRecord } from '../../../src/backends/sgp/client';

export const FIXTURE_ACCOUNT_ID = 'acct-demo';

/** Ids in the fixture file, for tests and the demo. */
export const SGP_FIXTURE_IDS = {
  /** Group with three traces (turn-1 is older than the research trace, so it lands on a later list page). */
  supportGroup: 'grp-support-7f3a',
  supportTraces: ['trc-support-turn-1', 'trc-support-turn-2', 'trc-support-turn-3'],
  /** Group with a single trace. */
  onboardingGroup: 'grp-onboarding-19',
  onboardingTrace: 'trc-onboarding-1',
  /** Traces without a group. */
  researchTrace: 'trc-agentex-research',
  reportTrace: 'trc-nightly-report',
  spans: {
    completionWithToolCall: 'spn-t1-llm-1',
    toolWeather: 'spn-t1-tool-weather',
    completionWithToolResult: 'spn-t1-llm-2',
    guardrailPassed: 'spn-t1-guard',
    retrieval: 'spn-t2-kb',
    reranking: 'spn-t2-rerank',
    errorTool: 'spn-t2-crm',
    flatAssistantOutput: 'spn-t2-llm-final',
    guardrailBlocked: 'spn-t3-guard',
    spanTypeAgent: 'spn-t5-root',
    spanTypeTool: 'spn-t5-search',
    spanTypeCompletion: 'spn-t5-llm',
    spanTypeHandoff: 'spn-t5-handoff',
    freeFormAgent: 'spn-t5-writer',
    imageContent: 'spn-t6-llm',
    codeExecution: 'spn-t4-code',
    stringPromptCompletion: 'spn-t4-llm',
    unknownType: 'spn-t4-new',
    cancelled: 'spn-t4-cancel',
    noStatus: 'spn-t4-nostatus',
  },
  /** Session ids as the backend lists them, newest first. */
  sessions: ['group:grp-support-7f3a', 'trace:trc-agentex-research', 'group:grp-onboarding-19', 'trace:trc-nightly-report'],
} as const;

export function fixturePath(): string {
  // Also found from bundles (out/integration/), whose __dirname is elsewhere.
  const candidates = [path.resolve(__dirname, '../../fixtures/sgp/spans.json'), path.resolve(__dirname, '../../test/fixtures/sgp/spans.json')];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

/** A fresh copy of the fixture spans (callers may mutate it). */
export function loadFixtureSpans(): SgpSpanRecord[] {
  return JSON.parse(fs.readFileSync(fixturePath(), 'utf8')) as SgpSpanRecord[];
}

/** Moves all timestamps by one offset so the newest span starts `agoMs` before `now`. */
export function shiftToNow(spans: SgpSpanRecord[], now = Date.now(), agoMs = 10 * 60_000): SgpSpanRecord[] {
  let newest = -Infinity;
  for (const s of spans) {
    const t = Date.parse(s.start_timestamp ?? '');
    if (t > newest) newest = t;
  }
  if (!Number.isFinite(newest)) return spans;
  const delta = now - agoMs - newest;
  const move = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v) + delta).toISOString() : v);
  return spans.map((s) => ({ ...s, start_timestamp: move(s.start_timestamp) as string, end_timestamp: move(s.end_timestamp) as string | null | undefined }));
}
