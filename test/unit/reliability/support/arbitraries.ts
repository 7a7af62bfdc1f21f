// Generators of hostile input for the decoder and tree properties, and the
// checker every decoded span must pass.
//
// Wire data is parsed JSON, so objects may have an OWN "__proto__" key and
// enum-like strings may be "constructor" or "toString": lookups in plain
// object tables and `obj[key] = v` assignments are exactly what these break.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { SPAN_KINDS, type Part, type Span } from '../../../../src/model/types';

/** Keys that behave specially on plain objects. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__defineSetter__', 'isPrototypeOf', ''];

/** Strings that also hit enum tables: prototype names plus the values the decoders know. */
export function enumish(...known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known, ...NASTY_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
}

export const anyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_KEYS) },
);

/** An object with exactly these own entries, "__proto__" included (as JSON.parse makes it). */
export function objOf(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

export const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.constantFrom(...NASTY_KEYS, 'OK', 'ERROR', 'TIMEOUT', 'SUCCESS', 'text', 'tool_call', 'assistant', 'user'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e11, 1e20, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity, -0),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON-like value (plus NaN/±Infinity), objects with nasty keys. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 5 }).map(objOf),
  ),
})).value;

/**
 * An object built from a "shape": each known key is present or not, with its
 * typed arbitrary or any JSON; plus a few unknown (possibly nasty) extra keys.
 * Returns the extra keys too, so "nothing dropped" can be checked.
 */
export function shaped(known: Record<string, fc.Arbitrary<unknown>>, extraKeys: fc.Arbitrary<string> = anyKey): fc.Arbitrary<{ value: Record<string, unknown>; extras: string[] }> {
  const names = Object.keys(known);
  const members = names.map((k) => fc.option(fc.oneof({ weight: 4, arbitrary: known[k] }, { weight: 1, arbitrary: anyJson }), { nil: undefined, freq: 3 }));
  return fc
    .tuple(fc.tuple(...members), fc.uniqueArray(extraKeys.filter((k) => !names.includes(k)), { maxLength: 3 }), fc.array(anyJson, { minLength: 3, maxLength: 3 }))
    .map(([vals, extras, extraVals]) => {
      const entries: [string, unknown][] = [];
      names.forEach((k, i) => {
        if (vals[i] !== undefined) entries.push([k, vals[i]]);
      });
      extras.forEach((k, i) => entries.push([k, extraVals[i] ?? null]));
      return { value: objOf(entries), extras };
    });
}

/** Timestamps as hostile as the wire allows. */
export const timestamp: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000 }),
  fc.double({ min: -1e20, max: 1e20 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, 1e11, 8.64e15, 1e300, '1759276800', '2025-06-01T10:00:00Z', '2025-06-01 10:00:00', 'not a date', '', '9'.repeat(400)),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);

// ---------------------------------------------------------------------------
// The contract every decoder's output must meet.

const STATUSES = ['ok', 'error', 'timeout', 'cancelled', 'unset'];
const GUARD_ACTIONS = ['none', 'blocked', 'masked', 'triggered'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function optType(span: Span, key: keyof Span, type: string): void {
  const v = span[key];
  if (v !== undefined) assert.equal(typeof v, type, `span.${String(key)} must be a ${type}, got ${typeof v}`);
}

export function checkPart(p: Part, where: string, depth = 0): void {
  assert.ok(isPlainObject(p), `${where}: a part must be an object`);
  switch (p.type) {
    case 'text':
    case 'reasoning':
      assert.equal(typeof p.text, 'string', `${where}: ${p.type} part text must be a string`);
      break;
    case 'toolUse':
      assert.equal(typeof p.id, 'string', `${where}: toolUse id`);
      assert.equal(typeof p.name, 'string', `${where}: toolUse name`);
      break;
    case 'toolResult':
      assert.equal(typeof p.id, 'string', `${where}: toolResult id`);
      assert.ok(Array.isArray(p.parts), `${where}: toolResult parts`);
      if (depth < 50) p.parts.forEach((q, i) => checkPart(q, `${where}.parts[${i}]`, depth + 1));
      break;
    case 'unknown':
      assert.ok('raw' in p, `${where}: unknown part keeps raw`);
      break;
    default:
      assert.fail(`${where}: part type ${JSON.stringify((p as { type: unknown }).type)} is not a model part type`);
  }
}

/**
 * The normalized-model contract. `deep` also checks messages/parts/guardrails
 * (decoders build those; the file backend's coerce passes them through as read).
 */
export function checkSpan(span: Span, opts: { deep?: boolean } = {}): void {
  assert.ok(isPlainObject(span), 'a span is a plain object');
  assert.equal(typeof span.id, 'string', 'span.id is a string');
  assert.equal(typeof span.sessionId, 'string', 'span.sessionId is a string');
  assert.equal(typeof span.name, 'string', 'span.name is a string');
  assert.ok(SPAN_KINDS.includes(span.kind), `span.kind ${String(span.kind)} is a SpanKind`);
  assert.ok(STATUSES.includes(span.status), `span.status ${String(span.status)} is a SpanStatus`);
  assert.equal(typeof span.startTime, 'number', 'span.startTime is a number');
  assert.ok(Number.isFinite(span.startTime), `span.startTime is finite (got ${span.startTime})`);
  optType(span, 'endTime', 'number');
  optType(span, 'durationMs', 'number');
  optType(span, 'parentId', 'string');
  optType(span, 'traceId', 'string');
  optType(span, 'statusMessage', 'string');
  assert.ok(isPlainObject(span.attributes), 'span.attributes is a plain object (prototype intact)');
  for (const key of ['model', 'usage', 'tool', 'prompt', 'agent'] as const) {
    if (span[key] !== undefined) assert.ok(isPlainObject(span[key]), `span.${key} is an object`);
  }
  for (const key of ['system', 'input', 'output', 'guardrails'] as const) {
    if (span[key] !== undefined) assert.ok(Array.isArray(span[key]), `span.${key} is an array`);
  }
  // Everything the panel receives is posted as JSON: it must serialize.
  assert.doesNotThrow(() => JSON.stringify(span), 'span serializes to JSON');
  if (!opts.deep) return;
  if (span.tool) assert.equal(typeof span.tool.name, 'string', 'span.tool.name is a string');
  for (const side of ['input', 'output'] as const) {
    span[side]?.forEach((m, i) => {
      assert.equal(typeof m.role, 'string', `${side}[${i}].role is a string`);
      assert.ok(Array.isArray(m.parts), `${side}[${i}].parts is an array`);
      m.parts.forEach((p, j) => checkPart(p, `${side}[${i}].parts[${j}]`));
    });
  }
  span.system?.forEach((p, i) => checkPart(p, `system[${i}]`));
  span.guardrails?.forEach((g, i) => {
    assert.equal(typeof g.name, 'string', `guardrails[${i}].name`);
    assert.ok(GUARD_ACTIONS.includes(g.action), `guardrails[${i}].action ${String(g.action)}`);
    assert.ok(Array.isArray(g.policies), `guardrails[${i}].policies`);
  });
  if (span.usage) {
    for (const [k, v] of Object.entries(span.usage)) assert.equal(typeof v, 'number', `usage.${k} is a number`);
  }
}

/** Each unknown wire key must survive as an OWN attribute (optionally prefixed). */
export function checkKept(span: Span, extras: string[], prefix = ''): void {
  for (const k of extras) {
    assert.ok(Object.prototype.hasOwnProperty.call(span.attributes, prefix + k), `unknown key ${JSON.stringify(k)} was dropped (expected attributes[${JSON.stringify(prefix + k)}])`);
  }
}

/** Runs `fn` and fails when one call takes longer than `ms` (super-linear paths). */
export function timed<T>(ms: number, what: string, fn: () => T): T {
  const t = performance.now();
  const out = fn();
  const took = performance.now() - t;
  assert.ok(took < ms, `${what} took ${Math.round(took)} ms (budget ${ms} ms)`);
  return out;
}
