import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
  isHouseholdRelation,
} from '../src/correlation/index.js';
import type { PresenceCorrelation, Relation } from '../src/correlation/index.js';
import {
  computeHomeView,
  computeInsights,
  computePresencePattern,
  computeRelationPattern,
} from '../src/insight/index.js';
import type { HomeView, Pattern } from '../src/insight/index.js';
import { explainCoActivity, explainPresence, explainSequence } from '../src/insight/explain.js';
import { computePresenceFinding } from '../src/insight/presence-finding.js';
import {
  computeCoActivityFinding,
  computeSequentialFinding,
  wordsFor,
} from '../src/insight/relation-finding.js';
import { readRecorder, readRegistries } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, median, percentile } from './harness.js';
import { benchHome } from './homes.js';

/** Timed runs over every relation and presence driver, after a warm-up run. */
const RUNS = { quick: 3, full: 10 };

/** What the insight pass is given: the engine's relations and presence drivers, computed once. */
interface Inputs {
  view: HomeView;
  judged: Relation[];
  drivers: PresenceCorrelation[];
}

/** One relation or presence driver, as each figure's step takes it. */
interface Item {
  kind: 'relation' | 'driver';
  pattern: () => unknown;
  explain: () => unknown;
  finding: () => unknown;
}

function itemsOf({ view, judged, drivers }: Inputs, relations: readonly Relation[]): Item[] {
  const none = new Set<string>();
  const relationItems = judged.map((relation): Item => {
    const pattern = computeRelationPattern(view, relation);
    return {
      kind: 'relation',
      pattern: () => computeRelationPattern(view, relation),
      explain: () => explainRelation(view, relation, pattern),
      finding: () =>
        relation.kind === 'sequential'
          ? computeSequentialFinding(view, relation)
          : computeCoActivityFinding(view, relation),
    };
  });
  const driverItems = drivers.flatMap((found): Item[] => {
    const pattern = computePresencePattern(view, found, relations);
    if (pattern === null) {
      return [];
    }

    const device = wordsFor(view, pattern.response);
    return [
      {
        kind: 'driver',
        pattern: () => computePresencePattern(view, found, relations),
        explain: () => explainPresence(device, found),
        finding: () => computePresenceFinding(view, found, relations, none),
      },
    ];
  });
  return [...relationItems, ...driverItems];
}

/** The words of a relation's pattern, from the numbers typing found: what explain.ts is given. */
function explainRelation(view: HomeView, relation: Relation, pattern: Pattern): unknown {
  const a = wordsFor(view, relation.a);
  const b = wordsFor(view, relation.b);
  if (relation.kind === 'co_activity') {
    return explainCoActivity(a, b, relation);
  }

  if (pattern.evidence === null) {
    throw new Error(`the pattern of ${pattern.key} carries no evidence to explain`);
  }

  return explainSequence(a, b, pattern.evidence, pattern.conditions, relation.expected);
}

/** The time one call takes, in ms, on the nanosecond clock. */
function timeCall(call: () => unknown): number {
  const started = process.hrtime.bigint();
  call();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** What one pair of `hrtime` readings costs, in µs: the floor of every per-call sample. */
function timerCost(): number {
  return median(Array.from({ length: 10_000 }, () => timeCall(() => undefined))) * 1000;
}

/** One step's time on each item, every run, in ms. */
interface StepSamples {
  kinds: Item['kind'][];
  /** Per item, the time of each run. */
  runs: number[][];
}

/**
 * One step over every item: a full collection, a warm-up run, then `runs` runs. Not a collection
 * before every run: the runs right after a forced full collection are slower while the calls do
 * the same work (V8 discards optimised code whose hidden classes the collection freed, among
 * other after-effects; see docs/performance.md), and each item's median below absorbs the odd
 * collection that falls inside a run.
 */
function sampleStep(items: readonly Item[], step: keyof Omit<Item, 'kind'>, runs: number) {
  const samples: StepSamples = { kinds: items.map((item) => item.kind), runs: items.map(() => []) };
  collectGarbage();
  for (let run = 0; run <= runs; run++) {
    items.forEach((item, i) => {
      const ms = timeCall(item[step]);
      if (run > 0) {
        samples.runs[i]?.push(ms);
      }
    });
  }

  return samples;
}

/**
 * Percentiles over the items of each item's median run, for the items of `kind` or all. A call
 * that the scheduler interrupts takes milliseconds longer (4 or 8 ms on the bench machine); on a
 * shared machine that is about one call in a hundred, so the p99 of all calls measures the
 * machine, while each item's median does not.
 */
function perItem(samples: StepSamples, kind?: Item['kind']): Record<'p50' | 'p95' | 'p99', number> {
  const medians = samples.runs.filter((_, i) => kind === undefined || samples.kinds[i] === kind);
  return percentiles(medians.map(median));
}

function percentiles(samples: readonly number[]): Record<'p50' | 'p95' | 'p99', number> {
  const sorted = Float64Array.from(samples).sort();
  const round = (ms: number) => Number(ms.toPrecision(3));
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
}

/** The p99 of every call of every run, interruptions included. */
function pooledP99(samples: StepSamples): number {
  return percentiles(samples.runs.flat()).p99;
}

/**
 * Over a home whose relations and presence drivers are computed once, outside the timing: each
 * relation (confidence 0.5 or more, not the household's own) and presence driver typed into a
 * pattern, then put into words, one at a time; then the whole pass (patterns, ranking,
 * automations, YAML and backtests).
 */
function measure(entities: number, days: number, runs: number): Figure[] {
  const home = benchHome(entities, days);
  const truth = JSON.parse(readFileSync(join(home.dir, 'truth.json'), 'utf8')) as {
    time_zone: string;
  };
  const history = readRecorder(home.recorder, { registries: readRegistries(home.configDir) });
  const context = computeAnalysisContext(history, truth.time_zone);
  const relations = computeCorrelations(history, context);
  const drivers = computePresenceDrivers(history, context, relations);
  const inputs: Inputs = {
    view: computeHomeView(history, context),
    judged: relations.filter((r) => r.confidence >= 0.5 && !isHouseholdRelation(r)),
    drivers,
  };
  const items = itemsOf(inputs, relations);
  const counts = {
    relations: items.filter((item) => item.kind === 'relation').length,
    drivers: items.filter((item) => item.kind === 'driver').length,
  };

  const typing = sampleStep(items, 'pattern', runs);
  const words = sampleStep(items, 'explain', runs);
  const findings = sampleStep(items, 'finding', runs);
  const typed = perItem(typing);
  const explained = perItem(words);
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

  const wholeMs: number[] = [];
  let suggestions = 0;
  for (let run = 0; run <= runs; run++) {
    collectGarbage();
    const started = performance.now();
    suggestions = computeInsights(history, context, relations, drivers).suggestions.length;
    if (run > 0) {
      wholeMs.push(performance.now() - started);
    }
  }

  const size = `${entities} entities × ${days} days`;
  const per = `${counts.relations} relations and ${counts.drivers} presence drivers`;
  return [
    {
      id: `insight.pattern_ms.${entities}x${days}`,
      description:
        `pattern detection per relation: typed into a pattern (conditions, counts, types; its ` +
        `words included), ${per}, ${size}`,
      unit: 'ms',
      value: typed.p99,
      target: 100,
      goal: 0.2,
      better: 'lower',
      detail: {
        ...typed,
        ...counts,
        relation_p99: perItem(typing, 'relation').p99,
        driver_p99: perItem(typing, 'driver').p99,
        with_rule_replay_p99: perItem(findings).p99,
        calls_p99: pooledP99(typing),
        runs,
        load,
      },
    },
    {
      id: `insight.explanation_ms.${entities}x${days}`,
      description: `explanation per relation: a typed pattern put into words with its numbers, ${per}, ${size}`,
      unit: 'ms',
      value: explained.p99,
      target: 100,
      goal: 0.2,
      better: 'lower',
      detail: {
        ...explained,
        ...counts,
        calls_p99: pooledP99(words),
        timer_us: Number(timerCost().toPrecision(2)),
        runs,
        load,
      },
    },
    {
      id: `insight.whole_pass_ms.${entities}x${days}`,
      description: `whole insight pass (patterns, ranking, automations, YAML, backtests), ${size}`,
      unit: 'ms',
      value: median(wholeMs),
      target: 100 * counts.relations,
      goal: 0.2 * counts.relations + 50,
      better: 'lower',
      detail: { relations: counts.relations, suggestions, runs },
    },
  ];
}

export const scenarios: Scenario[] = [
  {
    id: 'insight',
    description: 'typing, explaining, ranking and backtesting what the engine found',
    run: ({ quick }) =>
      Promise.resolve(quick ? measure(100, 7, RUNS.quick) : measure(100, 28, RUNS.full)),
  },
];
