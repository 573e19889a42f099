/**
 * The same calendar expanded three ways, for `calendar.bench.ts`: by tandem, by ical.js alone
 * (what a tool without tandem's parsing, zone handling and cache does on every query), and by
 * node-ical. Each returns the occurrences that overlap a range, with times in epoch ms, so that
 * the three can be counted and compared.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';

import { expandIcs, parseIcs } from '../../src/calendar/index.js';
import type { Interval } from '../../src/timeline/index.js';

export interface Occurrence {
  uid: string;
  start: number;
  end: number;
  allDay: boolean;
}

/** tandem: the text checked and parsed, then expanded with dates read in the home's zone. */
export function expandWithTandem(text: string, range: Interval, timeZone: string): Occurrence[] {
  const calendar = parseIcs(text, 'bench.ics');
  return expandIcs(calendar, range, { timeZone, source: 'bench' }).items;
}

/** ical.js documents this shape but its published types leave it untyped. */
interface OccurrenceDetails {
  startDate: ICAL.Time;
  endDate: ICAL.Time | null;
}

interface Series {
  master: ICAL.Component | undefined;
  overrides: ICAL.Component[];
}

/**
 * ical.js alone, through its public API: each series' overrides related by UID, each
 * recurrence walked from its DTSTART (a rule cannot be entered in the middle), and each
 * occurrence near the range asked for its details, which apply the overrides. `toJSDate` reads
 * dates and floating times in the process's zone.
 */
export function expandWithIcalJs(text: string, range: Interval): Occurrence[] {
  const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const occurrences: Occurrence[] = [];
  for (const { master, overrides } of groupByUid(root)) {
    if (master === undefined) {
      for (const override of overrides) {
        addSingle(new ICAL.Event(override), range, occurrences);
      }

      continue;
    }

    // Without the list, ical.js would relate every override in the file, whatever its UID.
    const event = new ICAL.Event(master, { exceptions: overrides });
    if (event.isRecurring()) {
      addSeries(event, overrides, range, occurrences);
    } else {
      addSingle(event, range, occurrences);
    }
  }

  return occurrences;
}

function groupByUid(root: ICAL.Component): Series[] {
  const series = new Map<string, Series>();
  for (const component of root.getAllSubcomponents('vevent')) {
    const uid = String(component.getFirstPropertyValue('uid'));
    const entry = series.get(uid) ?? { master: undefined, overrides: [] };
    if (component.hasProperty('recurrence-id')) {
      entry.overrides.push(component);
    } else {
      entry.master = component;
    }

    series.set(uid, entry);
  }

  return [...series.values()];
}

function addSeries(
  event: ICAL.Event,
  overrides: readonly ICAL.Component[],
  range: Interval,
  occurrences: Occurrence[],
): void {
  // Occurrences further than this from the range cannot reach it, even when moved.
  const reach = event.duration.toSeconds() * 1000 + largestMove(overrides);
  const iterator = event.iterator();
  // The types promise a time, but the iterator ends with a missing value.
  for (let next = iterator.next() as ICAL.Time | null; next; next = iterator.next()) {
    const start = next.toJSDate().getTime();
    if (start >= range.end + reach) {
      return;
    }

    if (start + reach > range.start) {
      const details = event.getOccurrenceDetails(next) as OccurrenceDetails;
      add(event.uid, details.startDate, details.endDate, range, occurrences);
    }
  }
}

/** The longest an override moves its occurrence, plus its own length, in ms. */
function largestMove(overrides: readonly ICAL.Component[]): number {
  return Math.max(
    0,
    ...overrides.map((override) => {
      const event = new ICAL.Event(override);
      const moved = event.startDate.toJSDate().getTime() - event.recurrenceId.toJSDate().getTime();
      return Math.abs(moved) + event.duration.toSeconds() * 1000;
    }),
  );
}

function addSingle(event: ICAL.Event, range: Interval, occurrences: Occurrence[]): void {
  add(event.uid, event.startDate, event.endDate, range, occurrences);
}

function add(
  uid: string,
  startTime: ICAL.Time,
  endTime: ICAL.Time | null,
  range: Interval,
  occurrences: Occurrence[],
): void {
  const start = startTime.toJSDate().getTime();
  const end = endTime === null ? start : endTime.toJSDate().getTime();
  // Half-open like tandem's ranges; a zero-length event at the range start belongs to it.
  if (start < range.end && (end > range.start || start === range.start)) {
    occurrences.push({ uid, start, end, allDay: startTime.isDate });
  }
}

/**
 * node-ical: parse, then its own expansion of each event (RRULEs through its rrule support,
 * excluded dates and overrides applied, occurrences that began before the range and still run
 * included). Its range is inclusive at both ends, so it ends a millisecond early here. It reads
 * dates in the process's zone.
 */
export function expandWithNodeIcal(text: string, range: Interval): Occurrence[] {
  const from = new Date(range.start);
  const to = new Date(range.end - 1);
  const occurrences: Occurrence[] = [];
  for (const component of Object.values(nodeIcal.sync.parseICS(text))) {
    if (component?.type !== 'VEVENT') {
      continue;
    }

    const options = { from, to, expandOngoing: true };
    for (const instance of nodeIcal.expandRecurringEvent(component, options)) {
      const start = instance.start.getTime();
      const end = instance.end.getTime();
      if (end > range.start || start === range.start) {
        occurrences.push({ uid: component.uid, start, end, allDay: instance.isFullDay });
      }
    }
  }

  return occurrences;
}

export interface OccurrenceCheck {
  /** The peer's occurrences that tandem lists too, with the same UID and start. */
  sameStart: number;
  /** tandem's occurrences with a time of day that the peer does not list at that start. */
  timedMissing: number;
}

/** Compares a peer's occurrences with tandem's, by UID and start. */
export function checkOccurrences(
  tandem: readonly Occurrence[],
  peer: readonly Occurrence[],
): OccurrenceCheck {
  const key = (item: Occurrence) => `${item.uid} ${item.start}`;
  const tandemStarts = new Set(tandem.map(key));
  const peerStarts = new Set(peer.map(key));
  return {
    sameStart: peer.filter((item) => tandemStarts.has(key(item))).length,
    timedMissing: tandem.filter((item) => !item.allDay && !peerStarts.has(key(item))).length,
  };
}
