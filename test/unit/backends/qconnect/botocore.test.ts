// The Q Connect emulator and our ListSpans command, checked against botocore's
// own qconnect service model (botocore 1.44.8 has ListSpans): real boto3 calls
// against the emulator must parse with botocore's REST-JSON parser and match
// the output/error shapes member for member (test/python/qconnect_botocore.py),
// and our ListSpansCommand must put on the wire exactly what botocore
// serializes for the same input.
import * as assert from 'node:assert/strict';
import { EMULATOR_CREDENTIALS, FIXTURE, startQConnectEmulator, type Injection, type QConnectEmulator } from '../../../emulators/qconnect/emulator';
import { ensureVenv } from '../../../support/python';
import { botocore, LIST_SPANS_INPUTS, listSpansWire, wireQuery, type Job } from '../../../support/qconnectBotocore';

const S1 = FIXTURE.sessions[0].id;
const PROMPT = FIXTURE.prompts[0];

describe('qconnect: emulator and ListSpans against botocore’s service model', function () {
  this.timeout(120_000);
  let emulator: QConnectEmulator;

  // On a fresh machine the pinned venv is built first (minutes): not within a test's timeout.
  before(function () {
    this.timeout(30 * 60_000);
    ensureVenv();
  });
  before(async () => {
    // Small pages so paging tokens are exercised; a generated session adds the synthetic shapes.
    emulator = await startQConnectEmulator({ spanPageSize: 7, expiredAccessKeys: ['AKIAEXPIREDEXAMPLE'] });
    emulator.addGeneratedSession(60, { sessionId: '00000000-0000-4000-8000-00000000b16e' });
  });
  after(async () => emulator.close());

  it('every successful answer (ListSpans pages, SearchSessions, GetSession, GetAIPrompt) parses and matches the output shapes', async () => {
    const calls: Job['calls'] = [];
    for (const s of [...FIXTURE.sessions.map((x) => x.id), '00000000-0000-4000-8000-00000000b16e']) {
      calls.push({ op: 'GetSession', params: { assistantId: emulator.assistantId, sessionId: s } });
      calls.push({ op: 'ListSpans', params: { assistantId: emulator.assistantId, sessionId: s, maxResults: 100 } });
    }
    calls.push({ op: 'ListSpans', params: { assistantId: emulator.assistantArn, sessionId: emulator.sessionArn(S1), maxResults: 3 } });
    calls.push({ op: 'SearchSessions', params: { assistantId: emulator.assistantId, searchExpression: { filters: [] } } });
    calls.push({ op: 'SearchSessions', params: { assistantId: emulator.assistantId, searchExpression: { filters: [{ field: 'NAME', operator: 'EQUALS', value: FIXTURE.sessions[0].name }] }, maxResults: 1 } });
    for (const p of FIXTURE.prompts) {
      calls.push({ op: 'GetAIPrompt', params: { assistantId: emulator.assistantId, aiPromptId: p.id } });
      calls.push({ op: 'GetAIPrompt', params: { assistantId: emulator.assistantId, aiPromptId: `${p.id}:${p.versions[0]}` } });
    }
    const out = await botocore(emulator, { calls });
    assert.equal(out.botocore, '1.44.8');
    // One fixture span deliberately carries members a future service version might add (they must be kept, not dropped).
    const future = /^ListSpansResponse\.spans\[\d+\]\.(spanLinks|attributes\.futureAttribute): not a member of (Span|SpanAttributes)$/;
    let futureSeen = 0;
    for (const c of out.calls) {
      assert.ok(c.ok, `${c.op} failed: ${JSON.stringify(c.error)}`);
      futureSeen += c.problems.filter((p) => future.test(p)).length;
      assert.deepEqual(c.problems.filter((p) => !future.test(p)), [], `${c.op} answer does not match botocore's shape`);
    }
    assert.equal(futureSeen, 2, 'the strict check sees the two deliberate future members (and so would see a misspelt one)');
    // What botocore parsed is what the emulator holds: spans, timestamps, paging.
    const firstPage = out.calls[1].parsed as { spans: { spanId: string; startTimestamp: string }[]; nextToken?: string };
    assert.equal(firstPage.spans.length, Math.min(7, FIXTURE.sessions[0].spanCount));
    assert.match(firstPage.spans[0].startTimestamp, /^\d{4}-\d\d-\d\dT/);
    assert.equal(typeof firstPage.nextToken, 'string');
    const search = out.calls.find((c) => c.op === 'SearchSessions')!.parsed as { sessionSummaries: { sessionId: string; sessionArn: string }[] };
    assert.ok(search.sessionSummaries.some((s) => s.sessionId === S1 && s.sessionArn === emulator.sessionArn(S1)));
    const prompt = out.calls.find((c) => c.op === 'GetAIPrompt')!.parsed as { aiPrompt: { name: string; modifiedTime: string } };
    assert.equal(prompt.aiPrompt.name, PROMPT.name);
    assert.match(prompt.aiPrompt.modifiedTime, /^\d{4}-/);
  });

  it('every error answer parses with the modeled error code, status and shape', async () => {
    const ops = (inj: Omit<Injection, 'op'>[]): Injection[] => (['ListSpans', 'GetSession', 'SearchSessions', 'GetAIPrompt'] as const).map((op, i) => ({ op, ...inj[i] }));
    const params = {
      ListSpans: { assistantId: emulator.assistantId, sessionId: S1 },
      GetSession: { assistantId: emulator.assistantId, sessionId: S1 },
      SearchSessions: { assistantId: emulator.assistantId, searchExpression: { filters: [] } },
      GetAIPrompt: { assistantId: emulator.assistantId, aiPromptId: PROMPT.id },
    };
    const rounds: [Injection[], string[]][] = [
      [ops([{ error: 'ThrottlingException' }, { error: 'AccessDeniedException' }, { error: 'UnauthorizedException' }, { error: 'ThrottlingException' }]), ['ThrottlingException', 'AccessDeniedException', 'UnauthorizedException', 'ThrottlingException']],
      [ops([{ error: 'ValidationException' }, { error: 'ResourceNotFoundException' }, { error: 'InternalServerException' }, { error: 'AccessDeniedException' }]), ['ValidationException', 'ResourceNotFoundException', 'InternalServerException', 'AccessDeniedException']],
      // Service errors the operations do not list still carry the model's status.
      [ops([{ error: 'ConflictException' }, { error: 'RequestTimeoutException' }, { error: 'ServiceQuotaExceededException' }, { error: 'UnauthorizedException' }]), ['ConflictException', 'RequestTimeoutException', 'ServiceQuotaExceededException', 'UnauthorizedException']],
    ];
    for (const [injections, codes] of rounds) {
      emulator.clearInjections();
      for (const i of injections) emulator.inject(i);
      const out = await botocore(emulator, { calls: injections.map((i) => ({ op: i.op, params: params[i.op as keyof typeof params] })) });
      out.calls.forEach((c, i) => {
        assert.equal(c.ok, false, `${c.op} should fail with ${codes[i]}`);
        assert.equal(c.error?.code, codes[i], c.op);
        assert.ok(c.error?.message, `${c.op} ${codes[i]} has a message`);
        assert.deepEqual(c.problems, [], `${c.op} ${codes[i]}`);
      });
    }
    emulator.clearInjections();
    // Errors the emulator decides itself: unknown session/prompt, a bad label, bad and expired credentials.
    const out = await botocore(emulator, {
      calls: [
        { op: 'ListSpans', params: { assistantId: emulator.assistantId, sessionId: '00000000-0000-4000-8000-000000000000' } },
        { op: 'GetSession', params: { assistantId: emulator.assistantId, sessionId: 'not-a-session' } },
        { op: 'GetAIPrompt', params: { assistantId: emulator.assistantId, aiPromptId: `${PROMPT.id}:99` } },
        { op: 'ListSpans', params: { assistantId: emulator.assistantId, sessionId: S1, nextToken: 'forged' } },
        { op: 'ListSpans', params: { assistantId: emulator.assistantId, sessionId: S1 }, credentials: { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' } },
        { op: 'GetSession', params: { assistantId: emulator.assistantId, sessionId: S1 }, credentials: { accessKeyId: 'AKIAEXPIREDEXAMPLE', secretAccessKey: 'x' } },
      ],
    });
    assert.deepEqual(
      out.calls.map((c) => [c.error?.code, c.httpStatus]),
      [['ResourceNotFoundException', 404], ['ValidationException', 400], ['ResourceNotFoundException', 404], ['ValidationException', 400], ['InvalidSignatureException', 403], ['ExpiredTokenException', 403]],
    );
    for (const c of out.calls) assert.deepEqual(c.problems, [], `${c.op} ${c.error?.code}`);
  });

  it('our ListSpansCommand sends the path, query names and ARN label encoding botocore serializes', async () => {
    const inputs = LIST_SPANS_INPUTS(emulator);
    // botocore's serializer, offline.
    const out = await botocore(emulator, { serialize: inputs.map((params) => ({ op: 'ListSpans', params })) });
    // Ours, on the wire, through the real QConnectClient.
    const seen = await listSpansWire(emulator, inputs);
    out.serialized.forEach((s, i) => {
      assert.equal(s.method, 'GET');
      assert.equal(seen[i].path, s.urlPath, `path for input ${i}`);
      assert.equal(seen[i].query, wireQuery(s.query), `query for input ${i}`);
    });
    // The emulator saw the same raw path botocore would send (labels percent-encoded, ':' and '/' included).
    const raw = emulator.requests.slice(-3);
    out.serialized.forEach((s, i) => assert.equal(raw[i].path, new URL(s.url).pathname, `raw path for input ${i}`));
  });
});
