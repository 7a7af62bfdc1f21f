// Timestamp parsing shared by every decoder. Backends disagree on units, so the
// heuristics live in one place.

/** Values above this are taken as milliseconds, below as seconds (year 5138 in seconds). */
const MS_THRESHOLD = 1e11;

/** Epoch seconds or milliseconds (number or numeric string) → epoch ms. */
export function epochToMs(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    return undefined;
  }
  return Math.abs(n) >= MS_THRESHOLD ? n : n * 1000;
}

/** ISO 8601 string (or epoch number) → epoch ms. */
export function isoToMs(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return epochToMs(value);
  }
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  // Python emits microseconds ("…12.345678+00:00"); Date.parse accepts them.
  let t = Date.parse(value);
  if (Number.isNaN(t) && /^\d{4}-\d{2}-\d{2} \d/.test(value)) {
    // SQL-style "2025-01-01 10:00:00" without a zone is UTC in Agno's tables.
    t = Date.parse(value.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'));
  }
  return Number.isNaN(t) ? epochToMs(value) : t;
}

/** OTLP nanosecond timestamps arrive as decimal strings (or numbers); → epoch ms. */
export function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    // Keep sub-ms precision without BigInt: split off the last 6 digits.
    const whole = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    const frac = Number(value.slice(-6)) / 1e6;
    // A few hundred digits overflow to Infinity: no usable time.
    return Number.isFinite(whole) ? whole + frac : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value / 1e6;
  }
  if (typeof value === 'bigint') {
    const ms = Number(value / 1000n) / 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/** Duration of a span, preferring an explicit value over start/end. */
export function durationOf(start: number | undefined, end: number | undefined, explicit?: number): number | undefined {
  if (typeof explicit === 'number' && Number.isFinite(explicit)) {
    return explicit;
  }
  if (typeof start === 'number' && typeof end === 'number' && Number.isFinite(start) && Number.isFinite(end)) {
    return end - start;
  }
  return undefined;
}

/** Timestamps after this (year 2200, epoch ms) are not real times of a trace; small ones are (relative clocks). */
const PLAUSIBLE_TO_MS = 7_258_118_400_000;
/** A span longer than this (ten years) has a broken clock, not a long run. */
export const PLAUSIBLE_DURATION_MS = 10 * 365.25 * 24 * 3600 * 1000;

export function plausibleTime(ms: unknown): ms is number {
  return typeof ms === 'number' && ms > 0 && ms <= PLAUSIBLE_TO_MS;
}

/**
 * What is wrong with a span's clock, in plain words quoting the values as they
 * are (the waterfall leaves such spans off its time axis). Empty when nothing.
 * A start of 0 is the "not recorded" default and not reported.
 */
export function timingProblems(span: { startTime: unknown; endTime?: unknown; durationMs?: unknown }): string[] {
  const out: string[] = [];
  const { startTime: start, endTime: end, durationMs: duration } = span;
  const bad = (label: string, v: unknown): void => {
    if (typeof v !== 'number') out.push(`${label} is not a number (${String(v)})`);
    else if (!Number.isFinite(v)) out.push(`${label} is ${String(v)}`);
    else if (v < 0) out.push(`${label} is negative (${String(v)} ms since 1970)`);
    else if (!plausibleTime(v)) out.push(`${label} ${String(v)} ms is not a plausible date (${describeEpoch(v)})`);
  };
  if (start !== 0 && start !== undefined) bad('Start time', start);
  if (end !== undefined) bad('End time', end);
  if (typeof start === 'number' && typeof end === 'number' && Number.isFinite(start) && Number.isFinite(end) && end < start) {
    out.push(`End time is ${String(start - end)} ms before the start time`);
  }
  if (duration !== undefined) {
    if (typeof duration !== 'number' || !Number.isFinite(duration)) out.push(`Duration is ${String(duration)}`);
    else if (duration < 0) out.push(`Duration is negative (${String(duration)} ms)`);
    else if (duration > PLAUSIBLE_DURATION_MS) out.push(`Duration ${String(duration)} ms is longer than ten years`);
  }
  return out;
}

function describeEpoch(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'beyond any date' : `year ${d.getUTCFullYear()}`;
}
