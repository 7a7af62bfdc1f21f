// Streams a session's waterfall rows to the webview incrementally: each
// LoadedSession update sends only rows not sent yet, plus rows whose parent
// changed (an orphan adopted by a parent that arrived later). A swapped forest
// (reload) or a recreated webview starts over.
import type { ForestBuilder, SpanNode } from '../model/tree';
import { PLAUSIBLE_DURATION_MS, plausibleTime, timingProblems } from '../model/time';
import type { Span } from '../model/types';
import type { SpanRow } from '../protocol';

/** Span names are untrusted and unbounded; the waterfall shows one line. */
const MAX_NAME = 200;

export function toRow(node: SpanNode): SpanRow {
  const span = node.span;
  // Absurd times (1e301, negative, year 9999, end before start) stay off the
  // time axis — one of them would squeeze every other bar to nothing — and
  // the row carries what is wrong instead.
  const start = validTime(span.startTime);
  let end = validTime(span.endTime);
  if (end < start) end = -1;
  const d = span.durationMs;
  if (end < 0 && start >= 0 && typeof d === 'number' && d >= 0 && d <= PLAUSIBLE_DURATION_MS && span.endTime === undefined) {
    end = start + d;
  }
  const name = span.name.length > MAX_NAME ? `${span.name.slice(0, MAX_NAME - 1)}…` : span.name;
  const row: SpanRow = [node.key, node.parent?.key ?? '', name, span.kind, span.status, start, end];
  const problems = timingProblems(span);
  const timing = problems.length ? problems.join('; ') : undefined;
  // Only roots carry the trace id (their descendants join their lane): 100k rows stay small.
  if (!node.parent && span.traceId) row.push(timing ?? '', span.traceId);
  else if (timing) row.push(timing);
  return row;
}

/** -1 marks "unknown" (0, the coercion default, included) or not a plausible time. */
function validTime(t: number | undefined): number {
  return plausibleTime(t) ? t : -1;
}

export interface RowBatch {
  reset: boolean;
  rows: SpanRow[];
  /** Rows are left for the next call (the batch stopped at its limit). */
  more: boolean;
}

/**
 * What the streamer reads: a ForestBuilder. `nodesFrom` (nodes in arrival
 * order from a position) makes each update cost only the new spans, never a
 * walk of the whole forest (62 ms per update at 100k spans).
 */
export interface RowSource {
  readonly size: number;
  get(key: string): SpanNode | undefined;
  nodesFrom(from: number): Iterable<SpanNode>;
}

export class RowStreamer {
  private forest: RowSource | undefined;
  /** Nodes sent so far, in the forest's arrival order (no per-key map: a million keys cost ~40 MB). */
  private sent = 0;
  /**
   * Sent keys that were orphans (parent not loaded): the only rows whose
   * parent can change, as ForestBuilder only ever gives a parent to an orphan.
   */
  private readonly orphans = new Set<string>();

  /** Forget everything sent: the next batch is a full reset (webview recreated). */
  reset(): void {
    this.forest = undefined;
  }

  /**
   * Rows to send for the forest's current content, at most about `limit` new
   * ones (the next call continues); `undefined` when nothing changed.
   */
  next(forest: RowSource, limit = Infinity): RowBatch | undefined {
    let reset = false;
    if (forest !== this.forest) {
      this.forest = forest;
      this.sent = 0;
      this.orphans.clear();
      reset = true;
    }
    const rows: SpanRow[] = [];
    // Re-send adopted orphans (cheap: only looks at former orphans). One that
    // stopped being an orphan without a parent closed a cycle and stays a root.
    for (const key of this.orphans) {
      const node = forest.get(key);
      if (node && !node.orphan) {
        this.orphans.delete(key);
        if (node.parent) rows.push(toRow(node));
      }
    }
    if (this.sent < forest.size) {
      for (const node of forest.nodesFrom(this.sent)) {
        if (rows.length >= limit) break;
        this.sent++;
        if (node.orphan) this.orphans.add(node.key);
        rows.push(toRow(node));
      }
    }
    return reset || rows.length ? { reset, rows, more: this.sent < forest.size } : undefined;
  }
}

/** The spans of a forest in tree order with their keys. */
export function* keyedSpans(forest: Pick<ForestBuilder, 'walk'>): Generator<{ key: string; span: Span }> {
  for (const { node } of forest.walk()) {
    yield { key: node.key, span: node.span };
  }
}
