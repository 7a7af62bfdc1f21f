// Tool calls and their results often live on different spans: the model's
// span holds the call (a toolUse part, with the arguments), the next model
// span holds the result (a toolResult part), and a separate tool span
// (OTel GenAI `execute_tool`, `gen_ai.tool.call.id`) only the call id when
// content capture is off for it. Pairing by call id fills the tool span's
// empty arguments/result from the transcripts, in one linear pass.
import type { Part, Span } from './types';

/** The spans with tool slots completed from matching transcript parts; unchanged spans are returned as is. */
export function pairToolCalls(spans: readonly Span[]): Span[] {
  const pairs = new ToolPairs();
  let toolSpans = 0;
  for (const s of spans) {
    if (s.tool?.callId) toolSpans++;
    pairs.learn(s);
  }
  return toolSpans ? spans.map((s) => pairs.complete(s)) : (spans as Span[]);
}

/**
 * The calls and results seen in transcripts so far, by call id, for readers that get
 * spans a few at a time (a file streamed in chunks): `learn` each span once as it
 * arrives, `complete` a tool span when it is to be shown.
 */
export class ToolPairs {
  private readonly uses = new Map<string, unknown>();
  private readonly results = new Map<string, Part[]>();

  learn(s: Span): void {
    for (const list of [s.input, s.output]) {
      for (const m of list ?? []) {
        for (const p of m.parts ?? []) {
          if (p?.type === 'toolUse' && p.id && !this.uses.has(p.id)) this.uses.set(p.id, p.arguments);
          else if (p?.type === 'toolResult' && p.id && !this.results.has(p.id)) this.results.set(p.id, p.parts);
        }
      }
    }
  }

  /** The span with its empty tool arguments/result filled from what was learned; the span itself when nothing applies. */
  complete(s: Span): Span {
    const id = s.tool?.callId;
    if (!s.tool || !id) return s;
    const args = s.tool.arguments === undefined && this.uses.has(id) ? this.uses.get(id) : undefined;
    const parts = s.tool.result === undefined ? this.results.get(id) : undefined;
    if (args === undefined && parts === undefined) return s;
    const tool = { ...s.tool };
    if (args !== undefined) tool.arguments = args;
    if (parts !== undefined) tool.result = resultOf(parts);
    return { ...s, tool };
  }
}

/** A result of one text part is that text; anything else stays as its parts. */
function resultOf(parts: Part[]): unknown {
  return parts.length === 1 && parts[0].type === 'text' ? parts[0].text : parts;
}
