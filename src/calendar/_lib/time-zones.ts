import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';

/**
 * Names Outlook and Exchange write where an IANA id belongs. Only the zones seen in real
 * exports are listed; an unknown name falls back to the home time zone with a warning.
 */
const WINDOWS_ZONES: Record<string, string> = {
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GMT Standard Time': 'Europe/London',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'Pacific Standard Time': 'America/Los_Angeles',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'Tokyo Standard Time': 'Asia/Tokyo',
  UTC: 'Etc/UTC',
};

/** Zone definitions are immutable, so one parsed copy per id serves every calendar. */
const zones = new Map<string, ICAL.Component | null>();

/**
 * Returns a VTIMEZONE component for a TZID from the bundled time-zone database, renamed to the
 * TZID the calendar used, or `null` when no zone matches.
 */
export function lookupZoneComponent(tzid: string): ICAL.Component | null {
  const cached = zones.get(tzid);
  if (cached !== undefined) {
    return cached;
  }

  const component = buildZoneComponent(tzid);
  zones.set(tzid, component);
  return component;
}

function buildZoneComponent(tzid: string): ICAL.Component | null {
  const name = resolveZoneName(tzid);
  if (name === null) {
    return null;
  }

  const block = tzlib_get_ical_block(name);
  const text = Array.isArray(block) ? block[0] : undefined;
  if (text === undefined || !text.startsWith('BEGIN:VTIMEZONE')) {
    return null;
  }

  const component = new ICAL.Component(ICAL.parse(text) as unknown[]);
  component.updatePropertyWithValue('tzid', tzid);
  return component;
}

/** Maps a TZID as calendars write it (IANA, Windows, Mozilla-prefixed) to an IANA name. */
export function resolveZoneName(tzid: string): string | null {
  const trimmed = tzid.replace(/^"|"$/g, '').trim();
  const candidates = [trimmed, WINDOWS_ZONES[trimmed], trailingIanaName(trimmed)];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate !== null && isKnownZone(candidate)) {
      return candidate;
    }
  }

  return null;
}

function trailingIanaName(tzid: string): string | null {
  const match = /([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_]+)?)$/.exec(tzid);
  return match?.[1] ?? null;
}

let knownZones: Set<string> | undefined;

/** Asks the list first: the library prints to the console when given a name it lacks. */
function isKnownZone(name: string): boolean {
  knownZones ??= new Set(tzlib_get_timezones() as string[]);
  return knownZones.has(name);
}

const timezones = new Map<string, ICAL.Timezone>();

/** Returns an `ICAL.Timezone` for an IANA name, for reading floating and all-day times. */
export function timezoneFor(name: string): ICAL.Timezone {
  if (name === 'UTC' || name === 'Etc/UTC') {
    return ICAL.Timezone.utcTimezone;
  }

  const cached = timezones.get(name);
  if (cached) {
    return cached;
  }

  const component = lookupZoneComponent(name);
  if (component === null) {
    throw new RangeError(`unknown time zone "${name}"`);
  }

  const zone = new ICAL.Timezone({ component, tzid: name });
  timezones.set(name, zone);
  return zone;
}

export function isValidTimeZone(name: string): boolean {
  return name === 'UTC' || name === 'Etc/UTC' || resolveZoneName(name) !== null;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Converts a wall-clock time in a zone to epoch ms. A time inside a spring-forward gap is read
 * with the offset in force before the gap (RFC 5545 3.3.5), so 02:30 on the changeover day in
 * Berlin becomes 03:30 summer time; ical.js alone would place it an hour early.
 */
export function wallTimeToEpoch(wall: WallTime, zone: ICAL.Timezone): number {
  const time = new ICAL.Time({ ...wall, isDate: false }, zone);
  const epoch = time.toUnixTime() * 1000;
  if (zone === ICAL.Timezone.utcTimezone) {
    return epoch;
  }

  const drift = (wallSecondsAt(epoch, zone) - wallSeconds(time)) * 1000;
  if (drift < 0) {
    return epoch - drift;
  }

  // In a fall-back overlap ical.js picks the later of the two instants; RFC 5545 the earlier.
  const earlier = epoch - OVERLAP_PROBE_MS;
  return wallSecondsAt(earlier, zone) === wallSeconds(time) ? earlier : epoch;
}

/** Every daylight-saving shift in use today is one hour, except Lord Howe Island's half hour. */
const OVERLAP_PROBE_MS = 3_600_000;

function wallSecondsAt(epoch: number, zone: ICAL.Timezone): number {
  return wallSeconds(ICAL.Time.fromJSDate(new Date(epoch), true).convertToZone(zone));
}

function wallSeconds(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second) / 1000;
}
