// Validation helpers for backend entries: a wrong entry becomes a 'config'
// BackendError naming the backend and the key, shown with "Open settings".
import type { BackendType } from '../model/types';
import { BackendError } from './errors';
import type { BackendConfig } from './types';

const BACKEND_TYPES: readonly BackendType[] = ['qconnect', 'sgp', 'agno', 'openaiAgents', 'otlp', 'file', 'jaeger', 'phoenix'];

export function configError(config: { id?: unknown }, message: string): BackendError {
  const who = typeof config.id === 'string' && config.id ? `Backend "${config.id}"` : 'Backend entry';
  return new BackendError('config', `${who}: ${message}`, { nextSteps: ['openSettings'] });
}

export function requireString(config: BackendConfig, key: string): string {
  const v = config[key];
  if (typeof v !== 'string' || v.trim() === '') {
    throw configError(config, `"${key}" is required (a non-empty string).`);
  }
  return v.trim();
}

export function optionalString(config: BackendConfig, key: string): string | undefined {
  const v = config[key];
  if (v === undefined || v === null || v === '') {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw configError(config, `"${key}" must be a string.`);
  }
  return v.trim();
}

/** Checks the shape every entry shares; returns the entries that are usable and one error per bad one. */
export function validateBackendList(value: unknown): { configs: BackendConfig[]; errors: BackendError[] } {
  const configs: BackendConfig[] = [];
  const errors: BackendError[] = [];
  if (value === undefined || value === null) {
    return { configs, errors };
  }
  if (!Array.isArray(value)) {
    errors.push(new BackendError('config', '"spanInspector.backends" must be an array.', { nextSteps: ['openSettings'] }));
    return { configs, errors };
  }
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(new BackendError('config', `Backend entry #${i + 1} is not an object.`, { nextSteps: ['openSettings'] }));
      return;
    }
    const e = entry as Record<string, unknown>;
    if (typeof e.id !== 'string' || !e.id.trim()) {
      errors.push(new BackendError('config', `Backend entry #${i + 1} has no "id".`, { nextSteps: ['openSettings'] }));
      return;
    }
    if (!BACKEND_TYPES.includes(e.type as BackendType)) {
      errors.push(configError(e, `unknown "type" ${JSON.stringify(e.type)}; expected one of ${BACKEND_TYPES.join(', ')}.`));
      return;
    }
    if (seen.has(e.id)) {
      errors.push(configError(e, 'duplicate id; each backend needs a unique "id".'));
      return;
    }
    seen.add(e.id);
    configs.push(e as BackendConfig);
  });
  return { configs, errors };
}
