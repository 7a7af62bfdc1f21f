// Copy as Markdown: secrets masked by key name and by .env values, long
// payloads cut, hostile fences kept closed; on spans decoded by the real
// OpenAI Agents JSONL backend.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createBackend } from '../../../src/backends/registry';
import { loadAllSpans } from '../../../src/backends/types';
import { SECRET } from '../../../src/compare/normalize';
import { sessionMarkdown, spanMarkdown } from '../../../src/copy/markdown';
import { parseDotEnv, secretRules, secretValues } from '../../../src/copy/secrets';
import type { Span } from '../../../src/model/types';
import { testContext } from '../backends/agno/contract';

const ENV = `
# comment
export OPENAI_API_KEY="sk-test-0123456789abcdefghijkl"
DB_PASSWORD='hunter2!'
LOG_LEVEL=debug
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
CUSTOM_WEBHOOK=whk_9f8e7d6c5b4a3210 # inline comment
PORT=8080
`;

function span(extra: Partial<Span>): Span {
  return { id: 'span_1', sessionId: 's', name: 'call_api', kind: 'tool', status: 'ok', startTime: 0, durationMs: 12, attributes: {}, ...extra };
}

describe('copy as Markdown — secrets and projection', () => {
  it('parses dotenv files and keeps the values worth masking', () => {
    const entries = parseDotEnv(ENV);
    assert.deepEqual(entries.map((e) => e.key), ['OPENAI_API_KEY', 'DB_PASSWORD', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'CUSTOM_WEBHOOK', 'PORT']);
    assert.equal(entries[4].value, 'whk_9f8e7d6c5b4a3210');
    assert.deepEqual(secretValues(entries), ['sk-test-0123456789abcdefghijkl', 'whk_9f8e7d6c5b4a3210', 'hunter2!']);
  });

  it('masks secrets by key name, by .env value and by shape, everywhere in the span', () => {
    const secrets = secretRules(parseDotEnv(ENV));
    const md = spanMarkdown(
      span({
        status: 'error',
        statusMessage: 'auth failed for hunter2!',
        tool: { name: 'call_api', arguments: JSON.stringify({ url: 'https://x', headers: { Authorization: 'Bearer abcdefghijklmnop', 'X-Trace': 'ok' } }), result: 'used key sk-test-0123456789abcdefghijkl and whk_9f8e7d6c5b4a3210', error: 'denied' },
        input: [{ role: 'user', parts: [{ type: 'text', text: 'my api_key is sk-live-ZZZZZZZZZZZZZZZZZZZZ' }] }],
      }),
      { secrets },
    );
    for (const leaked of ['hunter2!', 'abcdefghijklmnop', 'sk-test-0123456789abcdefghijkl', 'whk_9f8e7d6c5b4a3210', 'sk-live-ZZZZ']) assert.ok(!md.includes(leaked), `${leaked} is masked:\n${md}`);
    assert.ok(md.includes(`"Authorization": "${SECRET}"`));
    assert.ok(md.includes('"X-Trace": "ok"'), 'other keys are kept');
    assert.match(md, /status error: auth failed for ‹secret›/);
    assert.match(md, /"error": "denied"/);
  });

  it('cuts long payloads and keeps hostile backticks inside the fence', () => {
    const md = spanMarkdown(span({ tool: { name: 't', result: `\`\`\`\n# injected heading\n${'x'.repeat(5000)}` } }));
    assert.match(md, /… \(\+\d+ chars\)/);
    const fences = md.match(/^`{3,}/gm) ?? [];
    assert.ok(fences.every((f) => f.length >= 4), 'the fence is longer than the backtick run inside');
  });

  it('copies a real OpenAI Agents session compactly: tree order, totals, ids kept', async () => {
    const backend = await createBackend({ id: 'oa', type: 'openaiAgents', path: path.resolve('test/fixtures/openai/python-sdk.jsonl') }, testContext('/'));
    const [session] = (await backend.listSessions({})).sessions;
    const spans = await loadAllSpans(backend, session.id);
    backend.dispose?.();
    const md = sessionMarkdown(session, spans, { maxSpans: 3 });
    assert.ok(md.startsWith(`## Session ${session.name || session.id}`));
    assert.match(md, new RegExp(`${spans.length} spans`));
    assert.ok(md.includes(session.id));
    if (spans.length > 3) assert.match(md, new RegExp(`… ${spans.length - 3} more spans`));
  });
});
