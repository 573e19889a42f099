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
 * Berlin becomes 03:30 summer time; a time that occurs twice on the fall-back day is the first
 * of the two. ical.js alone gets both wrong, and is slow at it, hence the table below.
 */
export function wallTimeToEpoch(wall: WallTime, zone: ICAL.Timezone): number {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) {
    return local;
  }

  const table = offsetTableFor(zone, wall.year);
  const before = table.offsetAt(local - DAY_MS);
  const after = table.offsetAt(local + DAY_MS);
  const first = local - before;
  const second = local - after;
  const firstFits = table.offsetAt(first) === before;
  const secondFits = table.offsetAt(second) === after;
  if (firstFits && secondFits) {
    return Math.min(first, second);
  }

  // Only one reading exists, or none (a gap): then the offset from before the gap applies.
  return secondFits && !firstFits ? second : first;
}

const DAY_MS = 86_400_000;

/** A zone's offset changes as UTC instants, for offset lookups by binary search. */
class OffsetTable {
  readonly coveredUntilYear: number;
  readonly #instants: Float64Array;
  readonly #offsets: Float64Array;
  readonly #initial: number;

  constructor(zone: ICAL.Timezone, untilYear: number) {
    zone._ensureCoverage(untilYear);
    const changes = (zone.changes as ZoneChange[]).slice().sort(compareChanges);
    this.coveredUntilYear = untilYear;
    this.#instants = Float64Array.from(changes, instantOf);
    this.#offsets = Float64Array.from(changes, (change) => change.utcOffset * 1000);
    this.#initial = (changes[0]?.prevUtcOffset ?? changes[0]?.utcOffset ?? 0) * 1000;
  }

  offsetAt(instant: number): number {
    const instants = this.#instants;
    let low = 0;
    let high = instants.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((instants[mid] ?? Infinity) <= instant) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }

    return low === 0 ? this.#initial : (this.#offsets[low - 1] ?? this.#initial);
  }
}

/** One entry of ical.js's expanded observances; ical.js keeps their times in UTC. */
interface ZoneChange {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
  prevUtcOffset?: number;
}

function instantOf(change: ZoneChange): number {
  const { year, month, day, hour, minute, second } = change;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function compareChanges(a: ZoneChange, b: ZoneChange): number {
  return instantOf(a) - instantOf(b);
}

const offsetTables = new WeakMap<ICAL.Timezone, OffsetTable>();

/** Years past the one asked for, so that a series running on does not rebuild the table. */
const COVERAGE_AHEAD_YEARS = 5;

function offsetTableFor(zone: ICAL.Timezone, year: number): OffsetTable {
  const known = offsetTables.get(zone);
  if (known !== undefined && known.coveredUntilYear > year) {
    return known;
  }

  const table = new OffsetTable(zone, year + COVERAGE_AHEAD_YEARS);
  offsetTables.set(zone, table);
  return table;
}
