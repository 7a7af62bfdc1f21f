// The `jaeger` backend's settings: the query service URL, an optional service,
// the lookback window, tag filters, page size and request timeout.
import { configError, optionalString, requireString } from '../config';
import { parseBaseUrl } from '../http/jsonClient';
import type { BackendConfig } from '../types';

const DEFAULT_LOOKBACK_MS = 24 * 3600_000;

export interface JaegerSettings {
  baseUrl: string;
  service?: string;
  lookbackMs: number;
  /** Attribute filters applied to the traces of the window. */
  tags: Record<string, string>;
  pageSize: number;
  timeoutMs?: number;
}

export function parseJaegerConfig(config: BackendConfig): JaegerSettings {
  const baseUrl = parseBaseUrl(requireString(config, 'baseUrl'), (m) => configError(config, m));
  const service = optionalString(config, 'service');
  const lookbackMs = parseLookback(config);
  const tags = parseTags(config);
  const ps = config.pageSize;
  if (ps !== undefined && (typeof ps !== 'number' || !Number.isInteger(ps) || ps < 1 || ps > 1000)) throw configError(config, '"pageSize" must be a whole number from 1 to 1000.');
  const timeout = config.timeoutMs;
  return { baseUrl, service, lookbackMs, tags, pageSize: (ps as number | undefined) ?? 20, timeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : undefined };
}

/** `24h`, `90m`, `7d`, `3600s` or a number of hours → ms. */
export function parseLookback(config: BackendConfig): number {
  const v = config.lookback;
  if (v === undefined || v === null || v === '') return DEFAULT_LOOKBACK_MS;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v * 3600_000;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$/.exec(v) : null;
  if (!m) throw configError(config, `"lookback" must be a duration like "24h", "90m" or "7d" (got ${JSON.stringify(v)}).`);
  const unit = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

function parseTags(config: BackendConfig): Record<string, string> {
  const v = config.tags;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw configError(config, '"tags" must be an object like {"deployment.environment": "prod"}.');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') throw configError(config, `"tags.${k}" must be a string, number or boolean.`);
    out[k] = String(val);
  }
  return out;
}
