// Maps a backend type to its factory. Each backend module is imported only
// when an entry of that type is configured, so activation stays light.
import type { BackendType } from '../model/types';
import { configError } from './config';
import type { Backend, BackendConfig, BackendContext, BackendFactory } from './types';

const loaders: Record<BackendType, () => Promise<BackendFactory>> = {
  file: async () => (await import('./file/backend')).createFileBackend,
  qconnect: async () => (await import('./qconnect/backend')).createQConnectBackend,
  sgp: async () => (await import('./sgp/backend')).createSgpBackend,
  agno: async () => (await import('./agno/backend')).createAgnoBackend,
  openaiAgents: async () => (await import('./store/openaiJsonl')).createOpenAiAgentsBackend,
  otlp: async () => (await import('./store/otlpFiles')).createOtlpFileBackend,
  jaeger: async () => (await import('./jaeger/backend')).createJaegerBackend,
  phoenix: async () => (await import('./phoenix/backend')).createPhoenixBackend,
};

export async function createBackend(config: BackendConfig, context: BackendContext): Promise<Backend> {
  const load = loaders[config.type];
  if (!load) {
    throw configError(config, `unknown type "${String(config.type)}".`);
  }
  const factory = await load();
  return factory(config, context);
}
