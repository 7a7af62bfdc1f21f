// Which backend reads a trace file opened as a document: a cheap look at its
// first bytes, so the right existing decoder (openaiAgents, otlp, file) does
// the real work. Pure: no `vscode`.
import type { BackendType } from '../model/types';

export type TraceFileType = Extract<BackendType, 'openaiAgents' | 'otlp' | 'file'>;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function classify(v: unknown): TraceFileType | undefined {
  if (!isObject(v)) return undefined;
  if (Array.isArray(v.resourceSpans) || Array.isArray(v.resource_spans)) return 'otlp';
  if (isObject(v.session) && Array.isArray(v.spans)) return 'file';
  const items = Array.isArray(v.data) ? v.data : [v];
  if (items.some((i) => isObject(i) && (i.object === 'trace' || i.object === 'trace.span'))) return 'openaiAgents';
  return undefined;
}

/**
 * The backend type for a file's text (its first few hundred KB are enough):
 * JSONL is judged by its first parsable line, a pretty-printed document by
 * its top-level keys.
 */
export function detectTraceFile(head: string): TraceFileType | undefined {
  const text = head.replace(/^\uFEFF/, '');
  // One JSON document (possibly pretty-printed and cut at the head's end): look at its top-level keys.
  try {
    const whole = classify(JSON.parse(text));
    if (whole) return whole;
  } catch {
    // JSONL, or a document cut by the head limit
  }
  let lines = 0;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t) continue;
    if (++lines > 20) break;
    try {
      const kind = classify(JSON.parse(t));
      if (kind) return kind;
    } catch {
      break; // a pretty-printed document: fall through to the key sniffing below
    }
  }
  const top = text.slice(0, 64 * 1024);
  if (/^\s*\{\s*"resource_?[sS]pans"\s*:/.test(top)) return 'otlp';
  if (/^\s*\{\s*"session"\s*:\s*\{/.test(top) && /\n\s{0,2}"spans"\s*:\s*\[/.test(text)) return 'file';
  if (/"object"\s*:\s*"trace(?:\.span)?"/.test(top)) return 'openaiAgents';
  return undefined;
}
