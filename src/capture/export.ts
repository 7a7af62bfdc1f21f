// Exports of a captured session, as strings the caller writes to a file:
// - the native wire form it arrived in: OpenAI tracing JSONL (one item per
//   line, readable by the `openaiAgents` backend) or an OTLP JSON
//   ExportTraceServiceRequest (readable by the `otlp` backend and by OTel tools);
// - the normalized `{session, spans}` JSON (model/sessionExport: the CLI's
//   format, read by `file`).
import { CAPTURE_BACKEND_ID } from '../backends/types';
import { stringifyJson } from '../model/json';
import { buildSessionExport, serializeSessionExport } from '../model/sessionExport';
import type { Span } from '../model/types';
import type { CapturedSession, CaptureStore } from '../backends/store/captureStore';

export type ExportFormat = 'native' | 'normalized';

export interface ExportedText {
  text: string;
  /** Suggested file extension, with the dot. */
  extension: '.jsonl' | '.json';
  /** Plain-English description for a save dialog filter. */
  description: string;
}

function byStart(a: Span, b: Span): number {
  return a.startTime - b.startTime;
}

/** Trace records first, then span items in start order; one JSON object per line. */
function exportOpenAiJsonl(captured: CapturedSession, raws: Map<Span, unknown>): string {
  const lines: string[] = [];
  for (const t of captured.traces) lines.push(stringifyJson(t));
  for (const span of [...captured.spans].sort(byStart)) {
    const raw = raws.get(span);
    if (raw !== undefined) lines.push(stringifyJson(raw));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** One ExportTraceServiceRequest; spans regrouped under the resource and scope they came with. */
function exportOtlpJson(captured: CapturedSession, raws: Map<Span, unknown>): string {
  const resources = new Map<unknown, Map<unknown, unknown[]>>();
  for (const span of [...captured.spans].sort(byStart)) {
    const raw = raws.get(span);
    if (raw === undefined) continue;
    const origin = captured.otlpOrigin(span);
    const resource = origin?.resource ?? NONE;
    const scope = origin?.scope ?? NONE;
    let scopes = resources.get(resource);
    if (!scopes) resources.set(resource, (scopes = new Map()));
    let spans = scopes.get(scope);
    if (!spans) scopes.set(scope, (spans = []));
    spans.push(raw);
  }
  const resourceSpans = [...resources.entries()].map(([resource, scopes]) => ({
    ...(resource === NONE ? {} : { resource }),
    scopeSpans: [...scopes.entries()].map(([scope, spans]) => ({ ...(scope === NONE ? {} : { scope }), spans })),
  }));
  return stringifyJson({ resourceSpans }) + '\n';
}

const NONE = Symbol('none');

/**
 * A captured session in the chosen format; undefined when the session is
 * unknown. The native form reads the spans' records again from the capture
 * log (or the JSON Lines file) where they are not held.
 */
export async function exportCapturedSession(store: CaptureStore, sessionId: string, format: ExportFormat, backendId = CAPTURE_BACKEND_ID): Promise<ExportedText | undefined> {
  const captured = store.getCaptured(sessionId, backendId);
  if (!captured) return undefined;
  if (format === 'normalized') {
    return { text: serializeSessionExport(buildSessionExport(captured.session, captured.spans)), extension: '.json', description: 'Span Inspector session export' };
  }
  const raws = await store.rawRecords(captured.spans);
  return captured.source === 'openai'
    ? { text: exportOpenAiJsonl(captured, raws), extension: '.jsonl', description: 'OpenAI Agents SDK tracing items (JSONL)' }
    : { text: exportOtlpJson(captured, raws), extension: '.json', description: 'OTLP JSON (ExportTraceServiceRequest)' };
}
