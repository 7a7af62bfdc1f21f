// Which backend opens a trace file as a document, on the repo's real fixture files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { detectTraceFile } from '../../../src/documents/detect';

const read = (p: string) => fs.readFileSync(p, 'utf8');

describe('trace documents — format detection', () => {
  it('recognizes OpenAI Agents JSONL, OTLP JSON(L) and Span Inspector exports', () => {
    assert.equal(detectTraceFile(read('test/fixtures/openai/python-sdk.jsonl')), 'openaiAgents');
    assert.equal(detectTraceFile(read('test/fixtures/otlp/collector-file-exporter.jsonl')), 'otlp');
    assert.equal(detectTraceFile(read('test/fixtures/workspace/traces/agno-run.json')), 'file');
    const otlpLine = read('test/fixtures/otlp/collector-file-exporter.jsonl').split('\n')[0];
    assert.equal(detectTraceFile(JSON.stringify(JSON.parse(otlpLine), null, 2)), 'otlp', 'a pretty-printed OTLP request');
    assert.equal(detectTraceFile(`${JSON.stringify({ data: [{ object: 'trace', id: 'trace_1' }] })}\n`), 'openaiAgents', 'an ingest batch per line');
  });

  it('recognizes a document cut at the head limit by its top-level keys', () => {
    const text = read('test/fixtures/workspace/traces/agno-run.json');
    assert.equal(detectTraceFile(text.slice(0, Math.floor(text.length * 0.8))), 'file');
  });

  it('rejects other JSON', () => {
    assert.equal(detectTraceFile(read('package.json')), undefined);
    assert.equal(detectTraceFile('{"a": 1}\n{"b": 2}\n'), undefined);
    assert.equal(detectTraceFile('not json at all'), undefined);
    assert.equal(detectTraceFile(''), undefined);
  });
});
