// The `otlp` backend: OTLP JSON trace files, as the OpenTelemetry Collector's
// file exporter writes them (one ExportTraceServiceRequest per line, .json or
// .jsonl); a pretty-printed single request in a .json file is read too.
// `path` is a file or a folder; appended lines show up live. The live
// receiver's own sessions are the separate "Live capture" backend.
import { FileSourceBackend, type LineSink, type LineWarning } from './fileSource';
import type { CaptureStore } from './captureStore';
import { requireString } from '../config';
import type { Backend, BackendConfig, BackendContext } from '../types';

function valid(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not an OTLP JSON object ({"resourceSpans":[…]})';
  const rs = (value as Record<string, unknown>).resourceSpans ?? (value as Record<string, unknown>).resource_spans;
  if (rs !== undefined && !Array.isArray(rs)) return '"resourceSpans" is not an array';
  return undefined;
}

function ingestDocs(store: CaptureStore, docs: { value: unknown; line: number }[]): LineWarning[] {
  const warnings: LineWarning[] = [];
  const resourceSpans: unknown[] = [];
  for (const { value, line } of docs) {
    const problem = valid(value);
    if (problem) {
      warnings.push({ line, message: `${problem}; skipped.` });
      continue;
    }
    const v = value as Record<string, unknown>;
    for (const r of ((v.resourceSpans ?? v.resource_spans) as unknown[] | undefined) ?? []) resourceSpans.push(r);
  }
  // One ingest per chunk: one change event, not one per line.
  if (resourceSpans.length) {
    const result = store.ingestOtlp({ resourceSpans });
    if (result.rejected) warnings.push({ line: 0, message: `${result.rejected} span(s) skipped: ${result.errors.join(' ')}` });
  }
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
