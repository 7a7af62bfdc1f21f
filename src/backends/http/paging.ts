// The paging skeleton the remote trace stores share (Jaeger, Phoenix, SGP):
// opaque list and resume positions checked on the way in, and the listings a
// walk of the session list remembers from one page to the next.
import { BackendError } from '../errors';
import { decodeCursor } from './jsonClient';

/** A list position from `listSessions` (base64url JSON); a `badData` error when it does not pass `valid`. */
export function listPosition<T>(who: string, raw: string, valid: (c: T) => boolean): T {
  const c = decodeCursor<T>(raw);
  if (!c || !valid(c)) throw new BackendError('badData', `${who}: the session list position is not valid any more. Refresh the list.`, { nextSteps: ['retry'] });
  return c;
}

/** A resume position from `loadSpans`; `session` names the session in the error. */
export function resumePosition<T>(who: string, session: string, raw: string, valid: (c: T) => boolean): T {
  const c = decodeCursor<T>(raw);
  if (!c || !valid(c)) throw new BackendError('badData', `${who}: the resume position for ${session} is not valid. Reload the session.`, { nextSteps: ['retry'] });
  return c;
}

/** Walks of the session list, by id: what a walk already listed, so later pages do not list it again. */
export class Listings<T> {
  private readonly byId = new Map<string, T>();
  private seq = 0;

  constructor(private readonly create: () => T, private readonly max = 16) {}

  /** The id of a new walk. */
  newId(now = Date.now()): string {
    return `${now.toString(36)}.${++this.seq}`;
  }

  /** The walk `id`, new (from `create`) when unknown or forgotten: only the last `max` walks are kept. */
  get(id: string, create: () => T = this.create): T {
    let l = this.byId.get(id);
    if (!l) {
      l = create();
      this.byId.set(id, l);
      if (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value as string);
    }
    return l;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  clear(): void {
    this.byId.clear();
  }
}
