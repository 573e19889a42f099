import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
  isHouseholdRelation,
} from '../src/correlation/index.js';
import { computeHomeView, computeInsights, computeRelationPattern } from '../src/insight/index.js';
import { readRecorder, readRegistries } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, median, percentile } from './harness.js';
import { benchHome } from './homes.js';

const RUNS = 10;

/**
 * The insight pass over a home whose relations and presence drivers are computed once, outside
 * the timing: each relation typed and explained on its own, then the whole pass (patterns,
 * ranking, automations, YAML and backtests).
 */
function measure(entities: number, days: number): Figure[] {
  const home = benchHome(entities, days);
  const truth = JSON.parse(readFileSync(join(home.dir, 'truth.json'), 'utf8')) as {
    time_zone: string;
  };
  const history = readRecorder(home.recorder, { registries: readRegistries(home.configDir) });
  const context = computeAnalysisContext(history, truth.time_zone);
  const relations = computeCorrelations(history, context);
  const drivers = computePresenceDrivers(history, context, relations);
  const judged = relations.filter((r) => r.confidence >= 0.5 && !isHouseholdRelation(r));
  const view = computeHomeView(history, context);

  const perRelation: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const relation of judged) {
      const started = performance.now();
      computeRelationPattern(view, relation);
      perRelation.push(performance.now() - started);
    }
  }

  const wholeMs: number[] = [];
  let suggestions = 0;
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    const started = performance.now();
    suggestions = computeInsights(history, context, relations, drivers).suggestions.length;
    wholeMs.push(performance.now() - started);
  }

  const sorted = Float64Array.from(perRelation).sort();
  const size = `${entities} entities × ${days} days`;
  return [
    {
      id: `insight.per_relation_ms.${entities}x${days}`,
      description:
        `pattern typing + explanation per relation (${judged.length} relations), ` + size,
      unit: 'ms',
      value: percentile(sorted, 99),
      target: 100,
      goal: 0.2,
      better: 'lower',
      detail: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), runs: RUNS },
    },
    {
      id: `insight.whole_pass_ms.${entities}x${days}`,
      description: `whole insight pass (patterns, ranking, automations, YAML, backtests), ${size}`,
      unit: 'ms',
      value: median(wholeMs),
      target: 100 * judged.length,
      goal: 0.2 * judged.length + 50,
      better: 'lower',
      detail: { relations: judged.length, suggestions, runs: RUNS },
    },
  ];
}

export const scenarios: Scenario[] = [
  {
    id: 'insight',
    description: 'typing, explaining, ranking and backtesting what the engine found',
    run: () => Promise.resolve(measure(100, 28)),
  },
];
