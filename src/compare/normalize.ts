// What makes two runs of the same code line up: ids elided, timings rounded,
// long payloads cut, secrets masked. Shared by the diff projection and Copy as
// Markdown. Pure: no `vscode`.

/** Placeholder for an elided id. */
export const ID = '‹id›';
export const SECRET = '‹secret›';

/**
 * Ids that change on every run: UUIDs, 16/32-hex span/trace ids, OpenAI /
 * Anthropic prefixed ids. One alternation, so long payloads are scanned once.
 */
const ID_PATTERN = /\b(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?:call|trace|span|group|resp|msg|run|chatcmpl|toolu|fc|rs|sess)_[A-Za-z0-9_-]{6,}|[0-9a-fA-F]{32}|[0-9a-fA-F]{16})\b/g;

/** Keys whose values are ids (dropped from the projection). */
const ID_KEYS = /^(?:id|callId|call_id|tool_call_id|toolCallId|spanId|span_id|traceId|trace_id|parentId|parent_id|runId|run_id|sessionId|session_id|requestId|request_id)$/;

export function elideIds(text: string): string {
  return text.replace(ID_PATTERN, ID);
}

/** One significant digit, so 1.4 s and 1.2 s both read "≈1 s" and runs of the same code line up. */
export function roundTiming(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1) return '<1 ms';
  const mag = 10 ** Math.floor(Math.log10(ms));
  const r = Math.round(ms / mag) * mag;
  return r < 1000 ? `≈${r} ms` : r < 60_000 ? `≈${r / 1000} s` : `≈${Math.round(r / 60_000)} min`;
}

export interface SecretRules {
  /** Keys whose values are always masked (api_key, authorization…). */
  keys: RegExp;
  /** Literal secret values (from .env files); masked wherever they appear. */
  values: readonly string[];
}

export const SECRET_KEYS = /(?:api[_-]?key|apikey|authorization|auth[_-]?token|access[_-]?token|refresh[_-]?token|id[_-]?token|secret|password|passwd|pwd|bearer|cookie|session[_-]?token|private[_-]?key|x-api-key|credential)/i;

/** Values that look like credentials even without a key name (bearer tokens, sk-… keys, AWS access keys). */
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
];

export function maskSecrets(text: string, rules: SecretRules | undefined): string {
  if (!rules) return text;
  let out = text;
  for (const v of rules.values) {
    if (v.length >= 6 && out.includes(v)) out = out.split(v).join(SECRET);
  }
  for (const re of SECRET_VALUE_PATTERNS) out = out.replace(re, SECRET);
  return out;
}

export interface NormalizeOptions {
  /** Longest string kept; longer ones are cut with a note of how much was left out. */
  maxString: number;
  elideIds: boolean;
  secrets?: SecretRules;
  /** Deeper values are replaced by "…" (bounds recursion on hostile payloads). */
  maxDepth?: number;
  /** Results by input, for one projection: model calls repeat the same history strings over and over. */
  cache?: Map<string, string>;
}

export function trimString(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (+${s.length - max} chars)` : s;
}

export function normalizeString(s: string, o: NormalizeOptions): string {
  const cached = o.cache?.get(s);
  if (cached !== undefined) return cached;
  let out = o.secrets ? maskSecrets(s, o.secrets) : s;
  if (o.elideIds) out = elideIds(out);
  out = trimString(out, o.maxString);
  if (o.cache && s.length > 32) o.cache.set(s, out);
  return out;
}

/**
 * A JSON-safe copy with ids elided, secrets masked and strings cut. Object keys
 * are sorted so key order in the source never shows as a difference.
 */
export function normalizeValue(value: unknown, o: NormalizeOptions, depth = 0): unknown {
  if (typeof value === 'string') {
    // Tool arguments and results are often JSON text: normalize inside it too.
    const first = value.charCodeAt(value.search(/\S/));
    if ((first === 0x7b || first === 0x5b) && value.length < 200_000) {
      try {
        return normalizeValue(JSON.parse(value), o, depth);
      } catch {
        // not JSON: fall through
      }
    }
    return normalizeString(value, o);
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? String(value) : value;
  }
  if (depth >= (o.maxDepth ?? 12)) return '…';
  if (Array.isArray(value)) {
    const max = 200;
    const out = value.slice(0, max).map((v) => normalizeValue(v, o, depth + 1));
    if (value.length > max) out.push(`… (+${value.length - max} items)`);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (o.elideIds && ID_KEYS.test(key)) continue;
    if (o.secrets && o.secrets.keys.test(key) && v !== null && v !== undefined && v !== '') {
      out[key] = SECRET;
      continue;
    }
    if (v !== undefined) out[key] = normalizeValue(v, o, depth + 1);
  }
  return out;
}
