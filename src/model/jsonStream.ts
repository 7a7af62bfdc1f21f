// Streamed reading of one big JSON document: the elements of the array under
// one key of the top-level object (`{"session":…, "spans":[ … ]}`) come out
// one by one while the bytes arrive, as byte ranges, so the first of them can
// be parsed and shown before the rest of a 200 MB file is read, and none has
// to be held until it is wanted (the reader reads its bytes again then). The
// splitter only finds element boundaries (strings, escapes and nesting); each
// element is then parsed by JSON.parse as usual, so values are exactly what a
// whole parse gives. Everything outside the array is kept as text: `head()`
// is the document up to the array (the session, when it comes first) and
// `rest()` the whole document with the array emptied.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

/** An element's bytes in the document: [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonArraySplitter {
  /** Nesting depth before the current byte (1 = inside the top-level object). */
  private depth = 0;
  private inString = false;
  /** The previous byte was a backslash inside a string (across chunks). */
  private escaped = false;
  /** Depth-1 key being read (its bytes), and the last complete one. */
  private keyParts: Buffer[] | undefined;
  private lastKey = '';
  private expectKey = false;
  /** 0: not in the array yet, 1: inside it, 2: after it. */
  private phase: 0 | 1 | 2 = 0;
  /** Where the element being read starts in the document; undefined between elements. */
  private element: number | undefined;
  /** Bytes of the document before the current chunk. */
  private offset = 0;
  private readonly outside: Buffer[] = [];
  private headText: string | undefined;
  /** The document's first byte decides: only a top-level object is streamed. */
  private topLevel: number | undefined;

  constructor(private readonly key: string) {}

  /** false when the document is not an object (e.g. an array of exports): parse it whole instead. */
  get streamable(): boolean {
    return this.topLevel === undefined || this.topLevel === OPEN_OBJ;
  }

  /** True once the array has started: head() is available. */
  get started(): boolean {
    return this.phase > 0;
  }

  /** The document up to the array, closed so it parses (`{"session":{…},"spans":[]}`). */
  head(): string | undefined {
    return this.headText;
  }

  /** The whole document with the array emptied; call after the last chunk. */
  rest(): string {
    return Buffer.concat(this.outside).toString('utf8');
  }

  /** Feeds the next bytes (a buffer the caller does not reuse: parts of it are kept); returns where every element completed by them lies. */
  push(chunk: Buffer): ByteRange[] {
    const out: ByteRange[] = [];
    const n = chunk.length;
    const base = this.offset;
    this.offset += n;
    let i = 0;
    // Where the current run of bytes started (element bytes or outside bytes).
    let from = 0;
    if (this.topLevel === undefined) {
      while (i < n && isSpace(chunk[i])) i++;
      if (i < n) this.topLevel = chunk[i];
    }
    if (!this.streamable) {
      this.outside.push(chunk);
      return out;
    }
    while (i < n) {
      if (this.inString) {
        // To the closing quote, stepping over escapes: a plain loop (a native search per string costs more for the many short keys).
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        let q = i;
        while (q < n) {
          const d = chunk[q];
          if (d === QUOTE) break;
          q += d === BACKSLASH ? 2 : 1;
        }
        if (q >= n) {
          // The string goes on in the next chunk; q past the end: it starts with an escaped byte.
          this.escaped = q > n;
          if (this.keyParts) this.keyParts.push(chunk.subarray(i, n));
          i = n;
          continue;
        }
        if (this.keyParts) {
          this.keyParts.push(chunk.subarray(i, q));
          this.lastKey = Buffer.concat(this.keyParts).toString('utf8');
          this.keyParts = undefined;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const c = chunk[i];
      if (this.phase === 1 && this.depth === 2 && this.element === undefined && !isSpace(c) && c !== COMMA && c !== CLOSE_ARR) {
        // An element starts: the bytes before it belong outside.
        this.outside.push(chunk.subarray(from, i));
        this.element = base + i;
        from = i;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.keyParts = [];
          this.expectKey = false;
        }
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        this.depth++;
        if (this.depth === 1) this.expectKey = true;
        if (c === OPEN_ARR && this.depth === 2 && this.phase === 0 && this.lastKey === this.key) {
          this.phase = 1;
          this.outside.push(chunk.subarray(from, i + 1));
          from = i + 1;
          const head = Buffer.concat(this.outside).toString('utf8');
          this.headText = `${head}]}`;
        }
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (this.phase === 1 && this.depth === 2) {
          // The array ends (c is `]`): finish the last element.
          if (this.element !== undefined) {
            out.push({ start: this.element, end: base + i });
            this.element = undefined;
            from = i;
          }
          this.phase = 2;
        }
        this.depth--;
      } else if (c === COMMA) {
        if (this.depth === 1) this.expectKey = true;
        else if (this.phase === 1 && this.depth === 2) {
          if (this.element !== undefined) {
            out.push({ start: this.element, end: base + i });
            this.element = undefined;
          }
          // The comma between elements is dropped from the outside text.
          from = i + 1;
        }
      } else if (c === COLON && this.depth === 1) {
        this.expectKey = false;
      }
      i++;
    }
    if (from < n && this.element === undefined) this.outside.push(chunk.subarray(from, n));
    return out;
  }
}
