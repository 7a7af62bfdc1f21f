// The Add Backend… connection test for Phoenix: lists the projects with the
// settings and API key of the entry being added. Pure code, shared by the
// wizard and the tests.
import { configError, requireString } from '../config';
import type { ConnectionResult } from '../jaeger/connection';
import { JsonClient, parseBaseUrl, storeToken } from '../http/jsonClient';
import type { BackendConfig, BackendContext } from '../types';

/** Throws a BackendError with next steps (wrong URL, 401 → Set API Key…, server down). */
export async function testPhoenixConnection(config: BackendConfig, context: BackendContext, signal?: AbortSignal): Promise<ConnectionResult> {
  const baseUrl = parseBaseUrl(requireString(config, 'baseUrl'), (m) => configError(config, m));
  const client = new JsonClient({
    who: `Phoenix at ${baseUrl}`,
    tag: `[phoenix:${config.id}]`,
    baseUrl,
    maxAttempts: 1,
    timeoutMs: 10_000,
    log: context.log,
    getToken: () => storeToken((n) => context.getSecret(n), 'phoenix', config.id, 'PHOENIX_API_KEY'),
    tokenHint: '"Span Inspector: Set API Key…"',
  });
  const projects: string[] = [];
  let cursor: string | undefined;
  do {
    const r = await client.get<{ data?: unknown; next_cursor?: string | null }>(client.url('/v1/projects', { limit: 100, cursor }), signal);
    if (!r.body || !Array.isArray(r.body.data)) throw configError(config, `${baseUrl}/v1/projects did not answer like Phoenix's REST API.`);
    for (const p of r.body.data) if (p && typeof (p as { name?: unknown }).name === 'string') projects.push((p as { name: string }).name);
    cursor = r.body.next_cursor || undefined;
  } while (cursor && projects.length < 1000);
  return { message: `Connected: ${projects.length} project(s).`, choices: projects };
}
