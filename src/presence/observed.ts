import type { HomeHistory, HourGrid, IntervalList } from '../timeline/index.js';
import { activeStatePredicate, computeActivityIntervals } from '../timeline/index.js';

/** Codes for the household's presence in one hour of a grid. */
export const PRESENCE_AWAY = 0;
export const PRESENCE_HOME = 1;
export const PRESENCE_UNKNOWN = 2;

const HOUR_MS = 3_600_000;

/**
 * The household's presence in each hour of `grid`, observed from `person.*` entities (or, in a
 * home without any, from `device_tracker.*`): home when at least one resident was home for most
 * of the hour, away when none was, unknown before any of them had a state. `undefined` when the
 * home has neither kind of entity.
 */
export function computeHourlyPresence(history: HomeHistory, grid: HourGrid): Int8Array | undefined {
  const residents = residentIndexes(history);
  if (residents.length === 0) {
    return undefined;
  }

  const intervals: IntervalList[] = [];
  let knownFrom = Infinity;
  for (const index of residents) {
    const timeline = history.timelines[index];
    const info = history.entities[index];
    if (timeline === undefined || info === undefined) {
      continue;
    }

    intervals.push(
      computeActivityIntervals(timeline, activeStatePredicate(info.domain, history.states)),
    );
    knownFrom = Math.min(knownFrom, timeline.since);
  }

  const homeMs = new Float64Array(grid.hourOfWeek.length);
  for (const span of mergeIntervals(intervals)) {
    addToHours(homeMs, span, grid.window.start);
  }

  const presence = new Int8Array(homeMs.length);
  for (let h = 0; h < homeMs.length; h++) {
    const middle = grid.window.start + h * HOUR_MS + HOUR_MS / 2;
    if (middle < knownFrom) {
      presence[h] = PRESENCE_UNKNOWN;
    } else {
      presence[h] = (homeMs[h] ?? 0) >= HOUR_MS / 2 ? PRESENCE_HOME : PRESENCE_AWAY;
    }
  }

  return presence;
}

function residentIndexes(history: HomeHistory): number[] {
  const of = (domain: string) =>
    history.entities.flatMap((entity, i) => (entity.domain === domain ? [i] : []));
  const persons = of('person');
  return persons.length > 0 ? persons : of('device_tracker');
}

/** The union of several residents' home intervals: someone is home. */
function mergeIntervals(lists: readonly IntervalList[]): [number, number][] {
  const all: [number, number][] = [];
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      all.push([list.starts[i] ?? 0, list.ends[i] ?? 0]);
    }
  }

  all.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of all) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }

  return merged;
}

function addToHours(homeMs: Float64Array, [start, end]: [number, number], origin: number): void {
  for (let h = Math.max(0, Math.floor((start - origin) / HOUR_MS)); h < homeMs.length; h++) {
    const hourStart = origin + h * HOUR_MS;
    if (hourStart >= end) {
      break;
    }

    const overlap = Math.min(end, hourStart + HOUR_MS) - Math.max(start, hourStart);
    homeMs[h] = (homeMs[h] ?? 0) + Math.max(0, overlap);
  }
}
