import * as assert from 'node:assert/strict';
import type { Span } from '../../../src/model/types';
import { backendToolName, describeRef, refsOf } from '../../../src/navigation/refs';
import { span as makeSpan } from '../../support/spans';

const span = (over: Partial<Span>): Span => makeSpan({ sessionId: 'x', name: 'span', ...over });

describe('navigation refs: refsOf', () => {
  it('reads a Q Connect span: prompt first, then the AI agent (with its ARN)', () => {
    const refs = refsOf(
      span({
        name: 'Orchestration.Converse',
        prompt: { id: 'd7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69', arn: 'arn:aws:wisdom:us-east-1:111122223333:ai-prompt/a/d7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69', name: 'SelfServiceOrchestration', version: 5 },
        agent: { id: 'b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62', name: 'SelfServiceOrchestrator' },
        attributes: { aiAgentArn: 'arn:aws:wisdom:us-east-1:111122223333:ai-agent/a/b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62' },
      }),
    );
    assert.deepEqual(refs, [
      { kind: 'prompt', id: 'd7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69', arn: 'arn:aws:wisdom:us-east-1:111122223333:ai-prompt/a/d7f2b9e1-4a6c-4b38-9e57-8c1a3f5d2b69', name: 'SelfServiceOrchestration', version: 5 },
      { kind: 'agent', name: 'SelfServiceOrchestrator', id: 'b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62', arn: 'arn:aws:wisdom:us-east-1:111122223333:ai-agent/a/b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62', looseSeparators: undefined },
    ]);
  });

  it('takes the prompt id from its ARN when only the ARN is known, and raw Q Connect attributes when unmapped', () => {
    assert.equal(refsOf(span({ prompt: { arn: 'arn:aws:wisdom:us-east-1:1:ai-prompt/a/c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42:2' } }))[0].id, 'c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42');
    const raw = refsOf(span({ attributes: { promptName: 'IntentLabeling', promptId: 'e1b5d8a3-9c4f-4a72-8d16-3b7e0f9a5c28' } }));
    assert.deepEqual(raw[0], { kind: 'prompt', id: 'e1b5d8a3-9c4f-4a72-8d16-3b7e0f9a5c28', arn: undefined, name: 'IntentLabeling', version: undefined });
  });

  it('reads the OpenAI SDK agent span name and function span tool', () => {
    assert.deepEqual(refsOf(span({ kind: 'agent', name: 'Triage Agent' })), [{ kind: 'agent', name: 'Triage Agent', id: undefined, arn: undefined, looseSeparators: undefined }]);
    assert.deepEqual(refsOf(span({ kind: 'tool', name: 'get_order_status', tool: { name: 'get_order_status' } })), [{ kind: 'tool', name: 'get_order_status' }]);
  });

  it('reads Agno `{Name}.run` span names with loose separators, and `agent.name` / `tool.name` attributes', () => {
    assert.deepEqual(refsOf(span({ kind: 'agent', name: 'Research_Agent.run' })), [{ kind: 'agent', name: 'Research_Agent', id: undefined, arn: undefined, looseSeparators: true }]);
    assert.deepEqual(refsOf(span({ name: 'Research_Agent.arun', attributes: { 'agent.name': 'Research Agent' } })), [{ kind: 'agent', name: 'Research Agent', id: undefined, arn: undefined, looseSeparators: undefined }]);
    assert.deepEqual(refsOf(span({ name: 'fetch_weather', attributes: { 'tool.name': 'fetch_weather' } })), [{ kind: 'tool', name: 'fetch_weather' }]);
  });

  it('reads GenAI attributes and span names', () => {
    const refs = refsOf(span({ name: 'invoke_agent Support Agent', attributes: { 'gen_ai.agent.name': 'Support Agent', 'gen_ai.agent.id': 'asst_1' } }));
    assert.deepEqual(refs, [{ kind: 'agent', name: 'Support Agent', id: 'asst_1', arn: undefined, looseSeparators: undefined }]);
    assert.deepEqual(refsOf(span({ name: 'execute_tool lookup_customer' })), [{ kind: 'tool', name: 'lookup_customer' }]);
    assert.deepEqual(refsOf(span({ name: 'execute_tool x', attributes: { 'gen_ai.tool.name': 'lookup_customer' } })), [{ kind: 'tool', name: 'lookup_customer' }]);
  });

  it('lists tools called in messages (also inside tool results), once each, after the span’s own refs', () => {
    const refs = refsOf(
      span({
        kind: 'llm',
        agent: { name: 'SelfServiceOrchestrator' },
        input: [{ role: 'tool', parts: [{ type: 'toolResult', id: '1', parts: [{ type: 'toolUse', id: '2', name: 'nested_tool', arguments: {} }] }] }],
        output: [
          { role: 'assistant', parts: [{ type: 'toolUse', id: 'a', name: 'get_order_charges', arguments: {} }, { type: 'toolUse', id: 'b', name: 'get_order_charges', arguments: {} }] },
        ],
      }),
    );
    assert.deepEqual(refs.map((r) => `${r.kind}:${r.name}`), ['agent:SelfServiceOrchestrator', 'tool:nested_tool', 'tool:get_order_charges']);
  });

  it('returns nothing for a span without references', () => {
    assert.deepEqual(refsOf(span({ kind: 'llm', name: 'gpt-4o.invoke' })), []);
  });

  it('strips backend tool prefixes: SGP/Agentex tool:<name>, Q Connect Tool.<Name>', () => {
    assert.equal(backendToolName('tool:reship_order'), 'reship_order');
    assert.equal(backendToolName('Tool.GetOrderCharges'), 'GetOrderCharges');
    assert.equal(backendToolName('get_order_charges'), 'get_order_charges');
    assert.equal(backendToolName('tool:'), 'tool:');
    assert.deepEqual(refsOf(span({ kind: 'tool', name: 'Tool.ResetPassword', tool: { name: 'Tool.ResetPassword' } })).map((r) => `${r.kind}:${r.name}`), ['tool:ResetPassword']);
    assert.deepEqual(refsOf(span({ kind: 'custom', name: 'x', attributes: { 'tool.name': 'lookup' } })).map((r) => `${r.kind}:${r.name}`), ['tool:lookup']);
  });

  it('reads OTel code attributes as the primary reference, before the tool', () => {
    const refs = refsOf(span({ kind: 'tool', name: 'cancel_order', attributes: { 'code.filepath': '/app/svc/tools.py', 'code.lineno': 36, 'code.function.name': 'cancel_order' } }));
    assert.deepEqual(refs.map((r) => [r.kind, r.name, r.file, r.lineno]), [['code', 'cancel_order', '/app/svc/tools.py', 36], ['tool', 'cancel_order', undefined, undefined]]);
    assert.equal(describeRef(refs[0]), 'code /app/svc/tools.py:36 (cancel_order)');
  });

  it('describes refs for messages and quick picks', () => {
    assert.equal(describeRef({ kind: 'prompt', name: 'Answer', id: 'p-1' }), 'prompt "Answer" (p-1)');
    assert.equal(describeRef({ kind: 'prompt', id: 'p-1' }), 'prompt p-1');
    assert.equal(describeRef({ kind: 'tool', name: 'x' }), 'tool "x"');
  });
});
