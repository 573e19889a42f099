import { TandemError } from '../errors.js';

/** A calendar date, month 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUARTER_HOUR = HOUR / 4;

/**
 * Wall-clock arithmetic in one named time zone, through the ICU data Node ships with `Intl`.
 * The simulator thinks in local times (people leave at 08:00 whatever the offset) and writes UTC.
 */
export class Zone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat;
  /** Offsets by quarter hour: formatting through `Intl` is slow, offsets rarely change. */
  private readonly offsets = new Map<number, number>();
  private lastQuarter = NaN;
  private lastOffset = 0;

  constructor(name: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new TandemError(
        'INVALID_ARGUMENT',
        `"${name}" is not a time zone: expected an IANA name such as Europe/Berlin`,
        { cause: error },
      );
    }

    // Home Assistant needs the exact spelling: "europe/berlin" becomes "Europe/Berlin", but
    // "Asia/Kolkata" stays, although Node's ICU would call it by its old name "Asia/Calcutta".
    const resolved = this.format.resolvedOptions().timeZone;
    this.name = resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  }

  /** The zone's offset from UTC at `time`, in milliseconds (east positive). */
  offsetAt(time: number): number {
    const quarter = Math.floor(time / QUARTER_HOUR);
    // Most calls come from sensors reporting around the writer's current time: one entry
    // spares the map lookup, which showed in the profile.
    if (quarter === this.lastQuarter) {
      return this.lastOffset;
    }

    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      offset = this.computeOffset(quarter * QUARTER_HOUR);
      this.offsets.set(quarter, offset);
    }

    this.lastQuarter = quarter;
    this.lastOffset = offset;

    return offset;
  }

  private computeOffset(time: number): number {
    const parts = this.format.formatToParts(new Date(time));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );

    return asUtc - Math.floor(time / 1000) * 1000;
  }

  /**
   * The instant a wall clock shows `hours` (fractional) after midnight on `date`. Hours that do
   * not exist (the gap of a spring change) are moved forward by the gap, as clocks do.
   */
  toUtc(date: LocalDate, hours = 0): number {
    const wall = Date.UTC(date.year, date.month - 1, date.day) + hours * HOUR;
    const first = wall - this.offsetAt(wall);
    const second = wall - this.offsetAt(first);

    return this.offsetAt(second) === this.offsetAt(first) ? second : Math.max(first, second);
  }

  /** The local date at `time`. */
  dateAt(time: number): LocalDate {
    const local = new Date(time + this.offsetAt(time));

    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
    };
  }

  /** Hours since local midnight at `time`, e.g. 18.5 at half past six in the evening. */
  hourAt(time: number): number {
    const local = time + this.offsetAt(time);

    return (((local % DAY) + DAY) % DAY) / HOUR;
  }

  /** Instants in [start, end) where the offset changes, found hour by hour. */
  offsetChanges(start: number, end: number): { time: number; from: number; to: number }[] {
    const changes: { time: number; from: number; to: number }[] = [];
    let previous = this.offsetAt(start);
    for (let t = start + HOUR; t < end; t += HOUR) {
      const offset = this.offsetAt(t);
      if (offset !== previous) {
        changes.push({ time: this.findChange(t - HOUR, t), from: previous, to: offset });
        previous = offset;
      }
    }

    return changes;
  }

  private findChange(low: number, high: number): number {
    const before = this.computeOffset(low);
    while (high - low > 1000) {
      const middle = Math.floor((low + high) / 2000) * 1000;
      if (this.computeOffset(middle) === before) {
        low = middle;
      } else {
        high = middle;
      }
    }

    return high;
  }
}

/** The date `days` after `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));

  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function formatDate(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');

  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseDate(text: string): LocalDate {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) ?? [];
  const date =
    year === undefined || month === undefined || day === undefined
      ? undefined
      : { year: +year, month: +month, day: +day };
  if (date === undefined || formatDate(addDays(date, 0)) !== text) {
    throw new TandemError('INVALID_ARGUMENT', `"${text}" is not a date (YYYY-MM-DD)`);
  }

  return date;
}

/**
 * Local sunrise and sunset as hours after midnight, from the textbook approximation of the
 * solar declination and the equation of time: within a few minutes, which is all the lights of
 * a simulated home need.
 */
export function sunTimes(
  date: LocalDate,
  latitude: number,
  longitude: number,
  utcOffsetHours: number,
): { sunrise: number; sunset: number } {
  const dayOfYear =
    (Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(date.year, 0, 0)) / DAY;
  const angle = ((2 * Math.PI) / 365) * (dayOfYear - 81);
  const declination = 23.44 * Math.sin(angle) * (Math.PI / 180);
  const equationOfTime =
    9.87 * Math.sin(2 * angle) - 7.53 * Math.cos(angle) - 1.5 * Math.sin(angle);
  const noon = 12 - longitude / 15 - equationOfTime / 60 + utcOffsetHours;
  const lat = latitude * (Math.PI / 180);
  const cosHour =
    (Math.sin(-0.833 * (Math.PI / 180)) - Math.sin(lat) * Math.sin(declination)) /
    (Math.cos(lat) * Math.cos(declination));
  const halfDay = (Math.acos(Math.min(1, Math.max(-1, cosHour))) * 180) / Math.PI / 15;

  return { sunrise: noon - halfDay, sunset: noon + halfDay };
}
