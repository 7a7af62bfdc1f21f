// One time axis per trace in multi-trace sessions (an SGP group, Agno runs, an
// OpenAI group_id): each trace's rows are placed on that trace's own axis
// (idle gaps inside it folded), under a band row that names it and draws its
// ticks. A session of three short turns an hour apart so gets full-width bars
// for every turn. Pure, no DOM: one pass over the flattened rows builds the
// lanes, one more inserts the bands into the visible rows.
import { TimeScale, type TimeWindow } from './timeScale';
import type { Bar, RowNode } from './virtual';

export interface Lane {
  /** The trace id ('' when the spans carry none). */
  trace: string;
  /** 1-based, in order of first appearance (the roots are sorted by start). */
  ordinal: number;
  /** Name of the trace's first root span. */
  name: string;
  /** epoch ms over the trace's rows; Infinity/-Infinity when none has a time. */
  min: number;
  max: number;
  spans: number;
  /** Built on first use (laneScale), dropped when folding changes. */
  scale?: TimeScale;
  /** The rows' intervals, gathered for every lane at once when a first axis is built. */
  intervals?: [number, number][];
  lanes: Lanes;
}

export interface Lanes {
  list: Lane[];
  /** The flatten the lanes were built from (RowNode.lane says each row's lane). */
  rows: readonly RowNode[];
}

/**
 * Lanes of a depth-first flatten (every row, before filters): a root starts
 * its trace's lane, its descendants join it (RowNode.lane). Undefined, and
 * every row's lane cleared, when fewer than two traces: the session keeps its
 * single axis. One pass, no allocation per row.
 */
export function buildLanes(flat: readonly RowNode[]): Lanes | undefined {
  const byTrace = new Map<string, Lane>();
  const lanes: Lanes = { list: [], rows: flat };
  let current: Lane | undefined;
  for (const n of flat) {
    if (n.depth === 0 || !current) {
      const trace = n.trace ?? '';
      current = byTrace.get(trace);
      if (!current) {
        current = { trace, ordinal: byTrace.size + 1, name: n.name, min: Infinity, max: -Infinity, spans: 0, lanes };
        byTrace.set(trace, current);
      }
    }
    n.lane = current;
    current.spans++;
    if (n.start >= 0) {
      const end = n.end >= n.start ? n.end : n.start;
      if (n.start < current.min) current.min = n.start;
      if (end > current.max) current.max = end;
    }
  }
  if (byTrace.size < 2) {
    for (const n of flat) n.lane = undefined;
    return undefined;
  }
  lanes.list = [...byTrace.values()];
  return lanes;
}

/** The lane's axis (built once; `fold` folds its idle gaps). */
export function laneScale(lane: Lane, fold: boolean): TimeScale {
  if (!lane.scale) {
    if (!lane.intervals) {
      for (const l of lane.lanes.list) l.intervals = [];
      for (const n of lane.lanes.rows) if (n.lane?.lanes === lane.lanes && n.start >= 0) n.lane.intervals!.push([n.start, n.end >= n.start ? n.end : n.start]);
    }
    lane.scale = new TimeScale(lane.min, lane.max, lane.intervals!, fold);
  }
  return lane.scale;
}

/** A band row: not a span, it heads a run of rows of one lane. */
export function bandRow(lane: Lane, n: number): RowNode {
  return {
    key: `\u0000lane:${lane.ordinal}:${n}`,
    parentKey: '',
    name: lane.name,
    kind: 'chain',
    status: 'unset',
    start: lane.min,
    end: lane.max,
    timing: undefined,
    seq: -1,
    parent: undefined,
    children: [],
    sorted: true,
    index: -1,
    gen: -1,
    depth: 0,
    band: lane,
  };
}

/**
 * Where a bar goes on an axis: the folded position of its start and end
 * inside the zoom window, clipped to it. Undefined when the bar has no start
 * or lies outside the window.
 */
export function placeBar(start: number, end: number, scale: TimeScale, window: TimeWindow): Bar | undefined {
  if (start < 0) return undefined;
  const left = window.frac(scale.toUnit(start));
  const right = end >= 0 ? window.frac(scale.toUnit(end)) : 1;
  if (right < 0 || left > 1) return undefined;
  const l = Math.max(0, left);
  return { left: l, width: Math.max(0, Math.min(1, right) - l), open: end < 0 };
}
