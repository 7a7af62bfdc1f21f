// The "recent sessions" list of Find Session, kept in globalState. Pure: the
// VS Code layer only reads and writes the array.
import type { Session } from '../model/types';

export interface RecentSession {
  backendId: string;
  /** Only the small descriptive fields (attributes can be large). */
  session: Session;
  /** epoch ms of the last open */
  at: number;
}

export const MAX_RECENT = 20;

function slim(s: Session): Session {
  const out: Session = { backendId: s.backendId, id: s.id };
  if (s.name) out.name = s.name;
  if (typeof s.startTime === 'number') out.startTime = s.startTime;
  if (typeof s.endTime === 'number') out.endTime = s.endTime;
  if (typeof s.spanCount === 'number') out.spanCount = s.spanCount;
  if (s.status) out.status = s.status;
  return out;
}

/** Newest first, one entry per (backend, session). */
export function pushRecent(list: readonly RecentSession[], backendId: string, session: Session, at: number, max = MAX_RECENT): RecentSession[] {
  const rest = list.filter((r) => !(r.backendId === backendId && r.session.id === session.id));
  return [{ backendId, session: slim(session), at }, ...rest].slice(0, max);
}

/** Validates what globalState returned (it may come from an older version). */
export function readRecent(value: unknown): RecentSession[] {
  if (!Array.isArray(value)) return [];
  const out: RecentSession[] = [];
  for (const v of value) {
    const r = v as Partial<RecentSession> | null;
    if (r && typeof r.backendId === 'string' && r.session && typeof r.session.id === 'string') {
      out.push({ backendId: r.backendId, session: slim({ ...r.session, backendId: r.backendId }), at: typeof r.at === 'number' ? r.at : 0 });
    }
  }
  return out.slice(0, MAX_RECENT);
}

/** Drops entries of backends that are no longer configured. */
export function liveRecent(list: readonly RecentSession[], backendIds: ReadonlySet<string>): RecentSession[] {
  return list.filter((r) => backendIds.has(r.backendId));
}
