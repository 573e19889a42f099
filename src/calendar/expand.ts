import ICAL from 'ical.js';

import type { Interval } from '../timeline/index.js';
import { lookupZoneComponent, timezoneFor, wallTimeToEpoch } from './_lib/time-zones.js';
import type { IcsCalendar } from './ics-parse.js';
import type { CalendarEvent, EventStatus } from './types.js';

export interface ExpandOptions {
  /** The home's IANA time zone: all-day dates and floating times are read in it. */
  timeZone: string;
  /** The source id stamped on each occurrence. */
  source: string;
}

/** An event that could not be expanded; the others still are. */
export interface EventFailure {
  uid: string;
  summary: string;
  message: string;
}

export interface ExpandResult {
  items: CalendarEvent[];
  failures: EventFailure[];
}

/** A runaway rule (every second for years) is cut off here rather than hang the process. */
const MAX_OCCURRENCES_PER_SERIES = 50_000;
const DAY_MS = 86_400_000;

interface ZoneContext {
  home: ICAL.Timezone;
  floating: ICAL.Timezone;
}

/**
 * Lists the occurrences of a parsed calendar that overlap `range`: recurrence rules, RDATE,
 * EXDATE and RECURRENCE-ID overrides applied, cancelled occurrences dropped, sorted by start.
 */
export function expandIcs(
  calendar: IcsCalendar,
  range: Interval,
  options: ExpandOptions,
): ExpandResult {
  const result: ExpandResult = { items: [], failures: [] };
  for (const root of calendar.roots) {
    expandRoot(root, range, options, result);
  }

  result.items.sort((a, b) => a.start - b.start || a.end - b.end);
  return result;
}

function expandRoot(
  root: ICAL.Component,
  range: Interval,
  options: ExpandOptions,
  result: ExpandResult,
): void {
  supplyMissingZones(root);
  const zones = zoneContext(root, options.timeZone);

  for (const group of groupByUid(root.getAllSubcomponents('vevent'))) {
    try {
      result.items.push(...expandGroup(group, range, zones, options.source));
    } catch (error) {
      result.failures.push(failureOf(group, error));
    }
  }
}

/**
 * Adds a VTIMEZONE from the bundled database for each TZID the file uses but does not define.
 * The definitions go into this calendar's own tree, so they never leak into other calendars
 * the way ical.js's process-wide `TimezoneService` would.
 */
function supplyMissingZones(root: ICAL.Component): void {
  const defined = new Set(
    root.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid'))),
  );

  for (const tzid of usedZoneIds(root)) {
    const zone = defined.has(tzid) ? null : lookupZoneComponent(tzid);
    if (zone !== null) {
      root.addSubcomponent(ICAL.Component.fromString(zone.toString()));
      defined.add(tzid);
    }
  }
}

function usedZoneIds(root: ICAL.Component): Set<string> {
  const ids = new Set<string>();
  for (const event of root.getAllSubcomponents('vevent')) {
    for (const property of event.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string') {
        ids.add(tzid);
      }
    }
  }

  return ids;
}

/** Floating times follow the calendar's X-WR-TIMEZONE when it names a known zone (Google). */
function zoneContext(root: ICAL.Component, timeZone: string): ZoneContext {
  const home = timezoneFor(timeZone);
  const declared = root.getFirstPropertyValue('x-wr-timezone');
  if (typeof declared !== 'string') {
    return { home, floating: home };
  }

  try {
    return { home, floating: timezoneFor(declared) };
  } catch {
    return { home, floating: home };
  }
}

/** ical.js documents this shape but its published types leave it untyped. */
interface OccurrenceDetails {
  item: ICAL.Event;
  startDate: ICAL.Time;
  endDate: ICAL.Time | null;
}

interface EventGroup {
  masters: ICAL.Component[];
  exceptions: ICAL.Component[];
}

function groupByUid(events: ICAL.Component[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  events.forEach((event, index) => {
    const uid = event.getFirstPropertyValue('uid');
    const key = typeof uid === 'string' && uid !== '' ? uid : `#${index}`;
    const group = groups.get(key) ?? { masters: [], exceptions: [] };
    const bucket = event.hasProperty('recurrence-id') ? group.exceptions : group.masters;
    bucket.push(event);
    groups.set(key, group);
  });
  return [...groups.values()];
}

function expandGroup(
  group: EventGroup,
  range: Interval,
  zones: ZoneContext,
  source: string,
): CalendarEvent[] {
  const [master, ...duplicates] = group.masters;
  if (master === undefined) {
    // Overrides whose series is missing (an invitation to one instance) stand on their own.
    return group.exceptions.flatMap((exception) =>
      expandSingle(new ICAL.Event(exception), range, zones, source),
    );
  }

  // Given no list, ical.js relates every override in the file whatever its UID, and another
  // series' override of the same local time would then replace this series' occurrence.
  const event = new ICAL.Event(master, { exceptions: group.exceptions });
  assertHasStart(event);

  const single = duplicates.flatMap((duplicate) =>
    expandSingle(new ICAL.Event(duplicate), range, zones, source),
  );
  const own = event.isRecurring()
    ? expandSeries(event, group.exceptions, range, zones, source)
    : expandSingle(event, range, zones, source);
  return [...own, ...single];
}

function expandSingle(
  event: ICAL.Event,
  range: Interval,
  zones: ZoneContext,
  source: string,
): CalendarEvent[] {
  assertHasStart(event);
  const occurrence = toCalendarEvent(event, event.startDate, event.endDate, zones, source);
  return occurrence !== null && overlaps(occurrence, range) ? [occurrence] : [];
}

function expandSeries(
  event: ICAL.Event,
  exceptions: ICAL.Component[],
  range: Interval,
  zones: ZoneContext,
  source: string,
): CalendarEvent[] {
  // An override may move an occurrence from beyond the range into it, so iterate past the end.
  const shift = largestShift(exceptions, zones);
  const skipBefore = range.start - shift - seriesDuration(event, zones);
  const stopAt = range.end + shift;
  // Without overrides every occurrence is the master moved in time: skip ical.js's lookups.
  const length = exceptions.length === 0 ? wallLength(event) : null;
  const template = toCalendarEvent(event, event.startDate, event.endDate, zones, source);
  const iterator = event.iterator();
  const items: CalendarEvent[] = [];

  for (let count = 0; count < MAX_OCCURRENCES_PER_SERIES; count++) {
    // The types promise a time, but the iterator ends with a missing value.
    const next = iterator.next() as ICAL.Time | null | undefined;
    const start = next ? toEpoch(next, zones) : Infinity;
    if (start >= stopAt) {
      return items;
    }

    if (start < skipBefore) {
      continue;
    }

    const item =
      length === null
        ? occurrenceWithOverrides(event, next as ICAL.Time, zones, source)
        : moveOccurrence(template, next as ICAL.Time, start, length, zones);
    if (item !== null && overlaps(item, range)) {
      items.push(item);
    }
  }

  throw new RangeError(`more than ${MAX_OCCURRENCES_PER_SERIES} occurrences`);
}

function occurrenceWithOverrides(
  event: ICAL.Event,
  time: ICAL.Time,
  zones: ZoneContext,
  source: string,
): CalendarEvent | null {
  const details = event.getOccurrenceDetails(time) as OccurrenceDetails;
  return toCalendarEvent(details.item, details.startDate, details.endDate, zones, source);
}

function moveOccurrence(
  template: CalendarEvent | null,
  time: ICAL.Time,
  start: number,
  length: number,
  zones: ZoneContext,
): CalendarEvent | null {
  if (template === null) {
    return null;
  }

  const end = Math.max(start, shiftWall(time, length, zones));
  return { ...template, start, end };
}

/**
 * The master's length in wall-clock ms, or `null` when its start and end are in different
 * zones and only ical.js's own arithmetic will do.
 */
function wallLength(event: ICAL.Event): number | null {
  const start = event.startDate;
  const end = event.endDate as ICAL.Time | null;
  if (end === null || end.zone !== start.zone || end.isDate !== start.isDate) {
    return null;
  }

  const length = wallMs(end) - wallMs(start);
  return length === 0 && start.isDate ? DAY_MS : length;
}

function wallMs(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day, ...clockOf(time));
}

/** The master's length, so that occurrences ending before the range are skipped cheaply. */
function seriesDuration(event: ICAL.Event, zones: ZoneContext): number {
  const start = toEpoch(event.startDate, zones);
  return Math.abs(endOf(event.startDate, event.endDate, start, zones) - start);
}

function assertHasStart(event: ICAL.Event): void {
  // ical.js types promise a start, but an event without DTSTART yields null.
  if ((event.startDate as ICAL.Time | null) === null) {
    throw new Error('the event has no DTSTART');
  }
}

function largestShift(exceptions: ICAL.Component[], zones: ZoneContext): number {
  let shift = 0;
  for (const exception of exceptions) {
    const recurrenceId = exception.getFirstPropertyValue('recurrence-id');
    const start = exception.getFirstPropertyValue('dtstart');
    if (recurrenceId instanceof ICAL.Time && start instanceof ICAL.Time) {
      shift = Math.max(shift, toEpoch(recurrenceId, zones) - toEpoch(start, zones));
    }
  }

  return shift;
}

function toCalendarEvent(
  event: ICAL.Event,
  startTime: ICAL.Time,
  endTime: ICAL.Time | null,
  zones: ZoneContext,
  source: string,
): CalendarEvent | null {
  const status = statusOf(event.component);
  if (status === 'cancelled') {
    return null;
  }

  const allDay = startTime.isDate;
  const start = toEpoch(startTime, zones);
  const end = endOf(startTime, endTime, start, zones);
  return {
    uid: event.uid || '',
    summary: textOf(event.component, 'summary'),
    description: textOf(event.component, 'description'),
    location: textOf(event.component, 'location'),
    start: Math.min(start, end),
    end: Math.max(start, end),
    allDay,
    status,
    source,
  };
}

/** An all-day event without an end lasts its one day; a timed one is a moment (RFC 5545). */
function endOf(
  startTime: ICAL.Time,
  endTime: ICAL.Time | null,
  start: number,
  zones: ZoneContext,
): number {
  const end = endTime === null ? start : toEpoch(endTime, zones);
  if (end !== start || !startTime.isDate) {
    return end;
  }

  return shiftWall(startTime, DAY_MS, zones);
}

/** `time` moved by `ms` of wall-clock time, as epoch ms: 09:00 + 8 h is 17:00 on any day. */
function shiftWall(time: ICAL.Time, ms: number, zones: ZoneContext): number {
  const zone = zoneOf(time, zones);
  if (zone === ICAL.Timezone.utcTimezone) {
    return toEpoch(time, zones) + ms;
  }

  const moved = new Date(Date.UTC(time.year, time.month - 1, time.day, ...clockOf(time)) + ms);
  const wall = {
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: moved.getUTCHours(),
    minute: moved.getUTCMinutes(),
    second: moved.getUTCSeconds(),
  };
  return wallTimeToEpoch(wall, zone);
}

function clockOf(time: ICAL.Time): [number, number, number] {
  return time.isDate ? [0, 0, 0] : [time.hour, time.minute, time.second];
}

/** Dates are read in the home's zone, floating times in the calendar's, the rest in their own. */
function zoneOf(time: ICAL.Time, zones: ZoneContext): ICAL.Timezone {
  if (time.isDate) {
    return zones.home;
  }

  const zone = time.zone as ICAL.Timezone | undefined;
  return zone === undefined || zone === ICAL.Timezone.localTimezone ? zones.floating : zone;
}

function toEpoch(time: ICAL.Time, zones: ZoneContext): number {
  const [hour, minute, second] = clockOf(time);
  const wall = { year: time.year, month: time.month, day: time.day, hour, minute, second };
  return wallTimeToEpoch(wall, zoneOf(time, zones));
}

function statusOf(component: ICAL.Component): EventStatus {
  const status = textOf(component, 'status').toLowerCase();
  return status === 'cancelled' || status === 'tentative' ? status : 'confirmed';
}

function textOf(component: ICAL.Component, property: string): string {
  const value: unknown = component.getFirstPropertyValue(property);
  return typeof value === 'string' ? value : '';
}

function overlaps(event: CalendarEvent, range: Interval): boolean {
  // A zero-length event at the range start still belongs to it.
  return event.start < range.end && (event.end > range.start || event.start === range.start);
}

function failureOf(group: EventGroup, error: unknown): EventFailure {
  const component = group.masters[0] ?? group.exceptions[0];
  return {
    uid: component ? textOf(component, 'uid') : '',
    summary: component ? textOf(component, 'summary') : '',
    message: error instanceof Error ? error.message : String(error),
  };
}
