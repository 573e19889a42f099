import type { Resident, Span } from './presence-plan.js';
import { subtract } from './presence-plan.js';
import type { HomeLocation } from './location.js';
import type { Zone } from './zone.js';
import { sunTimes } from './zone.js';

export interface Movement {
  time: number;
  resident: string;
  /** Whether the house was empty before this arrival, or is empty after this departure. */
  household: boolean;
}

/**
 * Questions every behaviour asks about the period: is anyone home, is it dark, who arrived or
 * left when. Built once from the presence plan.
 */
export class Household {
  readonly start: number;
  readonly end: number;
  readonly zone: Zone;
  readonly residents: Resident[];
  /** When nobody was home, sorted and disjoint. */
  readonly away: Span[];
  /** Working hours at home of anyone. */
  readonly workFromHome: Span[];
  readonly arrivals: Movement[];
  readonly departures: Movement[];
  private readonly sunCache = new Map<string, { sunrise: number; sunset: number }>();

  /** For the sun. */
  private readonly location: HomeLocation;

  constructor(
    residents: Resident[],
    zone: Zone,
    location: HomeLocation,
    period: { start: number; end: number },
  ) {
    const { start, end } = period;
    this.residents = residents;
    this.location = location;
    this.zone = zone;
    this.start = start;
    this.end = end;
    this.away = intersectAll(residents.map((resident) => resident.away));
    this.workFromHome = unionAll(residents.map((resident) => resident.workFromHome));
    this.arrivals = [];
    this.departures = [];
    for (const resident of residents) {
      for (const span of resident.away) {
        if (span.start > start) {
          this.departures.push({ time: span.start, resident: resident.slug, household: false });
        }

        if (span.end < end) {
          this.arrivals.push({ time: span.end, resident: resident.slug, household: false });
        }
      }
    }

    this.arrivals.sort((a, b) => a.time - b.time);
    this.departures.sort((a, b) => a.time - b.time);
    for (const arrival of this.arrivals) {
      arrival.household = this.isAway(arrival.time - 1);
    }

    for (const departure of this.departures) {
      departure.household = this.isAway(departure.time + 1);
    }
  }

  isAway(time: number): boolean {
    return containing(this.away, time) !== undefined;
  }

  isHome(time: number): boolean {
    return !this.isAway(time);
  }

  /** Whether someone is home for the whole of [start, end). */
  isHomeThroughout(start: number, end: number): boolean {
    const next = this.away[firstEndingAfter(this.away, start)];

    return next === undefined || next.start >= end;
  }

  /** Spans when someone is home, within [start, end). */
  homeSpans(start = this.start, end = this.end): Span[] {
    const from = firstEndingAfter(this.away, start);
    const to = firstEndingAfter(this.away, end);

    return subtract({ start, end }, this.away.slice(from, to + 1));
  }

  isWorkingFromHome(time: number): boolean {
    return containing(this.workFromHome, time) !== undefined;
  }

  /** Sunrise and sunset of the local day around `time`, as epoch milliseconds. */
  sun(time: number): { sunrise: number; sunset: number } {
    const date = this.zone.dateAt(time);
    const key = `${date.year}-${date.month}-${date.day}`;
    let cached = this.sunCache.get(key);
    if (cached === undefined) {
      const noon = this.zone.toUtc(date, 12);
      const { latitude, longitude } = this.location;
      const hours = sunTimes(date, latitude, longitude, this.zone.offsetAt(noon) / 3_600_000);
      cached = {
        sunrise: this.zone.toUtc(date, hours.sunrise),
        sunset: this.zone.toUtc(date, hours.sunset),
      };
      this.sunCache.set(key, cached);
    }

    return cached;
  }

  isDark(time: number): boolean {
    const { sunrise, sunset } = this.sun(time);

    return time < sunrise || time >= sunset;
  }

  /** Whether `time` lies within `before`…`after` ms of a resident coming home. */
  isNearArrival(time: number, before: number, after: number): boolean {
    const next = this.arrivals[firstAtOrAfter(this.arrivals, time - after)];

    return next !== undefined && time >= next.time - before;
  }
}

/** Index of the first of sorted, disjoint spans that ends after `time`; length if none does. */
function firstEndingAfter(spans: Span[], time: number): number {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((spans[middle]?.end ?? Infinity) > time) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }

  return low;
}

/** The span of sorted, disjoint spans that holds `time`. */
function containing(spans: Span[], time: number): Span | undefined {
  const span = spans[firstEndingAfter(spans, time)];

  return span !== undefined && span.start <= time ? span : undefined;
}

/** Index of the first of movements sorted by time at or after `time`; length if none is. */
function firstAtOrAfter(movements: Movement[], time: number): number {
  let low = 0;
  let high = movements.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((movements[middle]?.time ?? Infinity) >= time) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }

  return low;
}

function intersectAll(lists: Span[][]): Span[] {
  const [first, ...rest] = lists;
  let result = first ?? [];
  for (const list of rest) {
    const next: Span[] = [];
    for (const a of result) {
      for (const b of list) {
        const start = Math.max(a.start, b.start);
        const end = Math.min(a.end, b.end);
        if (start < end) {
          next.push({ start, end });
        }
      }
    }

    result = next.sort((a, b) => a.start - b.start);
  }

  return result;
}

export function unionAll(lists: Span[][]): Span[] {
  const all = lists.flat().sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of all) {
    const last = merged.at(-1);
    if (last !== undefined && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }

  return merged;
}
