import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { IcsFileSource } from '../src/calendar/index.js';
import { CalendarPresence } from '../src/presence/index.js';
import type { Interval } from '../src/timeline/index.js';
import {
  FIRST_DAY,
  SERIES,
  TIME_ZONE,
  TWO_YEARS,
  writeCalendar,
  writeHouseholdCalendar,
} from './calendars.js';
import type { Figure, Scenario } from './harness.js';
import { median, percentile, runInTurns, timed } from './harness.js';
import {
  checkOccurrences,
  expandWithIcalJs,
  expandWithNodeIcal,
  expandWithTandem,
} from './peers/calendar.js';
import type { Occurrence } from './peers/calendar.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** The time one call takes, in ms, on the nanosecond clock. */
function timeCall(call: () => void): number {
  const started = process.hrtime.bigint();
  call();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Percentiles of samples in ms, given in `scale`s of a ms (1000: µs). */
function summarise(samples: readonly number[], scale = 1): Record<'p50' | 'p95' | 'p99', number> {
  const sorted = Float64Array.from(samples, (ms) => ms * scale).sort();
  const round = (value: number) => Number(value.toPrecision(3));
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
}

/** Moments spread at random over the two years, the same sequence on every side. */
function randomMoments(): () => number {
  let seed = 7;
  return () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return FIRST_DAY + (seed / 2_147_483_647) * TWO_YEARS;
  };
}

async function buildPresence(file: string, window: Interval) {
  const presence = new CalendarPresence({
    sources: [new IcsFileSource(file, { timeZone: TIME_ZONE })],
  });
  const started = performance.now();
  await presence.refresh(window.start, window);
  return { presence, buildMs: performance.now() - started };
}

/** The moment a dashboard polling "now?" asks about again and again. */
const POLLED = FIRST_DAY + 30 * DAY + 12 * HOUR;

interface QueryCounts {
  rounds: number;
  /** Per round: calls of tandem's cached query, of its uncached one, and queries of the peer. */
  cached: number;
  uncached: number;
  peer: number;
}

const QUERY_COUNTS: Record<'quick' | 'full', QueryCounts> = {
  quick: { rounds: 3, cached: 10_000, uncached: 1_000, peer: 2 },
  full: { rounds: 6, cached: 40_000, uncached: 4_000, peer: 6 },
};

/**
 * tandem's queries beside ical.js re-expanding the file on every query, in turns: the answer
 * at one polled moment (tandem's query cache answers it after the first call; ical.js has only
 * the calendar text), and a presenceAt with a 24 h predict at random moments over the two years
 * (every one a miss of tandem's query cache; ical.js expands the 24 h). Samples are in ms.
 */
function measureQueries(presence: CalendarPresence, text: string, counts: QueryCounts) {
  const tandemMoment = randomMoments();
  const peerMoment = randomMoments();
  const sides = [
    {
      name: 'tandem cached',
      run: () =>
        Array.from({ length: counts.cached }, (_, i) =>
          timeCall(() => presence.presenceAt(POLLED + (i % 1000), POLLED)),
        ),
    },
    {
      name: 'tandem uncached',
      run: () =>
        Array.from({ length: counts.uncached }, () => {
          const t = tandemMoment();
          return timeCall(() => {
            presence.presenceAt(t, t);
            presence.predict(t, DAY, t);
          });
        }),
    },
    {
      name: 'ical.js polled',
      run: () =>
        Array.from({ length: counts.peer }, () =>
          timeCall(() => expandWithIcalJs(text, { start: POLLED, end: POLLED + 1 })),
        ),
    },
    {
      name: 'ical.js random',
      run: () =>
        Array.from({ length: counts.peer }, () => {
          const t = peerMoment();
          return timeCall(() => expandWithIcalJs(text, { start: t, end: t + DAY }));
        }),
    },
  ];
  const runs = runInTurns(sides, counts.rounds);
  const samples = (name: string) => runs.get(name)?.flat() ?? [];
  return {
    cached: samples('tandem cached'),
    uncached: samples('tandem uncached'),
    peerPolled: samples('ical.js polled'),
    peerRandom: samples('ical.js random'),
  };
}

/** What one pair of `hrtime` readings costs, in µs: the floor of every per-call sample. */
function timerCost(): number {
  return median(Array.from({ length: 10_000 }, () => timeCall(() => undefined))) * 1000;
}

/** The query figures on the two-year calendar: tandem's latencies and ical.js's over them. */
async function measureLatency(file: string, quick: boolean): Promise<Figure[]> {
  const window = { start: FIRST_DAY, end: FIRST_DAY + TWO_YEARS };
  const { presence, buildMs } = await buildPresence(file, window);
  const intervals = presence.intervals().length;
  const counts = QUERY_COUNTS[quick ? 'quick' : 'full'];
  const measured = measureQueries(presence, readFileSync(file, 'utf8'), counts);
  const cached = summarise(measured.cached, 1000);
  const uncached = summarise(measured.uncached);
  const ratio = (peer: number[], tandem: number[]) => median(peer) / median(tandem);

  return [
    {
      id: 'calendar-presence-at-cached-p99',
      description: 'cached presenceAt, p99 per call',
      unit: 'µs',
      value: cached.p99,
      target: 10_000,
      goal: 10,
      better: 'lower',
      detail: { ...cached, intervals, timer_us: Number(timerCost().toPrecision(2)) },
    },
    {
      id: 'calendar-query-uncached-p99',
      description: 'uncached presenceAt + 24 h predict at random times, p99 per query',
      unit: 'ms',
      value: uncached.p99,
      target: 100,
      goal: 5,
      better: 'lower',
      detail: { ...uncached, intervals, build_ms: Math.round(buildMs) },
    },
    {
      id: 'calendar-query-ical-js-over-tandem-cached',
      description:
        "ical.js re-expanding the file for one polled moment, over tandem's cached presenceAt " +
        '(medians; above 1: tandem is faster)',
      unit: 'ratio',
      value: ratio(measured.peerPolled, measured.cached),
      target: 1,
      goal: null,
      better: 'higher',
      detail: {
        ical_js_p50_ms: summarise(measured.peerPolled).p50,
        tandem_p50_us: cached.p50,
        ical_js_queries: measured.peerPolled.length,
      },
    },
    {
      id: 'calendar-query-ical-js-over-tandem-uncached',
      description:
        "ical.js re-expanding the file for the 24 h after a random moment, over tandem's " +
        'uncached presenceAt + 24 h predict (medians; above 1: tandem is faster)',
      unit: 'ratio',
      value: ratio(measured.peerRandom, measured.uncached),
      target: 1,
      goal: null,
      better: 'higher',
      detail: {
        ical_js_p50_ms: summarise(measured.peerRandom).p50,
        tandem_p50_ms: uncached.p50,
        ical_js_queries: measured.peerRandom.length,
      },
    },
  ];
}

/** One side's expansion: the occurrences of its last run and the time of every kept run. */
interface Expansion {
  occurrences: Occurrence[];
  ms: number[];
}

/**
 * tandem, ical.js alone and node-ical each parse the calendar text and list the occurrences in
 * the window, in turns. A quick run takes the first thirteen weeks instead of two years.
 */
function measureExpansions(text: string, quick: boolean): Figure[] {
  const window = { start: FIRST_DAY, end: FIRST_DAY + (quick ? 13 * WEEK : TWO_YEARS) };
  // Only the last run's occurrences are kept, so that earlier runs' do not weigh on the heap.
  const latest = new Map<string, Occurrence[]>();
  const side = (name: string, expand: () => Occurrence[]) => ({
    name,
    run: () => {
      const { ms, value } = timed(expand);
      latest.set(name, value);
      return ms;
    },
  });
  const runs = runInTurns(
    [
      side('tandem', () => expandWithTandem(text, window, TIME_ZONE)),
      side('ical.js', () => expandWithIcalJs(text, window)),
      side('node-ical', () => expandWithNodeIcal(text, window)),
    ],
    quick ? 3 : 6,
  );
  const expansion = (name: string): Expansion => ({
    occurrences: latest.get(name) ?? [],
    ms: runs.get(name) ?? [],
  });
  const tandem = expansion('tandem');
  const span = quick ? 'thirteen weeks' : 'two years';

  return [
    {
      id: 'calendar-expand-ms',
      description:
        `tandem's parse and expansion of the household calendar over ${span} ` +
        '(weekly series with excluded and moved dates, trips, yearly birthdays)',
      unit: 'ms',
      value: median(tandem.ms),
      target: Math.round(median(expansion('ical.js').ms)),
      goal: null,
      better: 'lower',
      detail: {
        occurrences: tandem.occurrences.length,
        runs: tandem.ms.map((ms) => ms.toFixed(0)).join(' / '),
      },
    },
    peerFigure('ical-js', 'ical.js alone', expansion('ical.js'), tandem, span),
    peerFigure('node-ical', 'node-ical', expansion('node-ical'), tandem, span),
  ];
}

function peerFigure(
  id: string,
  name: string,
  peer: Expansion,
  tandem: Expansion,
  span: string,
): Figure {
  const check = checkOccurrences(tandem.occurrences, peer.occurrences);
  return {
    id: `calendar-expand-${id}-over-tandem`,
    description:
      `${name}'s parse and expansion of the same calendar over ${span}, over tandem's ` +
      '(medians; above 1: tandem is faster)',
    unit: 'ratio',
    value: median(peer.ms) / median(tandem.ms),
    target: 1,
    goal: null,
    better: 'higher',
    detail: {
      peer_ms: Math.round(median(peer.ms)),
      occurrences: peer.occurrences.length,
      tandem_occurrences: tandem.occurrences.length,
      same_start: check.sameStart,
      timed_missing: check.timedMissing,
    },
  };
}

/** A day of "now?" and "next hour?" once a minute, with the hourly background refreshes. */
async function measureHitRate(file: string, residents: number): Promise<number> {
  const presence = new CalendarPresence({
    sources: [new IcsFileSource(file, { timeZone: TIME_ZONE })],
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
    target: 90,
    goal: 99,
    better: 'higher',
    detail: { [`${SERIES}_series_calendar`]: percent(await measureHitRate(dense, 1)) },
  };
}

export const scenarios: Scenario[] = [
  {
    id: 'calendar-presence',
    description:
      `presence queries and expansion of a household calendar of ${SERIES} weekly series, ` +
      'trips and birthdays across two years, beside ical.js alone and node-ical',
    async run({ quick, workDir }): Promise<Figure[]> {
      const file = join(workDir, 'household.ics');
      writeCalendar(file);
      return [
        ...(await measureLatency(file, quick)),
        ...measureExpansions(readFileSync(file, 'utf8'), quick),
        await measureHitRates(file, workDir),
      ];
    },
  },
];
