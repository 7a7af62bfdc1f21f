// The pure pieces of issue 17 on the pathological sessions of
// test/fixtures/pathological.ts: no recursion proportional to depth, absurd
// times kept off the waterfall axis and explained, numbers shown exactly.
import * as assert from 'node:assert/strict';
import { coerceSpan } from '../../../src/model/coerce';
import { parseJsonExact, stringifyJson } from '../../../src/model/json';
import { timingProblems } from '../../../src/model/time';
import { buildForest } from '../../../src/model/tree';
import type { Part, Span } from '../../../src/model/types';
import { buildSessionExport, serializeSessionExport } from '../../../src/model/sessionExport';
import { Conversation, type KeyedSpan } from '../../../src/panel/conversation';
import { toJsonText } from '../../../src/panel/rawJson';
import { keyedSpans, RowStreamer, toRow } from '../../../src/panel/rows';
import { searchSpans } from '../../../src/panel/search';
import { markdownToTree, treeText } from '../../../webview/markdown';
import { formatInt, pairTools, timingFields, usageFields } from '../../../webview/renderable';
import { SpanTreeModel } from '../../../webview/virtual';
import { useEnglishPanelStrings } from '../../support/panelStrings';
import { absurdNumbers, BIG_ATTR, BIG_TOKENS, chain, cycles, deepJson, duplicates, NEG_BIG, siblings, type PathoSession } from '../../fixtures/pathological';

const conversationOf = (spans: Iterable<KeyedSpan>) => new Conversation(spans).upTo(Infinity);

function load(s: PathoSession): Span[] {
  const doc = parseJsonExact(s.text()) as { spans: unknown[] };
  return doc.spans.map((v, i) => coerceSpan(v, s.id, i));
}

before(useEnglishPanelStrings);

describe('pathological sessions: host and model pieces', () => {
  for (const s of [chain(20_000), siblings(20_000), cycles(), duplicates()]) {
    it(`${s.name}: tree, rows, webview model, conversation, search and export keep every span`, async () => {
      const spans = load(s);
      const forest = buildForest(spans);
      assert.equal([...forest.walk()].length, spans.length, 'every span is in the forest');
      const batch = new RowStreamer().next(forest)!;
      assert.equal(batch.rows.length, spans.length);
      const model = new SpanTreeModel();
      model.apply(batch.rows);
      assert.equal(model.flatten(new Set()).length, spans.length, 'every row is visible in the waterfall');
      assert.equal((await conversationOf(keyedSpans(forest))).length, spans.filter((x) => x.kind === 'llm').length, 'one turn per LLM span');
      assert.equal(searchSpans(keyedSpans(forest), s.focus.replace(/~\d+$/, ''), 100_000).keys[0]?.replace(/~\d+$/, ''), s.focus.replace(/~\d+$/, ''));
      const exported = JSON.parse(serializeSessionExport(buildSessionExport({ backendId: 'b', id: s.id }, spans)));
      assert.equal(exported.spans.length, spans.length);
    });
  }

  it('the 20,000-deep chain nests 20,000 levels in the forest and the waterfall', () => {
    const spans = load(chain(20_000));
    const forest = buildForest(spans);
    let deepest = 0;
    for (const { depth } of forest.walk()) deepest = Math.max(deepest, depth);
    assert.equal(deepest, 19_999);
    const model = new SpanTreeModel();
    model.apply(new RowStreamer().next(forest)!.rows);
    model.flatten(new Set());
    assert.equal(model.get('c19999')!.depth, 19_999);
    assert.equal(model.ancestors('c19999').length, 19_999);
  });

  it('cycles and duplicates are reported with their explanation', () => {
    const forest = buildForest(load(cycles()));
    assert.ok(forest.issues.some((i) => i.kind === 'cycle' && i.message === 'span self is its own parent'));
    assert.ok(forest.issues.filter((i) => i.kind === 'cycle').length >= 100, 'every ring is broken once');
    const dups = buildForest(load(duplicates()));
    assert.ok(dups.issues.some((i) => i.message === 'duplicate span id d7 (kept as d7~3)'));
    assert.equal(dups.get('d7~3')!.duplicate, true);
  });

  it('JSON nested 20,000 deep: Raw text, export and search work; the value is exact', () => {
    const s = deepJson(20_000);
    const spans = load(s);
    const tool = spans.find((x) => x.id === 'deep-tool')!;
    assert.throws(() => JSON.stringify(tool), RangeError, 'JSON.stringify cannot take it');
    const raw = toJsonText(tool);
    assert.ok(raw.includes('"bottom"') && raw.length > 20_000);
    const text = serializeSessionExport(buildSessionExport({ backendId: 'b', id: s.id }, spans));
    assert.equal(stringifyJson(JSON.parse(text)), stringifyJson(JSON.parse(text)), 'the export parses back');
    assert.ok(text.includes('"bottom"'));
    // Arguments and results given as JSON text are searched as text.
    assert.deepEqual(new Set(searchSpans(keyedSpans(buildForest(spans)), 'bottom', 10).keys), new Set(['deep', 'deep-tool']));
  });

  it('search and tool pairing walk tool results nested 20,000 deep without recursion', () => {
    let inner: Part = { type: 'text', text: 'needle' };
    for (let i = 0; i < 20_000; i++) inner = { type: 'toolResult', id: `r${i}`, parts: [inner] };
    const span: Span = { id: 'x', sessionId: 's', name: 'n', kind: 'llm', status: 'ok', startTime: 1, attributes: {}, output: [{ role: 'tool', parts: [inner] }] };
    assert.deepEqual(searchSpans([{ key: 'x', span }], 'needle', 10).keys, ['x']);
    assert.equal(pairTools(span.output).results.size, 20_000);
  });

  it('Markdown nested 20,000 deep is bounded and keeps its text', () => {
    for (const source of ['>'.repeat(20_000) + ' deep', Array.from({ length: 20_000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n').slice(0, 200_000), '['.repeat(20_000) + 'x' + ']'.repeat(20_000)]) {
      const tree = markdownToTree(source);
      const text = treeText(tree);
      assert.ok(text.length > 0, 'text is kept');
      let depth = 0;
      const stack: [typeof tree, number][] = [[tree, 1]];
      while (stack.length) {
        const [nodes, d] = stack.pop()!;
        depth = Math.max(depth, d);
        for (const n of nodes) if (n.kind === 'el') stack.push([n.children, d + 1]);
      }
      assert.ok(depth <= 210, `nesting bounded (${depth})`);
    }
  });
});

describe('pathological sessions: exact and absurd numbers', () => {
  const spans = load(absurdNumbers());
  const byId = new Map(spans.map((s) => [s.id, s]));

  it('integers beyond 2^53 from JSON are kept as exact digits and shown grouped, never rounded', () => {
    const big = byId.get('big-tokens')!;
    assert.equal(big.usage!.input as unknown, BIG_TOKENS);
    assert.equal(big.attributes['big.value'], BIG_ATTR);
    assert.equal(big.attributes['big.neg'], NEG_BIG);
    const fields = Object.fromEntries(usageFields(big));
    assert.equal(fields['Input tokens'], '18,446,744,073,709,551,615');
    assert.equal(fields['Output tokens'], '-9,223,372,036,854,775,808');
    assert.equal(fields['Total tokens'], '12,345,678,901,234,567,890');
    assert.equal(formatInt(2n ** 64n), '18,446,744,073,709,551,616');
    assert.equal(formatInt(12345), '12,345');
    assert.equal(formatInt(Infinity), 'Infinity');
    assert.ok(serializeSessionExport(buildSessionExport({ backendId: 'b', id: 'a' }, spans)).includes(`"${BIG_TOKENS}"`), 'exported as the exact digits');
  });

  it('absurd times are explained, shown as the numbers they are, and kept off the waterfall axis', () => {
    const expect: Record<string, RegExp> = {
      'huge-start': /^Start time 1e\+301 ms is not a plausible date \(beyond any date\)/,
      'negative-start': /^Start time is negative \(-5000 ms since 1970\)/,
      'far-future': /^Start time 2534023008000000 ms is not a plausible date/,
      'end-before-start': /^End time is 9000 ms before the start time$/,
      'huge-duration': /^Duration 1e\+308 ms is longer than ten years$/,
    };
    for (const [id, re] of Object.entries(expect)) {
      const span = byId.get(id)!;
      const problems = timingProblems(span);
      assert.match(problems[0] ?? '', re, id);
      const row = toRow(buildForest([span]).get(id)!);
      assert.equal(row[7], problems.join('; '), `${id}: the row says what is wrong`);
    }
    assert.deepEqual(timingProblems(byId.get('normal')!), []);
    assert.equal(toRow(buildForest([byId.get('normal')!]).get('normal')!)[7], undefined);

    const model = new SpanTreeModel();
    const forest = buildForest(spans);
    model.apply(new RowStreamer().next(forest)!.rows);
    const sane = spans.filter((s) => timingProblems(s).length === 0 || s.id === 'huge-duration');
    assert.ok(model.maxTime - model.minTime < 60_000, `the axis spans the plausible spans only (${model.maxTime - model.minTime} ms)`);
    assert.ok(sane.length >= 3);

    const timing = (id: string) => Object.fromEntries(timingFields(byId.get(id)!));
    assert.equal(timing('huge-start').Start, '1e+301 ms since 1970');
    assert.equal(timing('negative-start').Start, '-5000 ms since 1970');
    assert.equal(timing('huge-duration').Duration, '1e+308 ms');
    assert.equal(timing('end-before-start').Duration, '-9000 ms');
    assert.match(timing('end-before-start').End, /^\d{4}-\d\d-\d\d /);
  });
});

describe('pathological sessions: exact numbers from OTLP', () => {
  it('int64 attributes beyond 2^53 stay exact strings and are not rounded into token counts', async () => {
    const { decodeOtlpJson } = await import('../../../src/backends/otlp/decode');
    const { otelToSpan } = await import('../../../src/backends/otel/span');
    const attr = (key: string, value: unknown) => ({ key, value });
    const doc = {
      resourceSpans: [{ scopeSpans: [{ spans: [{
        traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'chat m', startTimeUnixNano: '1733000000000000000', endTimeUnixNano: '1733000000005000000',
        attributes: [
          attr('gen_ai.operation.name', { stringValue: 'chat' }),
          attr('gen_ai.usage.input_tokens', { intValue: BIG_TOKENS }),
          attr('gen_ai.usage.output_tokens', { intValue: '42' }),
          attr('big.neg', { intValue: NEG_BIG }),
          attr('inf', { doubleValue: 'Infinity' }),
        ],
      }] }] }],
    };
    const decoded = decodeOtlpJson(doc);
    const span = otelToSpan(decoded.spans[0].input);
    assert.equal(span.usage?.output, 42);
    assert.equal(span.usage?.input, undefined, 'not rounded into the usage slot');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], BIG_TOKENS, 'kept exact as an attribute');
    assert.equal(span.attributes['big.neg'], NEG_BIG);
    assert.equal(span.attributes.inf, 'Infinity');
    assert.equal(span.startTime, 1_733_000_000_000);
  });
});

describe('pathological sessions: bounded rendering decisions', () => {
  it('one-line slots show at most 4,000 characters and count the rest', async () => {
    const { slot } = await import('../../../webview/renderable');
    assert.equal(slot('short'), 'short');
    const cut = slot('x'.repeat(2 * 1024 * 1024));
    assert.equal(cut, `${'x'.repeat(4000)}… (2,093,152 more characters)`);
  });

  it('sliced rendering cuts long text at paragraphs (Markdown) or lines, else at the slice size, and covers it all', async () => {
    const { sliceEnd } = await import('../../../webview/renderable');
    const text = ('para one\n\n' + 'y'.repeat(100) + '\n').repeat(1000);
    let at = 0;
    let slices = 0;
    while (at < text.length) {
      const end = sliceEnd(text, at, 1000, true);
      assert.ok(end > at && end - at <= 1000);
      if (end < text.length) assert.equal(text.slice(end - 2, end), '\n\n', 'a paragraph boundary');
      at = end;
      slices++;
    }
    assert.ok(slices > 100);
    assert.equal(sliceEnd('A'.repeat(5000), 0, 1000, true), 1000, 'no break: the slice size');
  });
});
