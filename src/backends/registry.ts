// Maps a backend type to its factory. Each backend module is imported only
// when an entry of that type is configured, so activation stays light.
import type { BackendType } from '../model/types';
import { configError } from './config';
import type { Backend, BackendConfig, BackendContext, BackendFactory } from './types';

const loaders: Record<BackendType, () => Promise<BackendFactory>> = {
  file: async () => (await import('./file/fileBackend')).createFileBackend,
  qconnect: async () => {
    throw new Error('qconnect backend not built yet');
  },
  sgp: async () => {
    throw new Error('sgp backend not built yet');
  },
  agno: async () => {
    throw new Error('agno backend not built yet');
  },
  openaiAgents: async () => {
    throw new Error('openaiAgents backend not built yet');
  },
  otlp: async () => {
    throw new Error('otlp backend not built yet');
  },
};

export async function createBackend(config: BackendConfig, context: BackendContext): Promise<Backend> {
  const load = loaders[config.type];
  if (!load) {
    throw configError(config, `unknown type "${String(config.type)}".`);
  }
  const factory = await load();
  return factory(config, context);
}
