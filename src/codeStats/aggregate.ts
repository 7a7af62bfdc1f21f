// Trace stats per definition: every span of the sessions loaded in this
// window is counted under the prompt/agent/tool it *is* (calls, latency,
// tokens, cost, errors, guardrail blocks), and under its exact source line
// when it carries `code.filepath`/`code.lineno`. Incremental: spans are added
// as they stream in. Pure: no `vscode`; `H` is whatever opens a span again.
import { spanDuration, totalTokens } from '../model/format';
import type { Span } from '../model/types';
import { costOf, formatCost } from '../compare/projection';

import { ownRefs, type SourceRef } from './definitions';
import { checkSchema, declaredToolSchemas } from './schema';

/** Spans kept per definition for the quick pick and the findings. */
export const MAX_HITS = 500;

export interface Hit<H> {
  handle: H;
  span: Span;
}

export interface RefStats<H> {
  key: string;
  ref: SourceRef;
  calls: number;
  errors: number;
  durations: number[];
  tokens: number;
  cost?: number;
  blocked: number;
  masked: number;
  /** The most recent MAX_HITS spans. */
  hits: Hit<H>[];
  /** Spans with blocked/masked guardrails attributed here (own, or run inside this agent). */
  guardrailHits: Hit<H>[];
  /** An agent's model calls that recorded system instructions (the latest few), for drift. */
  systemHits?: Hit<H>[];
}

const MAX_SYSTEM_HITS = 20;

export function refKey(ref: SourceRef): string {
  return `${ref.kind}:${ref.id ?? ref.name ?? ref.arn ?? ''}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** `code.filepath`/`code.file.path` and `code.lineno`/`code.line.number` (OTel code attributes, old and new names). */
export function codeLocation(span: Span): { file: string; line: number; fn?: string } | undefined {
  const a = span.attributes ?? {};
  const file = str(a['code.filepath']) ?? str(a['code.file.path']);
  const lineRaw = a['code.lineno'] ?? a['code.line.number'];
  const line = typeof lineRaw === 'number' ? lineRaw : typeof lineRaw === 'string' ? Number(lineRaw) : NaN;
  if (!file || !Number.isInteger(line) || line < 1) return undefined;
  return { file: file.replace(/\\/g, '/'), line, fn: str(a['code.function.name']) ?? str(a['code.function']) };
}

function isGuardrailHit(span: Span): 'blocked' | 'masked' | undefined {
  let masked = false;
  for (const g of span.guardrails ?? []) {
    if (g.action === 'blocked') return 'blocked';
    if (g.action === 'masked') masked = true;
  }
  return masked ? 'masked' : undefined;
}

export class StatsIndex<H> {
  readonly byRef = new Map<string, RefStats<H>>();
  /** Normalized file path → 1-based line → stats of the spans recorded there. */
  readonly byCode = new Map<string, Map<number, RefStats<H>>>();
  /** Tool name → declared parameters schema. */
  readonly toolSchemas = new Map<string, unknown>();
  spans = 0;

  private stats(key: string, ref: SourceRef): RefStats<H> {
    let s = this.byRef.get(key);
    if (!s) this.byRef.set(key, (s = { key, ref, calls: 0, errors: 0, durations: [], tokens: 0, blocked: 0, masked: 0, hits: [], guardrailHits: [] }));
    return s;
  }

  private count(s: RefStats<H>, hit: Hit<H>): void {
    const span = hit.span;
    s.calls++;
    if (span.status === 'error' || span.status === 'timeout') s.errors++;
    const d = spanDuration(span);
    if (d !== undefined && Number.isFinite(d)) s.durations.push(d);
    s.tokens += totalTokens(span.usage) ?? 0;
    const c = costOf(span);
    if (c !== undefined) s.cost = (s.cost ?? 0) + c;
    s.hits.push(hit);
    if (s.hits.length > MAX_HITS * 2) s.hits.splice(0, s.hits.length - MAX_HITS);
  }

  private guardrail(s: RefStats<H>, hit: Hit<H>, action: 'blocked' | 'masked'): void {
    if (action === 'blocked') s.blocked++;
    else s.masked++;
    if (s.guardrailHits.length < MAX_HITS) s.guardrailHits.push(hit);
  }

  /** Counts one span. `agent` is the agent it runs in (for guardrail outcomes inside an agent run). */
  add(span: Span, handle: H, agent?: SourceRef): void {
    this.spans++;
    const hit = { handle, span };
    if (span.attributes) declaredToolSchemas(span.attributes, this.toolSchemas);
    const refs = ownRefs(span);
    for (const ref of refs) this.count(this.stats(refKey(ref), ref), hit);
    if (span.kind === 'llm' && agent && span.system?.some((p) => p.type === 'text')) {
      // What the agent's instructions were at run time, to compare with its definition.
      const s = this.stats(refKey(agent), agent);
      (s.systemHits ??= []).push(hit);
      if (s.systemHits.length > MAX_SYSTEM_HITS) s.systemHits.shift();
    }
    const g = isGuardrailHit(span);
    if (g) {
      const targets = refs.length ? refs : agent ? [agent] : [];
      for (const ref of targets) this.guardrail(this.stats(refKey(ref), ref), hit, g);
    }
    const loc = codeLocation(span);
    if (loc) {
      let lines = this.byCode.get(loc.file);
      if (!lines) this.byCode.set(loc.file, (lines = new Map()));
      let s = lines.get(loc.line);
      if (!s) lines.set(loc.line, (s = { key: `code:${loc.file}:${loc.line}`, ref: { kind: span.kind === 'tool' ? 'tool' : 'agent', name: loc.fn ?? span.name }, calls: 0, errors: 0, durations: [], tokens: 0, blocked: 0, masked: 0, hits: [], guardrailHits: [] }));
      this.count(s, hit);
      if (g) this.guardrail(s, hit, g);
    }
  }

  /** Code-location stats for a file: its recorded path may be absolute or relative, so match by suffix. */
  codeStatsFor(fsPath: string): Map<number, RefStats<H>> | undefined {
    const p = fsPath.replace(/\\/g, '/');
    let best: Map<number, RefStats<H>> | undefined;
    for (const [file, lines] of this.byCode) {
      if (p === file || p.endsWith(file.startsWith('/') ? file : `/${file}`)) best = best ? new Map([...best, ...lines]) : lines;
    }
    return best;
  }
}

function emptyLike<H>(s: RefStats<H>): RefStats<H> {
  return { key: s.key, ref: s.ref, calls: 0, errors: 0, durations: [], tokens: 0, blocked: 0, masked: 0, hits: [], guardrailHits: [] };
}

function mergeInto<H>(into: RefStats<H>, s: RefStats<H>): void {
  into.calls += s.calls;
  into.errors += s.errors;
  for (const d of s.durations) into.durations.push(d);
  into.tokens += s.tokens;
  if (s.cost !== undefined) into.cost = (into.cost ?? 0) + s.cost;
  into.blocked += s.blocked;
  into.masked += s.masked;
  for (const h of s.hits) into.hits.push(h);
  if (into.hits.length > MAX_HITS) into.hits.splice(0, into.hits.length - MAX_HITS);
  for (const h of s.guardrailHits) if (into.guardrailHits.length < MAX_HITS) into.guardrailHits.push(h);
  if (s.systemHits) {
    into.systemHits = [...(into.systemHits ?? []), ...s.systemHits].slice(-MAX_SYSTEM_HITS);
  }
}

/**
 * One index over several (one per session), so a reloaded session re-counts
 * only its own spans. Costs O(definitions + kept hits), not O(spans).
 */
export function mergeIndexes<H>(parts: Iterable<StatsIndex<H>>): StatsIndex<H> {
  const out = new StatsIndex<H>();
  for (const part of parts) {
    out.spans += part.spans;
    for (const [k, v] of part.toolSchemas) out.toolSchemas.set(k, v);
    for (const [key, s] of part.byRef) {
      let into = out.byRef.get(key);
      if (!into) out.byRef.set(key, (into = emptyLike(s)));
      mergeInto(into, s);
    }
    for (const [file, lines] of part.byCode) {
      let intoLines = out.byCode.get(file);
      if (!intoLines) out.byCode.set(file, (intoLines = new Map()));
      for (const [line, s] of lines) {
        let into = intoLines.get(line);
        if (!into) intoLines.set(line, (into = emptyLike(s)));
        mergeInto(into, s);
      }
    }
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function seconds(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "41 calls · p95 2.3 s · 3 errors · $0.84" */
export function statsLine(s: RefStats<unknown>): string {
  const parts = [`${s.calls} ${s.calls === 1 ? 'call' : 'calls'}`];
  const p95 = seconds(percentile(s.durations, 95));
  if (p95) parts.push(`p95 ${p95}`);
  if (s.tokens) parts.push(`${s.tokens >= 10_000 ? `${Math.round(s.tokens / 1000)}k` : s.tokens} tok`);
  if (s.errors) parts.push(`${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`);
  if (s.blocked) parts.push(`${s.blocked} blocked`);
  if (s.cost !== undefined) parts.push(formatCost(s.cost));
  return parts.join(' · ');
}

/** Rows for the hover: label → value. */
export function statsRows(s: RefStats<unknown>): [string, string][] {
  const rows: [string, string][] = [['Calls', String(s.calls)]];
  const p50 = seconds(percentile(s.durations, 50));
  const p95 = seconds(percentile(s.durations, 95));
  if (p50) rows.push(['Latency p50 / p95', `${p50} / ${p95}`]);
  if (s.tokens) rows.push(['Tokens', String(s.tokens)]);
  if (s.cost !== undefined) rows.push(['Cost', formatCost(s.cost)]);
  rows.push(['Errors', s.calls ? `${s.errors} (${Math.round((100 * s.errors) / s.calls)}%)` : '0']);
  if (s.blocked || s.masked) rows.push(['Guardrails', `${s.blocked} blocked, ${s.masked} masked`]);
  return rows;
}

export type FindingKind = 'toolError' | 'schema' | 'guardrail' | 'drift';

export interface Finding<H> {
  kind: FindingKind;
  warning: boolean;
  message: string;
  hit: Hit<H>;
  /** For drift: the recorded system instructions. */
  recorded?: string;
}

const MAX_FINDINGS_PER_KIND = 5;

/** Failed tool calls (grouped by error), arguments that break the declared schema, and guardrail blocks/masks. */
export function findingsOf<H>(s: RefStats<H>, schemas: ReadonlyMap<string, unknown>, sourceSchema?: unknown): Finding<H>[] {
  const out: Finding<H>[] = [];
  const name = s.ref.name ?? s.ref.id ?? '';
  if (s.ref.kind === 'tool') {
    const byError = new Map<string, { n: number; hit: Hit<H> }>();
    for (const hit of s.hits) {
      if (hit.span.status !== 'error' && hit.span.status !== 'timeout' && !hit.span.tool?.error) continue;
      const msg = (hit.span.tool?.error ?? hit.span.statusMessage ?? hit.span.status).replace(/\s+/g, ' ').slice(0, 200);
      const e = byError.get(msg);
      if (e) e.n++;
      else byError.set(msg, { n: 1, hit });
    }
    for (const [msg, { n, hit }] of [...byError].slice(0, MAX_FINDINGS_PER_KIND)) {
      out.push({ kind: 'toolError', warning: true, message: `Tool "${name}" failed in ${n} of ${s.calls} recorded calls: ${msg}`, hit });
    }
    // What the span declared wins; the signature in the source is the fallback.
    const declared = schemas.get(s.ref.name ?? '');
    const schema = declared ?? sourceSchema;
    const where = declared ? 'its declared schema' : 'the signature in the source';
    if (schema) {
      let n = 0;
      for (const hit of s.hits) {
        let args = hit.span.tool?.arguments;
        if (typeof args === 'string') {
          try {
            args = JSON.parse(args);
          } catch {
            continue;
          }
        }
        if (args === undefined) continue;
        const problems = checkSchema(args, schema);
        if (problems.length && n++ < MAX_FINDINGS_PER_KIND) {
          out.push({ kind: 'schema', warning: true, message: `Tool "${name}" was called with arguments that do not match ${where}: ${problems.map((p) => p.message).join('; ')}`, hit });
        }
      }
    }
  }
  for (const hit of s.guardrailHits.slice(0, MAX_FINDINGS_PER_KIND)) {
    const gs = (hit.span.guardrails ?? []).filter((g) => g.action === 'blocked' || g.action === 'masked');
    const what = gs.map((g) => `${g.name} ${g.action}${g.policies.length ? ` (${g.policies.map((p) => p.type).join(', ')})` : ''}`).join('; ');
    out.push({ kind: 'guardrail', warning: gs.some((g) => g.action === 'blocked'), message: `Guardrail ${what} in span "${hit.span.name}"`, hit });
  }
  return out;
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Drift: the recorded system instructions of a prompt's spans are not what
 * the workspace template says. Templates have placeholders (`{{x}}`, `{x}`,
 * `$x`), so the check is on the template's literal fragments: a recording
 * drifts when a fragment of 12+ characters is missing from it, or when it
 * carries a sentence the template does not have.
 */
export function driftOf<H>(s: RefStats<H>, templateText: string): Finding<H> | undefined {
  // A prompt's own model calls; an agent's model calls (instructions defined in code, `Agent(instructions=…)`).
  const hits = s.ref.kind === 'prompt' ? s.hits : s.ref.kind === 'agent' ? (s.systemHits ?? []) : [];
  if (!hits.length) return undefined;
  const template = squash(templateText).replace(/\\n/g, ' ');
  for (let i = hits.length - 1; i >= 0; i--) {
    const hit = hits[i];
    const recorded = (hit.span.system ?? []).filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('\n');
    if (!recorded.trim()) continue;
    const rec = squash(recorded);
    const sentences = rec.split(/(?<=[.!?])\s+/).filter((x) => x.length >= 12);
    const extra = sentences.filter((x) => !template.includes(x.replace(/[.!?]$/, '')));
    if (!extra.length) return undefined;
    const what = s.ref.kind === 'prompt' ? `Prompt "${s.ref.name ?? s.ref.id}"` : `Agent "${s.ref.name ?? s.ref.id}"`;
    return {
      kind: 'drift',
      warning: s.ref.kind === 'prompt',
      message: `${what}: the recorded system instructions differ from this ${s.ref.kind === 'prompt' ? 'template' : 'definition'} (${extra.length} sentence${extra.length === 1 ? '' : 's'} not in it, e.g. "${extra[0].slice(0, 80)}").`,
      hit,
      recorded,
    };
  }
  return undefined;
}

