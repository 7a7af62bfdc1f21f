// What the panel sends with a span: tool results found in other spans (OTLP
// execute_tool), and the Raw tab's table of every attribute of the original record.
import * as assert from 'node:assert/strict';
import { sampleOtlpRequest } from '../../../src/capture/samples';
import { CaptureStore } from '../../../src/backends/store/captureStore';
import { relatedToolResults, unansweredCalls } from '../../../src/panel/toolResults';
import { attributeRows, imageInfo, recordAttributes } from '../../../webview/renderable';
import { useEnglishPanelStrings } from '../../support/panelStrings';

before(useEnglishPanelStrings);

describe('tool results in another span', () => {
  it('pairs an OTLP chat span\'s tool call with the execute_tool span that holds its result (gen_ai.tool.call.id)', async () => {
    const store = await CaptureStore.open({});
    try {
      store.ingestOtlp(sampleOtlpRequest(Date.now(), 'conv-tools'));
      const session = store.listSessions()[0];
      const spans = store.getSpans(session.id)!;
      const chat = spans.find((s) => s.name === 'chat gpt-4o' && unansweredCalls(s).size > 0)!;
      assert.ok(chat, 'a chat span with an unanswered tool call');
      const related = relatedToolResults(chat, spans);
      assert.equal(related.length, 1);
      assert.equal(related[0].id, 'call_w');
      assert.deepEqual(related[0].parts, [{ type: 'text', text: '{"temp_c":24,"sky":"clear"}' }]);
    } finally {
      await store.dispose();
    }
  });

  it('returns nothing when the span answers its own calls', () => {
    const span = {
      id: 'a', name: 'x', kind: 'llm', status: 'ok', startTime: 0, attributes: {},
      output: [{ role: 'assistant', parts: [{ type: 'toolUse', id: 't1', name: 'f', arguments: {} }, { type: 'toolResult', id: 't1', parts: [] }] }],
    } as never;
    assert.deepEqual(relatedToolResults(span, [span]), []);
  });
});

describe('Raw tab attributes', () => {
  it('lists every field and attribute of the original record; the filter finds token keys', () => {
    const original = {
      spanName: 'AnswerGeneration', spanType: 'CLIENT', status: 'OK', requestId: 'r1', originRequestId: 'r1',
      attributes: { operationName: 'chat', usageInputTokens: 4012, usageOutputTokens: 118, usageTotalTokens: 4130, cacheReadInputTokens: 1024, temperature: 0.3 },
    };
    const all = recordAttributes(original, { leftover: 1 });
    assert.equal(Object.keys(all).length, 12);
    const tokens = attributeRows(all, 'token').map((r) => r.key);
    assert.deepEqual(tokens, ['cacheReadInputTokens', 'usageInputTokens', 'usageOutputTokens', 'usageTotalTokens']);
  });

  it('unwraps OTLP key/value attribute lists', () => {
    const all = recordAttributes({ name: 'chat', attributes: [{ key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } }, { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } }] }, {});
    assert.equal(all['gen_ai.usage.input_tokens'], '12');
    assert.deepEqual(all.tags, ['a']);
  });

});

describe('image content parts', () => {
  const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  it('inline data of a safe type becomes a data: URL; SVG and S3 images are labelled instead', () => {
    const bedrock = imageInfo({ image: { format: 'png', source: { bytes: PNG } } })!;
    assert.equal(bedrock.format, 'png');
    assert.equal(bedrock.dataUrl, `data:image/png;base64,${PNG}`);
    assert.equal(bedrock.bytes, Buffer.from(PNG, 'base64').length);
    const s3 = imageInfo({ image: { format: 'png', source: { s3Location: { uri: 's3://example-corp-receipts/4471/ch_2.png' } } } })!;
    assert.deepEqual(s3, { format: 'png', location: 's3://example-corp-receipts/4471/ch_2.png' });
    const svg = imageInfo({ type: 'image', source: { type: 'base64', media_type: 'image/svg+xml', data: 'PHN2Zz48L3N2Zz4=' } })!;
    assert.equal(svg.dataUrl, undefined, 'never an SVG data URL');
    assert.equal(svg.format, 'svg+xml');
    assert.equal(imageInfo({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG}` } })!.dataUrl, `data:image/jpeg;base64,${PNG}`);
    assert.equal(imageInfo({ type: 'blob', modality: 'image', mime_type: 'image/webp', content: PNG })!.dataUrl?.startsWith('data:image/webp;base64,'), true);
    assert.equal(imageInfo({ type: 'text', text: 'x' }), undefined);
    assert.equal(imageInfo({ image: { format: 'png', source: { bytes: 'not base64 <script>' } } })!.dataUrl, undefined);
  });
});
