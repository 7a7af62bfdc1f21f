// The demo/UI-test helpers post what they promise, in both OTLP encodings.
import * as assert from 'node:assert/strict';
import { startReceiver } from '../../../src/capture/receiver';
import { postSamples } from '../../../src/capture/samples';
import { CaptureStore } from '../../../src/backends/store/captureStore';

describe('capture samples', () => {
  for (const protobuf of [false, true]) {
    it(`posts an OpenAI run and an OTLP run (${protobuf ? 'protobuf' : 'JSON'}) that show as two sessions`, async () => {
      const store = CaptureStore.inMemory();
      const server = await startReceiver({ store, port: 0 });
      try {
        assert.deepEqual(await postSamples(server.url, { protobuf }), { openai: 200, otlp: 200 });
        const sessions = store.listSessions();
        assert.deepEqual(sessions.map((s) => s.id).sort(), ['demo-openai-conversation', 'demo-otel-conversation']);
        const openai = store.getSession('demo-openai-conversation')!;
        assert.equal(openai.name, 'Acme support (sample)');
        assert.equal(openai.spanCount, 7);
        const otel = store.getSpans('demo-otel-conversation')!;
        assert.equal(otel.length, 4);
        assert.deepEqual(otel.map((s) => s.kind).sort(), ['agent', 'llm', 'llm', 'tool']);
        assert.ok(otel.every((s) => s.startTime > Date.now() - 60_000));
      } finally {
        await server.close();
      }
    });
  }
});
