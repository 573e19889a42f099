import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
} from '../src/correlation/index.js';
import { readRecorder } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, median, percentile } from './harness.js';
import { benchHome } from './homes.js';

const RUNS = 30;

/**
 * The presence-aware analysis alone: given a home's history, its presence and its relations
 * (computed once, outside the timing), how long deciding what drives each device takes.
 */
function measure(entities: number, days: number): Figure[] {
  const home = benchHome(entities, days);
  const truth = JSON.parse(readFileSync(join(home.dir, 'truth.json'), 'utf8')) as {
    time_zone: string;
  };
  const history = readRecorder(home.recorder);
  const context = computeAnalysisContext(history, truth.time_zone);
  const relations = computeCorrelations(history, context);
  let analysed = 0;

  const wholeMs: number[] = [];
  computePresenceDrivers(history, context, relations);
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    const started = performance.now();
    analysed = computePresenceDrivers(history, context, relations).length;
    wholeMs.push(performance.now() - started);
  }

  const perEntity = Float64Array.from(wholeMs, (ms) => ms / Math.max(analysed, 1)).sort();
  const size = `${entities} entities × ${days} days`;
  return [
    {
      id: `presence.per_entity_ms.${entities}x${days}`,
      description:
        `presence-aware analysis per entity (whole-home run ÷ ${analysed} entities), ` + size,
      unit: 'ms',
      value: percentile(perEntity, 99),
      target: 50,
      goal: 1,
      better: 'lower',
      detail: { p50: percentile(perEntity, 50), p95: percentile(perEntity, 95), runs: RUNS },
    },
    {
      id: `presence.whole_home_ms.${entities}x${days}`,
      description: `presence-aware analysis of every entity with an on/off meaning, ${size}`,
      unit: 'ms',
      value: median(wholeMs),
      target: 50 * analysed,
      goal: analysed,
      better: 'lower',
      detail: { entities: analysed, runs: RUNS },
    },
  ];
}

export const scenarios: Scenario[] = [
  {
    id: 'presence',
    description: 'deciding which devices presence drives',
    run: ({ quick }) =>
      Promise.resolve(quick ? measure(100, 7) : [...measure(100, 7), ...measure(1000, 30)]),
  },
];
