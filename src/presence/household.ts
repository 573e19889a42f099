import {
  activeStatePredicate,
  addSpanToSlots,
  computeActivityIntervals,
  lastAtOrBefore,
} from '../timeline/index.js';
import type { HomeHistory, HourGrid, Interval, IntervalList } from '../timeline/index.js';
import type { PresenceInterval } from './types.js';

/** Mon–Fri 09:00–17:00 local: the hours a work-from-home day is judged on. */
const WORK_HOURS = { first: 9, last: 17 } as const;
const WORKDAYS = 5;
/** A resident who is home for less than half of most workdays' work hours commutes. */
const COMMUTER_HOME_SHARE = 0.5;
/** A commuter home for three quarters of a workday's work hours worked from home that day. */
const STAYED_HOME_SHARE = 0.75;
const HOUR_MS = 3_600_000;
const PERSON_SOURCE = 'person';
/**
 * Person entities follow a phone's location, which lags a real arrival or departure by a few
 * minutes now and then: near certain, not certain.
 */
const PERSON_CONFIDENCE = 0.95;

export interface Resident {
  entityId: string;
  home: IntervalList;
}

/**
 * Where the household was, observed from its `person.*` entities (or `device_tracker.*` in a
 * home without persons): someone is home when any resident is.
 */
export interface HouseholdPresence {
  /** What it was observed from: `person` entities, or `sensors` (doors and motion). */
  source: string;
  /** How far its home and away can be trusted. */
  confidence: number;
  residents: Resident[];
  /** Spans in which at least one resident was home, merged and ascending. */
  home: IntervalList;
  /** From when the residents' states are known; before it presence is unknown. */
  knownFrom: number;
  /** The first resident coming home to an empty home. */
  arrivals: Float64Array;
  /** The last resident leaving. */
  departures: Float64Array;
  /** Local days (indexes of `grid.day`) on which a resident who commutes stayed home. */
  workFromHomeDays: Set<number>;
  /**
   * For a household inferred from sensors, the intervals it was built from, each with its own
   * confidence and reason: what the household timeline reports instead of bare home and away.
   */
  inferred?: readonly PresenceInterval[];
}

export function computeHouseholdPresence(
  history: HomeHistory,
  grid: HourGrid,
): HouseholdPresence | undefined {
  const residents = collectResidents(history);
  if (residents.length === 0) {
    return undefined;
  }

  const knownFrom = Math.min(
    ...residents.map((resident) => history.timelines[resident.index]?.since ?? Infinity),
  );
  const home = mergeIntervals(residents.map((resident) => resident.home));
  return {
    source: PERSON_SOURCE,
    confidence: PERSON_CONFIDENCE,
    residents: residents.map(({ entityId, home: spans }) => ({ entityId, home: spans })),
    home,
    knownFrom,
    ...transitions(home, knownFrom, history.window.end),
    workFromHomeDays: findWorkFromHomeDays(residents, grid),
  };
}

/**
 * A household known only from inferred intervals (doors and motion sensors): no residents to
 * tell apart and no work-from-home days, but arrivals, departures and home time all the same.
 */
export function householdFromIntervals(
  intervals: readonly PresenceInterval[],
  window: Interval,
  source: string,
  confidence: number,
): HouseholdPresence | undefined {
  const known = intervals.filter((interval) => interval.state !== 'unknown');
  const first = known[0];
  if (first === undefined) {
    return undefined;
  }

  const homeSpans = known.filter((interval) => interval.state === 'home');
  const home = mergeIntervals([
    {
      starts: Float64Array.from(homeSpans, (span) => span.start),
      ends: Float64Array.from(homeSpans, (span) => span.end),
      length: homeSpans.length,
    },
  ]);
  return {
    source,
    confidence,
    residents: [],
    home,
    knownFrom: first.start,
    ...transitions(home, first.start, window.end),
    workFromHomeDays: new Set(),
    inferred: known,
  };
}

/** Whether the household was home at `time`: `undefined` before anything was known. */
export function isHomeAt(household: HouseholdPresence, time: number): boolean | undefined {
  if (time < household.knownFrom) {
    return undefined;
  }

  const i = lastAtOrBefore(household.home.starts, time);
  return i >= 0 && time < (household.home.ends[i] ?? 0);
}

/** Milliseconds of each hour of the grid that someone was home. */
export function homeMsPerHour(household: HouseholdPresence, grid: HourGrid): Float64Array {
  const homeMs = new Float64Array(grid.hourOfWeek.length);
  for (let i = 0; i < household.home.length; i++) {
    const span = { start: household.home.starts[i] ?? 0, end: household.home.ends[i] ?? 0 };
    addSpanToSlots(homeMs, span, grid.window.start, HOUR_MS);
  }

  return homeMs;
}

interface ResidentTimeline extends Resident {
  index: number;
}

function collectResidents(history: HomeHistory): ResidentTimeline[] {
  const of = (domain: string) =>
    history.entities.flatMap((entity, index) => (entity.domain === domain ? [index] : []));
  const persons = of('person');
  const indexes = persons.length > 0 ? persons : of('device_tracker');
  return indexes.flatMap((index) => {
    const timeline = history.timelines[index];
    const info = history.entities[index];
    if (timeline === undefined || info === undefined) {
      return [];
    }

    const isHome = activeStatePredicate(info.domain, history.states);
    return [{ index, entityId: info.entityId, home: computeActivityIntervals(timeline, isHome) }];
  });
}

function mergeIntervals(lists: readonly IntervalList[]): IntervalList {
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

  return {
    starts: Float64Array.from(merged, (span) => span[0]),
    ends: Float64Array.from(merged, (span) => span[1]),
    length: merged.length,
  };
}

/** Arrivals and departures are the edges of the home spans inside the known period. */
function transitions(home: IntervalList, knownFrom: number, end: number) {
  const arrivals: number[] = [];
  const departures: number[] = [];
  for (let i = 0; i < home.length; i++) {
    const start = home.starts[i] ?? 0;
    const stop = home.ends[i] ?? 0;
    if (start > knownFrom) {
      arrivals.push(start);
    }

    if (stop < end) {
      departures.push(stop);
    }
  }

  return { arrivals: Float64Array.from(arrivals), departures: Float64Array.from(departures) };
}

/**
 * Days on which a resident who usually spends the working day away stayed home. Observed
 * presence cannot tell working from a day off; the calendar, where there is one, can.
 */
function findWorkFromHomeDays(residents: readonly Resident[], grid: HourGrid): Set<number> {
  const days = new Set<number>();
  for (const resident of residents) {
    const shares = workdayHomeShares(resident.home, grid);
    const values = [...shares.values()].sort((x, y) => x - y);
    const median = values[Math.floor(values.length / 2)];
    if (median === undefined || median >= COMMUTER_HOME_SHARE) {
      continue;
    }

    for (const [day, share] of shares) {
      if (share >= STAYED_HOME_SHARE) {
        days.add(day);
      }
    }
  }

  return days;
}

/** Per workday of the grid, the share of its work hours the resident spent home. */
function workdayHomeShares(home: IntervalList, grid: HourGrid): Map<number, number> {
  const homeMs = new Float64Array(grid.hourOfWeek.length);
  for (let i = 0; i < home.length; i++) {
    const span = { start: home.starts[i] ?? 0, end: home.ends[i] ?? 0 };
    addSpanToSlots(homeMs, span, grid.window.start, HOUR_MS);
  }

  const totals = new Map<number, { home: number; hours: number }>();
  for (let h = 0; h < homeMs.length; h++) {
    const hourOfWeek = grid.hourOfWeek[h] ?? 0;
    const hour = hourOfWeek % 24;
    const isWorkHour =
      hourOfWeek < WORKDAYS * 24 && hour >= WORK_HOURS.first && hour < WORK_HOURS.last;
    if (!isWorkHour) {
      continue;
    }

    const day = grid.day[h] ?? 0;
    const total = totals.get(day) ?? { home: 0, hours: 0 };
    total.home += (homeMs[h] ?? 0) / HOUR_MS;
    total.hours += 1;
    totals.set(day, total);
  }

  const shares = new Map<number, number>();
  for (const [day, total] of totals) {
    // A day cut short by the window's edges says too little.
    if (total.hours >= (WORK_HOURS.last - WORK_HOURS.first) / 2) {
      shares.set(day, total.home / total.hours);
    }
  }

  return shares;
}
