// `span-inspector capture`: the receiver without VS Code writes what arrives
// (over HTTP and gRPC, traces and logs) as files the backends read back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { main } from '../../../src/cli';
import { createBackend } from '../../../src/backends/registry';
import { loadAllSpans, type BackendContext } from '../../../src/backends/types';
import { encodeOtlpProtobuf } from '../../../src/backends/otlp/protobuf';
import { GRPC_TRACES_METHOD } from '../../../src/capture/grpcReceiver';
import { waitFor } from '../../support/waitFor';

const RECORDED = path.join(__dirname, '..', '..', 'fixtures', 'recorded');

function recorded(name: string): { kind: string; body: Record<string, unknown> }[] {
  return fs.readFileSync(path.join(RECORDED, `${name}.capture.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function grpcExport(address: string, body: Buffer): Promise<void> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(GRPC_TRACES_METHOD, (b: Buffer) => b, (b: Buffer) => b, body, (err) => {
      client.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

const ctx: BackendContext = {
  log: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  getSecret: async () => undefined,
  resolvePath: (p) => p,
};

describe('CLI capture', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-capture-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints its addresses and writes session exports and native files until stopped', async () => {
    let stdout = '';
    let stderr = '';
    const stop = new AbortController();
    const out = path.join(dir, 'traces');
    const done = main(['capture', '--port', '0', '--grpc-port', '0', '--out', out], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, signal: stop.signal });
    const http = await waitFor('the HTTP address', () => /OTLP\/HTTP traces: +(http:\/\/127\.0\.0\.1:\d+)\/v1\/traces/.exec(stdout)?.[1], 5000);
    const grpcAddress = await waitFor('the gRPC address', () => /OTLP\/gRPC: +(127\.0\.0\.1:\d+)/.exec(stdout)?.[1], 5000);
    assert.match(stdout, /OpenAI Agents SDK: http:\/\/127\.0\.0\.1:\d+\/v1\/traces\/ingest/);

    // OpenAI Agents SDK batches over HTTP, GenAI spans over gRPC and their content as logs over HTTP.
    for (const r of recorded('openai-agents-python')) {
      const res = await fetch(`${http}/v1/traces/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.body) });
      assert.equal(res.status, 200);
    }
    const genai = recorded('otel-genai-openai-logs');
    for (const r of genai.filter((x) => x.kind === 'otlp')) await grpcExport(grpcAddress, Buffer.from(encodeOtlpProtobuf(r.body)));
    for (const r of genai.filter((x) => x.kind === 'otlp-logs')) {
      const res = await fetch(`${http}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.body) });
      assert.equal(res.status, 200);
    }
    await waitFor('the files', () => (stdout.match(/^wrote /gm)?.length ?? 0) >= 3, 5000);
    stop.abort();
    assert.equal(await done, 0, stderr);

    const files = fs.readdirSync(out).sort();
    assert.ok(files.includes('span-inspector-tests.jsonl') && files.includes('span-inspector-tests.session.json'), files.join());
    const agents = await createBackend({ id: 'a', type: 'openaiAgents', path: path.join(out, 'span-inspector-tests.jsonl') }, ctx);
    assert.ok((await loadAllSpans(agents, 'span-inspector-tests')).some((s) => s.name === 'handoff Triage agent → Billing agent'));
    agents.dispose?.();

    const otlpFile = files.find((f) => f.endsWith('.otlp.json'))!;
    assert.ok(otlpFile, files.join());
    const otlp = await createBackend({ id: 'o', type: 'otlp', path: path.join(out, otlpFile) }, ctx);
    const [session] = (await otlp.listSessions({})).sessions;
    assert.equal((await loadAllSpans(otlp, session.id))[0].model?.request, 'gpt-stand-in');
    otlp.dispose?.();

    // The normalized export carries the content that came as log events.
    const exported = files.filter((f) => f.endsWith('.session.json') && f !== 'span-inspector-tests.session.json');
    assert.equal(exported.length, 2, 'one session per GenAI trace');
    const outputs = exported.flatMap((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')).spans.map((s: { output?: { parts: { type: string }[] }[] }) => s.output?.[0].parts[0].type));
    assert.deepEqual(outputs.sort(), ['text', 'toolUse']);
    const file = await createBackend({ id: 'f', type: 'file', path: path.join(out, otlpFile.replace('.otlp.json', '.session.json')) }, ctx);
    assert.equal((await file.listSessions({})).sessions.length, 1);
    file.dispose?.();
  });

  it('refuses a bad port with a clear error', async () => {
    let stderr = '';
    const code = await main(['capture', '--port', 'x', '--out', dir], { stdout: () => undefined, stderr: (t) => (stderr += t), env: {} });
    assert.equal(code, 2);
    assert.match(stderr, /--port must be a port number/);
  });
});
