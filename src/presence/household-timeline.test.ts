import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulateHome } from '../simulate/index.js';
import { readRecorder } from '../sources/index.js';
import { computeHourGrid } from '../timeline/index.js';
import type { HourGrid } from '../timeline/index.js';
import { computeHouseholdPresence } from './household.js';
import type { HouseholdPresence } from './household.js';
import { buildHouseholdTimeline } from './household-timeline.js';
import type { PresenceInterval } from './types.js';

interface TruthInterval {
  start: string;
  end: string;
  state: 'home' | 'away';
}

interface Truth {
  time_zone: string;
  presence: { household: TruthInterval[] };
  calendar_wrong_days: { date: string; actually: string }[];
}

/** Time-weighted share of the real intervals whose state the timeline names. */
function agreement(timeline: readonly PresenceInterval[], truth: readonly TruthInterval[]) {
  let agree = 0;
  let total = 0;
  for (const real of truth) {
    const start = Date.parse(real.start);
    const end = Date.parse(real.end);
    total += end - start;
    for (const interval of timeline) {
      const overlap = Math.min(end, interval.end) - Math.max(start, interval.start);
      if (overlap > 0 && interval.state === real.state) {
        agree += overlap;
      }
    }
  }

  return agree / total;
}

describe.each([1, 2, 3])('buildHouseholdTimeline on the simulated home with seed %i', (seed) => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-household-'));
  let truth: Truth;
  let grid: HourGrid;
  let household: HouseholdPresence | undefined;

  beforeAll(() => {
    simulateHome({ out: join(dir, 'home'), seed, residents: seed });
    truth = JSON.parse(readFileSync(join(dir, 'home/truth.json'), 'utf8')) as Truth;
    const history = readRecorder(join(dir, 'home/config/home-assistant_v2.db'));
    grid = computeHourGrid(history.window, truth.time_zone);
    household = computeHouseholdPresence(history, grid);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with where the residents really were at least 98 % of the time', async () => {
    const timeline = await buildHouseholdTimeline({ grid, household, calendars: [], now: 0 });

    expect(timeline?.calibration).toBeNull();
    expect(agreement(timeline?.intervals ?? [], truth.presence.household)).toBeGreaterThan(0.98);
  });

  it('measures the calendar against the observed presence', async () => {
    const timeline = await buildHouseholdTimeline({
      grid,
      household,
      calendars: [join(dir, 'home/calendar.ics')],
      now: 0,
    });
    const calibration = timeline?.calibration;

    expect(agreement(timeline?.intervals ?? [], truth.presence.household)).toBeGreaterThan(0.98);
    expect(calibration?.agreement).toBeGreaterThan(0.8);
    expect(calibration?.byClaim.away).toBeGreaterThan(0.5);
    expect(calibration?.learnedCommute).not.toBeNull();
  });

  it('names the days a lone resident spent at home against the calendar', async () => {
    const timeline = await buildHouseholdTimeline({
      grid,
      household,
      calendars: [join(dir, 'home/calendar.ics')],
      now: 0,
    });
    const found = new Set(timeline?.calibration?.wrongIntervals.map((i) => localDate(i.start)));
    const planted = truth.calendar_wrong_days.filter(
      (day) => day.actually === 'home' && household?.residents.length === 1,
    );

    expect(planted.filter((day) => !found.has(day.date))).toEqual([]);
  });

  function localDate(time: number): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: truth.time_zone }).format(time);
  }
});
