import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

import { IcsFileSource } from '../src/calendar/index.js';
import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
} from '../src/correlation/index.js';
import type { AnalysisContext, Relation } from '../src/correlation/index.js';
import { computeInsights } from '../src/insight/index.js';
import { CalendarPresence } from '../src/presence/index.js';
import { readRecorder, readRegistries } from '../src/sources/index.js';
import type { HomeHistory } from '../src/timeline/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage } from './harness.js';
import { benchHome } from './homes.js';

const MB = 2 ** 20;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** What the process holds after a full collection, in bytes. */
interface Held {
  /** `heapUsed + arrayBuffers`: JavaScript objects and the typed arrays' memory outside them. */
  bytes: number;
  v8UsedHeap: number;
  rss: number;
}

/**
 * After a full collection, and a second one once the event loop has turned: typed arrays' memory
 * is given back by a task after the collection that found them dead, so `arrayBuffers` read at
 * once still counts them.
 */
async function measureHeld(): Promise<Held> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 10));
  collectGarbage();
  const usage = process.memoryUsage();
  return {
    bytes: usage.heapUsed + usage.arrayBuffers,
    v8UsedHeap: getHeapStatistics().used_heap_size,
    rss: usage.rss,
  };
}

/** What the analysis starts from, read and computed before anything is measured. */
interface Inputs {
  history: HomeHistory;
  context: AnalysisContext;
  relations: Relation[];
  calendarFile: string;
  timeZone: string;
}

/**
 * The calendar presence service as `tandem serve` keeps it: the home's calendar read around the
 * home's last day, then asked "now?" and "the next hour?" once a minute through that day, which
 * fills its caches and refreshes it as its sources' TTL runs out.
 */
async function serveCalendar(inputs: Inputs): Promise<CalendarPresence> {
  const presence = new CalendarPresence({
    sources: [new IcsFileSource(inputs.calendarFile, { timeZone: inputs.timeZone })],
  });
  const { end } = inputs.history.window;
  await presence.refresh(end - DAY_MS);
  for (let now = end - DAY_MS; now < end; now += MINUTE_MS) {
    presence.presenceAt(now, now);
    presence.predict(now, HOUR_MS, now);
  }

  await presence.whenIdle();
  return presence;
}

/**
 * The advanced features one after the other, each result held: the presence-aware analysis, the
 * patterns, explanations and suggestions, and the calendar presence service. Returns what each
 * added to the memory held, and the results, so that they stay alive until measured.
 */
async function holdFeatures(inputs: Inputs) {
  const { history, context, relations } = inputs;
  const start = await measureHeld();
  const drivers = computePresenceDrivers(history, context, relations);
  const afterPresence = await measureHeld();
  const insights = computeInsights(history, context, relations, drivers);
  const afterInsights = await measureHeld();
  const calendar = await serveCalendar(inputs);
  const end = await measureHeld();
  return {
    start,
    end,
    bytes: {
      presence: afterPresence.bytes - start.bytes,
      insights: afterInsights.bytes - afterPresence.bytes,
      calendar: end.bytes - afterInsights.bytes,
    },
    held: { drivers, insights, calendar },
  };
}

/**
 * Heap growth of the advanced features over a home whose history and relations are already in
 * memory: `heapUsed + arrayBuffers` after a full collection, before and after, with the results
 * held (what the reference measured with tracemalloc around the same operations). A first, unheld
 * run compiles the code, so that only what the results hold is counted; then `copies` runs, every
 * result held until the end, and each figure is their growth divided by `copies`, so that the
 * collector's own few hundred kB of ups and downs weigh less.
 */
async function measure(entities: number, days: number, copies: number): Promise<Figure[]> {
  const home = benchHome(entities, days);
  const truth = JSON.parse(readFileSync(join(home.dir, 'truth.json'), 'utf8')) as {
    time_zone: string;
  };
  const history = readRecorder(home.recorder, { registries: readRegistries(home.configDir) });
  const context = computeAnalysisContext(history, truth.time_zone);
  const inputs: Inputs = {
    history,
    context,
    relations: computeCorrelations(history, context),
    calendarFile: join(home.dir, 'calendar.ics'),
    timeZone: truth.time_zone,
  };

  await holdFeatures(inputs);
  const runs: Awaited<ReturnType<typeof holdFeatures>>[] = [];
  for (let copy = 0; copy < copies; copy++) {
    runs.push(await holdFeatures(inputs));
  }

  const first = runs[0];
  const last = runs.at(-1);
  if (first === undefined || last === undefined) {
    throw new RangeError('the memory scenario needs at least one copy');
  }

  const mb = (bytes: number) => Number((bytes / copies / MB).toPrecision(3));
  const sum = (part: keyof typeof first.bytes) =>
    runs.reduce((total, run) => total + run.bytes[part], 0);
  const size = `${entities} entities × ${days} days`;
  return [
    {
      id: `memory.advanced_features_mb.${entities}x${days}`,
      description:
        'memory held by the presence-aware analysis, patterns, explanations and suggestions, ' +
        `and the calendar presence service: heap and typed arrays after a collection, ${size}`,
      unit: 'MB',
      value: (last.end.bytes - first.start.bytes) / copies / MB,
      target: 40,
      goal: null,
      better: 'lower',
      detail: {
        presence_mb: mb(sum('presence')),
        insights_mb: mb(sum('insights')),
        calendar_mb: mb(sum('calendar')),
        v8_used_heap_mb: mb(last.end.v8UsedHeap - first.start.v8UsedHeap),
        copies,
        rss_mb: Number((last.end.rss / MB).toPrecision(3)),
        rss_growth_mb: mb(last.end.rss - first.start.rss),
        relations: inputs.relations.length,
        drivers: last.held.drivers.length,
        suggestions: last.held.insights.suggestions.length,
      },
    },
  ];
}

export const scenarios: Scenario[] = [
  {
    id: 'memory',
    description: 'memory held by the advanced features (presence, insights, calendar service)',
    run: ({ quick }) => (quick ? measure(100, 7, 2) : measure(100, 30, 5)),
  },
];
