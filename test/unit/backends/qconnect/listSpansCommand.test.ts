// The custom ListSpansCommand on the real QConnectClient: request shape,
// signing, retries and modeled errors, straight through client.send().
import * as assert from 'node:assert/strict';
import { QConnectClient, QConnectServiceException, ResourceNotFoundException, ThrottlingException } from '@aws-sdk/client-qconnect';
import { ListSpansCommand } from '../../../../src/backends/qconnect/listSpansCommand';
import { EMULATOR_CREDENTIALS, FIXTURE, startQConnectEmulator, type QConnectEmulator } from '../../../emulators/qconnect/emulator';

const S1 = FIXTURE.sessions[0].id;

describe('qconnect: ListSpansCommand on QConnectClient', () => {
  let emulator: QConnectEmulator;
  let client: QConnectClient;

  before(async () => {
    emulator = await startQConnectEmulator({ spanPageSize: 5 });
    client = new QConnectClient({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 });
  });
  after(async () => {
    client.destroy();
    await emulator.close();
  });

  it('sends GET …/spans with percent-encoded ARN labels and the paging query, SigV4-signed for wisdom', async () => {
    const out = await client.send(new ListSpansCommand({ assistantId: emulator.assistantArn, sessionId: emulator.sessionArn(S1), maxResults: 3 }));
    assert.equal(out.spans?.length, 3);
    assert.equal(typeof out.nextToken, 'string');
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    const req = emulator.requests.at(-1)!;
    assert.equal(req.method, 'GET');
    assert.equal(req.path, `/assistants/${encodeURIComponent(emulator.assistantArn)}/sessions/${encodeURIComponent(emulator.sessionArn(S1))}/spans`);
    assert.deepEqual(req.query, { maxResults: '3' });
    assert.equal(req.signingService, 'wisdom');
    const next = await client.send(new ListSpansCommand({ assistantId: emulator.assistantId, sessionId: S1, nextToken: out.nextToken }));
    assert.equal(next.spans?.length, 5);
    assert.deepEqual(emulator.requests.at(-1)!.query, { nextToken: out.nextToken });
    // Spans pass through untouched (fractional epoch seconds stay numbers).
    assert.equal(typeof next.spans?.[0].startTimestamp, 'number');
  });

  it('raises the client’s modeled exceptions, retrying throttling', async () => {
    emulator.inject({ op: 'ListSpans', error: 'ThrottlingException', times: 2 });
    const err = await client.send(new ListSpansCommand({ assistantId: emulator.assistantId, sessionId: S1 })).catch((e: unknown) => e);
    assert.ok(err instanceof ThrottlingException);
    assert.equal(err.$metadata.attempts, 2);
    assert.equal(err.message, 'Rate exceeded');

    const missing = await client
      .send(new ListSpansCommand({ assistantId: emulator.assistantId, sessionId: '00000000-0000-4000-8000-000000000000' }))
      .catch((e: unknown) => e);
    assert.ok(missing instanceof ResourceNotFoundException);

    emulator.inject({ op: 'ListSpans', error: 'UnauthorizedException' });
    const unauth = await client.send(new ListSpansCommand({ assistantId: emulator.assistantId, sessionId: S1 })).catch((e: unknown) => e);
    assert.ok(unauth instanceof QConnectServiceException);
    assert.equal(unauth.name, 'UnauthorizedException');
    assert.equal(unauth.$metadata.httpStatusCode, 401);
  });

  it('is rejected by the emulator when unsigned or signed for another service', async () => {
    const url = `${emulator.url}/assistants/${emulator.assistantId}/sessions/${S1}/spans`;
    const unsigned = await fetch(url);
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.headers.get('x-amzn-errortype') ?? '', /^MissingAuthenticationTokenException:/);
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const wrongService = await fetch(url, {
      headers: {
        'x-amz-date': date,
        authorization: `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/${date.slice(0, 8)}/${emulator.region}/qconnect/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    });
    assert.equal(wrongService.status, 403);
    assert.deepEqual(await wrongService.json(), { message: "Credential should be scoped to correct service: 'wisdom'." });
  });
});
