// Fast check on recorded botocore output (test/fixtures/recorded/qconnect/,
// `npm run record`): our ListSpansCommand sends the path and query botocore
// 1.44.8 serializes for the same input. The live check is botocore.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ListSpansCommandInput } from '../../../../src/backends/qconnect/listSpansCommand';
import { startQConnectEmulator, type QConnectEmulator } from '../../../emulators/qconnect/emulator';
import { listSpansWire, wireQuery } from '../../../support/qconnectBotocore';

interface Recorded {
  producer: { botocore: string };
  cases: { input: ListSpansCommandInput; method: string; urlPath: string; query: Record<string, unknown> }[];
}

const recorded = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../fixtures/recorded/qconnect/list-spans-serialized.json'), 'utf8')) as Recorded;

describe('qconnect: ListSpans wire against recorded botocore serialization', () => {
  let emulator: QConnectEmulator;
  before(async () => {
    emulator = await startQConnectEmulator();
  });
  after(async () => emulator.close());

  it(`matches botocore ${recorded.producer.botocore} for UUIDs, ARNs and escaped tokens`, async () => {
    assert.ok(recorded.cases.length >= 3);
    const seen = await listSpansWire(emulator, recorded.cases.map((c) => c.input));
    recorded.cases.forEach((c, i) => {
      assert.equal(c.method, 'GET');
      assert.equal(seen[i].path, c.urlPath, `path of case ${i}`);
      assert.equal(seen[i].query, wireQuery(c.query), `query of case ${i}`);
    });
  });
});
