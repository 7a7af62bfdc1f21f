// OpenInference (Arize) conventions: flattened `llm.*`, `tool.*`, `input.value`…
// Owned by the Agno backend work; also used for OTLP spans.
import type { Span } from '../../model/types';

export function decodeOpenInference(rest: Record<string, unknown>, span: Span): void {
  void rest;
  void span;
}
