// A session's span keys in (start_time, span_id) order without scanning the
// spans table: the session's runs (trace rows, few) are walked in start order
// and their spans' keys fetched a batch of runs at a time by trace_id (an index
// in Agno's schema). Agno writes a trace row's start_time as the MIN of its
// spans' starts, before the spans themselves (agno/tracing/exporter.py), so no
// span of a run not read yet can start before that run's start: keys below the
// next unread run's start are final and can be handed out.
/** A span key: `k` span id, `st` start (text, '' when missing). */
export interface SpanKey {
  k: string;
  st: string;
}

/** A run of the session: trace id and start time. */
export interface RunStart {
  id: string;
  st: string;
}

/** Reads the keys of the spans of these traces that come after `after`, in any order. */
export type FetchKeys = (traceIds: string[], after: [string, string] | undefined) => Promise<{ k?: unknown; st?: unknown }[]>;

/** Most runs per key query (bound parameters stay far below SQLite's and PostgreSQL's limits). */
const MAX_RUNS_PER_QUERY = 500;
/** Runs in the first key query, before the session's spans per run are known. */
const FIRST_RUNS = 8;

/**
 * Text order as SQLite's BINARY collation and PostgreSQL's COLLATE "C" compare
 * UTF-8 (code point order). JS `<` compares UTF-16 units, which differs only
 * between surrogates and U+E000–U+FFFF; the keyset cursor needs the SQL order.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      return sx !== sy ? (sx ? 1 : -1) : x - y;
    }
  }
  return a.length - b.length;
}

export function compareKeys(a: SpanKey, b: SpanKey): number {
  return compareText(a.st, b.st) || compareText(a.k, b.k);
}

/**
 * The lower bound a run puts on its spans' starts: its start cut to the whole
 * second ("YYYY-MM-DDTHH:MM:SS"). A prefix sorts before every string it starts,
 * so this only waits a little longer than the exact start, and it still holds
 * when the trace row and its spans spell fractions or the offset differently.
 */
function lowerBound(run: RunStart): string {
  return run.st.slice(0, 19);
}

export class SpanKeyWalk {
  private readonly runs: RunStart[];
  /** Index of the next run whose spans have not been read. */
  private next = 0;
  /** Keys read and not handed out yet, sorted. */
  private pending: SpanKey[] = [];
  private keysRead = 0;
  private lastBatch = 0;

  constructor(runs: RunStart[], private readonly after: [string, string] | undefined, private readonly fetch: FetchKeys) {
    this.runs = [...runs].sort((a, b) => compareText(a.st, b.st) || compareText(a.id, b.id));
  }

  /** Whether every key has been handed out. */
  get done(): boolean {
    return this.next >= this.runs.length && !this.pending.length;
  }

  /** The next (up to) `n` keys in order; fewer only at the end of the session. */
  async take(n: number): Promise<SpanKey[]> {
    while (this.final() < n && this.next < this.runs.length) await this.read(n - this.final());
    return this.pending.splice(0, Math.min(n, this.final()));
  }

  /** How many pending keys no unread run can precede. */
  private final(): number {
    if (this.next >= this.runs.length) return this.pending.length;
    const bound = lowerBound(this.runs[this.next]);
    let lo = 0;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareText(this.pending[mid].st, bound) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Reads the keys of the next runs: as many runs as `want` keys need, judging
   * by the runs read so far, and at least twice the last batch, so that a long
   * session takes a few dozen queries (each a round trip on PostgreSQL).
   */
  private async read(want: number): Promise<void> {
    const perRun = this.next ? Math.max(1, this.keysRead / this.next) : 0;
    const needed = perRun ? Math.ceil(want / perRun) + 1 : FIRST_RUNS;
    const count = Math.max(1, Math.min(MAX_RUNS_PER_QUERY, Math.max(needed, this.lastBatch * 2)));
    this.lastBatch = count;
    const batch = this.runs.slice(this.next, this.next + count);
    const rows = await this.fetch(batch.map((r) => r.id), this.after);
    this.next += batch.length;
    const keys = rows.map((r) => ({ k: String(r.k ?? ''), st: String(r.st ?? '') })).sort(compareKeys);
    this.keysRead += keys.length;
    this.pending = merge(this.pending, keys);
  }
}

function merge(a: SpanKey[], b: SpanKey[]): SpanKey[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out: SpanKey[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) out[o++] = compareKeys(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[o++] = a[i++];
  while (j < b.length) out[o++] = b[j++];
  return out;
}
