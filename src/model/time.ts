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
