// Consumes a backend the way the UI does (src/services/loadedSession.ts):
// pages are kept as they arrive, the resume cursor is the last one received,
// a failure keeps what loaded, and Retry continues from that cursor. Bounded
// in pages and time, so a pagination loop fails the test instead of hanging.
import * as assert from 'node:assert/strict';
import { BackendError } from '../../../../src/backends/errors';
import type { Backend, Session, SpanPage } from './types';
import { within } from './bounded';

export interface Consumed {
  pages: SpanPage[];
  spans: SpanPage['spans'];
  /** `page.cursor ?? previous` — exactly what LoadedSession keeps for Retry. */
  cursor: string | undefined;
  error: BackendError | undefined;
  warnings: string[];
}

export async function consume(backend: Backend, sessionId: string, options: { resumeFrom?: string; maxPages?: number; timeoutMs?: number } = {}): Promise<Consumed> {
  const out: Consumed = { pages: [], spans: [], cursor: options.resumeFrom, error: undefined, warnings: [] };
  const maxPages = options.maxPages ?? 1000;
  const run = async () => {
    try {
      for await (const page of backend.loadSpans(sessionId, { resumeFrom: options.resumeFrom })) {
        out.pages.push(page);
        out.spans.push(...page.spans);
        out.cursor = page.cursor ?? out.cursor;
        if (page.warnings) out.warnings.push(...page.warnings);
        assert.ok(out.pages.length <= maxPages, `loadSpans yielded more than ${maxPages} pages: a pagination loop was not stopped`);
      }
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      // The UI shows any failure as a BackendError; anything else is a bug.
      assert.ok(err instanceof BackendError, `loadSpans threw a ${(err as Error)?.constructor?.name}, not a BackendError: ${(err as Error)?.message}`);
      out.error = err;
    }
  };
  await within(options.timeoutMs ?? 20_000, `loading session ${sessionId}`, run());
  return out;
}

/** The UI's session list: "Load more" with the last cursor until there is none; bounded. */
export async function listAll(backend: Backend, options: { maxPages?: number; timeoutMs?: number; limit?: number } = {}) {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let error: BackendError | undefined;
  const run = async () => {
    try {
      do {
        const page = await backend.listSessions({ cursor, limit: options.limit });
        sessions.push(...page.sessions);
        cursor = page.cursor;
        pages++;
        assert.ok(pages <= (options.maxPages ?? 200), `listSessions returned more than ${options.maxPages ?? 200} pages: a paging loop was not stopped`);
      } while (cursor);
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      assert.ok(err instanceof BackendError, `listSessions threw a ${(err as Error)?.constructor?.name}, not a BackendError`);
      error = err;
    }
  };
  await within(options.timeoutMs ?? 20_000, 'listing sessions', run());
  return { sessions, cursor, pages, error };
}

/** Asserts the pages received before and after a failure add up to the session, without duplicates. */
export function assertComplete(parts: Consumed[], expectedIds: Iterable<string>): void {
  const ids = parts.flatMap((p) => p.spans.map((s) => s.id));
  const expected = new Set(expectedIds);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(dupes.slice(0, 5), [], 'no span is delivered twice across the failure and the retry');
  assert.equal(ids.length, expected.size, 'span count equals the session size');
  assert.deepEqual(new Set(ids), expected, 'the set of span ids equals the session');
}
