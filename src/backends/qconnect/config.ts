// Settings of a `qconnect` backend entry, validated into one shape.
import { configError, optionalString, requireString } from '../config';
import type { BackendConfig } from '../types';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** arn:PARTITION:wisdom:REGION:ACCOUNT:TYPE/ID[/ID…] — Q Connect keeps the old service name "wisdom" in ARNs. */
const ARN_RE = /^arn:(aws[a-z-]*):wisdom:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

export interface WisdomArn {
  partition: string;
  region: string;
  accountId: string;
  /** assistant | session | ai-prompt | ai-agent | knowledge-base … */
  resourceType: string;
  /** The path after the type, split on '/': e.g. [assistantId, sessionId]. */
  ids: string[];
}

export function parseWisdomArn(value: string): WisdomArn | undefined {
  const m = ARN_RE.exec(value.trim());
  if (!m) return undefined;
  return { partition: m[1], region: m[2], accountId: m[3], resourceType: m[4], ids: m[5].split('/') };
}

export interface QConnectSettings {
  id: string;
  label: string;
  region: string;
  /** Always the UUID (extracted from an ARN when one was configured). */
  assistantId: string;
  assistantArn?: string;
  profile?: string;
  endpoint?: string;
  /** Total attempts per request including the first (SDK retry strategy); default 3. */
  maxAttempts?: number;
  /** Base delay of the SDK's exponential backoff, in ms (default: the SDK's own, 100 ms / 500 ms when throttled). */
  retryBaseDelayMs?: number;
  /** Spans per ListSpans request (1–100, default 100). */
  pageSize: number;
}

function optionalNumber(config: BackendConfig, key: string, min: number, max: number): number | undefined {
  const v = config[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(config, `"${key}" must be a whole number from ${min} to ${max}.`);
  }
  return v;
}

export function parseQConnectConfig(config: BackendConfig): QConnectSettings {
  const rawAssistant = requireString(config, 'assistantId');
  let region = optionalString(config, 'region');
  let assistantId: string;
  let assistantArn: string | undefined;
  if (rawAssistant.startsWith('arn:')) {
    const arn = parseWisdomArn(rawAssistant);
    if (!arn || arn.resourceType !== 'assistant' || arn.ids.length !== 1 || !UUID_RE.test(arn.ids[0])) {
      throw configError(config, `"assistantId" ${JSON.stringify(rawAssistant)} is not an assistant ARN (expected arn:aws:wisdom:REGION:ACCOUNT:assistant/UUID).`);
    }
    if (region && region !== arn.region) {
      throw configError(config, `"region" is ${region} but the assistant ARN is in ${arn.region}; remove "region" or make them match.`);
    }
    region = arn.region;
    assistantId = arn.ids[0].toLowerCase();
    assistantArn = rawAssistant;
  } else if (UUID_RE.test(rawAssistant)) {
    assistantId = rawAssistant.toLowerCase();
  } else {
    throw configError(config, `"assistantId" must be the assistant's UUID or ARN, not ${JSON.stringify(rawAssistant)}.`);
  }
  if (!region) {
    throw configError(config, '"region" is required (e.g. "us-east-1") unless "assistantId" is an ARN.');
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw configError(config, `"region" ${JSON.stringify(region)} is not an AWS region name (e.g. "us-east-1").`);
  }
  const endpoint = optionalString(config, 'endpoint');
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw configError(config, `"endpoint" must be an http(s) URL, not ${JSON.stringify(endpoint)}.`);
    }
  }
  const retryBaseDelayMs = optionalNumber(config, 'retryBaseDelayMs', 0, 60_000);
  return {
    id: config.id,
    label: typeof config.label === 'string' && config.label ? config.label : `Q Connect ${assistantId.slice(0, 8)} (${region})`,
    region,
    assistantId,
    assistantArn,
    profile: optionalString(config, 'profile'),
    endpoint: endpoint?.replace(/\/+$/, ''),
    maxAttempts: optionalNumber(config, 'maxAttempts', 1, 10),
    retryBaseDelayMs,
    pageSize: optionalNumber(config, 'pageSize', 1, 100) ?? 100,
  };
}
