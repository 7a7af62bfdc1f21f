import * as assert from 'node:assert/strict';
import {
  accountFrom,
  assistantIdOf,
  bareId,
  buildPromptArn,
  buildSessionArn,
  classifyQuery,
  parseArn,
  parseQConnectSessionArn,
  routeQuery,
  type RoutableBackend,
} from '../../../src/navigation/ids';

const ASSISTANT = '6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13';
const SESSION = '0b8e5f3a-9c2d-4e71-8a6b-1f4d2c7e9a05';
const SESSION_ARN = `arn:aws:wisdom:us-east-1:111122223333:session/${ASSISTANT}/${SESSION}`;

describe('navigation ids: classifyQuery', () => {
  const cases: [string, string, string[]][] = [
    [SESSION_ARN, 'qconnectSessionArn', ['qconnect']],
    [`arn:aws:wisdom:us-east-1:111122223333:assistant/${ASSISTANT}`, 'arn', ['qconnect']],
    ['arn:aws:s3:::my-bucket/key', 'arn', []],
    ['trace_4f1a9c2e7b3d4a8e9c0f1b2d3e4a5b6c', 'openaiTrace', ['openaiAgents']],
    ['group_5b1e9f0c2d7a4e63', 'openaiGroup', ['openaiAgents']],
    ['span_0a1b2c3d4e5f60718293a4b5', 'openaiSpan', ['openaiAgents']],
    ['4bf92f3577b34da6a3ce929d0e0e4736', 'hex32', ['agno', 'otlp', 'jaeger', 'phoenix']],
    ['00f067aa0ba902b7', 'hex16', ['agno', 'otlp', 'jaeger']],
    [SESSION, 'uuid', ['qconnect', 'sgp', 'agno']],
    ['0B8E5F3A-9C2D-4E71-8A6B-1F4D2C7E9A05', 'uuid', ['qconnect', 'sgp', 'agno']],
    ['sgp-trace-20251001-0042', 'id', []],
    ['order status chat', 'text', []],
    ['Billing', 'text', []],
  ];
  for (const [query, kind, types] of cases) {
    it(`${query} → ${kind}`, () => {
      const q = classifyQuery(`  ${query} `);
      assert.equal(q.kind, kind);
      assert.deepEqual(q.types, types);
      assert.equal(q.text, query, 'trimmed');
    });
  }

  it('sends the session id of a session ARN to backends and keeps the ARN parts', () => {
    const q = classifyQuery(SESSION_ARN);
    assert.equal(q.id, SESSION);
    assert.deepEqual(q.arn, { partition: 'aws', region: 'us-east-1', account: '111122223333', assistantId: ASSISTANT, sessionId: SESSION });
  });

  it('does not mistake a 32-hex id inside a trace_ id, or 31/33 hex digits, for an OTel trace id', () => {
    assert.equal(classifyQuery('4bf92f3577b34da6a3ce929d0e0e473').kind, 'id');
    assert.equal(classifyQuery('4bf92f3577b34da6a3ce929d0e0e47366').kind, 'id');
  });
});

describe('navigation ids: ARNs', () => {
  it('parses ARNs whose resource holds colons and slashes', () => {
    assert.deepEqual(parseArn('arn:aws:wisdom:us-west-2:123456789012:ai-prompt/a/b:3'), {
      partition: 'aws', service: 'wisdom', region: 'us-west-2', account: '123456789012', resource: 'ai-prompt/a/b:3',
    });
    assert.equal(parseArn('not-an-arn'), undefined);
    assert.equal(parseArn('arn:aws:wisdom:us-east-1:1'), undefined);
  });

  it('parses only wisdom session ARNs as Q Connect sessions', () => {
    assert.equal(parseQConnectSessionArn(SESSION_ARN)?.sessionId, SESSION);
    assert.equal(parseQConnectSessionArn(`arn:aws:wisdom:us-east-1:111122223333:assistant/${ASSISTANT}`), undefined);
    assert.equal(parseQConnectSessionArn(`arn:aws:connect:us-east-1:111122223333:session/${ASSISTANT}/${SESSION}`), undefined);
    assert.equal(parseQConnectSessionArn(`arn:aws-cn:wisdom:cn-north-1:111122223333:session/a/b`)?.partition, 'aws-cn');
  });

  it('builds session and prompt ARNs from a UUID or assistant ARN setting', () => {
    const fromArn = buildSessionArn({ region: 'us-east-1', account: '111122223333', assistantId: `arn:aws:wisdom:us-east-1:111122223333:assistant/${ASSISTANT}`, sessionId: SESSION });
    assert.equal(fromArn, SESSION_ARN);
    assert.equal(buildSessionArn({ region: 'us-east-1', account: '111122223333', assistantId: ASSISTANT, sessionId: SESSION }), SESSION_ARN);
    assert.equal(
      buildPromptArn({ region: 'us-east-1', account: '111122223333', assistantId: ASSISTANT, promptId: 'c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42:2' }),
      `arn:aws:wisdom:us-east-1:111122223333:ai-prompt/${ASSISTANT}/c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42`,
    );
  });

  it('finds the account in the first ARN that has one', () => {
    assert.deepEqual(accountFrom([undefined, ASSISTANT, 'arn:aws:s3:::bucket', SESSION_ARN]), { account: '111122223333', partition: 'aws' });
    assert.equal(accountFrom([ASSISTANT, 42]), undefined);
  });

  it('strips assistant ARNs and prompt version qualifiers', () => {
    assert.equal(assistantIdOf(`arn:aws:wisdom:us-east-1:111122223333:assistant/${ASSISTANT}`), ASSISTANT);
    assert.equal(assistantIdOf(` ${ASSISTANT} `), ASSISTANT);
    assert.equal(bareId('c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42:$LATEST'), 'c3e8a1f4-7b2d-4e96-8a05-1f6d9c3b7e42');
    assert.equal(bareId('my:prompt'), 'my:prompt');
  });
});

describe('navigation ids: routeQuery', () => {
  const backends: RoutableBackend[] = [
    { id: 'qc-east', type: 'qconnect', region: 'us-east-1', assistantId: ASSISTANT },
    { id: 'qc-west', type: 'qconnect', region: 'us-west-2', assistantId: ASSISTANT },
    { id: 'sgp', type: 'sgp' },
    { id: 'agno', type: 'agno' },
    { id: 'oa', type: 'openaiAgents' },
    { id: 'otlp', type: 'otlp' },
    { id: 'exports', type: 'file' },
    { id: 'capture' },
  ];
  const ids = (l: RoutableBackend[]) => l.map((b) => b.id);

  it('sends a session ARN to the qconnect backend of that region and assistant, plus local exports', () => {
    const r = routeQuery(classifyQuery(SESSION_ARN), backends);
    assert.deepEqual(ids(r.first), ['qc-east', 'exports', 'capture']);
    assert.deepEqual(r.rest, []);
    assert.equal(r.note, undefined);
  });

  it('matches an assistant configured as an ARN', () => {
    const r = routeQuery(classifyQuery(SESSION_ARN), [{ id: 'q', type: 'qconnect', region: 'us-east-1', assistantId: `arn:aws:wisdom:us-east-1:111122223333:assistant/${ASSISTANT}` }]);
    assert.deepEqual(ids(r.first), ['q']);
  });

  it('explains a session ARN no backend can hold', () => {
    const r = routeQuery(classifyQuery(SESSION_ARN.replace('us-east-1', 'eu-west-1')), backends);
    assert.deepEqual(ids(r.first), ['exports', 'capture']);
    assert.match(r.note ?? '', /No Amazon Q Connect backend is configured for assistant 6f1c2a4e-3b7d-4c89-9e21-5d8a7b0c4f13 in region eu-west-1\./);
  });

  it('routes by id format first and keeps the others as a fallback', () => {
    const trace = routeQuery(classifyQuery('trace_4f1a9c2e7b3d4a8e9c0f1b2d3e4a5b6c'), backends);
    assert.deepEqual(ids(trace.first), ['oa', 'exports', 'capture']);
    assert.deepEqual(ids(trace.rest), ['qc-east', 'qc-west', 'sgp', 'agno', 'otlp']);
    assert.deepEqual(ids(routeQuery(classifyQuery('4bf92f3577b34da6a3ce929d0e0e4736'), backends).first), ['agno', 'otlp', 'exports', 'capture']);
    assert.deepEqual(ids(routeQuery(classifyQuery(SESSION), backends).first), ['qc-east', 'qc-west', 'sgp', 'agno', 'exports', 'capture']);
  });

  it('asks every backend for names and free-form ids', () => {
    assert.deepEqual(ids(routeQuery(classifyQuery('refund chat'), backends).first), ids(backends));
    assert.deepEqual(ids(routeQuery(classifyQuery('sgp-trace-1'), backends).first), ids(backends));
  });
});
