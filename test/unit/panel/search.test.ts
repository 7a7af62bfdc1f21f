import * as assert from 'node:assert/strict';
import { buildForest } from '../../../src/model/tree';
import { keyedSpans } from '../../../src/panel/rows';
import { searchSpans } from '../../../src/panel/search';
import { bigSession, spans } from './fixtures';

const forest = buildForest(spans());
const find = (q: string) => searchSpans(keyedSpans(forest), q, 100).keys;

describe('panel session search', () => {
  it('matches span names and ids, case-insensitively', () => {
    assert.deepEqual(find('ISSUE_refund'), ['tool-2']);
    assert.deepEqual(find('llm-2'), ['llm-2']);
    assert.deepEqual(find('trace-1').length, 6);
  });

  it('matches message text, reasoning, citations and tool calls inside messages', () => {
    assert.deepEqual(find('order 42'), ['llm-1', 'llm-2']); // input text (resent history)
    assert.deepEqual(find('look the order up'), ['llm-1', 'llm-2']); // reasoning
    assert.deepEqual(find('call_1'), ['llm-1', 'tool-1', 'llm-2']); // tool call ids
    assert.deepEqual(find('Internal note'), ['llm-2']); // citation title
    assert.deepEqual(find('delivered'), ['llm-2']); // tool result text
  });

  it('matches tool span names, errors, status messages, models and prompts', () => {
    assert.deepEqual(find('lookup_order'), ['llm-1', 'tool-1', 'llm-2']);
    assert.deepEqual(find('HTTP 503'), ['tool-2']);
    assert.deepEqual(find('service unavailable'), ['tool-2']);
    assert.deepEqual(find('claude-3-2024'), ['llm-1']);
    assert.deepEqual(find('self-service-answer'), ['llm-1']);
  });

  it('returns keys in tree order and nothing for blank queries', () => {
    assert.deepEqual(find('   '), []);
    assert.deepEqual(find('nothing like this'), []);
  });

  it('stops at the limit and says so', () => {
    const big = buildForest(bigSession(20_000));
    const r = searchSpans(keyedSpans(big), 'step', 500);
    assert.equal(r.keys.length, 500);
    assert.equal(r.truncated, true);
    const t = Date.now();
    const all = searchSpans(keyedSpans(big), 'answer 1999', 10_000);
    assert.ok(Date.now() - t < 2000);
    assert.ok(all.keys.length >= 1 && !all.truncated);
  });
});
