import { hasActivity, isActiveState } from '../home/index.js';
import { PRESENCE_HOME } from '../presence/observed.js';
import {
  activeStatePredicate,
  computeActivityBins,
  computeActivityIntervals,
  popcount,
} from '../timeline/index.js';
import type { HomeHistory } from '../timeline/index.js';
import type { AnalysisContext } from './context.js';
import { adjustFalseDiscovery, normalTail, supportFactor } from './significance.js';
import type { CoActivityRelation } from './types.js';

/**
 * Bins are 1/32 of an hour (112.5 s), so that one 32-bit word of a bitset is one hour of the
 * grid: the per-hour presence mask and the shift by whole local days are then word operations.
 */
const BINS_PER_HOUR = 32;
const BIN_MS = 3_600_000 / BINS_PER_HOUR;

export interface CoActivityOptions {
  /** Pairs with a raw phi below this are not judged further. */
  minPhi?: number;
  /** Whole days to shift B by, each way, for the time-of-day baseline. */
  shiftDays?: number;
  minConfidence?: number;
}

const DEFAULT_MIN_PHI = 0.1;
const DEFAULT_SHIFT_DAYS = 7;
const DEFAULT_MIN_CONFIDENCE = 0.2;
/**
 * The spread of the shifted phis is the yardstick for the observed one; below this it is too
 * small to trust, e.g. when every shift gives exactly 0.
 */
const MIN_SHIFT_SD = 0.02;
/**
 * How far phi must rise above the time-of-day baseline for full confidence. Two blinds that
 * both open in the morning can beat their shifted copies by 0.05 with a tiny p-value over a
 * month, but nobody watching them would call that "together".
 */
const CLEAR_EXCESS = 0.2;
/** Fewer shifted copies than this cannot tell the time of day apart from chance. */
const MIN_SHIFTS = 4;

/** One entity's activity as one bit per bin, one word per hour of the grid. */
interface ActivityBits {
  entity: number;
  words: Uint32Array;
  /** Hours that count and hold any activity: pairs are compared over these only. */
  activeWords: Uint32Array;
  /** Active bins over the hours that count. */
  count: number;
  /** Per day shift: active bins over the hours that count on both days, as the shifted
   * side's source (`asSource`) and as the hour it lands on (`asTarget`). */
  asSource: Float64Array;
  asTarget: Float64Array;
}

/** The hours that count, and per day shift the hours that count on both days. */
interface Hours {
  mask: Uint8Array;
  counted: number;
  shifts: Int32Array[];
  /** Per shift: how many hours count on both days. */
  shiftedCounted: Float64Array;
}

/**
 * Symmetric "on at the same time" between every two entities with an on/off meaning: phi over
 * time bins, judged against B shifted by whole days (the same time of day, other days), and,
 * when presence is known, only over hours when someone was home.
 */
export function computeCoActivity(
  history: HomeHistory,
  context: AnalysisContext,
  options: CoActivityOptions = {},
): CoActivityRelation[] {
  const hours = computeHours(context, options.shiftDays ?? DEFAULT_SHIFT_DAYS);
  const series = collectActivity(history, context, hours);
  const relations: Omit<CoActivityRelation, 'qValue' | 'confidence'>[] = [];

  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const a = series[i];
      const b = series[j];
      if (a === undefined || b === undefined) {
        continue;
      }

      const relation = judgePair(history, context, a, b, hours, options);
      if (relation !== undefined) {
        relations.push(relation);
      }
    }
  }

  const tests = (series.length * (series.length - 1)) / 2;
  const qValues = adjustFalseDiscovery(
    relations.map((relation) => relation.pValue),
    tests,
  );
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  return relations
    .map((relation, k) => {
      const qValue = qValues[k] ?? 1;
      const strength = Math.min(1, Math.max(0, relation.phi - relation.baselinePhi) / CLEAR_EXCESS);
      const confidence = (1 - qValue) * supportFactor(relation.days) * strength;
      return { ...relation, qValue, confidence };
    })
    .filter((relation) => relation.confidence >= minConfidence)
    .sort((x, y) => y.confidence - x.confidence || y.phi - x.phi);
}

function judgePair(
  history: HomeHistory,
  context: AnalysisContext,
  a: ActivityBits,
  b: ActivityBits,
  hours: Hours,
  options: CoActivityOptions,
): Omit<CoActivityRelation, 'qValue' | 'confidence'> | undefined {
  const [sparse, dense] = a.activeWords.length <= b.activeWords.length ? [a, b] : [b, a];
  const both = countBoth(sparse, dense.words, null, hours.mask);
  const total = hours.counted * BINS_PER_HOUR;
  const phi = computePhi({ both, countA: a.count, countB: b.count, total });
  if (!(phi >= (options.minPhi ?? DEFAULT_MIN_PHI))) {
    return undefined;
  }

  const shifted = hours.shifts
    .map((shift, k) =>
      computePhi({
        both: countBoth(a, b.words, shift, hours.mask),
        countA: a.asSource[k] ?? 0,
        countB: b.asTarget[k] ?? 0,
        total: (hours.shiftedCounted[k] ?? 0) * BINS_PER_HOUR,
      }),
    )
    .filter((value) => !Number.isNaN(value));
  if (shifted.length < MIN_SHIFTS) {
    return undefined;
  }

  const mean = shifted.reduce((sum, value) => sum + value, 0) / shifted.length;
  const variance = shifted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / shifted.length;
  const z = (phi - mean) / Math.max(Math.sqrt(variance), MIN_SHIFT_SD);
  const infoA = history.entities[a.entity];
  const infoB = history.entities[b.entity];
  if (infoA === undefined || infoB === undefined) {
    return undefined;
  }

  return {
    kind: 'co_activity',
    a: { entityId: infoA.entityId, state: describeActiveState(infoA.domain) },
    b: { entityId: infoB.entityId, state: describeActiveState(infoB.domain) },
    phi,
    baselinePhi: mean,
    support: both,
    days: countSharedDays(sparse, dense.words, context),
    pValue: normalTail(z),
  };
}

/** The state reported for the active side: the domain's first active state. */
function describeActiveState(domain: string): string {
  for (const state of ['on', 'open', 'unlocked', 'playing', 'cleaning', 'home', 'heat']) {
    if (isActiveState(domain, state) === true) {
      return state;
    }
  }

  return 'active';
}

interface Overlap {
  both: number;
  countA: number;
  countB: number;
  total: number;
}

function computePhi({ both, countA, countB, total }: Overlap): number {
  const denominator = Math.sqrt(countA * countB * (total - countA) * (total - countB));
  return denominator > 0 ? (total * both - countA * countB) / denominator : Number.NaN;
}

/**
 * Bins active in both, over `a`'s active hours: against `words` at the same hour, or `shift`
 * days away at the same local hour, counting only hours that count on both days.
 */
function countBoth(
  a: ActivityBits,
  words: Uint32Array,
  shift: Int32Array | null,
  mask: Uint8Array,
): number {
  let both = 0;
  for (const h of a.activeWords) {
    const target = shift === null ? h : (shift[h] ?? -1);
    if (target >= 0 && mask[target] === 1) {
      both += popcount((a.words[h] ?? 0) & (words[target] ?? 0));
    }
  }

  return both;
}

function computeHours(context: AnalysisContext, shiftDays: number): Hours {
  const mask = homeMask(context);
  const shifts = computeDayShifts(context, shiftDays);
  const shiftedCounted = Float64Array.from(shifts, (shift) => {
    let counted = 0;
    for (let h = 0; h < mask.length; h++) {
      const target = shift[h] ?? -1;
      counted += mask[h] === 1 && target >= 0 && mask[target] === 1 ? 1 : 0;
    }

    return counted;
  });
  return { mask, counted: mask.reduce((sum, bit) => sum + bit, 0), shifts, shiftedCounted };
}

/** An entity's active bins over the hours that count, as a whole and per day shift. */
function countActive(words: Uint32Array, hours: Hours) {
  let count = 0;
  const asSource = new Float64Array(hours.shifts.length);
  const asTarget = new Float64Array(hours.shifts.length);
  for (let h = 0; h < words.length; h++) {
    const bits = popcount(words[h] ?? 0);
    if (bits === 0 || hours.mask[h] !== 1) {
      continue;
    }

    count += bits;
    hours.shifts.forEach((shift, k) => {
      const target = shift[h] ?? -1;
      if (target >= 0 && hours.mask[target] === 1) {
        asSource[k] = (asSource[k] ?? 0) + bits;
      }
    });
  }

  // As the shifted side, an hour counts when the hour it was moved from counts too.
  hours.shifts.forEach((shift, k) => {
    for (let h = 0; h < shift.length; h++) {
      const target = shift[h] ?? -1;
      if (target >= 0 && hours.mask[h] === 1 && hours.mask[target] === 1) {
        asTarget[k] = (asTarget[k] ?? 0) + popcount(words[target] ?? 0);
      }
    }
  });
  return { count, asSource, asTarget };
}

/** Per hour of the grid, 1 when the hour counts: when someone was home, if that is known. */
function homeMask(context: AnalysisContext): Uint8Array {
  const hours = context.grid.hourOfWeek.length;
  const mask = new Uint8Array(hours).fill(1);
  if (context.presence !== undefined) {
    for (let h = 0; h < hours; h++) {
      mask[h] = context.presence[h] === PRESENCE_HOME ? 1 : 0;
    }
  }

  return mask;
}

function collectActivity(
  history: HomeHistory,
  context: AnalysisContext,
  counted: Hours,
): ActivityBits[] {
  const { mask } = counted;
  const hours = context.grid.hourOfWeek.length;
  const series: ActivityBits[] = [];
  for (const [entity, timeline] of history.timelines.entries()) {
    const info = history.entities[entity];
    if (info === undefined || !hasActivity(info.domain) || timeline.length === 0) {
      continue;
    }

    const intervals = computeActivityIntervals(
      timeline,
      activeStatePredicate(info.domain, history.states),
    );
    // With 32 bins an hour, the bitset's words are the hours of the grid.
    const { words } = computeActivityBins(intervals, context.grid.window, BIN_MS);

    const activeWords: number[] = [];
    for (let h = 0; h < hours; h++) {
      if (mask[h] === 1 && words[h] !== 0) {
        activeWords.push(h);
      }
    }

    if (activeWords.length > 0) {
      series.push({
        entity,
        words,
        activeWords: Uint32Array.from(activeWords),
        ...countActive(words, counted),
      });
    }
  }

  return series;
}

/**
 * For each shift of whole local days, the hour of the grid that lies `k` days after each hour
 * at the same local hour of day (-1 where there is none), so that a shift stays on the wall
 * clock across daylight-saving changes.
 */
function computeDayShifts(context: AnalysisContext, shiftDays: number): Int32Array[] {
  const { day, hourOfWeek } = context.grid;
  const byDayHour = new Map<number, number>();
  for (let h = 0; h < day.length; h++) {
    byDayHour.set((day[h] ?? 0) * 24 + ((hourOfWeek[h] ?? 0) % 24), h);
  }

  const shifts: Int32Array[] = [];
  for (let k = -shiftDays; k <= shiftDays; k++) {
    if (k === 0) {
      continue;
    }

    const map = new Int32Array(day.length);
    for (let h = 0; h < day.length; h++) {
      const key = ((day[h] ?? 0) + k) * 24 + ((hourOfWeek[h] ?? 0) % 24);
      map[h] = byDayHour.get(key) ?? -1;
    }

    shifts.push(map);
  }

  return shifts;
}

/** Local days on which both were active together, over the hours that count. */
function countSharedDays(a: ActivityBits, words: Uint32Array, context: AnalysisContext): number {
  const days = new Set<number>();
  for (const h of a.activeWords) {
    if (((a.words[h] ?? 0) & (words[h] ?? 0)) !== 0) {
      days.add(context.grid.day[h] ?? -1);
    }
  }

  return days.size;
}
