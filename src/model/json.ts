// JSON without recursion, for values whose shape is untrusted: a tool argument
// nested 20,000 levels deep makes JSON.stringify throw (it recurses) and any
// recursive walk overflow the stack. Everything here uses explicit stacks.
// Also exact parsing: integers beyond 2^53 in JSON text are kept as their
// digits (strings) instead of being rounded by JSON.parse. Pure, no imports:
// shared by the host and the webview bundle.

export interface StringifyOptions {
  /** Spaces per level (as JSON.stringify's third argument); 0 or absent: one line. */
  indent?: number;
  /** Stop once the text is longer than this (the result ends with "…"). */
  maxChars?: number;
  /**
   * An object met again: 'cycle' marks only one on its own path (a cycle; shared
   * subtrees are written twice, as JSON.stringify would); 'all' marks every repeat.
   */
  repeated?: 'cycle' | 'all';
}

interface Frame {
  value: object;
  keys: string[] | undefined;
  i: number;
  /** Characters written for this container's items so far (decides the comma). */
  count: number;
  pad: string;
  /** Items are written on one line (nesting deeper than INDENT_LEVELS). */
  compact: boolean;
}

/**
 * Levels that get their own indentation; deeper ones are written on one line.
 * Indenting every level of a 20,000-deep value would take 400 million spaces.
 */
const INDENT_LEVELS = 64;

/** What a leaf becomes, or undefined when it is skipped (undefined, functions, symbols). */
function leaf(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return v === null ? 'null' : undefined;
  }
}

/** A value's toJSON (Dates) applied, byte arrays summarized; never throws. */
function prepare(v: unknown, key: string): unknown {
  if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
  if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    try {
      return (v as { toJSON(k: string): unknown }).toJSON(key);
    } catch {
      return String(Object.prototype.toString.call(v));
    }
  }
  return v;
}

/**
 * JSON text like `JSON.stringify(value, null, indent)`, for values of any
 * depth; never throws. bigint is written as its digits in a string; byte
 * arrays are summarized ("<n bytes>") in the Raw tab's mode (`repeated: 'all'`)
 * and when the value is too deep or cyclic for the native writer.
 */
export function stringifyJson(value: unknown, opts: StringifyOptions = {}): string {
  if (opts.maxChars === undefined) {
    // The native serializer is ten times faster; it throws on nesting it cannot recurse through
    // (RangeError) and on cycles (TypeError), and then the iterative one below takes over.
    if (opts.repeated !== 'all') {
      // Plain data (exports): no replacer at all, the fastest path.
      try {
        return JSON.stringify(value, null, opts.indent) ?? 'null';
      } catch {
        return stringifyIteratively(value, opts);
      }
    }
    const seen = new WeakSet<object>();
    try {
      return (
        JSON.stringify(
          value,
          function (_key, v: unknown) {
            if (typeof v === 'bigint') return v.toString();
            if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
            if (opts.repeated === 'all' && v && typeof v === 'object') {
              if (seen.has(v)) return '[repeated reference]';
              seen.add(v);
            }
            return v;
          },
          opts.indent,
        ) ?? 'null'
      );
    } catch {
      // fall through
    }
  }
  return stringifyIteratively(value, opts);
}

function stringifyIteratively(value: unknown, opts: StringifyOptions): string {
  const indent = opts.indent ? ' '.repeat(opts.indent) : '';
  const max = opts.maxChars ?? Infinity;
  const repeatedAll = opts.repeated === 'all';
  const out: string[] = [];
  let length = 0;
  const write = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const onPath = new Set<object>();
  const seen = new WeakSet<object>();
  const stack: Frame[] = [];

  /** Writes a scalar, or opens a container (pushed on the stack). */
  const begin = (raw: unknown, key: string, pad: string): boolean => {
    const v = prepare(raw, key);
    if (v === null || typeof v !== 'object') {
      const s = leaf(v);
      if (s === undefined) return false;
      write(s);
      return true;
    }
    if (onPath.has(v) || (repeatedAll && seen.has(v))) {
      write(JSON.stringify(repeatedAll ? '[repeated reference]' : '[cycle]'));
      return true;
    }
    onPath.add(v);
    if (repeatedAll) seen.add(v);
    const isArray = Array.isArray(v);
    let keys: string[] | undefined;
    try {
      keys = isArray ? undefined : Object.keys(v);
    } catch {
      keys = [];
    }
    write(isArray ? '[' : '{');
    stack.push({ value: v, keys, i: 0, count: 0, pad, compact: !indent || stack.length >= INDENT_LEVELS });
    return true;
  };

  if (!begin(value, '', '')) return 'null';
  while (stack.length) {
    if (length > max) break;
    const top = stack[stack.length - 1];
    const isArray = top.keys === undefined;
    const size = isArray ? (top.value as unknown[]).length : top.keys!.length;
    if (top.i >= size) {
      stack.pop();
      onPath.delete(top.value);
      if (top.count && !top.compact) write(`\n${top.pad}`);
      write(isArray ? ']' : '}');
      continue;
    }
    const i = top.i++;
    const inner = top.compact ? top.pad : top.pad + indent;
    const sep = (top.count ? ',' : '') + (top.compact ? '' : `\n${inner}`);
    let item: unknown;
    const key = isArray ? String(i) : top.keys![i];
    try {
      item = (top.value as Record<string, unknown>)[key];
    } catch {
      item = '[unreadable]';
    }
    if (isArray) {
      const p = prepare(item, key);
      // Arrays write null for what objects skip.
      if (p !== null && typeof p !== 'object' && leaf(p) === undefined) item = null;
      write(sep);
      begin(item, key, inner);
      top.count++;
    } else {
      const p = prepare(item, key);
      if (p !== null && typeof p !== 'object' && leaf(p) === undefined) continue;
      write(`${sep}${JSON.stringify(key)}:${top.compact ? '' : ' '}`);
      begin(item, key, inner);
      top.count++;
    }
  }
  const text = out.join('');
  return length > max ? `${text.slice(0, max)}…` : text;
}

/** How many levels of objects/arrays a value nests (0 for a scalar); stops counting at `cap`. */
export function jsonDepth(value: unknown, cap = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const onStack = new Set<object>();
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object' || v instanceof Uint8Array) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest >= cap) return deepest;
    if (onStack.has(v)) continue;
    onStack.add(v);
    for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return deepest;
}

/** The key of the placeholder that stands for a subtree cut off by `limitDepth`. */
export const DEEPER = '\u2026deeper';

/** A subtree cut off by `limitDepth`: its JSON text, shown on request ("Show deeper"). */
export interface DeeperValue {
  [DEEPER]: string;
}

export function isDeeper(v: unknown): v is DeeperValue {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === DEEPER && typeof (v as Record<string, unknown>)[DEEPER] === 'string';
}

/**
 * A copy of `value` where every object/array `max` levels down is replaced by
 * a DeeperValue holding its JSON text, so the result can cross postMessage
 * (VS Code serializes messages with the recursive JSON.stringify) and be
 * walked by recursive code. Returns `value` itself when it is shallow enough.
 */
export function limitDepth<T>(value: T, max: number): T {
  if (jsonDepth(value, max + 1) <= max) return value;
  const rootBox: { v: unknown } = { v: undefined };
  const stack: { src: unknown; set: (v: unknown) => void; depth: number }[] = [{ src: value, set: (v) => (rootBox.v = v), depth: 0 }];
  while (stack.length) {
    const { src, set, depth } = stack.pop()!;
    if (!src || typeof src !== 'object' || src instanceof Uint8Array) {
      set(src);
      continue;
    }
    if (depth >= max) {
      set({ [DEEPER]: stringifyJson(src, { repeated: 'cycle' }) });
      continue;
    }
    if (Array.isArray(src)) {
      const copy = new Array<unknown>(src.length);
      set(copy);
      for (let i = 0; i < src.length; i++) stack.push({ src: src[i], set: (v) => (copy[i] = v), depth: depth + 1 });
    } else {
      const copy: Record<string, unknown> = {};
      set(copy);
      for (const k of Object.keys(src)) {
        stack.push({
          src: (src as Record<string, unknown>)[k],
          // defineProperty: a "__proto__" key is data, not the prototype.
          set: (v) => Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true }),
          depth: depth + 1,
        });
      }
    }
  }
  return rootBox.v as T;
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact, as their digit strings
 * ("18446744073709551615"); everything else parses as usual. Only text with a
 * run of 16+ digits outside strings pays for the extra scan.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(MAYBE_BIG_INTEGER.test(text) ? quoteBigIntegers(text) : text);
}

/**
 * A run of 16+ digits where a number literal can stand (first in the text, or after
 * `:`, `[` or `,`). Digits inside strings (ids, nanosecond timestamps) rarely match,
 * so most texts skip the scan below; a string that does match only costs the scan.
 */
const MAYBE_BIG_INTEGER = /(?:^|[:[,])\s*-?\d{16}/;

/** Wraps integer literals that JSON.parse would round in quotes (strings are left alone). */
function quoteBigIntegers(text: string): string {
  const parts: string[] = [];
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip a string literal.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = c === 45 ? i + 1 : i;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const k = text.charCodeAt(j);
      const integer = k !== 46 && k !== 101 && k !== 69; // no fraction or exponent
      if (integer && j - i >= 16 && !Number.isSafeInteger(Number(text.slice(i, j)))) {
        parts.push(text.slice(from, i), '"', text.slice(i, j), '"');
        from = j;
      } else {
        // Skip the rest of the number (fraction, exponent).
        while (j < n && /[0-9.eE+-]/.test(text[j])) j++;
      }
      i = j - 1;
    }
  }
  if (!parts.length) return text;
  parts.push(text.slice(from));
  return parts.join('');
}
