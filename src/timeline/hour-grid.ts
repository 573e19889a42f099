import type { Interval } from './interval.js';

const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

/**
 * The local wall clock of a home, one entry per hour of a window: which hour of the week and
 * which local day each UTC hour falls on. Analyses ask "what time of day was it at home?" for
 * millions of events; a lookup in an array built once is what makes that cheap, and it keeps
 * daylight-saving changes right without asking the time-zone database per event.
 *
 * Zones whose offset is not a whole number of hours (India, Newfoundland) are resolved to the
 * hour that holds most of each UTC hour, which is close enough for hour-sized baselines.
 */
export interface HourGrid {
  readonly window: Interval;
  readonly timeZone: string;
  /** Local hour of the week, 0 = Monday 00:00–01:00, per hour since `window.start`. */
  readonly hourOfWeek: Uint8Array;
  /** Local calendar day, counted from the first day of the window, per hour. */
  readonly day: Int32Array;
  /** Local offset from UTC in minutes, per hour. */
  readonly offsetMinutes: Int16Array;
}

export function computeHourGrid(window: Interval, timeZone: string): HourGrid {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const hours = Math.ceil((window.end - window.start) / HOUR_MS);
  const hourOfWeek = new Uint8Array(hours);
  const day = new Int32Array(hours);
  const offsetMinutes = new Int16Array(hours);
  let firstDay: number | undefined;

  for (let h = 0; h < hours; h++) {
    // The middle of each hour decides, so that half-hour zones land on their main hour.
    const time = window.start + h * HOUR_MS + HOUR_MS / 2;
    const local = readLocal(format, time);
    firstDay ??= local.dayNumber;
    hourOfWeek[h] = local.weekday * 24 + local.hour;
    day[h] = local.dayNumber - firstDay;
    offsetMinutes[h] = Math.round((local.wallTime - time) / 60_000);
  }

  return { window, timeZone, hourOfWeek, day, offsetMinutes };
}

/** The hour of the week at `time`. */
export function hourOfWeekAt(grid: HourGrid, time: number): number {
  return grid.hourOfWeek[hourIndex(grid, time)] ?? 0;
}

/** The index into the grid's arrays of the hour holding `time`, clamped to the window. */
export function hourIndex(grid: HourGrid, time: number): number {
  const h = Math.floor((time - grid.window.start) / HOUR_MS);
  return Math.min(Math.max(h, 0), grid.hourOfWeek.length - 1);
}

export const HOUR_SLOTS = HOURS_PER_WEEK;

const WEEKDAYS: Readonly<Record<string, number>> = {
  Mon: 0,
  Tue: 1,
  Wed: 2,
  Thu: 3,
  Fri: 4,
  Sat: 5,
  Sun: 6,
};

interface LocalTime {
  weekday: number;
  hour: number;
  /** Days since 1970-01-01 of the local calendar date. */
  dayNumber: number;
  /** The local wall time read as if it were UTC, epoch ms. */
  wallTime: number;
}

function readLocal(format: Intl.DateTimeFormat, time: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(time)) {
    parts[part.type] = part.value;
  }

  const date = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  const hour = Number(parts.hour);
  return {
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    hour,
    dayNumber: Math.round(date / 86_400_000),
    wallTime: date + hour * HOUR_MS + Number(parts.minute) * 60_000 + (time % 60_000),
  };
}
