import { DEEPER, isDeeper, stringifyJson } from '../src/model/json';
import { t } from './strings';

// JSON helpers without a DOM: a linear tokenizer for syntax colouring (the
// Raw tab's text and tool payloads), and the decision whether a value is
// shown as a JSON tree or as text. Tolerant: malformed input still tokenizes
// (unknown characters become `error` tokens) so nothing is hidden.

export type JsonTokenType = 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punct' | 'ws' | 'error';

export interface JsonToken {
  type: JsonTokenType;
  text: string;
}

const enum C {
  Space = 32,
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Quote = 34,
  Backslash = 92,
  Colon = 58,
  Minus = 45,
  Plus = 43,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  LowerE = 101,
  UpperE = 69,
}

function isWs(c: number): boolean {
  return c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab;
}

function isNumberChar(c: number): boolean {
  return (c >= C.Zero && c <= C.Nine) || c === C.Dot || c === C.LowerE || c === C.UpperE || c === C.Plus || c === C.Minus;
}

/** `{ } [ ] , :` */
function isPunct(c: number): boolean {
  return c === 123 || c === 125 || c === 91 || c === 93 || c === 44 || c === C.Colon;
}

/** Splits JSON text into tokens whose texts concatenate back to the input exactly. Linear, no regexes. */
export function tokenizeJson(src: string): JsonToken[] {
  const out: JsonToken[] = [];
  const n = src.length;
  let i = 0;
  let errorStart = -1;
  const flushError = () => {
    if (errorStart >= 0) {
      out.push({ type: 'error', text: src.slice(errorStart, i) });
      errorStart = -1;
    }
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    let type: JsonTokenType | undefined;
    let j = i + 1;
    if (isWs(c)) {
      while (j < n && isWs(src.charCodeAt(j))) j++;
      type = 'ws';
    } else if (c === C.Quote) {
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === C.Quote || d === C.Lf) break;
        j += d === C.Backslash ? 2 : 1;
      }
      j = Math.min(j + 1, n);
      // A string followed by ':' (after optional spaces) is an object key.
      let k = j;
      while (k < n && (src.charCodeAt(k) === C.Space || src.charCodeAt(k) === C.Tab)) k++;
      type = src.charCodeAt(k) === C.Colon ? 'key' : 'string';
    } else if (isPunct(c)) {
      type = 'punct';
    } else if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) {
      while (j < n && isNumberChar(src.charCodeAt(j))) j++;
      type = 'number';
    } else if (src.startsWith('true', i)) {
      j = i + 4;
      type = 'boolean';
    } else if (src.startsWith('false', i)) {
      j = i + 5;
      type = 'boolean';
    } else if (src.startsWith('null', i)) {
      j = i + 4;
      type = 'null';
    }
    if (type === undefined) {
      // Unknown characters are kept (as one error run), never dropped.
      if (errorStart < 0) errorStart = i;
      i++;
      continue;
    }
    flushError();
    out.push({ type, text: src.slice(i, j) });
    i = j;
  }
  flushError();
  return out;
}

/**
 * Tool arguments and results often arrive as JSON text ("{\"city\":\"Paris\"}").
 * Returns the parsed object/array when the string is one, else the value itself.
 */
export function parseIfJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (t.length < 2 || t.length > 5_000_000 || !((t[0] === '{' && t.endsWith('}')) || (t[0] === '[' && t.endsWith(']')))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

/** Pretty text for copying; never throws, any depth (cut-off subtrees are copied whole). */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isDeeper(value)) return value[DEEPER];
  return stringifyJson(value, { indent: 2, repeated: 'cycle' });
}

/** A one-line preview of a collapsed object/array: `{ city, units }`, `[3 items]`. */
export function jsonPreview(value: unknown): string {
  if (isDeeper(value)) return t('deeperLevels', value[DEEPER].length.toLocaleString('en-US'));
  if (Array.isArray(value)) return t(value.length === 1 ? 'arrayItem' : 'arrayItems', value.length);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 4).join(', ');
    return `{ ${shown}${keys.length > 4 ? `, ${t('moreKeys', keys.length - 4)}` : ''} }`;
  }
  return String(value);
}

export type JsonLeafType = 'string' | 'number' | 'boolean' | 'null' | 'other';

export function leafType(v: unknown): JsonLeafType {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'other';
}

/** How a leaf is printed inside the tree: strings quoted like JSON. */
export function leafText(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  return String(v);
}
