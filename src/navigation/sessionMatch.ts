// Find Session's local half: every session already listed in the tree,
// opened in a panel or remembered as recent, matched by part of its name, id
// or ARN. Pure: the VS Code layer gathers the candidates.
import type { Session } from '../model/types';

export interface Candidate {
  backendId: string;
  session: Session;
}

export interface LocalMatch extends Candidate {
  /** The id or ARN equals the query. */
  exact: boolean;
}

function fields(s: Session): string[] {
  const out = [s.id];
  if (s.name) out.push(s.name);
  const arn = s.attributes?.sessionArn;
  if (typeof arn === 'string') out.push(arn);
  return out;
}

/**
 * Case-insensitive: every word of the query must occur in the name, id or
 * ARN ("reset pass" finds "Password reset"). Exact id/ARN matches first, then
 * name-prefix matches, then newest. One result per (backend, session); the
 * candidate listed first wins (callers list the richest objects first).
 */
export function matchSessions(candidates: Iterable<Candidate>, query: string, max = 50): LocalMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const words = q.split(/\s+/);
  const seen = new Set<string>();
  const out: (LocalMatch & { prefix: boolean })[] = [];
  for (const c of candidates) {
    const key = `${c.backendId}\u0000${c.session.id}`;
    if (seen.has(key)) continue;
    const hay = fields(c.session).map((f) => f.toLowerCase());
    const all = hay.join('\n');
    if (!words.every((w) => all.includes(w))) continue;
    seen.add(key);
    const exact = hay[0] === q || (typeof c.session.attributes?.sessionArn === 'string' && c.session.attributes.sessionArn.toLowerCase() === q);
    out.push({ ...c, exact, prefix: !!c.session.name?.toLowerCase().startsWith(q) });
  }
  out.sort((a, b) => Number(b.exact) - Number(a.exact) || Number(b.prefix) - Number(a.prefix) || (b.session.startTime ?? 0) - (a.session.startTime ?? 0));
  return out.slice(0, max).map(({ prefix: _prefix, ...m }) => m);
}
