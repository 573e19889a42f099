import type { EntityInfo } from '../../home/index.js';
import { StateTable, TimelineBuilder } from '../../timeline/index.js';
import type { HomeHistory, Interval } from '../../timeline/index.js';
import type { DataSetHistory, LabelledInterval, MalformedLine } from '../data-set-types.js';

/** One sensor firing of an activity data set: the sensor was `on` from `start` to `end`. */
export interface Firing {
  entityIndex: number;
  start: number;
  end: number;
}

export interface FiringsRead {
  format: DataSetHistory['format'];
  files: readonly string[];
  timeZone: string;
  entities: readonly EntityInfo[];
  firings: readonly Firing[];
  labels: readonly LabelledInterval[];
  malformed: readonly MalformedLine[];
  rowsRead: number;
}

/**
 * Turns sensor firings into the timelines every reader produces: each sensor is `off` until its
 * first firing, `on` from a firing's start and `off` again at its end. Overlapping firings of
 * one sensor merge, since the builder drops a repeated state.
 */
export function buildFiringsHistory(read: FiringsRead): DataSetHistory {
  const window = windowOf(read.firings, read.labels);
  const states = new StateTable();
  const edges = sortedEdges(read.firings);
  const builders = read.entities.map((entity) => {
    const builder = new TimelineBuilder(entity.entityId, window, states);
    builder.setInitial('off');
    return builder;
  });

  for (const edge of edges) {
    builders[edge.entityIndex]?.push(edge.time, edge.on ? 'on' : 'off');
  }

  const history: HomeHistory = {
    window,
    entities: read.entities,
    timelines: builders.map((builder) => builder.build()),
    states,
    areas: [],
    rowsRead: read.rowsRead,
    warnings: malformedWarnings(read.malformed),
  };
  return {
    ...history,
    format: read.format,
    files: read.files,
    timeZone: read.timeZone,
    labels: read.labels,
    malformed: read.malformed,
  };
}

interface Edge {
  entityIndex: number;
  time: number;
  on: boolean;
}

/**
 * Edges in time order; at equal times an `off` goes first, so that a firing that starts when
 * the last one of the same sensor ends still shows as a new firing.
 */
function sortedEdges(firings: readonly Firing[]): Edge[] {
  const edges: Edge[] = [];
  for (const firing of firings) {
    edges.push({ entityIndex: firing.entityIndex, time: firing.start, on: true });
    edges.push({ entityIndex: firing.entityIndex, time: firing.end, on: false });
  }

  return edges.sort((a, b) => a.time - b.time || Number(a.on) - Number(b.on));
}

/** From the first firing or label to a millisecond past the last: the window is half-open. */
function windowOf(firings: readonly Firing[], labels: readonly LabelledInterval[]): Interval {
  let start = Infinity;
  let end = -Infinity;
  for (const span of [...firings, ...labels]) {
    start = Math.min(start, span.start);
    end = Math.max(end, span.end);
  }

  return { start, end: end + 1 };
}

/** One summary line: the full list stays in `malformed`, with file and line each. */
export function malformedWarnings(malformed: readonly MalformedLine[]): string[] {
  if (malformed.length === 0) {
    return [];
  }

  const first = malformed[0];
  const where = first === undefined ? '' : ` (first: ${first.file}:${first.line}, ${first.reason})`;
  return [`${malformed.length} malformed line(s) skipped${where}`];
}
