import type { Timeline } from '../timeline/index.js';
import type { Entries } from './_lib/entries.js';
import { lagsToEntries } from './_lib/entries.js';
import {
  createSearchCursor,
  firstAtOrAfterFrom,
  lastAtOrBeforeFrom,
} from './_lib/search-cursor.js';
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
  const alreadySet = isAlreadySetEach(input);
  const lags = lagsToEntries(entries, fireTimes, windowMs);
  const fired: number[] = [];
  let matched = 0;
  for (let i = 0; i < fireTimes.length; i++) {
    if (alreadySet[i] === 1) {
      continue;
    }

    fired.push(fireTimes[i] ?? 0);
    matched += (lags[i] ?? -1) >= 0 ? 1 : 0;
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

/** Per firing, 1 when the target was already in the state the rule sets just before it. */
function isAlreadySetEach(input: BacktestInput): Uint8Array {
  const { target, targetCode, fireTimes } = input;
  const flags = new Uint8Array(fireTimes.length);
  if (targetCode === undefined) {
    return flags;
  }

  const cursor = createSearchCursor(target.times);
  for (let i = 0; i < fireTimes.length; i++) {
    const time = fireTimes[i] ?? 0;
    const before = firstAtOrAfterFrom(cursor, time) - 1;
    const state = before < 0 ? target.initial : target.states[before];
    flags[i] = time >= target.since && state === targetCode ? 1 : 0;
  }

  return flags;
}

function countManual(entries: Entries): number {
  return entries.automated.reduce((sum, flag) => sum + (flag === 0 ? 1 : 0), 0);
}

/** Manual entries that a firing within the window before them would have made. */
function countAnswered(entries: Entries, fired: readonly number[], windowMs: number): number {
  const cursor = createSearchCursor(fired);
  let answered = 0;
  for (let i = 0; i < entries.times.length; i++) {
    const time = entries.times[i] ?? 0;
    const j = lastAtOrBeforeFrom(cursor, time);
    if (entries.automated[i] === 0 && j >= 0 && time - (fired[j] ?? 0) <= windowMs) {
      answered++;
    }
  }

  return answered;
}
