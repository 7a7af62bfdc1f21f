import * as assert from 'node:assert/strict';
import type { Message, Span } from '../../../src/model/types';
import {
  actionTone,
  agentFields,
  attributeRows,
  citationCopyText,
  errorType,
  findRanges,
  foldText,
  formatDuration,
  formatInt,
  modelFields,
  pairTools,
  requestIds,
  roleInfo,
  statusTone,
  timingFields,
  usageFields,
} from '../../../webview/renderable';
import { spans } from './fixtures';
import { useEnglishPanelStrings } from '../../support/panelStrings';

const byId = (id: string): Span => spans().find((s) => s.id === id)!;
const asMap = (f: [string, string][]) => Object.fromEntries(f);

before(useEnglishPanelStrings);

describe('panel renderable decisions', () => {
  it('shows model settings, finish reasons and time to first token', () => {
    const llm = byId('llm-1');
    assert.deepEqual(asMap(modelFields(llm)), {
      Model: 'claude-3',
      'Response model': 'claude-3-20240229',
      Provider: 'aws.bedrock',
      Temperature: '0.2',
      'Top P': '0.9',
      'Max tokens': '1024',
      'Finish reasons': 'tool_use',
    });
    assert.equal(asMap(timingFields(llm))['Time to first token'], '340ms');
    assert.equal(asMap(timingFields(llm)).Duration, '1.30s');
  });

  it('shows token usage with cache read/write and a computed total', () => {
    assert.deepEqual(asMap(usageFields(byId('llm-1'))), {
      'Input tokens': '1,200',
      'Output tokens': '80',
      'Total tokens': '1,280',
      'Cache read': '1,000',
      'Cache write': '12',
    });
    assert.equal(asMap(usageFields(byId('llm-2')))['Total tokens'], '1,520');
    assert.deepEqual(usageFields(byId('root')), []);
  });

  it('shows the agent name, type and version', () => {
    assert.deepEqual(asMap(agentFields(byId('root'))), { Agent: 'SupportAgent', Type: 'SELF_SERVICE', Version: '3', 'Agent id': 'agent-1' });
  });

  it('finds request ids in attributes under the usual spellings only', () => {
    assert.deepEqual(requestIds({ requestId: 'a', originRequestId: 'b', 'x-amzn-requestid': 'c', 'gen_ai.request.id': 'd', request_id: 'e', requestIdea: 'no', temperature: 1, empty: '' }), [
      ['requestId', 'a'],
      ['originRequestId', 'b'],
      ['x-amzn-requestid', 'c'],
      ['gen_ai.request.id', 'd'],
      ['request_id', 'e'],
    ]);
  });

  it('shows the error type next to the status message', () => {
    assert.equal(errorType(byId('tool-2')), 'throttle');
    assert.equal(errorType({ ...byId('root'), attributes: { 'error.type': 'TimeoutError' } }), 'TimeoutError');
    assert.equal(errorType(byId('root')), undefined);
  });

  it('colours statuses and guardrail actions', () => {
    assert.equal(statusTone('error'), 'error');
    assert.equal(statusTone('timeout'), 'error');
    assert.equal(statusTone('cancelled'), 'warning');
    assert.equal(statusTone('ok'), 'ok');
    assert.equal(actionTone('BLOCKED'), 'error');
    assert.equal(actionTone('blocked'), 'error');
    assert.equal(actionTone('MASKED'), 'warning');
    assert.equal(actionTone('triggered'), 'warning');
    assert.equal(actionTone('NONE'), 'ok');
    assert.equal(actionTone('SOMETHING_NEW'), 'neutral');
  });

  it('labels participants, including Q Connect customer/agent/bot', () => {
    assert.equal(roleInfo('customer').label, 'Customer');
    assert.equal(roleInfo('bot').side, 'model');
    assert.equal(roleInfo('AGENT').label, 'Agent');
    assert.equal(roleInfo('tool').side, 'tool');
    assert.equal(roleInfo('narrator').label, 'narrator');
  });

  it('pairs tool calls with their results by id across messages', () => {
    const llm2 = byId('llm-2');
    const pairs = pairTools(llm2.system, llm2.input, llm2.output);
    assert.equal(pairs.names.get('call_1'), 'lookup_order');
    assert.equal(pairs.results.get('call_1')?.parts.length, 1);
    assert.equal(pairs.results.has('call_2'), false);
  });

  it('keeps the first result when an id repeats, and indexes nested results', () => {
    const msgs: Message[] = [
      { role: 'tool', parts: [{ type: 'toolResult', id: 'a', parts: [{ type: 'toolResult', id: 'inner', parts: [] }] }] },
      { role: 'tool', parts: [{ type: 'toolResult', id: 'a', parts: [], error: 'second' }] },
    ];
    const pairs = pairTools(msgs);
    assert.equal(pairs.results.get('a')?.error, undefined);
    assert.ok(pairs.results.has('inner'));
  });

  it('tolerates malformed message lists', () => {
    const pairs = pairTools([null, { role: 'x' }, { role: 'y', parts: 'nope' }] as unknown as Message[]);
    assert.equal(pairs.results.size, 0);
  });

  it('folds long text by characters or lines, not tiny tails', () => {
    assert.deepEqual(foldText('short'), { head: 'short', hidden: 0 });
    const long = 'x'.repeat(10_000);
    const f = foldText(long, 3000);
    assert.equal(f.head.length, 3000);
    assert.equal(f.hidden, 7000);
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const g = foldText(lines, 100_000, 40);
    assert.equal(g.head.split('\n').length, 40);
    assert.equal(g.head + lines.slice(g.head.length), lines);
    assert.equal(foldText('y'.repeat(3100), 3000).hidden, 0);
  });

  it('lists attributes sorted, stringified, filterable by key or value', () => {
    const attrs = { b: { nested: [1, 2] }, a: 'text', c: 42, big: 10n };
    assert.deepEqual(attributeRows(attrs), [
      { key: 'a', value: 'text' },
      { key: 'b', value: '{"nested":[1,2]}' },
      { key: 'big', value: '10' },
      { key: 'c', value: '42' },
    ]);
    assert.deepEqual(attributeRows(attrs, 'NEST').map((r) => r.key), ['b']);
    assert.deepEqual(attributeRows(attrs, 'tex').map((r) => r.key), ['a']);
    assert.match(attributeRows({ long: 'z'.repeat(10_000) })[0].value, /… \(10,000 characters\)$/);
  });

  it('copies the most specific citation reference', () => {
    assert.equal(citationCopyText({ url: 'https://x', contentId: 'c' }), 'https://x');
    assert.equal(citationCopyText({ contentId: 'c', title: 't' }), 'c');
    assert.equal(citationCopyText({ title: 't' }), 't');
  });

  it('finds search matches case-insensitively without overlaps', () => {
    assert.deepEqual(findRanges('Refund the REFUND', 'refund'), [
      [0, 6],
      [11, 17],
    ]);
    assert.deepEqual(findRanges('aaaa', 'aa'), [
      [0, 2],
      [2, 4],
    ]);
    assert.deepEqual(findRanges('text', ''), []);
    assert.deepEqual(findRanges('İstanbul', 'stan'), []); // lower-casing changes length: no wrong offsets
  });

  it('formats numbers and durations for display', () => {
    assert.equal(formatInt(1234567), '1,234,567');
    assert.equal(formatDuration(0.5), '500µs');
    assert.equal(formatDuration(1500), '1.50s');
    assert.equal(formatDuration(125_000), '2m 5s');
  });
});
