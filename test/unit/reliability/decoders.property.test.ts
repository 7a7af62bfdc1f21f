// Property-based tests of every wire decoder (issue #10). Each property runs in
// a worker thread with a time budget, so a decoder that loops fails the test
// instead of hanging the suite. See properties/decoders.ts for what is checked.
import * as path from 'node:path';
import { PropertyRunner } from './support/bounded';

const runner = new PropertyRunner(path.join(__dirname, 'properties', 'decoders.ts'));

describe('reliability: decoders never throw, loop or drop data (fast-check)', function () {
  this.timeout(60_000);
  after(() => runner.close());

  const cases: [string, string][] = [
    ['qconnectSpan', 'Q Connect ListSpans records (qconnect/map.ts) map to valid spans and keep unknown members'],
    ['qconnectAttributesKept', 'Q Connect span attributes keep every unknown key'],
    ['qconnectAnything', 'Q Connect mapping survives arbitrary JSON in place of a span'],
    ['sgpSpan', 'SGP span records (sgp/map.ts) map to valid spans and keep unknown fields as sgp.*'],
    ['otelOpenInferenceAndGenAi', 'OpenInference (Agno) and GenAI attribute maps decode via otelToSpan without loss'],
    ['otelKindNames', 'GenAI operation names and OpenInference kinds that are Object.prototype member names give a valid kind'],
    ['openAiAgentsItem', 'OpenAI Agents SDK span items (openai/map.ts) map to valid spans and keep unknown fields'],
    ['openAiStoreIngest', 'OpenAI ingest batches: every item is a span, a trace or counted as rejected'],
    ['otlpJsonEnvelope', 'OTLP JSON: every span entry is decoded or counted as rejected, and decodes to a valid span'],
    ['otlpJsonAnything', 'OTLP JSON decoding fails only with OtlpFormatError on arbitrary documents'],
    ['otlpProtobufRoundTrip', 'OTLP protobuf decodes to the same spans as the equivalent JSON'],
    ['otlpProtobufCorrupted', 'OTLP protobuf: truncated, bit-flipped and random bodies fail cleanly or decode safely'],
    ['coerceAnything', 'file backend coerce (model/coerce.ts) turns any JSON into a valid span/session, keeping unknown keys'],
    ['fileBackendLoadsEverySpan', 'the file backend loads every span of arbitrary export files'],
  ];
  for (const [name, title] of cases) {
    it(title, async () => {
      await runner.run(name, 45_000);
    });
  }
});
