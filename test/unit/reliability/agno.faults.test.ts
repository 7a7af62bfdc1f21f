// The Agno backend against hostile and broken databases (issue #10): span
// attributes written by any process that can write the agent's database must
// not take a whole session down, and a corrupt or truncated SQLite file is a
// precise BackendError, never a crash.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../../../src/backends/errors';
import { createBackend } from '../../../src/backends/registry';
import { generateAgnoSpans, writeAgnoSqlite } from '../../fixtures/agno';
import { checkSpan, objOf } from './support/arbitraries';
import { consume } from './support/consume';
import { recordingContext } from '../../support/context';

describe('reliability: Agno backend on hostile and broken databases', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-agno-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const backendFor = (file: string) => createBackend({ id: 'agno', type: 'agno', database: file, pageSize: 10 }, recordingContext());

  it('hostile span attributes (prototype keys, objects where text belongs) do not stop the session from loading', async () => {
    const data = generateAgnoSpans(30, { sessionId: 'sess-hostile', runSize: 10 });
    const attrs = (i: number) => data.spans[i].attributes as Record<string, unknown>;
    // JSON that makes String() throw, operation names that are Object.prototype members,
    // and an own "__proto__" key (JSON.parse creates one).
    attrs(3)['llm.input_messages.0.message.tool_calls.0.tool_call.id'] = [{ toString: 1 }];
    delete attrs(5)['openinference.span.kind'];
    attrs(5)['gen_ai.operation.name'] = 'constructor';
    attrs(6)['openinference.span.kind'] = '__proto__';
    data.spans[7].attributes = objOf([...Object.entries(attrs(7)), ['__proto__', { 'llm.model_name': 'injected' }]]);
    const file = path.join(dir, 'hostile.db');
    await writeAgnoSqlite(file, data);
    const b = await backendFor(file);
    const loaded = await consume(b, 'sess-hostile');
    assert.equal(loaded.error, undefined, loaded.error?.message);
    assert.equal(loaded.spans.length, 30, 'every span of the session is shown');
    for (const s of loaded.spans) checkSpan(s, { deep: true });
    b.dispose?.();
  });

  it('a corrupt or truncated SQLite file is a BackendError naming the file, not a crash', async () => {
    const good = path.join(dir, 'good.db');
    await writeAgnoSqlite(good, generateAgnoSpans(200, { sessionId: 'sess-big' }));
    const bytes = fs.readFileSync(good);
    const cases: [string, Buffer][] = [
      ['random.db', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251))],
      ['truncated.db', bytes.subarray(0, Math.floor(bytes.length / 3))],
      ['header-only.db', bytes.subarray(0, 100)],
    ];
    for (const [name, content] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      const b = await backendFor(file);
      let err: unknown;
      try {
        await b.listSessions({});
        const r = await consume(b, 'sess-big');
        err = r.error;
        if (!err) assert.ok(r.spans.length <= 200, `${name}: loads what is readable`);
      } catch (e) {
        err = e;
      }
      if (err) {
        assert.ok(err instanceof BackendError, `${name}: ${(err as Error).name} is not a BackendError: ${(err as Error).message}`);
        assert.match(err.message, new RegExp(name.replace('.', '\\.')), `${name}: the message names the file`);
      }
      b.dispose?.();
    }
  });
});
