import { NONE, stateAt } from '../../timeline/index.js';
import type { Timeline } from '../../timeline/index.js';
import type { HomeHistory } from '../../timeline/index.js';
import { createSearchCursor, firstAtOrAfterFrom } from './search-cursor.js';

/** Where an entity entered one state: the times, and whether an automation made each change. */
export interface Entries {
  times: Float64Array;
  automated: Uint8Array;
}

const AUTOMATION_CAUSE = 2;

/** The times `timeline` entered `state`, ascending. */
export function computeEntries(timeline: Timeline, history: HomeHistory, state: string): Entries {
  const code = history.states.find(state);
  const times = new Float64Array(timeline.length);
  const automated = new Uint8Array(timeline.length);
  let count = 0;
  for (let i = 0; i < timeline.length; i++) {
    if (timeline.states[i] === code) {
      times[count] = timeline.times[i] ?? 0;
      automated[count] = timeline.causes[i] === AUTOMATION_CAUSE ? 1 : 0;
      count++;
    }
  }

  return { times: times.slice(0, count), automated: automated.slice(0, count) };
}

/** For each of `times`, the lag in ms to the first entry in [time, time + windowMs], or -1. */
export function lagsToEntries(
  entries: Entries,
  times: ArrayLike<number>,
  windowMs: number,
): Float64Array {
  const cursor = createSearchCursor(entries.times);
  const lags = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    const lag = (entries.times[firstAtOrAfterFrom(cursor, time)] ?? Infinity) - time;
    lags[i] = lag <= windowMs ? lag : -1;
  }

  return lags;
}

/** Whether the timeline was already in `state` just before `time`. */
export function isInStateBefore(
  timeline: Timeline,
  history: HomeHistory,
  state: string,
  time: number,
): boolean {
  const code = stateAt(timeline, time - 1);
  return code !== NONE && code === history.states.find(state);
}
