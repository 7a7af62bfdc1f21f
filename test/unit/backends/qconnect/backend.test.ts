// The qconnect backend end to end: real SDK client (SigV4, retries, endpoint
// resolution, default credential chain) against the local emulator.
import * as assert from 'node:assert/strict';
import { createBackend } from '../../../../src/backends/registry';
import { parseQConnectConfig } from '../../../../src/backends/qconnect/config';
import { BackendError } from '../../../../src/backends/errors';
import { FIXTURE, startQConnectEmulator, type QConnectEmulator } from '../../../emulators/qconnect/emulator';
import { backendFor, collect, isolateAwsEnv, rejection, testContext } from './helpers';

const [S1, S2, S3, S4] = FIXTURE.sessions.map((s) => s.id);
const A = FIXTURE.assistantId;

describe('qconnect backend (SDK ↔ emulator)', function () {
  this.timeout(30_000);
  let emulator: QConnectEmulator;
  let env: ReturnType<typeof isolateAwsEnv>;

  before(() => {
    env = isolateAwsEnv();
  });
  after(() => env.restore());
  beforeEach(async () => {
    emulator = await startQConnectEmulator({ spanPageSize: 4, sessionPageSize: 2 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  const ops = (op: string) => emulator.requests.filter((r) => r.op === op);

  describe('configuration', () => {
    it('accepts an assistant ARN and takes the UUID and region from it', () => {
      const s = parseQConnectConfig({ id: 'x', type: 'qconnect', assistantId: `arn:aws:wisdom:eu-west-2:111122223333:assistant/${A.toUpperCase()}` });
      assert.equal(s.assistantId, A);
      assert.equal(s.region, 'eu-west-2');
      assert.equal(s.pageSize, 100);
    });

    it('rejects bad entries with a config error naming the key', () => {
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ assistantId: A }, /"region" is required/],
        [{ region: 'us-east-1', assistantId: 'my-assistant' }, /"assistantId" must be the assistant's UUID or ARN/],
        [{ region: 'us-east-1', assistantId: `arn:aws:wisdom:us-east-1:111122223333:session/${A}/${S1}` }, /not an assistant ARN/],
        [{ region: 'us-east-1', assistantId: `arn:aws:wisdom:eu-west-2:111122223333:assistant/${A}` }, /"region" is us-east-1 but the assistant ARN is in eu-west-2/],
        [{ region: 'us-east-1', assistantId: A, endpoint: 'localhost:99' }, /"endpoint" must be an http\(s\) URL/],
        [{ region: 'us-east-1', assistantId: A, maxAttempts: 0 }, /"maxAttempts" must be a whole number/],
        [{ region: 'Frankfurt', assistantId: A }, /not an AWS region name/],
      ];
      for (const [extra, re] of bad) {
        assert.throws(
          () => parseQConnectConfig({ id: 'x', type: 'qconnect', ...extra }),
          (e: unknown) => e instanceof BackendError && e.code === 'config' && re.test(e.message) && e.message.startsWith('Backend "x"'),
          JSON.stringify(extra),
        );
      }
    });

    it('is created through the registry', async () => {
      const b = await createBackend({ id: 'reg', type: 'qconnect', region: emulator.region, assistantId: emulator.assistantArn, endpoint: emulator.url }, testContext());
      assert.equal(b.type, 'qconnect');
      const page = await b.listSessions({});
      assert.ok(page.sessions.length > 0);
      b.dispose?.();
    });
  });

  describe('sessions', () => {
    it('pages SearchSessions by cursor without fetching details per row', async () => {
      const b = backendFor(emulator);
      const p1 = await b.listSessions({});
      assert.deepEqual(p1.sessions.map((s) => s.id), [S1, S2]);
      assert.ok(p1.cursor);
      const p2 = await b.listSessions({ cursor: p1.cursor });
      assert.deepEqual(p2.sessions.map((s) => s.id), [S3, S4]);
      assert.equal(p2.cursor, undefined);
      assert.equal(ops('GetSession').length, 0, 'no GetSession per row');
      assert.equal(p1.sessions[0].backendId, 'qc');
      assert.equal(p1.sessions[0].attributes?.sessionArn, emulator.sessionArn(S1));
      assert.equal(ops('SearchSessions')[1].query.nextToken, p1.cursor);
      // Every request was SigV4-signed for service "wisdom" with the env credentials.
      assert.ok(emulator.requests.every((r) => r.signingService === 'wisdom' && r.accessKeyId === 'AKIAQCONNECTEMULATOR' && r.status === 200));
      b.dispose();
    });

    it('fetches details lazily, caches them, and shows cached names in the list', async () => {
      const b = backendFor(emulator);
      const [a, again] = await Promise.all([b.getSession(S1), b.getSession(S1)]);
      assert.equal(a, again);
      assert.equal(a?.name, 'Billing dispute - order 4471');
      assert.equal(a?.attributes?.description, 'Chat contact: customer reports a duplicate card charge.');
      assert.deepEqual(a?.attributes?.tags, { channel: 'CHAT', queue: 'Billing' });
      assert.equal(a?.attributes?.sessionArn, emulator.sessionArn(S1));
      await b.getSession(S1);
      assert.equal(ops('GetSession').length, 1, 'cached');
      const list = await b.listSessions({ limit: 2 });
      assert.equal(list.sessions[0].name, 'Billing dispute - order 4471');
      assert.equal(list.sessions[1].name, undefined);
      assert.equal(await b.getSession('00000000-0000-4000-8000-000000000000'), undefined);
      assert.equal(await b.getSession('not-a-session'), undefined);
      b.dispose();
    });

    it('resolves a session by UUID, session ARN or exact name', async () => {
      const b = backendFor(emulator);
      assert.deepEqual((await b.resolveSession(S2)).map((s) => s.id), [S2]);
      assert.deepEqual((await b.resolveSession(` ${emulator.sessionArn(S3)} `)).map((s) => s.id), [S3]);
      const byName = await b.resolveSession('Email - shipping delay');
      assert.deepEqual(byName.map((s) => [s.id, s.name]), [[S3, 'Email - shipping delay']]);
      assert.deepEqual(await b.resolveSession('No such session'), []);
      const otherAssistant = `arn:aws:wisdom:us-east-1:111122223333:session/11111111-2222-4333-8444-555555555555/${S1}`;
      assert.deepEqual(await b.resolveSession(otherAssistant), []);
      assert.deepEqual(await b.resolveSession('00000000-0000-4000-8000-000000000000'), []);
      b.dispose();
    });
  });

  describe('spans', () => {
    it('pages ListSpans (maxResults 100) and yields each page with its cursor', async () => {
      const b = backendFor(emulator);
      const { pages, spans, error } = await collect(b, S1);
      assert.equal(error, undefined);
      assert.deepEqual(pages.map((p) => p.spans.length), [4, 4, 1]);
      assert.ok(pages[0].cursor && pages[1].cursor);
      assert.equal(pages[2].cursor, undefined);
      assert.equal(new Set(spans.map((s) => s.id)).size, FIXTURE.sessions[0].spanCount);
      const requests = ops('ListSpans');
      assert.equal(requests.length, 3);
      assert.ok(requests.every((r) => r.query.maxResults === '100'));
      assert.equal(requests[1].query.nextToken, pages[0].cursor);
      assert.ok(requests.every((r) => r.path === `/assistants/${A}/sessions/${S1}/spans`));
      b.dispose();
    });

    it('accepts a session ARN and yields one empty page for a session without spans', async () => {
      const b = backendFor(emulator);
      const viaArn = await collect(b, emulator.sessionArn(S3));
      assert.equal(viaArn.spans.length, FIXTURE.sessions[2].spanCount);
      assert.ok(viaArn.spans.every((s) => s.sessionId === S3));
      const empty = await collect(b, S4);
      assert.deepEqual(empty.pages, [{ spans: [] }]);
      b.dispose();
    });

    it('streams a 10,000-span session page by page as pages arrive', async function () {
      this.timeout(60_000);
      const big = await startQConnectEmulator({ generated: [{ sessionId: '00000000-0000-4000-8000-0000000010e4', spanCount: 10_000 }] });
      const b = backendFor(big);
      const listSpans = () => big.requests.filter((r) => r.op === 'ListSpans').length;
      const sizes: number[] = [];
      const requestsSeenAtPage: number[] = [];
      const ids = new Set<string>();
      try {
        for await (const page of b.loadSpans('00000000-0000-4000-8000-0000000010e4')) {
          requestsSeenAtPage.push(listSpans());
          sizes.push(page.spans.length);
          for (const s of page.spans) ids.add(s.id);
        }
      } finally {
        b.dispose();
        await big.close();
      }
      // Each page is handed over before the next request goes out.
      assert.deepEqual(requestsSeenAtPage, sizes.map((_, i) => i + 1));
      assert.equal(sizes.length, 100);
      assert.ok(sizes.every((n) => n === 100));
      assert.equal(ids.size, 10_000);
    });

    it('cancels between pages and during a request', async () => {
      const b = backendFor(emulator);
      const ac = new AbortController();
      const got: number[] = [];
      const err = await rejection(
        (async () => {
          for await (const page of b.loadSpans(S1, { signal: ac.signal })) {
            got.push(page.spans.length);
            ac.abort();
          }
        })(),
      );
      assert.equal(err.code, 'cancelled');
      assert.deepEqual(got, [4]);
      assert.equal(ops('ListSpans').length, 1);

      emulator.inject({ op: 'ListSpans', fault: 'hang' });
      const ac2 = new AbortController();
      const started = Date.now();
      setTimeout(() => ac2.abort(), 100);
      const hung = await collect(b, S2, { signal: ac2.signal });
      assert.equal(hung.error?.code, 'cancelled');
      assert.ok(Date.now() - started < 5_000, 'abort ends a hanging request promptly');
      b.dispose();
    });

    it('lets the SDK retry throttling and succeeds when it clears', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, error: 'ThrottlingException', times: 2 });
      const { spans, error } = await collect(b, S1);
      assert.equal(error, undefined);
      assert.equal(spans.length, FIXTURE.sessions[0].spanCount);
      assert.deepEqual(ops('ListSpans').map((r) => r.status), [200, 400, 400, 200, 200]);
      b.dispose();
    });

    it('reports persistent throttling after the SDK retries, keeping loaded pages', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, error: 'ThrottlingException', times: 3 });
      const { pages, error } = await collect(b, S1);
      assert.equal(pages.length, 1);
      assert.equal(error?.code, 'throttled');
      assert.match(error!.message, /Amazon Q Connect is throttling ListSpans requests \(still throttled after 3 attempts\)/);
      assert.match(error!.message, /The 4 spans loaded so far are kept; Retry continues from the last page received\./);
      assert.deepEqual(error!.nextSteps, ['retry']);
      b.dispose();
    });

    it('resumes after a network failure mid-pagination without duplicates', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, fault: 'reset', times: 3 });
      const first = await collect(b, S1);
      assert.equal(first.error?.code, 'network');
      assert.match(first.error!.message, /network error during ListSpans/);
      assert.match(first.error!.message, new RegExp(`could not complete the request to the endpoint ${emulator.url.replace(/\./g, '\\.')}`));
      assert.match(first.error!.message, /Retry continues from the last page received/);
      assert.equal(first.spans.length, 4);
      const rest = await collect(b, S1, { resumeFrom: first.lastCursor });
      assert.equal(rest.error, undefined);
      const ids = [...first.spans, ...rest.spans].map((s) => s.id);
      assert.equal(ids.length, FIXTURE.sessions[0].spanCount);
      assert.equal(new Set(ids).size, ids.length);
      b.dispose();
    });

    it('survives a transient reset through the SDK retry', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 2, fault: 'reset', times: 1 });
      const { spans, error } = await collect(b, S1);
      assert.equal(error, undefined);
      assert.equal(spans.length, FIXTURE.sessions[0].spanCount);
      b.dispose();
    });

    it('reports a malformed (truncated) body as bad data', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, fault: 'badJson' });
      const { pages, error } = await collect(b, S1);
      assert.equal(pages.length, 1);
      assert.equal(error?.code, 'badData');
      assert.match(error!.message, /ListSpans response for session .* was malformed or cut short \(invalid JSON\)/);
      assert.ok(!error!.message.includes('Refund'), 'no span content in the message');
    });

    it('reports a connection cut mid-body as a network failure after retries', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, fault: 'truncate', times: 3 });
      const { pages, error } = await collect(b, S1);
      assert.equal(pages.length, 1);
      assert.equal(error?.code, 'network');
      assert.match(error!.message, /kept; Retry continues/);
    });

    it('stops on a repeated nextToken (pagination loop)', async () => {
      const b = backendFor(emulator);
      emulator.inject({ op: 'ListSpans', afterPage: 1, fault: 'repeatToken', times: Infinity });
      const { pages, error } = await collect(b, S1);
      assert.equal(error?.code, 'badData');
      // The looping page is not yielded: its cursor would make Retry deliver it twice.
      assert.match(error!.message, /returned a page token it had already returned \(pagination loop\); stopped after 4 spans/);
      assert.equal(pages.length, 1);
      assert.equal(ops('ListSpans').length, 2);
      b.dispose();
    });

    it('names the IAM action on AccessDenied', async () => {
      const b = backendFor(emulator, { profile: undefined });
      emulator.inject({ op: 'ListSpans', error: 'AccessDeniedException' });
      const e1 = (await collect(b, S1)).error!;
      assert.equal(e1.code, 'forbidden');
      assert.match(e1.message, /access denied for ListSpans on session .* needs permission wisdom:ListSpans on the assistant/);
      emulator.inject({ op: 'GetSession', error: 'AccessDeniedException' });
      const e2 = await rejection(b.getSession(S2));
      assert.match(e2.message, /wisdom:GetSession/);
      emulator.inject({ op: 'SearchSessions', error: 'AccessDeniedException' });
      assert.match((await rejection(b.listSessions({}))).message, /wisdom:SearchSessions/);
      b.dispose();
    });

    it('reports unknown sessions and assistants as not found', async () => {
      const b = backendFor(emulator);
      const e = (await collect(b, '00000000-0000-4000-8000-000000000000')).error!;
      assert.equal(e.code, 'notFound');
      assert.match(e.message, /session 00000000-0000-4000-8000-000000000000 of assistant .* was not found in us-east-1 \(Session not found/);
      assert.equal((await collect(b, 'garbage')).error?.code, 'notFound');
      const other = backendFor(emulator, { assistantId: '11111111-2222-4333-8444-555555555555' });
      const e2 = await rejection(other.listSessions({}));
      assert.equal(e2.code, 'notFound');
      assert.match(e2.message, /assistant 11111111-2222-4333-8444-555555555555 was not found in us-east-1 .*Check "assistantId" and "region"/);
      b.dispose();
      other.dispose();
    });

    it('reports a server error and an unreachable endpoint', async () => {
      const b = backendFor(emulator, { maxAttempts: 1 });
      emulator.inject({ op: 'ListSpans', error: 'InternalServerException' });
      assert.equal((await collect(b, S1)).error?.code, 'server');
      b.dispose();
      const closedPort = emulator.url;
      await emulator.close();
      const dead = backendFor(emulator, { maxAttempts: 1 });
      const e = await rejection(dead.listSessions({}));
      assert.equal(e.code, 'network');
      assert.match(e.message, new RegExp(`ECONNREFUSED.*${closedPort.replace(/\./g, '\\.')}`));
      dead.dispose();
      emulator = await startQConnectEmulator(); // for afterEach
    });
  });

  describe('prompt templates', () => {
    const [qr] = FIXTURE.prompts;

    it('fetches a prompt version by id and by ARN', async () => {
      const b = backendFor(emulator);
      const v1 = await b.getPromptTemplate({ id: qr.id, version: 1 });
      assert.equal(v1?.language, 'yaml');
      assert.equal(v1?.name, 'QueryReformulationPrompt');
      assert.match(v1!.text, /system: Rewrite the customer message as a search query\./);
      assert.equal(v1?.source, `${emulator.promptArn(qr.id)}:1`);
      const v2 = await b.getPromptTemplate({ arn: emulator.promptArn(qr.id), version: 2 });
      assert.match(v2!.text, /Standalone query:/);
      assert.equal(v2?.source, `${emulator.promptArn(qr.id)}:2`);
      const latest = await b.getPromptTemplate({ arn: `${emulator.promptArn(qr.id)}` });
      assert.equal(latest?.text, v2?.text);
      assert.equal(latest?.source, `${emulator.promptArn(qr.id)} (latest)`);
      assert.deepEqual(ops('GetAIPrompt').map((r) => decodeURIComponent(r.path.split('/').pop()!)), [`${qr.id}:1`, `${qr.id}:2`, qr.id]);
      assert.equal(await b.getPromptTemplate({ id: '00000000-0000-4000-8000-000000000000' }), undefined);
      assert.equal(await b.getPromptTemplate({}), undefined);
      emulator.inject({ op: 'GetAIPrompt', error: 'AccessDeniedException' });
      assert.match((await rejection(b.getPromptTemplate({ id: qr.id }))).message, /wisdom:GetAIPrompt/);
      b.dispose();
    });

    it('follows a prompt referenced by a loaded span', async () => {
      const b = backendFor(emulator);
      const { spans } = await collect(b, S1);
      const llm = spans.find((s) => s.name === 'AnswerGeneration')!;
      const t = await b.getPromptTemplate(llm.prompt!);
      assert.equal(t?.name, 'SelfServiceAnswerGeneration');
      assert.match(t!.text, /Mask card numbers/);
      b.dispose();
    });
  });
});
