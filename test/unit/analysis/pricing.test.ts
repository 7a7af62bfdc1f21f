// Cost of LLM calls: model-id matching as providers spell it, the setting's
// overrides, and whole fixture sessions priced from the real Q Connect
// backend (SDK ↔ emulator) against figures computed by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { loadAllSpans } from '../../../src/backends/types';
import { addCost, callCost, emptyCost, formatUsd, modelCandidates, Pricer, priceSpans } from '../../../src/model/pricing';
import { PRICE_TABLE, PRICE_TABLE_VERSION } from '../../../src/model/priceTable';
import type { SessionExport, Span } from '../../../src/model/types';
import { buildSessionExport } from '../../../src/model/sessionExport';
import { FIXTURE, startQConnectEmulator, type QConnectEmulator } from '../../emulators/qconnect/emulator';
import { backendFor, isolateAwsEnv } from '../backends/qconnect/helpers';
import { span } from '../../support/spans';

function llm(model: string | undefined, usage: Span['usage'], attributes: Record<string, unknown> = {}): Span {
  return span({ id: 'x', name: 'call', kind: 'llm', model: model ? { request: model } : undefined, usage, attributes });
}

const near = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);

describe('analysis: pricing', () => {
  const pricer = new Pricer();

  it('prices two calls of one model from one shared price reference, each with its own cost', () => {
    const own = new Pricer();
    const a = own.spanCost(llm('gpt-4o-2024-08-06', { input: 1000, output: 10 }));
    const b = own.spanCost(llm('gpt-4o', { input: 10, output: 1000 }));
    assert.deepEqual(a?.price, { model: 'gpt-4o', source: 'table', since: PRICE_TABLE.find((e) => e.model === 'gpt-4o')?.since });
    assert.equal(a?.price, b?.price, 'one object for the entry, not a copy per span');
    assert.notEqual(a?.usd, b?.usd);
  });

  it('matches provider spellings to the table entry', () => {
    const cases: [string, string][] = [
      ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet'],
      ['eu.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
      ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
      ['arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
      ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0', 'nova-pro'],
      ['us.amazon.nova-lite-v1:0', 'nova-lite'],
      ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
      ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
      ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
      ['gpt-4o-2024-08-06', 'gpt-4o'],
      ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
      ['GPT-4o-mini-2024-07-18', 'gpt-4o-mini'],
      ['openai/gpt-4.1-mini', 'gpt-4.1-mini'],
      ['o3-2025-04-16', 'o3'],
      ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
      ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
      ['gemini-2.5-flash-preview-04-17', 'gemini-2.5-flash-preview-04-17'],
      ['mistral-large-2411', 'mistral-large'],
      ['mistral-small-2503', 'mistral-small'],
      // `-latest` aliases that moved to a newer, differently priced model.
      ['mistral-small-latest', 'mistral-small-2603'],
      ['mistral-medium-latest', 'mistral-medium-3-5'],
      ['mistral-medium-2505', 'mistral-medium'],
      ['mistral-large-2512', 'mistral-large-3'],
    ];
    for (const [id, model] of cases) assert.equal(pricer.lookup(id)?.model, model, `${id} → ${modelCandidates(id).join(' | ')}`);
  });

  it('has no price for unknown models, audio models and a dated family it does not know', () => {
    for (const id of ['gpt-4o-mini-tts', 'gpt-4o-transcribe', 'llama-3-70b', 'prod-gpt4o-deployment', 'gpt-4o-minimal']) {
      assert.equal(pricer.lookup(id), undefined, id);
    }
    const c = pricer.spanCost(llm('prod-gpt4o-deployment', { input: 10, output: 5 }));
    assert.deepEqual(c, { currency: 'USD', model: 'prod-gpt4o-deployment', reason: 'unknownModel' });
    assert.equal(c?.usd, undefined, 'unknown is "no price", never $0');
  });

  it('every table entry has a date, a provider and non-negative prices', () => {
    assert.match(PRICE_TABLE_VERSION, /^\d{4}-\d{2}-\d{2}$/);
    const providers = new Set(PRICE_TABLE.map((e) => e.provider));
    assert.deepEqual([...providers].sort(), ['amazon', 'anthropic', 'google', 'mistral', 'openai']);
    for (const e of PRICE_TABLE) {
      assert.match(e.since, /^\d{4}-\d{2}-\d{2}$/, e.model);
      assert.match(e.source, /\b(litellm|genai-prices) \d/, `${e.model}: a checked source`);
      for (const v of [e.input, e.output, e.cacheRead ?? 0, e.cacheWrite ?? 0, e.reasoning ?? 0]) assert.ok(v >= 0 && Number.isFinite(v), e.model);
    }
  });

  it('prices cached tokens by provider convention (OpenAI counts them inside input)', () => {
    // gpt-4o: 1000 input of which 400 cached, 100 output → 600×2.5 + 400×1.25 + 100×10 = 3000 µ$
    near(pricer.spanCost(llm('gpt-4o-2024-08-06', { input: 1000, output: 100, cacheRead: 400 }))?.usd, 0.003);
    // Claude on Bedrock: input excludes cache: 1000×3 + 400×0.3 + 200×3.75 + 100×15 = 5370 µ$
    near(pricer.spanCost(llm('us.anthropic.claude-3-7-sonnet-20250219-v1:0', { input: 1000, output: 100, cacheRead: 400, cacheWrite: 200 }))?.usd, 0.00537);
  });

  it('prices reasoning tokens apart where the table does', () => {
    // 2.5 Flash preview: 1000 out of which 800 thinking → 100×0.15 + 200×0.6 + 800×3.5 = 2935 µ$
    const span = llm('gemini-2.5-flash-preview-04-17', { input: 100, output: 1000 }, { 'gen_ai.usage.reasoning_tokens': 800 });
    near(pricer.spanCost(span)?.usd, 0.002935);
    // Where not priced apart, reasoning is billed as output (o3): 100×2 + 1000×8 = 8200 µ$
    near(pricer.spanCost(llm('o3', { input: 100, output: 1000 }, { 'gen_ai.usage.reasoning_tokens': 800 }))?.usd, 0.0082);
  });

  it('the setting overrides the table, maps deployment names with "as" and takes wildcards', () => {
    const p = new Pricer([
      { model: 'prod-gpt4o-*', as: 'gpt-4o' },
      { model: 'gpt-4o-mini', input: 1, output: 2, since: '2026-01-01' },
      { model: 'my-finetune', input: 4, output: 8 },
      { model: 'broken' },
      { model: 'bad-as', as: 'no-such-model' },
    ]);
    assert.equal(p.problems.length, 2);
    const azure = p.spanCost(llm('prod-gpt4o-eastus', { input: 1000, output: 100, cacheRead: 400 }));
    near(azure?.usd, 0.003);
    assert.deepEqual(azure?.price, { model: 'prod-gpt4o-*', source: 'setting', since: '2024-10-01' });
    const mini = p.spanCost(llm('gpt-4o-mini-2024-07-18', { input: 1_000_000, output: 1_000_000 }));
    assert.equal(mini?.usd, 3);
    assert.equal(mini?.price?.since, '2026-01-01');
    near(p.spanCost(llm('My-Finetune', { input: 1000, output: 1000 }))?.usd, 0.012);
    assert.equal(p.lookup('broken'), undefined);
  });

  it('an Azure span whose response names the real model is priced from it', () => {
    const span = llm('prod-deployment', { input: 1000, output: 0 });
    span.model = { request: 'prod-deployment', response: 'gpt-4o-2024-08-06' };
    near(pricer.spanCost(span)?.usd, 0.0025);
  });

  it('only LLM spans are priced; missing model or token counts are "no price"', () => {
    assert.equal(pricer.spanCost({ ...llm('gpt-4o', { input: 1, output: 1 }), kind: 'agent' }), undefined);
    assert.equal(pricer.spanCost(llm(undefined, { input: 1 }))?.reason, 'noModel');
    assert.equal(pricer.spanCost(llm('gpt-4o', undefined))?.reason, 'noUsage');
    assert.equal(pricer.spanCost(llm('gpt-4o', { total: 50 }))?.reason, 'noUsage');
    // Only a total and output: input is the rest.
    near(callCost(llm('gpt-4o', { total: 150, output: 50 }), pricer.lookup('gpt-4o')!), (100 * 2.5 + 50 * 10) / 1e6);
  });

  it('sums and formats', () => {
    const sum = emptyCost();
    addCost(sum, { currency: 'USD', usd: 0.25 });
    addCost(sum, { currency: 'USD', model: 'x', reason: 'unknownModel' });
    addCost(sum, { currency: 'USD', model: 'x', reason: 'unknownModel' });
    const outer = addCost(emptyCost(), sum);
    assert.deepEqual({ ...outer, priceTable: '' }, { currency: 'USD', usd: 0.25, pricedCalls: 1, unpricedCalls: 2, unpricedModels: ['x'], priceTable: '' });
    assert.deepEqual([formatUsd(12.345), formatUsd(0.03158), formatUsd(0.0008448), formatUsd(0)], ['$12.35', '$0.032', '$0.00084', '$0.00']);
  });

  describe('fixture sessions from the Q Connect backend', () => {
    let emulator: QConnectEmulator;
    let env: ReturnType<typeof isolateAwsEnv>;
    const spans = new Map<string, Span[]>();
    const [S1, S2] = FIXTURE.sessions.map((s) => s.id);

    before(async () => {
      env = isolateAwsEnv();
      emulator = await startQConnectEmulator();
      const backend = backendFor(emulator);
      for (const id of [S1, S2]) spans.set(id, await loadAllSpans(backend, id));
      backend.dispose();
    });
    after(async () => {
      await emulator.close();
      env.restore();
    });

    it('session 1 costs what the hand computation says', () => {
      // Bedrock reports cache tokens apart from input. Per million tokens:
      // claude-3-5-haiku in 0.80, out 4, cache read 0.08, write 1; claude-3-7-sonnet in 3, out 15, read 0.30, write 3.75.
      // QueryReformulation (haiku): 812×0.80 + 36×4 + 640×0.08            =    844.8 µ$
      // Orchestration.Converse (sonnet): 3190×3 + 214×15 + 1024×3.75      = 16,620.0 µ$
      // AnswerGeneration (sonnet): 4012×3 + 118×15 + 1024×0.30            = 14,113.2 µ$
      // total                                                              = 31,578.0 µ$ = $0.031578
      const list = spans.get(S1)!;
      const total = priceSpans(list, pricer);
      near(total.usd, 0.031578);
      assert.equal(total.pricedCalls, 3);
      assert.equal(total.unpricedCalls, 0);
      const byName = new Map(list.filter((s) => s.cost).map((s) => [s.name, s.cost!]));
      assert.deepEqual([...byName.keys()].sort(), ['AnswerGeneration', 'Orchestration.Converse', 'QueryReformulation']);
      near(byName.get('QueryReformulation')!.usd, 0.0008448);
      assert.deepEqual(byName.get('QueryReformulation')!.price, { model: 'claude-3-5-haiku', source: 'table', since: '2024-11-04' });
      assert.equal(formatUsd(total.usd), '$0.032');
    });

    it('session 2 has an LLM call without token counts: priced calls summed, that one "no price"', () => {
      // IntentLabeling (haiku) 402×0.80 + 5×4 = 341.6; AnswerGeneration (sonnet) 1530×3 + 61×15 = 5505 → 5846.6 µ$
      const total = priceSpans(spans.get(S2)!, pricer);
      near(total.usd, 0.0058466);
      assert.equal(total.pricedCalls, 2);
      assert.equal(total.unpricedCalls, 1);
    });

    it('the CLI export prices with spanInspector.pricing from its --config file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pricing-cli-'));
      const run = async (pricing: unknown[]) => {
        const config = path.join(dir, 'settings.json');
        fs.writeFileSync(config, JSON.stringify({
          'spanInspector.backends': [{ id: 'qc', type: 'qconnect', region: emulator.region, assistantId: emulator.assistantId, endpoint: emulator.url }],
          'spanInspector.pricing': pricing,
        }));
        let out = '';
        let err = '';
        const code = await main(['export', '--config', config, '--backend', 'qc', '--session', S1], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: process.env });
        assert.equal(code, 0, err);
        return { doc: JSON.parse(out) as SessionExport, err };
      };
      near((await run([])).doc.session.cost?.usd, 0.031578);
      // Haiku at $10/M for every token (no cacheRead price given: cached tokens at the input price):
      // (812 + 36 + 640) × 10 = 14,880 µ$, plus the two Sonnet calls 30,733.2 µ$ = $0.0456132.
      const { doc, err } = await run([{ model: '*claude-3-5-haiku*', input: 10, output: 10 }, { model: 'broken' }]);
      near(doc.session.cost?.usd, 0.0456132);
      assert.match(err, /spanInspector\.pricing\[1\] \(broken\): needs "input" and "output"/);
      const haiku = doc.spans.find((x) => x.name === 'QueryReformulation')!;
      assert.deepEqual(haiku.cost?.price, { model: '*claude-3-5-haiku*', source: 'setting' });
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the export carries span and session cost', () => {
      const list = spans.get(S1)!;
      priceSpans(list, pricer);
      const doc = JSON.parse(JSON.stringify(buildSessionExport({ backendId: 'qc', id: S1, cost: emptyCost() }, list)));
      near(doc.session.cost.usd, 0.031578);
      assert.equal(doc.session.cost.priceTable, PRICE_TABLE_VERSION);
      assert.equal(doc.spans.filter((s: Span) => s.cost?.usd !== undefined).length, 3);
    });
  });
});
