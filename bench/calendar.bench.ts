import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { IcsFileSource } from '../src/calendar/index.js';
import { CalendarPresence } from '../src/presence/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, percentile } from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SERIES = 200;
const FIRST_DAY = Date.UTC(2025, 0, 6);
const TWO_YEARS = 730 * DAY;

const SUMMARIES = ['Büro', 'Homeoffice', 'Office', 'Work from home', 'Gym', 'Dinner', 'Call'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/**
 * A household calendar of `SERIES` weekly series over two years in Europe/Berlin, each with an
 * excluded date, so that expansion meets both daylight-saving changes of each year.
 */
function writeCalendar(file: string): void {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//tandem//bench//EN'];
  for (let i = 0; i < SERIES; i++) {
    const first = FIRST_DAY + (i % 7) * DAY;
    const hour = 7 + (i % 12);
    const local = stamp(first + hour * HOUR);
    lines.push(
      'BEGIN:VEVENT',
      `UID:series-${i}@bench.tandem`,
      'DTSTAMP:20250101T000000Z',
      `SUMMARY:${SUMMARIES[i % SUMMARIES.length] ?? 'Event'} ${i}`,
      `DTSTART;TZID=Europe/Berlin:${local}`,
      `DURATION:PT${1 + (i % 8)}H`,
      `RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[i % 7] ?? 'MO'};UNTIL=${stamp(first + TWO_YEARS)}Z`,
      `EXDATE;TZID=Europe/Berlin:${stamp(first + 14 * DAY + hour * HOUR)}`,
      'END:VEVENT',
    );
  }

  writeFileSync(file, [...lines, 'END:VCALENDAR'].join('\r\n'));
}

/** What a two-person household keeps: office and home-office weeks, the gym, the shopping. */
const HOUSEHOLD_SERIES = [
  ['Büro', 'MO,WE,TH', '090000', 'PT8H'],
  ['Homeoffice', 'TU,FR', '090000', 'PT8H'],
  ['Office', 'TU,TH', '083000', 'PT8H'],
  ['Work from home', 'MO,WE,FR', '083000', 'PT8H'],
  ['Gym', 'TU', '190000', 'PT1H30M'],
  ['Einkaufen', 'SA', '100000', 'PT1H30M'],
  ['Call with Jonas', 'WE', '180000', 'PT1H'],
] as const;

function writeHouseholdCalendar(file: string): void {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//tandem//bench//EN'];
  HOUSEHOLD_SERIES.forEach(([summary, days, time, duration], i) => {
    lines.push(
      'BEGIN:VEVENT',
      `UID:household-${i}@bench.tandem`,
      'DTSTAMP:20250101T000000Z',
      `SUMMARY:${summary}`,
      `DTSTART;TZID=Europe/Berlin:${stamp(FIRST_DAY).slice(0, 8)}T${time}`,
      `DURATION:${duration}`,
      `RRULE:FREQ=WEEKLY;BYDAY=${days}`,
      'END:VEVENT',
    );
  });
  writeFileSync(file, [...lines, 'END:VCALENDAR'].join('\r\n'));
}

function microseconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

function summarise(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = Float64Array.from(samples).sort();
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
}

async function buildPresence(file: string, window: { start: number; end: number }) {
  const presence = new CalendarPresence({
    sources: [new IcsFileSource(file, { timeZone: 'Europe/Berlin' })],
  });
  const started = performance.now();
  await presence.refresh(window.start, window);
  return { presence, buildMs: performance.now() - started };
}

/** One answer asked again and again, as a dashboard polling "now?" does. */
function measureCached(presence: CalendarPresence, calls: number): number[] {
  const t = FIRST_DAY + 30 * DAY + 12 * HOUR;
  const samples: number[] = [];
  for (let i = 0; i < calls / 10; i++) {
    presence.presenceAt(t + i, t);
  }

  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    presence.presenceAt(t + (i % 1000), t);
    samples.push(microseconds(started));
  }

  return samples;
}

/** Random moments over the two years, so that every query misses the query cache. */
function measureUncached(presence: CalendarPresence, calls: number): number[] {
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  const samples: number[] = [];
  for (let i = 0; i < calls + calls / 10; i++) {
    const t = FIRST_DAY + next() * TWO_YEARS;
    const started = process.hrtime.bigint();
    presence.presenceAt(t, t);
    presence.predict(t, DAY, t);
    if (i >= calls / 10) {
      samples.push(microseconds(started) / 1000);
    }
  }

  return samples;
}

/** A day of "now?" and "next hour?" once a minute, with the hourly background refreshes. */
async function measureHitRate(file: string, residents: number): Promise<number> {
  const presence = new CalendarPresence({
    sources: [new IcsFileSource(file, { timeZone: 'Europe/Berlin' })],
    residents,
  });
  const day = FIRST_DAY + 2 * DAY;
  await presence.refresh(day);
  for (let t = day; t < day + DAY; t += MINUTE) {
    presence.presenceAt(t, t);
    presence.predict(t, HOUR, t);
    await presence.whenIdle();
  }

  return presence.stats().queries.hitRate;
}

/** The query figures on the two-year calendar: cached and uncached latency. */
async function measureLatency(file: string, quick: boolean): Promise<Figure[]> {
  const window = { start: FIRST_DAY, end: FIRST_DAY + TWO_YEARS };
  const { presence, buildMs } = await buildPresence(file, window);
  const intervals = presence.intervals().length;
  collectGarbage();
  const cached = summarise(measureCached(presence, quick ? 20_000 : 200_000));
  collectGarbage();
  const uncached = summarise(measureUncached(presence, quick ? 2_000 : 20_000));

  return [
    {
      id: 'calendar-presence-at-cached-p99',
      description: 'cached presenceAt, p99 per call',
      unit: 'µs',
      value: cached.p99,
      target: 10,
      goal: null,
      better: 'lower',
      detail: { ...cached, intervals },
    },
    {
      id: 'calendar-query-uncached-p99',
      description: 'uncached presenceAt + 24 h predict at random times, p99 per query',
      unit: 'ms',
      value: uncached.p99,
      target: 5,
      goal: 0.1,
      better: 'lower',
      detail: { ...uncached, intervals, build_ms: Math.round(buildMs) },
    },
  ];
}

async function measureHitRates(dense: string, workDir: string): Promise<Figure> {
  const household = join(workDir, 'two-people.ics');
  writeHouseholdCalendar(household);
  const percent = (rate: number) => Math.round(rate * 10_000) / 100;

  return {
    id: 'calendar-query-hit-rate',
    description:
      'query cache hit rate, "now?" and "next hour?" once a minute for a day, ' +
      'two-person household calendar (7 weekly series)',
    unit: '%',
    value: percent(await measureHitRate(household, 2)),
    target: 99,
    goal: null,
    better: 'higher',
    detail: { [`${SERIES}_series_calendar`]: percent(await measureHitRate(dense, 1)) },
  };
}

export const scenarios: Scenario[] = [
  {
    id: 'calendar-presence',
    description: `presence queries over a calendar of ${SERIES} weekly series across two years`,
    async run({ quick, workDir }): Promise<Figure[]> {
      const file = join(workDir, 'household.ics');
      writeCalendar(file);
      return [...(await measureLatency(file, quick)), await measureHitRates(file, workDir)];
    },
  },
];
