import type { HourGrid, Interval } from '../timeline/index.js';
import { hourIndex } from '../timeline/index.js';
import type { HouseholdPresence } from './household.js';
import type { PresenceInterval } from './types.js';

/**
 * The household's observed presence as intervals over `window`: unknown until the residents'
 * states are known, then home and away. Home intervals are cut at local midnight so that each
 * day can say whether it was worked from home. A household inferred from sensors keeps the
 * intervals it was inferred from, with their own confidence and reasons.
 */
export function computeObservedIntervals(
  household: HouseholdPresence,
  grid: HourGrid,
): PresenceInterval[] {
  const { window } = grid;
  const knownFrom = Math.min(Math.max(household.knownFrom, window.start), window.end);
  if (household.inferred !== undefined) {
    return withUnknownBefore(household.inferred, knownFrom, window, household.source);
  }

  const intervals: PresenceInterval[] = [];
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

/** Inferred intervals clipped to the window, after an unknown stretch before they begin. */
function withUnknownBefore(
  inferred: readonly PresenceInterval[],
  knownFrom: number,
  window: Interval,
  source: string,
): PresenceInterval[] {
  const clipped = inferred.flatMap((interval) => {
    const start = Math.max(interval.start, window.start);
    const end = Math.min(interval.end, window.end);
    return end > start ? [{ ...interval, start, end }] : [];
  });
  return knownFrom > window.start
    ? [unknown(window.start, knownFrom, source), ...clipped]
    : clipped;
}

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

/** What the sensors say of time after their first claim that no inference speaks for. */
const NO_ABSENCE_CONFIDENCE = 0.5;

/**
 * One timeline from several sensor inferences (the exit door and silence, an arming signal and
 * silence), each a list of intervals in time order. Where they disagree, the more confident
 * claim wins, the earlier list on a tie; an unknown never wins over a claim. Time after the
 * first claim that none of them speaks for is home, as everywhere with sensors: the household
 * is out only where some sign says so.
 */
export function fuseSensorClaims(
  lists: readonly (readonly PresenceInterval[])[],
): PresenceInterval[] {
  const cuts = [...new Set(lists.flat().flatMap((i) => [i.start, i.end]))].sort((x, y) => x - y);
  const fused: PresenceInterval[] = [];
  let claimed = false;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const start = cuts[k] ?? 0;
    const end = cuts[k + 1] ?? 0;
    const found = lists.flatMap((list) => covering(list, start) ?? []);
    const best = found.reduce<PresenceInterval | undefined>(
      (winner, each) =>
        each.state !== 'unknown' && (winner === undefined || each.confidence > winner.confidence)
          ? each
          : winner,
      undefined,
    );
    const [silent] = found;
    if (best !== undefined) {
      claimed = true;
      appendMerged(fused, { ...best, start, end });
    } else if (silent !== undefined) {
      appendMerged(fused, claimed ? noAbsence(found, start, end) : { ...silent, start, end });
    }
  }

  return fused;
}

function noAbsence(
  unknowns: readonly PresenceInterval[],
  start: number,
  end: number,
): PresenceInterval {
  const [first] = unknowns;
  const reasons = [...new Set(unknowns.map((unknown) => unknown.reason))];
  return {
    start,
    end,
    state: 'home',
    workFromHome: false,
    confidence: NO_ABSENCE_CONFIDENCE,
    source: first?.source ?? '',
    reason: `no sign of absence: ${reasons.join('; ')}`,
    stale: false,
  };
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
