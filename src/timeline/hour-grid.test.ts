import { describe, expect, it } from 'vitest';

import { computeHourGrid, hourOfWeekAt } from './hour-grid.js';

describe('computeHourGrid', () => {
  // Sunday 29 March 2026: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC.
  const window = { start: Date.UTC(2026, 2, 28, 0), end: Date.UTC(2026, 2, 31, 0) };
  const grid = computeHourGrid(window, 'Europe/Berlin');

  it('returns the local hour of the week on both sides of a daylight-saving change', () => {
    // Saturday 28 March, 08:30 UTC is 09:30 in Berlin: Saturday is day 5.
    expect(hourOfWeekAt(grid, Date.UTC(2026, 2, 28, 8, 30))).toBe(5 * 24 + 9);
    // Monday 30 March, 08:30 UTC is 10:30 in Berlin.
    expect(hourOfWeekAt(grid, Date.UTC(2026, 2, 30, 8, 30))).toBe(0 * 24 + 10);
  });

  it('returns the offset and the local day of each hour', () => {
    expect(grid.offsetMinutes[0]).toBe(60);
    expect(grid.offsetMinutes.at(-1)).toBe(120);
    // 23:00 UTC on 28 March is already 29 March in Berlin.
    expect(grid.day[23]).toBe(1);
    expect(grid.day[22]).toBe(0);
  });

  it('has one entry per hour of the window', () => {
    expect(grid.hourOfWeek).toHaveLength(72);
  });
});
