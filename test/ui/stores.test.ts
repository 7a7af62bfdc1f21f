// The team stores in the real workbench and panel: a real Jaeger v2 and a
// real Phoenix (auth on, key from the environment), fed by the OTel Python
// SDK; a Phoenix span annotated through its REST API (an LLM eval with a
// hostile explanation, a human label) shows its "Annotations and evaluations"
// section as literal text.
import * as assert from 'node:assert/strict';
import { startJaeger, waitForTrace, type TestJaeger } from '../support/jaeger';
import { startPhoenix, type TestPhoenix } from '../support/phoenix';
import { runPyProducer } from '../support/traceStores';
import { checkAnalysis } from './analysisChecks';
import { launchWorkbench, openSessionTimeline, openSpanInPanel, openSpanInspector, type Workbench } from './workbench';

const HOSTILE = '<img src=x onerror="document.title=\'PWNED\'"> **not bold**';

describe('team stores in the workbench (real Jaeger and Phoenix)', function () {
  this.timeout(900_000);
  let jaeger: TestJaeger;
  let phoenix: TestPhoenix;
  let wb: Workbench;
  let llmSpanId: string;
  let jaegerRoot: string;

  before(async function () {
    this.timeout(900_000);
    [jaeger, phoenix] = await Promise.all([startJaeger(), startPhoenix({ auth: true })]);
    const auth = { authorization: `Bearer ${phoenix.token}` };
    const j = await runPyProducer(jaeger.otlpHttpUrl, ['--service', 'travel-agent', '--conversations', '1', '--traces-per-conversation', '1', '--openinference-sessions', '0', '--plain', '0']);
    await waitForTrace(jaeger.baseUrl, j.conversations['conv-py-0'][0], 4);
    const rootSpans = (await (await fetch(`${jaeger.baseUrl}/api/v3/traces/${j.conversations['conv-py-0'][0]}`)).json()) as { result: { resourceSpans: { scopeSpans: { spans: { spanId: string; parentSpanId?: string }[] }[] }[] } };
    jaegerRoot = rootSpans.result.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).find((s) => !s.parentSpanId)!.spanId;
    await runPyProducer(phoenix.otlpHttpUrl, ['--project', 'support', '--conversations', '0', '--openinference-sessions', '1', '--plain', '0'], auth);
    // The LLM span of the session, then two annotations on it.
    for (let i = 0; ; i++) {
      const r = await fetch(`${phoenix.baseUrl}/v1/projects/support/spans/otlpv1?name=ChatCompletion`, { headers: auth });
      const data = r.ok ? ((await r.json()) as { data: { span_id: string }[] }).data : [];
      if (data[0]) {
        llmSpanId = data[0].span_id;
        break;
      }
      assert.ok(i < 200, 'Phoenix never stored the LLM span');
      await new Promise((res) => setTimeout(res, 300));
    }
    const post = await fetch(`${phoenix.baseUrl}/v1/span_annotations?sync=true`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: [
          { span_id: llmSpanId, name: 'correctness', annotator_kind: 'LLM', result: { label: 'incorrect', score: 0.25, explanation: HOSTILE } },
          { span_id: llmSpanId, name: 'user feedback', annotator_kind: 'HUMAN', result: { label: 'thumbs-up', score: 1 } },
        ],
      }),
    });
    assert.equal(post.status, 200, await post.text());
    wb = await launchWorkbench({
      settings: {
        'spanInspector.backends': [
          { id: 'team-jaeger', type: 'jaeger', label: 'Team Jaeger', baseUrl: jaeger.baseUrl, service: 'travel-agent' },
          { id: 'team-phoenix', type: 'phoenix', label: 'Team Phoenix', baseUrl: phoenix.baseUrl, project: 'support' },
        ],
        // One tab per store's session: the second must not replace the first while it is read.
        'spanInspector.panel.preview': false,
      },
      env: { PHOENIX_API_KEY: phoenix.token as string },
    });
    await openSpanInspector(wb.page);
  });

  after(async () => {
    await wb?.stop();
    await jaeger?.close();
    await phoenix?.close();
  });

  it('opens a Jaeger conversation in the panel: waterfall and the GenAI span view', async () => {
    const frame = await openSessionTimeline(wb.page, 'Team Jaeger', 'invoke_agent Travel agent');
    assert.equal(await frame.locator('[data-testid="waterfall-row"]:not([hidden])').count(), 4);
    await openSpanInPanel(frame, jaegerRoot);
    assert.match(await frame.locator('[data-testid="span-header"]').innerText(), /invoke_agent Travel agent/);
    await wb.screenshot('stores-jaeger');
  });

  it('shows Phoenix annotations and eval scores as their own section, hostile text literal', async () => {
    const frame = await openSessionTimeline(wb.page, 'Team Phoenix', /Support agent/);
    await openSpanInPanel(frame, llmSpanId);
    const section = frame.locator('[data-testid="annotations"]');
    await section.waitFor({ timeout: 30_000 });
    assert.match(await section.locator('.section-title').innerText(), /Annotations and evaluations \(2\)/);
    const rows = section.locator('[data-testid="annotation"]');
    assert.deepEqual(await rows.locator('[data-testid="annotation-name"]').allInnerTexts(), ['correctness', 'user feedback']);
    assert.deepEqual(await rows.locator('[data-testid="annotation-label"]').allInnerTexts(), ['incorrect', 'thumbs-up']);
    assert.deepEqual(await rows.locator('[data-testid="annotation-score"]').allInnerTexts(), ['0.25', '1']);
    assert.equal(await section.locator('[data-testid="annotation-explanation"]').innerText(), HOSTILE);
    assert.equal(await section.locator('img').count(), 0, 'the explanation is text, not markup');
    assert.notEqual(await wb.page.title(), 'PWNED');
    await wb.screenshot('stores-phoenix-annotations');
  });

  for (const [store, session] of [['Team Jaeger', 'invoke_agent Travel agent'], ['Team Phoenix', /Support agent/]] as const) {
    it(`${store}: header cost, Summary tables and the agent graph filtering the waterfall`, async () => {
      await wb.page.keyboard.press('Escape');
      const frame = await openSessionTimeline(wb.page, store, session);
      await checkAnalysis(wb.page, frame);
    });
  }
});
