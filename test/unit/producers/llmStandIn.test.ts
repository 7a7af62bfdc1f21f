// The LLM stand-in speaks what the real openai Python client parses: Chat
// Completions and Responses, streamed and not, tool calls and reasoning.
import * as assert from 'node:assert/strict';
import { startLlmStandIn, type LlmStandIn } from '../../support/llm';
import { runPython } from '../../support/python';

describe('LLM stand-in (real openai client)', function () {
  this.timeout(180_000);
  let llm: LlmStandIn;
  before(async () => {
    llm = await startLlmStandIn();
  });
  after(async () => {
    await llm.close();
  });

  it('answers Chat Completions and Responses, streamed and not, with tool calls and reasoning', async () => {
    const r = await runPython(['llm_standin_check.py'], { env: { OPENAI_BASE_URL: llm.baseUrl } });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.deepEqual(out.chat_tool, { name: 'lookup', arguments: '{"q": "x"}' });
    assert.deepEqual(out.chat_reasoning, ['Echo: hi', 'Thinking about: hi']);
    assert.deepEqual(out.chat_stream, ['Thinking about: Find it', '{"q": "x"}', 14]);
    assert.deepEqual(out.responses_tool, [['function_call', 'lookup']]);
    assert.equal(out.responses_after_tool, 'Done: 42');
    assert.deepEqual(out.responses_stream, ['response.created', 'response.completed', 'Hello there', 'reasoning', 8]);
    assert.deepEqual(
      llm.requests.map((q) => `${q.api}${q.stream ? '+stream' : ''}`),
      ['chat', 'chat', 'chat+stream', 'responses', 'responses', 'responses+stream'],
    );
  });

  it('plays scripted replies first, for the model they name', async () => {
    llm.enqueue({ model: 'other', text: 'not me' }, { text: 'scripted', reasoning: 'because' });
    const code = `
import json, os
from openai import OpenAI
c = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key="t")
m = c.chat.completions.create(model="gpt", messages=[{"role": "user", "content": "[[say no]]"}]).choices[0].message
print(json.dumps([m.content, m.model_extra.get("reasoning_content")]))`;
    const r = await runPython(['-c', code], { env: { OPENAI_BASE_URL: llm.baseUrl } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['scripted', 'because']);
  });
});
