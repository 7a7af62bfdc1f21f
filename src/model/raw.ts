// The original wire record of a span, for the panel's "Raw" tab. Kept beside
// the span (not inside it) so exports stay in the normalized format and no
// copy is made: the map holds a reference to the already-parsed object.
import type { Span } from './types';

const raw = new WeakMap<Span, unknown>();

export function setRaw(span: Span, record: unknown): Span {
  raw.set(span, record);
  return span;
}

export function getRaw(span: Span): unknown {
  return raw.get(span);
}
