import type { Interval } from '../timeline/index.js';
import type { CommuteMargins } from './calendar-presence.js';
import type { HouseholdPresence } from './household.js';
import type { PresenceInterval } from './types.js';

/** The source name of the calendar's own "no event: assumed home" intervals. */
const DEFAULT_SOURCE = 'calendar';
/** An observed departure or arrival this close to a calendar away interval's edge belongs to it. */
const MATCH_MS = 3 * 3_600_000;
/** A calendar away interval this long, spent at home, was a day the calendar got wrong. */
const WRONG_MIN_MS = 4 * 3_600_000;
const WRONG_HOME_SHARE = 0.9;
const MINUTE = 60_000;

/** How well the calendars predicted where the household really was. */
export interface CalendarCalibration {
  /** Share of the time, where both knew, that the calendars named the observed state. */
  agreement: number | null;
  /** The same, split by what the calendars claimed. */
  byClaim: { away: number | null; home: number | null; workFromHome: number | null };
  /** Median minutes the household left before a calendar away interval began (negative: after). */
  departureLeadMin: number | null;
  /** Median minutes the household came home after a calendar away interval ended. */
  arrivalLagMin: number | null;
  /** Away intervals of at least four hours that the household spent at home. */
  wrongIntervals: Interval[];
  /** The commute margins that would have matched the observed departures and arrivals. */
  learnedCommute: CommuteMargins | null;
}

/**
 * Compares the calendars' presence with the observed one. `margins` are the commute margins the
 * calendar intervals were built with, so the learned ones can be stated as absolute margins.
 */
export function calibrateCalendar(
  calendar: readonly PresenceInterval[],
  observed: readonly PresenceInterval[],
  household: HouseholdPresence,
  margins: CommuteMargins,
): CalendarCalibration {
  const events = calendar.filter((i) => i.state === 'away' && i.source !== DEFAULT_SOURCE);
  const leads = nearestOffsets(events, household.departures, (i) => i.start, -1);
  const lags = nearestOffsets(events, household.arrivals, (i) => i.end, 1);
  const departureLeadMin = medianMinutes(leads);
  const arrivalLagMin = medianMinutes(lags);

  return {
    agreement: agreementOver(calendar, observed, () => true),
    byClaim: {
      away: agreementOver(calendar, observed, (i) => i.state === 'away'),
      home: agreementOver(calendar, observed, (i) => i.state === 'home' && !i.workFromHome),
      workFromHome: agreementOver(calendar, observed, (i) => i.state === 'home' && i.workFromHome),
    },
    departureLeadMin,
    arrivalLagMin,
    wrongIntervals: events
      .filter((i) => i.end - i.start >= WRONG_MIN_MS)
      .filter((i) => homeShare(observed, i) >= WRONG_HOME_SHARE)
      .map(({ start, end }) => ({ start, end })),
    learnedCommute:
      departureLeadMin === null || arrivalLagMin === null
        ? null
        : {
            beforeMs: Math.max(0, margins.beforeMs + departureLeadMin * MINUTE),
            afterMs: Math.max(0, margins.afterMs + arrivalLagMin * MINUTE),
          },
  };
}

/**
 * For each interval, the signed distance from its edge to the nearest observed transition
 * within `MATCH_MS`: `sign` -1 measures how long before the edge it came, +1 how long after.
 */
function nearestOffsets(
  intervals: readonly PresenceInterval[],
  transitions: Float64Array,
  edge: (interval: PresenceInterval) => number,
  sign: 1 | -1,
): number[] {
  const offsets: number[] = [];
  for (const interval of intervals) {
    const at = edge(interval);
    let nearest: number | undefined;
    for (const time of transitions) {
      if (
        Math.abs(time - at) <= MATCH_MS &&
        (nearest === undefined || Math.abs(time - at) < Math.abs(nearest - at))
      ) {
        nearest = time;
      }
    }

    if (nearest !== undefined) {
      offsets.push(sign * (nearest - at));
    }
  }

  return offsets;
}

function medianMinutes(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }

  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(median / MINUTE);
}

/** Time-weighted share of the claims picked by `which` that the observed state confirms. */
function agreementOver(
  calendar: readonly PresenceInterval[],
  observed: readonly PresenceInterval[],
  which: (interval: PresenceInterval) => boolean,
): number | null {
  let agree = 0;
  let total = 0;
  for (const claim of calendar) {
    if (claim.state === 'unknown' || !which(claim)) {
      continue;
    }

    for (const seen of observed) {
      const overlap = Math.min(claim.end, seen.end) - Math.max(claim.start, seen.start);
      if (overlap <= 0 || seen.state === 'unknown') {
        continue;
      }

      total += overlap;
      agree += seen.state === claim.state ? overlap : 0;
    }
  }

  return total > 0 ? agree / total : null;
}

function homeShare(observed: readonly PresenceInterval[], span: Interval): number {
  let home = 0;
  for (const seen of observed) {
    const overlap = Math.min(span.end, seen.end) - Math.max(span.start, seen.start);
    if (overlap > 0 && seen.state === 'home') {
      home += overlap;
    }
  }

  return home / (span.end - span.start);
}
