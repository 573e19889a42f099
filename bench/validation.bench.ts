import { join } from 'node:path';

import { computeAbsenceScores, computeSensorPresence } from '../src/presence/index.js';
import { readHaCsv, readKasteren, readOrdonez } from '../src/sources/index.js';
import { activeStatePredicate, computeActivityIntervals } from '../src/timeline/index.js';
import type { DataSetHistory } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';

const DATA = join(import.meta.dirname, '../../shared/data');
const ADL = join(DATA, 'adl');
const ROBMARKCOLE = join(DATA, 'home-assistant/robmarkcole/sensors_binary.csv');

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

/**
 * robmarkcole's export has no labels: what can be measured is that no absence inferred from
 * the armed camera system overlaps motion seen by the indoor sensors it was judged against.
 */
function checkArmingHome(): Figure {
  const home = readHaCsv(ROBMARKCOLE);
  const started = performance.now();
  const presence = computeSensorPresence(home, { timeZone: home.timeZone });
  const ms = performance.now() - started;
  const isOn = activeStatePredicate('binary_sensor', home.states);
  const motion = (presence.arming?.indoorSensors ?? []).flatMap((entityId) => {
    const timeline = home.timelines[home.entities.findIndex((e) => e.entityId === entityId)];
    const spans = timeline === undefined ? undefined : computeActivityIntervals(timeline, isOn);
    return [...(spans?.starts ?? [])].map((start, k) => ({ start, end: spans?.ends[k] ?? 0 }));
  });
  const seen = presence.away.filter((away) =>
    motion.some((span) => span.start < away.end && away.start < span.end),
  );
  const hours = (spans: readonly { start: number; end: number }[]) =>
    Math.round(spans.reduce((sum, span) => sum + span.end - span.start, 0) / 360_000) / 10;
  return {
    id: 'validation-robmarkcole-absences-with-motion',
    description: 'robmarkcole: absences from the armed camera system that overlap indoor motion',
    unit: 'count',
    value: seen.length,
    target: 0,
    goal: null,
    better: 'lower',
    detail: {
      absences: presence.away.length,
      away_h: hours(presence.away),
      armed_h: hours(presence.arming?.armed ?? []),
      infer_ms: Math.round(ms),
    },
  };
}

export const scenarios: Scenario[] = [
  {
    id: 'validation',
    description:
      'presence inferred from door and indoor sensors against labelled absences, and from an ' +
      'armed camera system on a real home',
    run: () =>
      Promise.resolve([
        ...HOMES.flatMap((home) => scoreHome(home.id, home.read(), home.label)),
        checkArmingHome(),
      ]),
  },
];
