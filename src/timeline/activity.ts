import { isActiveState } from '../home/index.js';
import type { StateTable } from './state-table.js';
import type { Timeline } from './timeline.js';
import { NONE } from './timeline.js';

/** Half-open intervals as two parallel arrays, ascending and not overlapping. */
export interface IntervalList {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly length: number;
}

/**
 * A predicate over state codes for one domain, evaluated once per code rather than once per
 * change. Codes interned after the call are looked up on demand.
 */
export function activeStatePredicate(domain: string, table: StateTable): (code: number) => boolean {
  const known = new Map<number, boolean>();
  return (code) => {
    let active = known.get(code);
    if (active === undefined) {
      active = isActiveState(domain, table.nameOf(code)) === true;
      known.set(code, active);
    }

    return active;
  };
}

/** The intervals during which the entity was active, clipped to its timeline's window. */
export function computeActivityIntervals(
  timeline: Timeline,
  isActive: (code: number) => boolean,
): IntervalList {
  const starts: number[] = [];
  const ends: number[] = [];
  let openedAt = timeline.initial !== NONE && isActive(timeline.initial) ? timeline.since : NONE;

  for (let i = 0; i < timeline.length; i++) {
    const time = timeline.times[i] ?? 0;
    const active = isActive(timeline.states[i] ?? NONE);
    if (active && openedAt === NONE) {
      openedAt = time;
    } else if (!active && openedAt !== NONE) {
      starts.push(openedAt);
      ends.push(time);
      openedAt = NONE;
    }
  }

  if (openedAt !== NONE && openedAt < timeline.window.end) {
    starts.push(openedAt);
    ends.push(timeline.window.end);
  }

  return {
    starts: Float64Array.from(starts),
    ends: Float64Array.from(ends),
    length: starts.length,
  };
}

/** Total active time in ms. */
export function activeDuration(intervals: IntervalList): number {
  let total = 0;
  for (let i = 0; i < intervals.length; i++) {
    total += (intervals.ends[i] ?? 0) - (intervals.starts[i] ?? 0);
  }

  return total;
}
