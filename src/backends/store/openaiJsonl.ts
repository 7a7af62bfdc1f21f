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
    const items: unknown[] = [];
    for (const { value, line } of lines) {
      const batch = value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data) ? (value as { data: unknown[] }).data : [value];
      for (const item of batch) {
        if (isTraceItem(item) || isSpanItem(item)) items.push(item);
        else warnings.push({ line, message: 'not an OpenAI tracing item (expected "object": "trace" or "trace.span" with ids); line skipped.' });
      }
    }
    // One ingest per chunk: one change event, not one per line.
    if (items.length) store.ingestOpenAi(items);
    return warnings;
  },
};

export function createOpenAiAgentsBackend(config: BackendConfig, context: BackendContext): Backend {
  return new FileSourceBackend(config, context, 'openaiAgents', sink, requireString(config, 'path'));
}
