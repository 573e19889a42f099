import { firstAtOrAfter, lastAtOrBefore } from '../timeline/index.js';
import type { Timeline } from '../timeline/index.js';
import type { Entries } from './_lib/entries.js';
import { lagToEntry } from './_lib/entries.js';
import type { Backtest } from './types.js';

export interface BacktestInput {
  /** When the automation's trigger fired and its conditions held, ascending. */
  fireTimes: readonly number[];
  /** The entity it sets, and where that entity entered the state it sets. */
  target: Timeline;
  targetCode: number | undefined;
  entries: Entries;
  /** How long after firing a manual change still counts as the same act. */
  windowMs: number;
}

/**
 * Replays an automation over the history it came from. A firing while the target already was in
 * the state the automation sets does nothing and is not counted. A firing matched when the person
 * set the same state by hand within the window, and was wrong otherwise. A manual change is
 * missed when no firing came shortly before it.
 */
export function computeBacktest(input: BacktestInput): Backtest {
  const { fireTimes, entries, windowMs } = input;
  const fired: number[] = [];
  let matched = 0;
  for (const time of fireTimes) {
    if (isAlreadySet(input, time)) {
      continue;
    }

    fired.push(time);
    matched += lagToEntry(entries, time, windowMs) >= 0 ? 1 : 0;
  }

  const manual = countManual(entries);
  const missed = manual - countAnswered(entries, fired, windowMs);
  return {
    fired: fired.length,
    matched,
    wrong: fired.length - matched,
    missed,
    precision: fired.length === 0 ? null : matched / fired.length,
    recall: manual === 0 ? null : (manual - missed) / manual,
  };
}

function isAlreadySet(input: BacktestInput, time: number): boolean {
  const { target } = input;
  if (time < target.since || input.targetCode === undefined) {
    return false;
  }

  const i = firstAtOrAfter(target.times, time) - 1;
  const state = i < 0 ? target.initial : target.states[i];
  return state === input.targetCode;
}

function countManual(entries: Entries): number {
  return entries.automated.reduce((sum, flag) => sum + (flag === 0 ? 1 : 0), 0);
}

/** Manual entries that a firing within the window before them would have made. */
function countAnswered(entries: Entries, fired: readonly number[], windowMs: number): number {
  let answered = 0;
  entries.times.forEach((time, i) => {
    if (entries.automated[i] === 1) {
      return;
    }

    const j = lastAtOrBefore(fired, time);
    if (j >= 0 && time - (fired[j] ?? 0) <= windowMs) {
      answered++;
    }
  });
  return answered;
}
