import * as assert from 'node:assert/strict';
import type { Message, Span } from '../../../src/model/types';
import { Conversation, MessageIds, type KeyedSpan } from '../../../src/panel/conversation';
import { spans } from './fixtures';

const conversationOf = (spans: Iterable<KeyedSpan>, pause?: () => Promise<void>) => new Conversation(spans).upTo(Infinity, pause);

const msg = (role: string, text: string, extra: Partial<Message> = {}): Message => ({ role, parts: [{ type: 'text', text }], ...extra });
let n = 0;
function llm(start: number, input: Message[], output: Message[], extra: Partial<Span> = {}): { key: string; span: Span } {
  const id = `l${n++}`;
  return { key: id, span: { id, sessionId: 's', name: id, kind: 'llm', status: 'ok', startTime: start, input, output, attributes: {}, ...extra } };
}
const texts = (ms: Message[]) => ms.map((m) => (m.parts[0] as { text: string }).text);

describe('panel session conversation', () => {
  it('removes the history each call resends', async () => {
    const turns = await conversationOf(spans().map((s) => ({ key: s.id, span: s })));
    assert.deepEqual(turns.map((t) => t.key), ['llm-1', 'llm-2']);
    assert.equal(turns[0].repeated, 0);
    assert.equal(turns[0].input.length, 1);
    assert.equal(turns[1].repeated, 2); // u1 and a1 were shown by the first call
    assert.deepEqual(turns[1].input.map((m) => m.id), ['m3']);
    assert.equal(turns[1].output[0].id, 'm4');
  });

  it('shows system instructions only when they change', async () => {
    const turns = await conversationOf(spans().map((s) => ({ key: s.id, span: s })));
    assert.ok(turns[0].system);
    assert.equal(turns[1].system, undefined);
  });

  it('orders turns by start time, not tree order', async () => {
    const a = llm(300, [msg('user', 'later')], []);
    const b = llm(100, [msg('user', 'first')], []);
    assert.deepEqual((await conversationOf([a, b])).map((t) => t.key), [b.key, a.key]);
  });

  it('ignores message ids and timestamps when comparing (resends get new ones)', async () => {
    const t = await conversationOf([
      llm(1, [msg('user', 'hi', { id: 'a', timestamp: 1 })], [msg('assistant', 'hello', { id: 'b' })]),
      llm(2, [msg('user', 'hi', { id: 'c', timestamp: 9 }), msg('assistant', 'hello', { id: 'd' }), msg('user', 'bye')], [msg('assistant', 'ciao')]),
    ]);
    assert.equal(t[1].repeated, 2);
    assert.deepEqual(texts(t[1].input), ['bye']);
  });

  it('follows interleaved agents: each continues its own thread', async () => {
    const a1 = llm(1, [msg('user', 'A: task')], [msg('assistant', 'A: step 1')]);
    const b1 = llm(2, [msg('user', 'B: task')], [msg('assistant', 'B: step 1')]);
    const a2 = llm(3, [msg('user', 'A: task'), msg('assistant', 'A: step 1'), msg('user', 'A: more')], [msg('assistant', 'A: done')]);
    const b2 = llm(4, [msg('user', 'B: task'), msg('assistant', 'B: step 1'), msg('user', 'B: more')], [msg('assistant', 'B: done')]);
    const t = await conversationOf([a1, b1, a2, b2]);
    assert.deepEqual(t.map((x) => x.repeated), [0, 0, 2, 2]);
    assert.deepEqual(texts(t[3].input), ['B: more']);
  });

  it('does not treat a different conversation as repeated', async () => {
    const t = await conversationOf([llm(1, [msg('user', 'one')], [msg('assistant', 'x')]), llm(2, [msg('user', 'two')], [msg('assistant', 'y')])]);
    assert.deepEqual(t.map((x) => x.repeated), [0, 0]);
  });

  it('builds only as far as a page reads, with the same turns as the whole build', async () => {
    const calls = Array.from({ length: 6 }, (_, i) => llm(i + 1, [msg('user', 'task'), ...Array.from({ length: i }, (_, j) => msg('assistant', `step ${j}`))], [msg('assistant', `step ${i}`)]));
    const whole = await conversationOf(calls);
    const paged = new Conversation(calls);
    assert.equal(paged.total, 6);
    let pauses = 0;
    const first = await paged.upTo(2, async () => void pauses++);
    assert.equal(pauses, 2, 'two calls built for a page of two');
    assert.deepEqual(first, whole.slice(0, 2));
    // The next page continues where the first ended; a page past the end stops there.
    assert.deepEqual((await paged.upTo(4)).slice(2), whole.slice(2, 4));
    assert.deepEqual(await paged.upTo(100), whole);
    assert.deepEqual(whole.map((t) => t.repeated), [0, 2, 3, 4, 5, 6]); // each call resends the whole history before it
  });

  it('uses non-LLM spans only when no LLM span has messages', async () => {
    const agent = { key: 'ag', span: { id: 'ag', sessionId: 's', name: 'agent', kind: 'agent' as const, status: 'ok' as const, startTime: 1, input: [msg('user', 'q')], attributes: {} } };
    assert.deepEqual((await conversationOf([agent])).map((t) => t.key), ['ag']);
    const withLlm = await conversationOf([agent, llm(2, [msg('user', 'q')], [])]);
    assert.equal(withLlm.length, 1);
    assert.notEqual(withLlm[0].key, 'ag');
  });

  it('awaits the caller\'s pause after each call, having read the spans first', async () => {
    const input = [llm(1, [msg('user', 'a')], [msg('assistant', 'b')]), llm(2, [msg('user', 'c')], [])];
    let pauses = 0;
    const turns = await conversationOf(input, async () => {
      pauses++;
      input.push(llm(3, [msg('user', 'late')], [])); // the forest grows meanwhile: not in this build
    });
    assert.equal(pauses, 2);
    assert.deepEqual(turns.map((t) => t.key), [input[0].key, input[1].key]);
  });

  it('fingerprints by role and content', () => {
    const ids = new MessageIds();
    assert.equal(ids.of(msg('user', 'a', { id: '1' })), ids.of(msg('user', 'a', { id: '2' })));
    assert.notEqual(ids.of(msg('user', 'a')), ids.of(msg('assistant', 'a')));
    // A text part that carries more than its text is not the plain text.
    const cited: Message = { role: 'user', parts: [{ type: 'text', text: 'a', citations: [{ title: 't' }] }] };
    assert.notEqual(ids.of(cited), ids.of(msg('user', 'a')));
    assert.equal(ids.of(cited), ids.of(structuredClone(cited)));
    // Part boundaries count: ["ab"] is not ["a", "b"], and text is not a look-alike JSON string.
    const two: Message = { role: 'user', parts: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] };
    assert.notEqual(ids.of(two), ids.of(msg('user', 'ab')));
    assert.notEqual(ids.of(msg('user', 'j{"type":"text"}')), ids.of({ role: 'user', parts: [{ type: 'text', text: '', blocked: true }] }));
    assert.equal(ids.of(two), ids.of(structuredClone(two)));
  });

  it('stays linear on long sessions (1,000 calls, each resending its history)', async () => {
    const history: Message[] = [];
    const calls = [];
    for (let i = 0; i < 1000; i++) {
      const q = msg('user', `question ${i}`);
      const a = msg('assistant', `answer ${i}`);
      calls.push(llm(i + 1, [...history.slice(-40), q], [a]));
      history.push(q, a);
    }
    const t0 = Date.now();
    const turns = await conversationOf(calls);
    assert.ok(Date.now() - t0 < 3000);
    assert.ok(turns.slice(21).every((t) => t.input.length === 1), 'sliding-window history is recognised too');
  });
});
