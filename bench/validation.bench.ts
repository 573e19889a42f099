import { join } from 'node:path';

import { computeAbsenceScores, computeSensorPresence } from '../src/presence/index.js';
import { readKasteren, readOrdonez } from '../src/sources/index.js';
import type { DataSetHistory } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';

const ADL = join(import.meta.dirname, '../../shared/data/adl');

/** The labelled homes and the label each uses for "out of the house". */
const HOMES = [
  {
    id: 'kasteren-a',
    read: () => readKasteren(join(ADL, 'kasteren-house-a')),
    label: 'leave house',
  },
  { id: 'ordonez-a', read: () => readOrdonez(join(ADL, 'ordonez-a')), label: 'Leaving' },
] as const;

function scoreHome(id: string, home: DataSetHistory, label: string): Figure[] {
  const started = performance.now();
  const presence = computeSensorPresence(home, { timeZone: home.timeZone });
  const ms = performance.now() - started;
  const labelled = home.labels.filter((interval) => interval.label === label);
  const scores = computeAbsenceScores(presence.away, labelled, home.window);
  const detail = {
    door: presence.door?.entityId ?? 'none',
    threshold_min: Math.round((presence.silenceThresholdMs ?? 0) / 6000) / 10,
    inferred: scores.inferred,
    labelled: scores.labelled,
    precision: Math.round(scores.precision * 1000) / 1000,
    infer_ms: Math.round(ms),
  };
  const figure = (name: string, description: string, value: number, target: number): Figure => ({
    id: `validation-${id}-${name}`,
    description,
    unit: 'ratio',
    value: Math.round(value * 1000) / 1000,
    target,
    goal: null,
    better: 'higher',
    detail,
  });
  return [
    figure(
      'agreement',
      `${id}: time-weighted agreement with labelled absences`,
      scores.agreement,
      0.9,
    ),
    figure('recall', `${id}: labelled absences found (half-overlap rule)`, scores.recall, 0.8),
  ];
}

export const scenarios: Scenario[] = [
  {
    id: 'validation',
    description: 'presence inferred from door and indoor sensors against labelled absences',
    run: () =>
      Promise.resolve(HOMES.flatMap((home) => scoreHome(home.id, home.read(), home.label))),
  },
];
