import { firstAtOrAfter, NONE, stateAt } from '../../timeline/index.js';
import type { Timeline } from '../../timeline/index.js';
import type { HomeHistory } from '../../timeline/index.js';

/** Where an entity entered one state: the times, and whether an automation made each change. */
export interface Entries {
  times: Float64Array;
  automated: Uint8Array;
}

const AUTOMATION_CAUSE = 2;

/** The times `timeline` entered `state`, ascending. */
export function computeEntries(timeline: Timeline, history: HomeHistory, state: string): Entries {
  const code = history.states.find(state);
  const times: number[] = [];
  const automated: number[] = [];
  for (let i = 0; i < timeline.length; i++) {
    if (timeline.states[i] === code) {
      times.push(timeline.times[i] ?? 0);
      automated.push(timeline.causes[i] === AUTOMATION_CAUSE ? 1 : 0);
    }
  }

  return { times: Float64Array.from(times), automated: Uint8Array.from(automated) };
}

/** The lag in ms to the first entry in [time, time + windowMs], or -1 when there is none. */
export function lagToEntry(entries: Entries, time: number, windowMs: number): number {
  const i = firstAtOrAfter(entries.times, time);
  const next = entries.times[i];
  return next !== undefined && next - time <= windowMs ? next - time : -1;
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
