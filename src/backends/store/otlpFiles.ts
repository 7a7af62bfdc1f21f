// The `otlp` backend: OTLP JSON trace files, as the OpenTelemetry Collector's
// file exporter writes them (one ExportTraceServiceRequest per line, .json or
// .jsonl); a pretty-printed single request in a .json file is read too.
// `path` is a file or a folder; appended lines show up live. The live
// receiver's own sessions are the separate "Live capture" backend.
import { FileSourceBackend, type LineSink, type LineWarning, type SinkLine } from './fileSource';
import type { CaptureStore } from './captureStore';
import { requireString } from '../config';
import type { Backend, BackendConfig, BackendContext } from '../types';

function valid(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not an OTLP JSON object ({"resourceSpans":[…]})';
  const rs = (value as Record<string, unknown>).resourceSpans ?? (value as Record<string, unknown>).resource_spans;
  if (rs !== undefined && !Array.isArray(rs)) return '"resourceSpans" is not an array';
  return undefined;
}

function ingestDocs(store: CaptureStore, docs: SinkLine[]): LineWarning[] {
  const warnings: LineWarning[] = [];
  let rejected = 0;
  const errors = new Set<string>();
  // One change event per chunk, not one per line; each line is its own request, read again for the Raw tab.
  store.batch(() => {
    for (const { value, line, ref } of docs) {
      const problem = valid(value);
      if (problem) {
        warnings.push({ line, message: `${problem}; skipped.` });
        continue;
      }
      const result = store.ingestOtlp(value, undefined, undefined, ref);
      rejected += result.rejected;
      for (const e of result.errors) errors.add(e);
    }
  });
  if (rejected) warnings.push({ line: 0, message: `${rejected} span(s) skipped: ${[...errors].join(' ')}` });
  return warnings;
}

const sink: LineSink = {
  extensions: ['.json', '.jsonl'],
  ingest: (store, lines) => ingestDocs(store, lines),
  wholeDocument: (store, value) => ingestDocs(store, [{ value, line: 0 }]),
};

export function createOtlpFileBackend(config: BackendConfig, context: BackendContext): Backend {
  return new FileSourceBackend(config, context, 'otlp', sink, requireString(config, 'path'));
}
