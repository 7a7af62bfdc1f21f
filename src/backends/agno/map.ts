// Agno rows → model objects, pure: a span row (with its run's trace row
// joined in as `t__*` columns) → Span, a grouped session row → Session.
import { isoToMs } from '../../model/time';
import type { Session, Span, SpanStatus } from '../../model/types';
import { numLike as num, text as str } from '../decode/wire';
import { otelToSpan } from '../otel/span';
import type { Row } from './sql';

/** The synthetic session holding runs without a session id and spans without a trace row. */
export const NO_SESSION_ID = 'agno:no-session';
export const NO_SESSION_NAME = 'No session';

/** Span columns with a slot in the model; any other column goes to attributes as `agno.<column>`. */
const SPAN_COLUMNS = new Set(['span_id', 'trace_id', 'parent_span_id', 'name', 'span_kind', 'status_code', 'status_message', 'start_time', 'end_time', 'duration_ms', 'attributes']);
/** Prefix of the trace-row columns joined to a span row. */
export const TRACE_PREFIX = 't__';

/**
 * One span row → Span. Problems (malformed attributes, a missing start, a
 * trace without its row, named once via `orphansSeen`) go to `warnings`;
 * `tracesTable` names the traces table in them.
 */
export function rowToSpan(row: Row, sessionId: string, warnings: string[], orphansSeen: Set<string>, tracesTable: string): Span {
  const spanId = str(row.span_id) ?? '';
  const name = str(row.name) ?? '(unnamed span)';
  // attributes: JSON text in SQLite, JSONB (already parsed by pg) in PostgreSQL.
  let attributes: Record<string, unknown> = {};
  let rawAttributes: unknown = row.attributes;
  let malformed: string | undefined;
  let nonObject: unknown;
  if (typeof row.attributes === 'string') {
    try {
      rawAttributes = JSON.parse(row.attributes);
    } catch {
      malformed = row.attributes;
    }
  }
  if (malformed === undefined && rawAttributes !== null && rawAttributes !== undefined) {
    if (typeof rawAttributes === 'object' && !Array.isArray(rawAttributes)) attributes = rawAttributes as Record<string, unknown>;
    else nonObject = rawAttributes;
  }
  const startTime = isoToMs(row.start_time) ?? isoToMs(row.created_at);
  const span = otelToSpan(
    {
      traceId: str(row.trace_id) ?? '',
      spanId,
      parentSpanId: str(row.parent_span_id),
      name,
      kind: str(row.span_kind),
      startTime: startTime ?? 0,
      endTime: isoToMs(row.end_time),
      durationMs: num(row.duration_ms),
      status: status(row.status_code),
      statusMessage: str(row.status_message),
      attributes,
    },
    sessionId,
  );
  const attrs = span.attributes;
  if (malformed !== undefined) {
    attrs['agno.attributes_raw'] = malformed;
    warnings.push(`Span "${name}" (${spanId}) has malformed JSON in its attributes column; its raw text is kept as "agno.attributes_raw".`);
  } else if (nonObject !== undefined) {
    attrs['agno.attributes'] = nonObject;
  }
  if (startTime === undefined) {
    warnings.push(`Span "${name}" (${spanId}) has no valid start_time (${JSON.stringify(row.start_time ?? null)}); it is placed at the epoch.`);
  }
  for (const [k, v] of Object.entries(row)) {
    if (!k.startsWith(TRACE_PREFIX) && !SPAN_COLUMNS.has(k) && v !== null && v !== undefined) attrs[`agno.${k}`] = v;
  }
  const traceId = str(row.trace_id) ?? '';
  if (row[`${TRACE_PREFIX}trace_id`] === null || row[`${TRACE_PREFIX}trace_id`] === undefined) {
    if (!orphansSeen.has(traceId)) {
      orphansSeen.add(traceId);
      warnings.push(`Trace ${traceId} has spans but no row in ${tracesTable}; they are shown under "${NO_SESSION_NAME}".`);
    }
  } else if (!span.parentId) {
    // The run's own record, for labelling the run in the tree.
    const failed = num(row[`${TRACE_PREFIX}error_spans`]) ?? 0;
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith(TRACE_PREFIX) && k !== `${TRACE_PREFIX}trace_id` && v !== null && v !== undefined && v !== '') {
        // No failed spans is not worth a row (and a `delete` would make the map a hash table).
        if (k === `${TRACE_PREFIX}error_spans` && !failed) continue;
        const numeric = k === `${TRACE_PREFIX}duration_ms` || k === `${TRACE_PREFIX}error_spans`;
        attrs[`agno.trace.${k.slice(TRACE_PREFIX.length)}`] = numeric ? (num(v) ?? v) : v;
      }
    }
    if (failed && attrs['agno.trace.status'] !== 'ERROR') {
      // The row keeps the last batch's status; the run had failed spans.
      if (attrs['agno.trace.status'] !== undefined) attrs['agno.trace.row_status'] = attrs['agno.trace.status'];
      attrs['agno.trace.status'] = 'ERROR';
    }
  }
  return span;
}

/** A span row as the Raw tab shows it: its own columns, the attributes JSON parsed when it parses. */
export function rawSpanRow(row: Row): Row {
  const raw: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith(TRACE_PREFIX)) continue;
    if (k === 'attributes' && typeof v === 'string') {
      try {
        raw[k] = JSON.parse(v);
        continue;
      } catch {
        // malformed: shown as the text it is
      }
    }
    raw[k] = v;
  }
  return raw;
}

/** A grouped session row (see AgnoQueries.sessionSelect) → Session. */
export function rowToSession(backendId: string, id: string, row: Row, spanCount: number | undefined): Session {
  const runs = num(row.runs) ?? 0;
  const errors = num(row.errors) ?? 0;
  const session: Session = { backendId, id };
  const name = id === NO_SESSION_ID ? NO_SESSION_NAME : sessionName(str(row.names));
  if (name) session.name = name;
  const startTime = isoToMs(row.start_time);
  const endTime = isoToMs(row.end_time);
  if (startTime !== undefined) session.startTime = startTime;
  if (endTime !== undefined) session.endTime = endTime;
  if (spanCount !== undefined) session.spanCount = spanCount;
  session.status = errors > 0 ? 'error' : (num(row.oks) ?? 0) > 0 ? 'ok' : 'unset';
  const attributes: Record<string, unknown> = { 'agno.runs': runs, 'agno.errorRuns': errors };
  const unfinished = num(row.unfinished) ?? 0;
  if (unfinished) attributes['agno.unfinishedRuns'] = unfinished;
  for (const [col, attr] of [['user_id', 'user.id'], ['agent_id', 'agno.agent.id'], ['team_id', 'agno.team.id'], ['workflow_id', 'agno.workflow.id']]) {
    const v = str(row[col]);
    if (v) attributes[attr] = v;
  }
  session.attributes = attributes;
  return session;
}

/** Widens the "No session" session with the spans whose trace row is missing. */
export function addOrphans(session: Session, orphans: Row | undefined): Session {
  const orphanTraces = num(orphans?.traces) ?? 0;
  const orphanErrors = num(orphans?.errors) ?? 0;
  const s = isoToMs(orphans?.start_time);
  const e = isoToMs(orphans?.end_time);
  if (s !== undefined && (session.startTime === undefined || s < session.startTime)) session.startTime = s;
  if (e !== undefined && (session.endTime === undefined || e > session.endTime)) session.endTime = e;
  if (orphanErrors) session.status = 'error';
  else if (orphanTraces && session.status === 'unset') session.status = 'ok';
  if (orphanTraces) session.attributes = { ...session.attributes, 'agno.orphanTraces': orphanTraces };
  return session;
}

/** "Web_Agent.run,Research_Team.arun" → "Web_Agent, Research_Team". */
function sessionName(names: string | undefined): string | undefined {
  if (!names) return undefined;
  const unique = [...new Set(names.split(',').map((n) => n.trim().replace(/\.a?run$/, '')).filter(Boolean))].sort();
  if (!unique.length) return undefined;
  return unique.length > 3 ? `${unique.slice(0, 3).join(', ')} +${unique.length - 3}` : unique.join(', ');
}

function status(v: unknown): SpanStatus {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  return s === 'OK' ? 'ok' : s === 'ERROR' ? 'error' : 'unset';
}
