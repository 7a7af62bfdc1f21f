// The Add Backend… connection test for Jaeger: reaches /api/v3/services with
// the settings and token of the entry being added. Pure code, so the wizard,
// the CLI and the tests share it.
import { configError, requireString } from '../config';
import { JsonClient, parseBaseUrl, storeToken } from '../http/jsonClient';
import type { BackendConfig, BackendContext } from '../types';

export interface ConnectionResult {
  /** One line for the wizard, e.g. `Connected: 3 services.` */
  message: string;
  /** What the next step can offer: Jaeger's services. */
  choices: string[];
}

/** Throws a BackendError with next steps (wrong URL, 401 → Set API Key…, store down). */
export async function testJaegerConnection(config: BackendConfig, context: BackendContext, signal?: AbortSignal): Promise<ConnectionResult> {
  const baseUrl = parseBaseUrl(requireString(config, 'baseUrl'), (m) => configError(config, m));
  const client = new JsonClient({
    who: `Jaeger at ${baseUrl}`,
    tag: `[jaeger:${config.id}]`,
    baseUrl,
    maxAttempts: 1,
    timeoutMs: 10_000,
    log: context.log,
    getToken: () => storeToken((n) => context.getSecret(n), 'jaeger', config.id, 'JAEGER_TOKEN'),
    tokenHint: '"Span Inspector: Set API Key…"',
  });
  const r = await client.get<{ services?: unknown }>(client.url('/api/v3/services'), signal);
  if (!r.body || typeof r.body !== 'object' || ('services' in r.body && !Array.isArray(r.body.services))) {
    throw configError(config, `${baseUrl}/api/v3/services did not answer like Jaeger's query API. "baseUrl" is the query service (default port 16686).`);
  }
  const services = (Array.isArray(r.body.services) ? r.body.services : []).filter((s): s is string => typeof s === 'string').sort();
  return { message: services.length ? `Connected: ${services.length} service(s).` : 'Connected, but Jaeger has no traces yet.', choices: services };
}
