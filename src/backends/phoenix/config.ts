// The `phoenix` backend's settings: the server URL, the project, page size,
// whether to read span annotations, and the request timeout.
import { configError, optionalString, requireString } from '../config';
import { parseBaseUrl } from '../http/jsonClient';
import type { BackendConfig } from '../types';

/** Phoenix's page limit for spans and traces. */
export const PHOENIX_MAX_LIMIT = 1000;

export interface PhoenixSettings {
  baseUrl: string;
  /** Project name or id (default `default`). */
  project: string;
  pageSize: number;
  annotations: boolean;
  timeoutMs?: number;
}

export function parsePhoenixConfig(config: BackendConfig): PhoenixSettings {
  const baseUrl = parseBaseUrl(requireString(config, 'baseUrl'), (m) => configError(config, m));
  const project = optionalString(config, 'project') ?? 'default';
  if (/[/?#]/.test(project)) throw configError(config, '"project" is a project name or id without "/", "?" or "#".');
  const ps = config.pageSize;
  if (ps !== undefined && (typeof ps !== 'number' || !Number.isInteger(ps) || ps < 1 || ps > PHOENIX_MAX_LIMIT)) throw configError(config, `"pageSize" must be a whole number from 1 to ${PHOENIX_MAX_LIMIT}.`);
  const timeout = config.timeoutMs;
  return {
    baseUrl,
    project,
    pageSize: (ps as number | undefined) ?? PHOENIX_MAX_LIMIT,
    annotations: config.annotations !== false,
    timeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : undefined,
  };
}
