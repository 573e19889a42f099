import type { HourGrid, Interval } from '../timeline/index.js';
import { hourIndex } from '../timeline/index.js';
import type { HouseholdPresence } from './household.js';
import type { PresenceInterval } from './types.js';

/**
 * The household's observed presence as intervals over `window`: unknown until the residents'
 * states are known, then home and away. Home intervals are cut at local midnight so that each
 * day can say whether it was worked from home.
 */
export function computeObservedIntervals(
  household: HouseholdPresence,
  grid: HourGrid,
): PresenceInterval[] {
  const { window } = grid;
  const intervals: PresenceInterval[] = [];
  const knownFrom = Math.min(Math.max(household.knownFrom, window.start), window.end);
  const observed = (
    start: number,
    end: number,
    state: 'home' | 'away',
    workFromHome: boolean,
    reason: string,
  ): PresenceInterval => ({
    start,
    end,
    state,
    workFromHome,
    confidence: household.confidence,
    source: household.source,
    reason,
    stale: false,
  });
  if (knownFrom > window.start) {
    intervals.push(unknown(window.start, knownFrom, household.source));
  }

  let cursor = knownFrom;
  for (let i = 0; i < household.home.length; i++) {
    const start = Math.max(household.home.starts[i] ?? 0, knownFrom);
    const end = Math.min(household.home.ends[i] ?? 0, window.end);
    if (end <= start) {
      continue;
    }

    if (start > cursor) {
      intervals.push(observed(cursor, start, 'away', false, 'no resident was home'));
    }

    intervals.push(...splitHomeByDay(start, end, household, grid, observed));
    cursor = end;
  }

  if (cursor < window.end) {
    intervals.push(observed(cursor, window.end, 'away', false, 'no resident was home'));
  }

  return intervals;
}

function splitHomeByDay(
  start: number,
  end: number,
  household: HouseholdPresence,
  grid: HourGrid,
  observed: ObservedFactory,
): PresenceInterval[] {
  const pieces: PresenceInterval[] = [];
  let from = start;
  while (from < end) {
    const day = grid.day[hourIndex(grid, from)] ?? -1;
    let to = from;
    while (to < end && (grid.day[hourIndex(grid, to)] ?? -1) === day) {
      to = Math.min(end, nextHour(grid, to));
    }

    const workFromHome = household.workFromHomeDays.has(day);
    const reason = workFromHome ? 'a resident who commutes stayed home' : 'a resident was home';
    pieces.push(observed(from, to, 'home', workFromHome, reason));
    from = to;
  }

  return pieces;
}

function nextHour(grid: HourGrid, time: number): number {
  const origin = grid.window.start;
  return origin + (Math.floor((time - origin) / 3_600_000) + 1) * 3_600_000;
}

type ObservedFactory = (
  start: number,
  end: number,
  state: 'home' | 'away',
  workFromHome: boolean,
  reason: string,
) => PresenceInterval;

function unknown(start: number, end: number, source: string): PresenceInterval {
  return {
    start,
    end,
    state: 'unknown',
    workFromHome: false,
    confidence: 0,
    source,
    reason: 'nothing was observed yet',
    stale: false,
  };
}

/**
 * One timeline from the observed and the predicted: what the residents' entities saw wherever
 * they saw something, the calendar elsewhere (before the entities existed, and ahead of now).
 * A work-from-home day the calendar names is kept on an observed home interval.
 */
export function fusePresence(
  observedIntervals: readonly PresenceInterval[],
  calendar: readonly PresenceInterval[],
  window: Interval,
): PresenceInterval[] {
  const cuts = [
    ...new Set([
      window.start,
      window.end,
      ...observedIntervals.flatMap((i) => [i.start, i.end]),
      ...calendar.flatMap((i) => [i.start, i.end]),
    ]),
  ]
    .filter((time) => time >= window.start && time <= window.end)
    .sort((x, y) => x - y);

  const fused: PresenceInterval[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const start = cuts[k] ?? 0;
    const end = cuts[k + 1] ?? 0;
    const seen = covering(observedIntervals, start);
    const predicted = covering(calendar, start);
    const piece =
      seen !== undefined && seen.state !== 'unknown'
        ? {
            ...seen,
            workFromHome:
              seen.workFromHome || (seen.state === 'home' && predicted?.workFromHome === true),
          }
        : (predicted ?? seen);
    if (piece !== undefined) {
      appendMerged(fused, { ...piece, start, end });
    }
  }

  return fused;
}

function covering(
  intervals: readonly PresenceInterval[],
  time: number,
): PresenceInterval | undefined {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((intervals[mid]?.start ?? 0) <= time) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }

  const found = intervals[lo - 1];
  return found !== undefined && time < found.end ? found : undefined;
}

/** Adds `piece`, extending the last interval instead when it says the same thing. */
function appendMerged(intervals: PresenceInterval[], piece: PresenceInterval): void {
  const last = intervals.at(-1);
  const same =
    last !== undefined &&
    last.end === piece.start &&
    last.state === piece.state &&
    last.workFromHome === piece.workFromHome &&
    last.source === piece.source &&
    last.reason === piece.reason &&
    last.stale === piece.stale &&
    last.confidence === piece.confidence;
  if (same) {
    last.end = piece.end;
  } else {
    intervals.push(piece);
  }
}
