import { domainOf, isDrivenFromOutside, isEntityId } from '../home/index.js';
import { PRESENCE_UNKNOWN } from '../presence/observed.js';
import { firstAtOrAfter } from '../timeline/index.js';
import type { StreamBaseline } from './baseline.js';
import { computeBaselines, expectedFollowers } from './baseline.js';
import type { AnalysisContext } from './context.js';
import { presenceAt } from './context.js';
import type { EventStream } from './event-streams.js';
import { BUCKETS, LAG_EDGES_S, LagCounts, MAX_LAG_MS, mergeEvents, scanLags } from './lag-scan.js';
import { adjustFalseDiscovery, logPoissonTail, supportFactor } from './significance.js';
import type { SequentialRelation } from './types.js';

export interface SequentialOptions {
  /** A stream with fewer events than this is too rare to relate to anything. */
  minEvents?: number;
  /** Pairs seen fewer times than this are not evaluated. */
  minSupport?: number;
  /** Relations below this confidence are left out of the result. */
  minConfidence?: number;
  /** Whole days to shift A's events by, each way, for the same-time-on-other-days baseline. */
  shiftDays?: number;
}

/**
 * Where judged pairs are kept between two queries of a stream that grows: `undefined` means
 * not known, `null` means the pair was judged and is no relation.
 */
export interface PairVerdicts {
  get(a: number, b: number): MeasuredPair | null | undefined;
  set(a: number, b: number, verdict: MeasuredPair | null): void;
}

const DEFAULT_MIN_EVENTS = 5;
const DEFAULT_MIN_SUPPORT = 3;
const DEFAULT_MIN_CONFIDENCE = 0.2;
const DEFAULT_SHIFT_DAYS = 7;
/** Pairs whose first test is weaker than this cannot survive the false-discovery adjustment. */
const LOG_SCREEN_P = Math.log(1e-3);
/** Fewer shifted trials than this say nothing about the same time on other days. */
const MIN_SHIFT_TRIALS = 10;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface Candidate {
  a: number;
  b: number;
  windowMs: number;
  expectedBySlot: number;
}

/**
 * Ordered, lagged relations between streams, judged against each response's own behaviour at
 * the same hour of the week and presence state, and at the same time on other days.
 * See docs/correlation.md for the method.
 */
export function computeSequentialRelations(
  streams: readonly EventStream[],
  context: AnalysisContext,
  options: SequentialOptions = {},
): SequentialRelation[] {
  // Streams too rare to judge cannot take part in a relation, so the scan need not see them.
  const minEvents = options.minEvents ?? DEFAULT_MIN_EVENTS;
  const eligible = streams.filter((stream) => stream.times.length >= minEvents);
  return judgeSequential(eligible, countLags(eligible), context, options);
}

/** The lag counts of every pair of streams, in one pass over all their events. */
export function countLags(streams: readonly EventStream[]): LagCounts {
  const counts = new LagCounts(streams.length);
  const entityOfStream = Int32Array.from(streams.map((stream) => stream.entity));
  scanLags(mergeEvents(streams), entityOfStream, counts);
  return counts;
}

/**
 * The verdict on every pair that met, from their lag counts: shared by the batch computation
 * and the streaming one, which keeps its counts up to date event by event and hands in the
 * verdicts it still trusts.
 */
export function judgeSequential(
  streams: readonly EventStream[],
  counts: LagCounts,
  context: AnalysisContext,
  options: SequentialOptions = {},
  verdicts?: PairVerdicts,
): SequentialRelation[] {
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  const minEvents = options.minEvents ?? DEFAULT_MIN_EVENTS;
  const eligible = streams.map((stream) => stream.times.length >= minEvents);
  const canRespond = streams.map(canRespondTo);
  const baselines = computeBaselines(streams, context);
  const shifted = new ShiftedTimes(streams, context, options.shiftDays ?? DEFAULT_SHIFT_DAYS);
  const measured: MeasuredPair[] = [];

  counts.forEach((a, b, buckets) => {
    if (eligible[a] !== true || eligible[b] !== true || canRespond[b] !== true) {
      return;
    }

    let verdict = verdicts?.get(a, b);
    if (verdict === undefined) {
      const candidate = screenPair(a, b, buckets, baselines, minSupport);
      verdict = candidate === undefined ? null : measurePair(streams, candidate, shifted);
      verdicts?.set(a, b, verdict);
    }

    if (verdict !== null) {
      measured.push(verdict);
    }
  });

  const tested = streams.flatMap((stream, i) =>
    eligible[i] === true ? [{ entity: stream.entity, responds: canRespond[i] === true }] : [],
  );
  const qValues = adjustFalseDiscovery(
    measured.map((relation) => relation.pValue),
    countTestedPairs(tested),
  );

  return measured
    .map((relation, i) => withConfidence(relation, qValues[i] ?? 1))
    .filter((relation) => relation.confidence >= (options.minConfidence ?? DEFAULT_MIN_CONFIDENCE))
    .sort(
      (x, y) =>
        y.confidence - x.confidence ||
        y.support - x.support ||
        x.a.entityId.localeCompare(y.a.entityId) ||
        x.b.entityId.localeCompare(y.b.entityId) ||
        x.a.state.localeCompare(y.a.state) ||
        x.b.state.localeCompare(y.b.state),
    );
}

/**
 * Picks the window where B's lags after A bunch up most against what B's own rate would give,
 * and keeps the pair if, in that window, A is followed by B far more often than B's rate at
 * those hours explains.
 */
function screenPair(
  a: number,
  b: number,
  buckets: Uint32Array,
  baselines: readonly StreamBaseline[],
  minSupport: number,
): Candidate | undefined {
  let total = 0;
  for (const count of buckets) {
    total += count;
  }

  const baseA = baselines[a];
  const baseB = baselines[b];
  if (total < minSupport || baseA === undefined || baseB === undefined) {
    return undefined;
  }

  const windowMs = chooseWindow(buckets, total, baseB.lagShares);
  const support = cumulative(buckets, windowMs);
  if (support < minSupport) {
    return undefined;
  }

  const expectedBySlot = expectedFollowers(baseA, baseB, windowMs);
  if (chernoffBound(support, expectedBySlot) > LOG_SCREEN_P) {
    return undefined;
  }

  if (logPoissonTail(support, expectedBySlot) + Math.log(BUCKETS) > LOG_SCREEN_P) {
    return undefined;
  }

  return { a, b, windowMs, expectedBySlot };
}

/**
 * The bucket edge at which the observed lags most exceed the lags of a memoryless B with its
 * mean rate, by Poisson log-likelihood ratio: tight clusters (a second) and slow ones (ten
 * minutes) each get their own window.
 */
function chooseWindow(buckets: Uint32Array, total: number, shares: Float64Array): number {
  let best = MAX_LAG_MS;
  let bestScore = 0;
  let observed = 0;
  for (let k = 0; k < BUCKETS; k++) {
    observed += buckets[k] ?? 0;
    const windowMs = (LAG_EDGES_S[k] ?? 0) * 1000;
    const expected = total * (shares[k] ?? 1);
    const score =
      observed > expected ? observed * Math.log(observed / expected) - (observed - expected) : 0;
    if (score > bestScore) {
      bestScore = score;
      best = windowMs;
    }
  }

  return best;
}

/**
 * An upper bound on log P(X >= k) for X ~ Poisson(mean), cheap enough to turn most of a
 * million pairs away before the exact tail is summed.
 */
function chernoffBound(k: number, mean: number): number {
  return k <= mean ? 0 : k - mean - k * Math.log(k / mean) + Math.log(BUCKETS);
}

function cumulative(buckets: Uint32Array, windowMs: number): number {
  let sum = 0;
  for (let k = 0; k < BUCKETS && (LAG_EDGES_S[k] ?? 0) * 1000 <= windowMs; k++) {
    sum += buckets[k] ?? 0;
  }

  return sum;
}

/** A pair measured and tested, before the adjustment over all pairs. */
export type MeasuredPair = Omit<SequentialRelation, 'qValue' | 'confidence'>;

function measurePair(
  streams: readonly EventStream[],
  candidate: Candidate,
  shifted: ShiftedTimes,
): MeasuredPair {
  const a = streams[candidate.a];
  const b = streams[candidate.b];
  if (a === undefined || b === undefined) {
    throw new RangeError('candidate names a stream that does not exist');
  }

  const { windowMs } = candidate;
  const followers = findFollowers(a.times, b.times, windowMs);
  const support = followers.lags.length;
  const expectedByDayShift = shifted.expectFollowers(candidate.a, b.times, windowMs);
  const expected = Math.max(candidate.expectedBySlot, expectedByDayShift ?? 0);
  // An automation answered A when the change that triggered it is this very event of A.
  const automated = followers.responses.filter(
    (j, k) =>
      b.automated[j] === 1 &&
      b.parents[j] === a.entity &&
      b.parentTimes[j] === followers.triggers[k],
  ).length;
  const lags = Float64Array.from(followers.lags).sort();

  return {
    kind: 'sequential',
    a: { entityId: a.entityId, state: a.state },
    b: { entityId: b.entityId, state: b.state },
    support,
    triggers: a.times.length,
    responses: b.times.length,
    pFollows: support / a.times.length,
    pPrecedes: countPreceded(a.times, b.times, windowMs) / b.times.length,
    windowS: windowMs / 1000,
    lagS: { median: quantile(lags, 0.5) / 1000, p90: quantile(lags, 0.9) / 1000 },
    expected,
    expectedBySlot: candidate.expectedBySlot,
    expectedByDayShift,
    pValue: Math.min(1, Math.exp(logPoissonTail(support, expected)) * BUCKETS),
    automatedShare: support > 0 ? automated / support : 0,
    alreadyAutomated: support > 0 && automated / support >= 0.5,
  };
}

function withConfidence(relation: MeasuredPair, qValue: number): SequentialRelation {
  return { ...relation, qValue, confidence: (1 - qValue) * supportFactor(relation.support) };
}

/** For each of A's events, B's first event at the same moment or up to `windowMs` after. */
function findFollowers(aTimes: Float64Array, bTimes: Float64Array, windowMs: number) {
  const lags: number[] = [];
  const triggers: number[] = [];
  const responses: number[] = [];
  for (const t of aTimes) {
    const j = firstAtOrAfter(bTimes, t);
    const next = bTimes[j];
    if (next !== undefined && next - t <= windowMs) {
      lags.push(next - t);
      triggers.push(t);
      responses.push(j);
    }
  }

  return { lags, triggers, responses };
}

/** How many of B's events had one of A's at most `windowMs` before, or at the same moment. */
function countPreceded(aTimes: Float64Array, bTimes: Float64Array, windowMs: number): number {
  let preceded = 0;
  for (const t of bTimes) {
    const i = firstAtOrAfter(aTimes, t - windowMs);
    if (i < aTimes.length && (aTimes[i] ?? Infinity) <= t) {
      preceded++;
    }
  }

  return preceded;
}

/**
 * A's events moved to the same local time on other days, kept only where the household was in
 * the same presence state: what the time of day and being home give B by themselves. Built once
 * per trigger stream and shared by all its candidate responses.
 */
class ShiftedTimes {
  private readonly byStream = new Map<number, Float64Array>();

  constructor(
    private readonly streams: readonly EventStream[],
    private readonly context: AnalysisContext,
    private readonly shiftDays: number,
  ) {}

  /**
   * How many of A's events B would follow within `windowMs` at the shifted times, scaled to
   * A's number of events; `null` when the window holds too few other days.
   */
  expectFollowers(a: number, bTimes: Float64Array, windowMs: number): number | null {
    const times = this.timesOf(a);
    const last = this.context.grid.window.end - windowMs;
    let trials = 0;
    let hits = 0;
    let j = 0;
    for (const t of times) {
      if (t >= last) {
        break;
      }

      trials++;
      while (j < bTimes.length && (bTimes[j] ?? 0) < t) {
        j++;
      }

      if (j < bTimes.length && (bTimes[j] ?? 0) - t <= windowMs) {
        hits++;
      }
    }

    const count = this.streams[a]?.times.length ?? 0;
    return trials < MIN_SHIFT_TRIALS ? null : (count * hits) / trials;
  }

  private timesOf(a: number): Float64Array {
    let times = this.byStream.get(a);
    if (times === undefined) {
      times = this.shift(this.streams[a]?.times ?? new Float64Array(0));
      this.byStream.set(a, times);
    }

    return times;
  }

  private shift(source: Float64Array): Float64Array {
    const { context } = this;
    const shifted: number[] = [];
    for (const t of source) {
      const presence = presenceAt(context, t);
      for (let k = -this.shiftDays; k <= this.shiftDays; k++) {
        const moved = k === 0 ? NaN : shiftByLocalDays(context, t, k);
        if (!(moved >= context.grid.window.start)) {
          continue;
        }

        if (presence === PRESENCE_UNKNOWN || presenceAt(context, moved) === presence) {
          shifted.push(moved);
        }
      }
    }

    return Float64Array.from(shifted).sort();
  }
}

/** The same local wall-clock time `days` days later, across daylight-saving changes. */
function shiftByLocalDays(context: AnalysisContext, time: number, days: number): number {
  const { offsetMinutes, window } = context.grid;
  const shifted = time + days * DAY_MS;
  const before = offsetMinutes[Math.floor((time - window.start) / HOUR_MS)];
  const after = offsetMinutes[Math.floor((shifted - window.start) / HOUR_MS)];
  if (before === undefined || after === undefined) {
    return NaN;
  }

  return shifted - (after - before) * 60_000;
}

/**
 * The sun sets whatever a light does: a device's change never explains it. The household's own
 * streams (arrivals, departures) have no domain and can respond.
 */
function canRespondTo(stream: EventStream): boolean {
  const { entityId } = stream;
  return !isEntityId(entityId) || !isDrivenFromOutside(domainOf(entityId));
}

/**
 * Ordered pairs of streams of different entities whose second can respond: every pair tested.
 * Of the `responders` streams, each pairs with every other stream but its own entity's.
 */
function countTestedPairs(tested: readonly { entity: number; responds: boolean }[]): number {
  const streamsOf = new Map<number, { all: number; responders: number }>();
  let responders = 0;
  for (const { entity, responds } of tested) {
    const counts = streamsOf.get(entity) ?? { all: 0, responders: 0 };
    counts.all++;
    counts.responders += responds ? 1 : 0;
    responders += responds ? 1 : 0;
    streamsOf.set(entity, counts);
  }

  let sameEntity = 0;
  for (const counts of streamsOf.values()) {
    sameEntity += counts.responders * (counts.all - 1);
  }

  return responders * (tested.length - 1) - sameEntity;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) {
    return 0;
  }

  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const lowValue = sorted[low] ?? 0;
  const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - low);
}
