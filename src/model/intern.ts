// Shares one copy of repeated strings while a session loads.
//
// Agent traces repeat themselves: every LLM call carries the system prompt and
// the conversation so far, tool results come back as the next call's input,
// and every span repeats its session id, trace id, model, provider and tool
// names, and its parent's id. JSON.parse gives each occurrence its own string,
// so a 100k-span session holds the same text many times over. Replacing equal
// strings by one instance (in the parsed wire record, in place, before it is
// decoded) keeps the raw record and the normalized span pointing at a single
// copy: 20–30% less heap for a loaded 100k-span benchmark session from long
// strings alone (Q Connect 467 → 370 MB, export file 370 → 260 MB), and a
// quarter less again from the short ones (export file 250 → 188 MB).
// Cost: one hash per string, ≈ 0.3× the JSON.parse time of the same bytes
// (bench: BENCH_NO_INTERN=1 node --import tsx bench/floor.ts …); a pool that
// finds little repetition in the first megabytes turns itself off. Equal
// strings are indistinguishable, so nothing observable changes.

/**
 * Bounds the pool's own memory on pathological inputs. A 100k-span session
 * already has ~440,000 distinct strings (every span, message and call id), so
 * a bound of 500,000 stopped pooling halfway through a million-span session
 * and its second half kept a copy of every transcript text: 2.37 GB of heap
 * instead of 1.90 GB. The pool lives only while a session decodes (the capture
 * store's until it evicts), and V8's Map holds at most 2^24 entries.
 */
const MAX_ENTRIES = 8_000_000;

/** After this many characters of distinct strings, a pool that found few repeats switches itself off. */
const PROBE_CHARS = 8_000_000;
const MIN_REPEAT_SHARE = 0.1;

export class StringPool {
  private readonly pool = new Map<string, string>();
  private distinct = 0;
  private repeated = 0;
  private enabled = true;

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** Distinct strings pooled so far. */
  get size(): number {
    return this.pool.size;
  }

  /** False once the pool has given up on data without repetition. */
  get active(): boolean {
    return this.enabled;
  }

  /** The pooled instance equal to `s` (or `s` itself, now pooled). */
  intern(s: string): string {
    if (!this.enabled) return s;
    const found = this.pool.get(s);
    if (found !== undefined) {
      this.repeated += s.length;
      return found;
    }
    this.distinct += s.length;
    if (this.distinct > PROBE_CHARS && this.repeated < this.distinct * MIN_REPEAT_SHARE) {
      // Data without repetition: hashing every string would cost time for nothing.
      this.enabled = false;
      this.pool.clear();
    } else if (this.pool.size < this.maxEntries) {
      this.pool.set(s, s);
    }
    return s;
  }

  /**
   * Interns every string inside a parsed JSON value, in place, and
   * returns the value. Iterative, so deeply nested payloads cannot overflow
   * the stack.
   */
  internDeep<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const stack: object[] = [value as object];
    while (stack.length) {
      const o = stack.pop() as Record<string, unknown> | unknown[];
      if (Array.isArray(o)) {
        for (let i = 0; i < o.length; i++) {
          const v = o[i];
          if (typeof v === 'string') {
            o[i] = this.intern(v);
          } else if (v !== null && typeof v === 'object') {
            stack.push(v);
          }
        }
      } else {
        for (const k in o) {
          const v = o[k];
          if (typeof v === 'string') {
            o[k] = this.intern(v);
          } else if (v !== null && typeof v === 'object') {
            stack.push(v);
          }
        }
      }
    }
    return value;
  }
}
