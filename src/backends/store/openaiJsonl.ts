// The `openaiAgents` backend: OpenAI Agents SDK tracing items in JSONL files,
// one `item.export()` per line, as a custom TracingProcessor writes them
// (a line may also hold a whole ingest batch, {"data":[…]}). `path` is a
// .jsonl file or a folder of them; appended lines show up live.
import { FileSourceBackend, type LineSink, type LineWarning } from './fileSource';
import { requireString } from '../config';
import type { Backend, BackendConfig, BackendContext } from '../types';
import { isSpanItem, isTraceItem } from '../openai/map';

const sink: LineSink = {
  extensions: ['.jsonl'],
  ingest(store, lines) {
    const warnings: LineWarning[] = [];
    // One change event per chunk, not one per line; each line is its own body, read again for the Raw tab.
    store.batch(() => {
      for (const { value, line, ref } of lines) {
        const batch = value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data) ? (value as { data: unknown[] }).data : [value];
        const bad = batch.filter((item) => !isTraceItem(item) && !isSpanItem(item)).length;
        for (let i = 0; i < bad; i++) warnings.push({ line, message: 'not an OpenAI tracing item (expected "object": "trace" or "trace.span" with ids); line skipped.' });
        // The store skips what is not an item itself (the items' places in the line stay as read).
        if (bad < batch.length) store.ingestOpenAi(value, undefined, undefined, ref);
      }
    });
    return warnings;
  },
};

export function createOpenAiAgentsBackend(config: BackendConfig, context: BackendContext): Backend {
  return new FileSourceBackend(config, context, 'openaiAgents', sink, requireString(config, 'path'));
}
