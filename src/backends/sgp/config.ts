// The `sgp` backend's settings: account, base URL, project, lookback, page
// size, request timeout and retry policy.
import { configError, optionalString, requireString } from '../config';
import type { BackendConfig } from '../types';
import { SGP_DEFAULT_BASE_URL, SGP_MAX_LIMIT, type SgpRetryOptions } from './client';

export interface SgpSettings {
  accountId: string;
  baseUrl: string;
  projectId?: string;
  /** How far back the session list looks (default 30 days). */
  lookbackDays: number;
  pageSize: number;
  timeoutMs?: number;
  retry?: SgpRetryOptions;
}

export function parseSgpConfig(config: BackendConfig): SgpSettings {
  const accountId = requireString(config, 'accountId');
  const baseUrl = optionalString(config, 'baseUrl') ?? SGP_DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw configError(config, `"baseUrl" is not a valid URL: ${JSON.stringify(baseUrl)}.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw configError(config, `"baseUrl" must start with https:// (or http:// for a local server).`);
  }
  const lookbackDays = optionalNumber(config, 'lookbackDays', 0, 36500) ?? 30;
  const pageSize = Math.floor(optionalNumber(config, 'pageSize', 1, SGP_MAX_LIMIT) ?? SGP_MAX_LIMIT);
  const retry = config.retry;
  if (retry !== undefined && (typeof retry !== 'object' || retry === null || Array.isArray(retry))) {
    throw configError(config, '"retry" must be an object like {"maxAttempts": 5, "baseDelayMs": 500, "maxDelayMs": 15000}.');
  }
  return {
    accountId,
    baseUrl,
    projectId: optionalString(config, 'projectId'),
    lookbackDays,
    pageSize,
    timeoutMs: optionalNumber(config, 'timeoutMs', 1, 600_000),
    retry: retry as SgpRetryOptions | undefined,
  };
}

function optionalNumber(config: BackendConfig, key: string, min: number, max: number): number | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw configError(config, `"${key}" must be a number from ${min} to ${max}.`);
  }
  return v;
}
