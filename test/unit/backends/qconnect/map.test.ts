// Every wire field of a Q Connect span lands in its model slot (or in
// attributes), read through the real SDK client from the emulator.
import * as assert from 'node:assert/strict';
import { getRaw } from '../../../../src/model/raw';
import type { Part, Span } from '../../../../src/model/types';
import { toSpan } from '../../../../src/backends/qconnect/map';
import { loadAllSpans } from '../../../../src/backends/types';
import { FIXTURE, loadFixture, startQConnectEmulator, type QConnectEmulator } from '../../../emulators/qconnect/emulator';
import { backendFor, isolateAwsEnv } from './helpers';

const [S1, S2, S3] = FIXTURE.sessions.map((s) => s.id);

function byName(spans: Span[], name: string, nth = 0): Span {
  const found = spans.filter((s) => s.name === name)[nth];
  assert.ok(found, `span ${name} #${nth}`);
  return found;
}

function allParts(span: Span): Part[] {
  const out: Part[] = [];
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      out.push(p);
      if (p.type === 'toolResult') walk(p.parts);
    }
  };
  walk(span.system ?? []);
  for (const m of [...(span.input ?? []), ...(span.output ?? [])]) walk(m.parts);
  return out;
}

describe('qconnect: span mapping (SDK ↔ emulator)', () => {
  let emulator: QConnectEmulator;
  let env: ReturnType<typeof isolateAwsEnv>;
  const spans = new Map<string, Span[]>();

  before(async () => {
    env = isolateAwsEnv();
    emulator = await startQConnectEmulator();
    const backend = backendFor(emulator);
    for (const id of [S1, S2, S3]) spans.set(id, await loadAllSpans(backend, id));
    backend.dispose();
  });
  after(async () => {
    await emulator.close();
    env.restore();
  });

  it('maps the orchestration root: agent, contact context, transcript', () => {
    const root = byName(spans.get(S1)!, 'SelfServiceOrchestrator');
    assert.equal(root.kind, 'agent');
    assert.equal(root.parentId, undefined);
    assert.equal(root.sessionId, S1);
    assert.equal(root.status, 'ok');
    assert.deepEqual(root.agent, { id: 'b2d6f1a9-3e7c-4a58-9b04-7f1e5c3a9d62', name: 'SelfServiceOrchestrator', type: 'ORCHESTRATION', version: 3 });
    // epoch seconds (fractional) → ms
    assert.equal(root.startTime, 1760692800125);
    assert.equal(root.endTime, 1760692806967);
    assert.equal(root.durationMs, 6842);
    for (const key of ['spanType', 'requestId', 'assistantId', 'instanceArn', 'contactId', 'initialContactId', 'sessionName', 'aiAgentArn', 'aiAgentInvoker', 'aiAgentOrchestratorUseCase', 'agentId', 'operationName']) {
      assert.ok(key in root.attributes, `attribute ${key}`);
    }
    assert.equal(root.attributes.spanType, 'SERVER');
    assert.equal(root.attributes.aiAgentInvoker, 'AmazonConnect');
    assert.equal(root.input?.[0].role, 'customer');
    assert.equal(root.input?.[0].id, 'd730a9bf-b300-4445-a3ac-941bed8821e1');
    assert.equal(root.input?.[0].timestamp, 1760692800125);
    assert.equal(root.output?.[0].role, 'bot');
    const answer = root.output?.[0].parts[0];
    assert.equal(answer?.type, 'text');
    assert.equal(answer?.type === 'text' && answer.citations?.[0].title, 'Refunds for duplicate charges');
  });

  it('maps an LLM call: model, usage incl. cache tokens, prompt, system instructions', () => {
    const qr = byName(spans.get(S1)!, 'QueryReformulation');
    assert.equal(qr.kind, 'llm');
    assert.deepEqual(qr.model, {
      request: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      response: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      provider: 'aws.bedrock',
      maxTokens: 512,
      temperature: 0,
      topP: 0.9,
      finishReasons: ['end_turn'],
      timeToFirstTokenMs: 412,
    });
    assert.deepEqual(qr.usage, { input: 812, output: 36, total: 848, cacheRead: 640, cacheWrite: 0 });
    assert.deepEqual(qr.prompt, {
      arn: 'arn:aws:wisdom:us-east-1:111122223333:ai-prompt/6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13/c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42',
      id: 'c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42',
      type: 'QUERY_REFORMULATION',
      name: 'QueryReformulationPrompt',
      version: 2,
    });
    assert.deepEqual(qr.system, [{ type: 'text', text: 'Rewrite the customer message as a standalone search query. Output only the query.' }]);
    assert.equal(qr.parentId, byName(spans.get(S1)!, 'SelfServiceOrchestrator').id);
    assert.equal(qr.attributes.originRequestId, qr.attributes.requestId);
    // Slotted fields are not duplicated into attributes.
    for (const key of ['requestModel', 'usageInputTokens', 'promptId', 'providerName', 'inputMessages', 'systemInstructions']) {
      assert.ok(!(key in qr.attributes), `attribute ${key} should be in a slot`);
    }
  });

  it('maps reasoning, text and toolUse values of a model turn', () => {
    const conv = byName(spans.get(S1)!, 'Orchestration.Converse');
    assert.equal(conv.kind, 'llm');
    assert.equal(conv.usage?.cacheWrite, 1024);
    assert.equal(conv.system?.length, 2);
    const parts = conv.output?.[0].parts ?? [];
    assert.deepEqual(parts.map((p) => p.type), ['reasoning', 'text', 'toolUse', 'toolUse']);
    assert.deepEqual(parts[2], { type: 'toolUse', id: '3e099367-fd78-4516-aac3-c73c606bcedf', name: 'Retrieve', arguments: { query: 'duplicate charge refund policy', maxResults: 3 } });
    assert.equal(parts[0].type === 'reasoning' && parts[0].text.startsWith('The customer reports'), true);
  });

  it('maps tool spans: tool slot, toolResult with citations, recursive results', () => {
    const retrieve = byName(spans.get(S1)!, 'Tool.Retrieve');
    assert.equal(retrieve.kind, 'tool');
    assert.equal(retrieve.tool?.name, 'Retrieve');
    assert.equal(retrieve.tool?.callId, '3e099367-fd78-4516-aac3-c73c606bcedf');
    assert.deepEqual(retrieve.tool?.arguments, { query: 'duplicate charge refund policy', maxResults: 3 });
    const result = retrieve.output?.[0].parts[0];
    assert.equal(result?.type, 'toolResult');
    if (result?.type !== 'toolResult') return;
    assert.equal(result.id, '3e099367-fd78-4516-aac3-c73c606bcedf');
    assert.equal(result.parts.length, 2);
    const first = result.parts[0];
    assert.equal(first.type === 'text' && first.citations?.length, 2);
    assert.deepEqual(first.type === 'text' && first.citations?.[1], {
      contentId: '7e1b3d95-2a8f-4c64-b0d7-9f5e1a3c8b26',
      title: 'Card payment FAQ',
      knowledgeBaseId: '4b9d2e7f-8c1a-4f35-a6e0-2d7c9b1f5e83',
      knowledgeBaseArn: 'arn:aws:wisdom:us-east-1:111122223333:knowledge-base/4b9d2e7f-8c1a-4f35-a6e0-2d7c9b1f5e83',
    });
    assert.deepEqual(retrieve.tool?.result, result.parts);

    const charges = byName(spans.get(S1)!, 'Tool.GetOrderCharges');
    const outer = charges.output?.[0].parts[0];
    assert.equal(outer?.type, 'toolResult');
    const inner = outer?.type === 'toolResult' ? outer.parts[1] : undefined;
    assert.equal(inner?.type, 'toolResult');
    assert.equal(inner?.type === 'toolResult' && inner.id, '7104b176-e065-4d70-a9ed-0b0e39d9d3c2');
    assert.equal(inner?.type === 'toolResult' && inner.parts[0].type === 'text' && inner.parts[0].text.startsWith('Ledger L-2231'), true);

    assert.equal(byName(spans.get(S1)!, 'KnowledgeBase.Search').kind, 'retrieval');
    assert.equal(byName(spans.get(S1)!, 'KnowledgeBase.Search').parentId, retrieve.id);
  });

  it('keeps unknown union members as unknown parts with their raw value', () => {
    const answer = byName(spans.get(S1)!, 'AnswerGeneration');
    const parts = answer.output?.[0].parts ?? [];
    assert.equal(parts[0].type === 'text' && parts[0].blocked, false);
    assert.deepEqual(parts[1], { type: 'unknown', raw: { image: { format: 'png', source: { s3Location: { uri: 's3://example-corp-receipts/4471/ch_2.png' } } } } });
    assert.equal(answer.input?.length, 3);
    assert.equal(answer.input?.[1].parts[0].type, 'toolResult');
  });

  it('maps guardrail assessments with every policy type, lowercased', () => {
    const answer = byName(spans.get(S1)!, 'AnswerGeneration');
    assert.equal(answer.guardrails?.length, 2);
    const [g, g2] = answer.guardrails!;
    assert.equal(g.guardrailId, 'gr-8k2m4n6p');
    assert.equal(g.name, 'SupportSafety');
    assert.equal(g.source, 'output');
    assert.equal(g.action, 'masked');
    assert.deepEqual(
      g.policies.map((p) => [p.type, p.action]),
      [
        ['CONTENT_FILTER', 'none'],
        ['TOPIC', 'none'],
        ['WORD', 'none'],
        ['SENSITIVE_INFORMATION_PII', 'masked'],
        ['SENSITIVE_INFORMATION_REGEX', 'masked'],
        ['CONTEXTUAL_GROUNDING', 'none'],
      ],
    );
    assert.equal(g.policies[5].details, 'GROUNDING: 0.91 (threshold 0.75); RELEVANCE: 0.88 (threshold 0.5)');
    assert.deepEqual(g2, { guardrailId: 'gr-2q4s6u8w', name: 'BrandTone', source: 'input', action: 'none', policies: [] });

    const gIn = byName(spans.get(S1)!, 'Guardrail.Input');
    assert.equal(gIn.kind, 'guardrail');
    assert.equal(gIn.guardrails?.[0].source, 'input');
    assert.equal(gIn.attributes.providerName, 'aws.bedrock'); // no model slot on a non-LLM span

    const blocked = byName(spans.get(S2)!, 'AnswerGeneration', 1).guardrails?.[0];
    assert.equal(blocked?.action, 'blocked');
    assert.deepEqual(blocked?.policies.map((p) => p.action), ['blocked', 'blocked']);

    // Across the fixtures every policy type and action appears and is mapped.
    const all = [...spans.values()].flat().flatMap((s) => s.guardrails ?? []);
    assert.deepEqual(new Set(all.flatMap((a) => a.policies.map((p) => p.type))), new Set(['CONTENT_FILTER', 'TOPIC', 'WORD', 'SENSITIVE_INFORMATION_PII', 'SENSITIVE_INFORMATION_REGEX', 'CONTEXTUAL_GROUNDING']));
    assert.deepEqual(new Set(all.map((a) => a.action)), new Set(['none', 'masked', 'blocked']));
  });

  it('maps error and timeout spans, blocked text and tool errors', () => {
    const s2 = spans.get(S2)!;
    const throttled = byName(s2, 'AnswerGeneration', 0);
    assert.equal(throttled.status, 'error');
    assert.equal(throttled.statusMessage, 'ThrottlingException: Too many tokens, please wait before trying again.');
    assert.equal(throttled.attributes.errorType, 'throttle');
    assert.equal(throttled.kind, 'llm');
    assert.equal(throttled.model?.response, undefined);

    const sms = byName(s2, 'Tool.SendVerificationSms');
    assert.equal(sms.status, 'timeout');
    assert.equal(sms.kind, 'tool');
    assert.equal(sms.tool?.name, 'SendVerificationSms');
    assert.equal(sms.tool?.result, undefined);

    const reset = byName(s2, 'Tool.ResetPassword');
    assert.equal(reset.status, 'error');
    assert.equal(reset.tool?.error, 'User account is locked; a reset requires identity verification by an agent.');
    assert.equal(reset.tool?.result, '{"status":"LOCKED"}');
    const r = reset.output?.[0].parts[0];
    assert.equal(r?.type === 'toolResult' && r.error, 'User account is locked; a reset requires identity verification by an agent.');

    const retry = byName(s2, 'AnswerGeneration', 1);
    const text = retry.output?.[0].parts[0];
    assert.equal(text?.type === 'text' && text.blocked, true);
    assert.equal(byName(s2, 'IntentLabeling').prompt?.type, 'INTENT_LABELING_GENERATION');
  });

  it('covers every SpanMessageValue member and participant across the fixtures', () => {
    const all = [...spans.values()].flat();
    const types = new Set(all.flatMap(allParts).map((p) => p.type));
    assert.deepEqual(types, new Set(['text', 'toolUse', 'toolResult', 'reasoning', 'unknown']));
    const roles = new Set(all.flatMap((s) => [...(s.input ?? []), ...(s.output ?? [])]).map((m) => m.role));
    assert.deepEqual(roles, new Set(['customer', 'agent', 'bot']));
    const kinds = new Set(all.map((s) => s.kind));
    assert.deepEqual(kinds, new Set(['agent', 'llm', 'tool', 'retrieval', 'guardrail']));
  });

  it('keeps unknown attributes and top-level fields, and the raw wire record', () => {
    const s3 = spans.get(S3)!;
    const root = byName(s3, 'EmailResponseAgent');
    assert.deepEqual(root.attributes.futureAttribute, { introducedIn: '2026-01', note: 'not in the 2025 model; must survive in attributes' });
    assert.deepEqual(root.attributes.spanLinks, [{ spanId: 'f60a3a68-c551-45c2-a8d1-c97cc6f6a7e0', relation: 'follows_from' }]);
    assert.equal(root.agent?.type, 'EMAIL_RESPONSE');
    const wire = loadFixture().sessions[2].spans[0];
    assert.deepEqual(getRaw(root), wire);
    const reply = byName(s3, 'EmailResponse');
    assert.equal(reply.input?.[1].role, 'agent');
    assert.equal(reply.prompt?.version, 1);
    assert.equal(byName(s3, 'AnswerRecommendation').kind, 'agent');
  });

  it('decodes defensively: ms timestamps, unknown status, missing members', () => {
    const s = toSpan(
      { spanId: 'x', sessionId: 's', spanName: 'n', status: 'CANCELLED_LATER', startTimestamp: 1760692800125, endTimestamp: 1760692800225.5, attributes: { outputMessages: [{ participant: 'SYSTEM', values: [{ text: { value: 'hi' } }, 'oops'] }] } },
      'fallback',
      0,
    );
    assert.equal(s.startTime, 1760692800125);
    assert.equal(s.durationMs, 100.5);
    assert.equal(s.status, 'unset');
    assert.equal(s.attributes.status, 'CANCELLED_LATER');
    assert.equal(s.output?.[0].role, 'system');
    assert.deepEqual(s.output?.[0].parts[1], { type: 'unknown', raw: 'oops' });
    const bare = toSpan({}, 'fallback', 7);
    assert.equal(bare.id, 'missing-span-id-7');
    assert.equal(bare.sessionId, 'fallback');
    assert.equal(bare.kind, 'custom');
  });
});
