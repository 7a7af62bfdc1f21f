import * as assert from 'node:assert/strict';
import {
  buildSearch,

  expandBraces,
  fileNameCandidate,
  namePattern,
  promptSourceGlobs,
  rankCandidates,
  scanText,
  SYMBOL_LABEL,
  type Candidate,
} from '../../../src/navigation/patterns';
import type { SourceRef } from '../../../src/navigation/refs';
import { decide } from '../../../src/navigation/definitions';

const PROMPT_ID = 'a4c7e2d9-1b8f-4d63-b5a0-6e9f2c8d1a37';
const PROMPT_ARN = `arn:aws:wisdom:us-east-1:111122223333:ai-prompt/6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13/${PROMPT_ID}`;

function scan(refs: SourceRef[], file: string, text: string): Candidate[] {
  return scanText(text, file, buildSearch(refs)).sort((a, b) => a.line - b.line);
}

function summary(c: Candidate[]): string[] {
  return c.map((x) => `${x.line}:${x.tier}:${x.label}`);
}

describe('navigation patterns: building the search', () => {
  it('has literal needles for ids, ARNs (without version) and every naming style of names', () => {
    const s = buildSearch([
      { kind: 'prompt', id: `${PROMPT_ID}:3`, arn: `${PROMPT_ARN}:3`, name: 'SelfServiceAnswerGeneration' },
      { kind: 'agent', name: 'Research_Agent', looseSeparators: true },
    ]);
    for (const n of [PROMPT_ARN, PROMPT_ID, 'SelfServiceAnswerGeneration', 'self_service_answer_generation', 'selfServiceAnswerGeneration', 'self-service-answer-generation', 'Research Agent', 'Research_Agent', 'research-agent']) {
      assert.ok(s.needles.includes(n), n);
    }
    assert.ok(!s.needles.some((n) => n.endsWith(':3')), 'no version qualifier');
  });

  it('accepts space, underscore or hyphen between the words of an Agno name', () => {
    const re = new RegExp(`^${namePattern('Research_Agent', true)}$`);
    for (const s of ['Research Agent', 'Research_Agent', 'Research-Agent']) assert.ok(re.test(s), s);
    assert.ok(!re.test('ResearchAgent'));
    assert.equal(namePattern('a.b(c)'), 'a\\.b\\(c\\)');
  });
});

describe('navigation patterns: scanText', () => {
  it('finds a Python Agent(name=…) across lines and labels it', () => {
    const text = ['from agents import Agent', '', 'triage_agent = Agent(', '    name="Triage Agent",', '    instructions="Route the customer.",', ')', 'print("Triage Agent")'].join('\n');
    assert.deepEqual(summary(scan([{ kind: 'agent', name: 'Triage Agent' }], '/w/agents/triage.py', text)), ['2:mention:mention', '3:definition:Agent(name=…)', '6:mention:mention']);
  });

  it('finds @function_tool def, plain def, and keeps the column of the match', () => {
    const text = ['@function_tool', 'def get_order_status(order_id: str) -> str:', '    ...', '', 'def lookup_customer(email):', '    pass'].join('\n');
    const got = scan([{ kind: 'tool', name: 'get_order_status' }, { kind: 'tool', name: 'lookup_customer' }], '/w/tools.py', text);
    assert.deepEqual(summary(got), ['1:definition:@function_tool def', '4:definition:def']);
    assert.equal(got[0].column, 4, 'the name is selected');
    assert.equal(got[0].preview, 'def get_order_status(order_id: str) -> str:');
    assert.equal(got[1].ref, 1);
  });

  it('finds TS tool({ name }) and new Agent({ name }), even when one is nested in the other', () => {
    const text = [
      "export const refundOrder = tool({",
      "  name: 'refund_order',",
      "  execute: async () => 'ok',",
      '});',
      'export const billingAgent = new Agent({',
      "  name: 'Billing Agent',",
      "  tools: [refundOrder, tool({ name: 'inline_tool', execute })],",
      '});',
    ].join('\n');
    assert.deepEqual(summary(scan([{ kind: 'tool', name: 'refund_order' }], '/w/billing.ts', text)), ['1:definition:tool({ name })', '6:mention:mention']);
    assert.deepEqual(summary(scan([{ kind: 'agent', name: 'Billing Agent' }], '/w/billing.ts', text)), ['5:definition:new Agent({ name })']);
    assert.deepEqual(summary(scan([{ kind: 'tool', name: 'inline_tool' }], '/w/billing.ts', text)), ['6:definition:tool({ name })']);
  });

  it('labels CloudFormation AWS::Wisdom::AIPrompt and CDK CfnAIPrompt names, and prefers them', () => {
    const cfn = ['Resources:', '  AnswerPrompt:', '    Type: AWS::Wisdom::AIPrompt', '    Properties:', '      Name: SelfServiceAnswerGeneration', '      Type: SELF_SERVICE_ANSWER_GENERATION'].join('\n');
    const cfnHits = scan([{ kind: 'prompt', name: 'SelfServiceAnswerGeneration' }], '/w/template.yaml', cfn);
    assert.deepEqual(summary(cfnHits), ['4:definition:AWS::Wisdom::AIPrompt resource', '5:mention:mention']);
    const cdk = ["new wisdom.CfnAIPrompt(this, 'QueryReformulation', {", '  assistantId: props.assistantId,', "  name: 'QueryReformulationPrompt',", '});'].join('\n');
    const cdkHits = scan([{ kind: 'prompt', name: 'QueryReformulationPrompt' }], '/w/stack.ts', cdk);
    assert.deepEqual(summary(cdkHits), ['2:definition:CDK CfnAIPrompt']);
    const yaml = scan([{ kind: 'prompt', name: 'SelfServiceAnswerGeneration' }], '/w/config/x.yaml', 'name: SelfServiceAnswerGeneration\n');
    assert.deepEqual(summary(yaml), ['0:definition:YAML name:']);
    assert.ok(cfnHits[0].score > yaml[0].score);
  });

  it('matches exact ids and ARNs (also versioned) as exact, and never a longer id or name', () => {
    const text = [
      `{"arn": "${PROMPT_ARN}:3",`,
      ` "id": "${PROMPT_ID}",`,
      ` "other": "${PROMPT_ID}-copy",`,
      ` "name": "SelfServiceAnswerGenerationV2"}`,
    ].join('\n');
    const hits = scan([{ kind: 'prompt', id: PROMPT_ID, arn: PROMPT_ARN, name: 'SelfServiceAnswerGeneration' }], '/w/deployed.json', text);
    // The id right under its ARN is the same record: one exact match, the ARN.
    assert.deepEqual(summary(hits), ['0:exact:ARN', '3:definition:partial match: JSON "name"']);
    assert.equal(hits[1].match, 'partial');
    const apart = scan([{ kind: 'prompt', id: PROMPT_ID }], '/w/ids.yaml', `${PROMPT_ID}\n\n\n\n\n${PROMPT_ID}`);
    assert.deepEqual(summary(apart), ['0:exact:prompt id', '5:exact:prompt id']);
  });

  it('does not treat display_name / promptName keys as the definition', () => {
    const hits = scan([{ kind: 'prompt', name: 'Answer' }], '/w/x.py', 'display_name = "Answer"\npromptName: "Answer"\n');
    assert.deepEqual(summary(hits), ['0:mention:mention', '1:mention:mention']);
  });

  it('matches Agno names with any separator', () => {
    const text = 'research_agent = Agent(\n    name="Research Agent",\n)\n';
    assert.deepEqual(summary(scan([{ kind: 'agent', name: 'Research_Agent', looseSeparators: true }], '/w/research.py', text)), ['0:mention:mention', '1:definition:Agent(name=…)']);
  });

  it('caps mentions per file and keeps one candidate per line (the best)', () => {
    const text = Array.from({ length: 50 }, () => 'call lookup_customer here').join('\n');
    assert.equal(scan([{ kind: 'tool', name: 'lookup_customer' }], '/w/a.md', text).length, 3);
    const oneLine = scan([{ kind: 'tool', name: 'x_tool' }], '/w/a.py', 'def x_tool(): return x_tool');
    assert.deepEqual(summary(oneLine), ['0:definition:def']);
  });

  it('handles CRLF files and names with regex characters', () => {
    const hits = scan([{ kind: 'prompt', name: 'a+b (v2)' }], '/w/p.yaml', 'x: 1\r\nname: "a+b (v2)"\r\n');
    assert.deepEqual(summary(hits), ['1:definition:YAML name:']);
    assert.equal(hits[0].preview, 'name: "a+b (v2)"');
  });
});

describe('navigation patterns: file names, ranking and decisions', () => {
  function cand(over: Partial<Candidate>): Candidate {
    return { file: 'file:///w/a.py', line: 0, column: 0, length: 1, tier: 'definition', score: 0, label: 'def', preview: '', ref: 0, ...over };
  }

  it('treats a prompt or agent file named after the reference as a definition (not for tools)', () => {
    const search = buildSearch([{ kind: 'prompt', name: 'EmailResponse' }]);
    assert.equal(fileNameCandidate('/w/prompts/EmailResponse.yaml', search)?.label, 'file name');
    assert.equal(fileNameCandidate('/w/prompts/emailresponse.prompt.md', search)?.tier, 'definition');
    assert.equal(fileNameCandidate('/w/prompts/EmailResponseV2.yaml', search), undefined);
    assert.equal(fileNameCandidate('/w/research-agent.yaml', buildSearch([{ kind: 'agent', name: 'Research Agent' }]))?.ref, 0);
    assert.equal(fileNameCandidate('/w/search.py', buildSearch([{ kind: 'tool', name: 'search' }])), undefined);
  });

  it('ranks exact before definitions before mentions, the primary ref first, then score, code before data and docs', () => {
    const ranked = rankCandidates([
      cand({ file: 'file:///w/z.md', tier: 'mention', label: 'mention' }),
      cand({ file: 'file:///w/b.yaml', score: 1 }),
      cand({ file: 'file:///w/t.yaml', score: 3 }),
      cand({ file: 'file:///w/a.json', tier: 'exact' }),
      cand({ file: 'file:///w/c.py', ref: 1, score: 5 }),
      cand({ file: 'file:///w/d.json', tier: 'mention', label: 'mention' }),
      cand({ file: 'file:///w/e.py', tier: 'mention', label: 'mention' }),
    ]);
    assert.deepEqual(ranked.map((c) => c.file.slice(10)), ['a.json', 't.yaml', 'b.yaml', 'c.py', 'e.py', 'd.json', 'z.md']);
  });

  it('drops duplicates: same line, and a workspace symbol near a text hit (decorator lines)', () => {
    const ranked = rankCandidates([
      cand({ line: 4, score: 2, label: '@function_tool def' }),
      cand({ line: 4, tier: 'mention', label: 'mention' }),
      cand({ line: 3, score: -1, label: SYMBOL_LABEL }),
      cand({ file: 'file:///w/other.py', line: 3, score: -1, label: SYMBOL_LABEL }),
    ]);
    assert.deepEqual(ranked.map((c) => `${c.file.slice(10)}:${c.line}:${c.label}`), ['a.py:4:@function_tool def', 'other.py:3:workspace symbol']);
  });

  it('jumps to a single best hit of the primary reference, picks among several, else falls back', () => {
    const opts = { templateAvailable: true, primaryIsPrompt: true };
    const single = [cand({ tier: 'exact' }), cand({ file: 'file:///w/b.py' }), cand({ tier: 'mention', file: 'file:///w/c.py' })];
    assert.deepEqual(decide(rankCandidates(single), opts), { action: 'open', candidate: single[0] });
    assert.deepEqual(decide(rankCandidates([cand({}), cand({ file: 'file:///w/b.py' })]), opts), { action: 'pick' });
    // A recognized construct (score ≥ 2) beats plain `name:` keys; two of them are ambiguous.
    const strong = cand({ file: 'file:///w/tools.py', score: 2 });
    assert.deepEqual(decide(rankCandidates([cand({ file: 'file:///w/a.yaml', score: 1 }), strong]), opts), { action: 'open', candidate: strong });
    assert.deepEqual(decide(rankCandidates([strong, cand({ file: 'file:///w/b.ts', score: 2 })]), opts), { action: 'pick' });
    assert.deepEqual(decide(rankCandidates([cand({ file: 'file:///w/a.yaml', score: 1 }), cand({ file: 'file:///w/b.yaml', score: 0 })]), opts), { action: 'pick' });
    // Nothing local defines the prompt: the service's template, even if an agent or mentions match.
    assert.deepEqual(decide(rankCandidates([cand({ ref: 1 }), cand({ tier: 'mention' })]), opts), { action: 'template' });
    assert.deepEqual(decide([], opts), { action: 'template' });
    const noTemplate = { templateAvailable: false, primaryIsPrompt: true };
    // Mentions alone are not an answer.
    assert.deepEqual(decide(rankCandidates([cand({ tier: 'mention' })]), noTemplate), { action: 'none' });
    assert.deepEqual(decide([], noTemplate), { action: 'none' });
    // Only a secondary reference is defined: offered, not jumped to.
    assert.deepEqual(decide(rankCandidates([cand({ ref: 1 })]), { templateAvailable: false, primaryIsPrompt: false }).action, 'pick');
  });
});

describe('navigation patterns: globs', () => {
  it('expands brace groups, nested too', () => {
    assert.deepEqual(expandBraces('**/*.{yaml,yml}'), ['**/*.yaml', '**/*.yml']);
    assert.deepEqual(expandBraces('{a,b{c,d}}/x'), ['a/x', 'bc/x', 'bd/x']);
    assert.deepEqual(expandBraces('plain/**'), ['plain/**']);
    assert.deepEqual(expandBraces('broken{a,b'), ['broken{a,b']);
    assert.equal(expandBraces('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}', 100).length, 100);
  });

  it('splits the promptSources setting into one include and one exclude glob', () => {
    const g = promptSourceGlobs(['prompts/**/*.{yaml,yml}', 'agents/*.py', '!**/generated/**'], ['**/.DS_Store']);
    assert.equal(g.include, '{prompts/**/*.yaml,prompts/**/*.yml,agents/*.py}');
    assert.equal(g.exclude, '{**/node_modules/**,**/.git/**,**/generated/**,**/.DS_Store}');
  });

  it('falls back to the default for a missing or malformed setting', () => {
    for (const bad of [undefined, [], [1], 'x']) {
      const g = promptSourceGlobs(bad);
      assert.match(g.include, /^\{\*\*\/\*\.yaml,\*\*\/\*\.yml,\*\*\/\*\.json,\*\*\/\*\.py,\*\*\/\*\.ts,/);
      assert.equal(g.exclude, '{**/node_modules/**,**/.git/**}');
    }
  });
});
