import { computeHourGrid } from '../../timeline/index.js';
import type { Interval } from '../../timeline/index.js';
import type { Mark } from './sensor-marks.js';

const HOUR_MS = 3_600_000;

/**
 * The local hours of the day in which the home sleeps: the quietest hour of the day, widened to
 * the hours on either side whose share of silent days is closer to it than to the busiest hour.
 * Sleep shows as the hours silent on most days, holidays and weekends included; an empty list
 * means no hour is silent on most days (a bed sensor, for one, keeps nights busy), so there is
 * no sleeping silence to mistake for an absence.
 */
export function computeNightHours(
  marks: readonly Mark[],
  window: Interval,
  timeZone: string,
): number[] {
  const silent = silentShareByHour(marks, window, timeZone);
  const quietest = silent.indexOf(Math.max(...silent));
  const top = silent[quietest] ?? 0;
  if (top <= 0.5) {
    return [];
  }

  const cut = (top + Math.min(...silent)) / 2;
  const hours = [quietest];
  for (const step of [-1, 1]) {
    for (let k = 1; k < 12; k++) {
      const hour = (quietest + step * k + 24) % 24;
      if ((silent[hour] ?? 0) < cut) {
        break;
      }

      hours.push(hour);
    }
  }

  return [...new Set(hours)].sort((a, b) => a - b);
}

/** Per local hour of the day, the share of days on which no sensor showed life in that hour. */
function silentShareByHour(marks: readonly Mark[], window: Interval, timeZone: string): number[] {
  const grid = computeHourGrid(window, timeZone);
  const busy = new Uint8Array(grid.hourOfWeek.length);
  for (const mark of marks) {
    const first = Math.max(0, Math.floor((mark.start - window.start) / HOUR_MS));
    const last = Math.min(busy.length - 1, Math.floor((mark.end - window.start) / HOUR_MS));
    busy.fill(1, first, last + 1);
  }

  const total = new Array<number>(24).fill(0);
  const silent = new Array<number>(24).fill(0);
  for (let h = 0; h < busy.length; h++) {
    const hour = (grid.hourOfWeek[h] ?? 0) % 24;
    total[hour] = (total[hour] ?? 0) + 1;
    silent[hour] = (silent[hour] ?? 0) + (busy[h] === 1 ? 0 : 1);
  }

  return silent.map((count, hour) => count / Math.max(1, total[hour] ?? 0));
}

/** The share of `span` that falls in the night hours. */
export function nightShare(
  span: Interval,
  nightHours: readonly number[],
  timeZone: string,
): number {
  if (nightHours.length === 0 || span.end <= span.start) {
    return 0;
  }

  const night = new Set(nightHours);
  const grid = computeHourGrid(span, timeZone);
  let inNight = 0;
  for (let h = 0; h < grid.hourOfWeek.length; h++) {
    const hourStart = span.start + h * HOUR_MS;
    const length = Math.min(span.end, hourStart + HOUR_MS) - hourStart;
    inNight += night.has((grid.hourOfWeek[h] ?? 0) % 24) ? length : 0;
  }

  return inNight / (span.end - span.start);
}
