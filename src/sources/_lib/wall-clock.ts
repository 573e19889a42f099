/** Local wall-clock fields, as the data sets write them: month 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }

  return format;
}

/** The zone's offset from UTC at `instant`, in ms, read from the Intl time-zone database. */
export function zoneOffsetAt(instant: number, timeZone: string): number {
  const parts = formatFor(timeZone).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const local = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return local - (instant - (instant % 1000));
}

/**
 * The instant a wall-clock time names in `timeZone`. Two passes settle the offset; a time that
 * falls in a spring-forward gap gets the offset from before the gap, and a time that occurs
 * twice on the fall-back day is read as the first of the two, which is what a person noting
 * the time would most often mean.
 */
export function wallClockToEpoch(wall: WallClock, timeZone: string): number {
  const local = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond,
  );
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return local;
  }

  const before = zoneOffsetAt(local - DAY_MS, timeZone);
  const after = zoneOffsetAt(local + DAY_MS, timeZone);
  const first = local - before;
  if (zoneOffsetAt(first, timeZone) === before) {
    return first;
  }

  const second = local - after;
  return zoneOffsetAt(second, timeZone) === after ? second : first;
}

const DAY_MS = 86_400_000;

/** Whether the runtime knows `timeZone`. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Whether the fields name a real date and time: `2011-02-30` and `24:10` do not. */
export function isValidWallClock(wall: WallClock): boolean {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  return (
    date.getUTCFullYear() === wall.year &&
    date.getUTCMonth() === wall.month - 1 &&
    date.getUTCDate() === wall.day &&
    wall.hour < 24 &&
    wall.minute < 60 &&
    wall.second < 60
  );
}

/**
 * Reads `2011-11-28 02:27:59`, with optional fractional seconds, as a wall-clock time; `T` may
 * stand for the space. The offset, when the text ends in one, is returned apart.
 */
export function parseIsoLocal(text: string): { wall: WallClock; offsetMs?: number } | undefined {
  const match = ISO_LOCAL.exec(text.trim());
  if (match === null) {
    return undefined;
  }

  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const wall: WallClock = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
    millisecond: Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
  };
  if (!isValidWallClock(wall)) {
    return undefined;
  }

  return zone === undefined ? { wall } : { wall, offsetMs: parseOffset(zone) };
}

const ISO_LOCAL =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseOffset(zone: string): number {
  if (zone === 'Z') {
    return 0;
  }

  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** The instant of a parsed time: its own offset when it has one, else read in `timeZone`. */
export function instantOf(parsed: { wall: WallClock; offsetMs?: number }, timeZone: string) {
  if (parsed.offsetMs === undefined) {
    return wallClockToEpoch(parsed.wall, timeZone);
  }

  const { year, month, day, hour, minute, second, millisecond } = parsed.wall;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - parsed.offsetMs;
}
