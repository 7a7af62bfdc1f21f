// OpenTelemetry GenAI semantic conventions (`gen_ai.*`).
// Owned by the live-capture work; also used for Agno and OTLP files.
import type { Span } from '../../model/types';

export function decodeGenAi(rest: Record<string, unknown>, span: Span): void {
  void rest;
  void span;
}
