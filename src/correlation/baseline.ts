import type { AnalysisContext } from './context.js';
import { computeSlotHours, SLOT_COUNT, slotAt } from './context.js';
import type { EventStream } from './event-streams.js';
import { computeLagShares } from './lag-scan.js';

/**
 * How much an hour of the week's own count is trusted against the wider average, in hours of
 * exposure. With four weeks of history an hour of the week has four hours of exposure, so its
 * own count weighs two thirds; with a week, one third.
 */
const PRIOR_HOURS = 2;

const HOUR_MS = 3_600_000;
const HOURS_OF_DAY = 24;
const PRESENCE_STATES = 3;

/**
 * One stream's own rate of events per hour in every slot (hour of the week × presence), and the
 * slots its events fell in. The rate is what a stream does by itself at that time of week when
 * the household is in that state: the baseline that a relation has to beat.
 */
export interface StreamBaseline {
  /** Events per hour, per slot. */
  ratePerHour: Float64Array;
  /** Events per hour over the whole window. */
  meanRatePerHour: number;
  /** Per lag bucket, the share of first events a memoryless stream at that rate puts in it. */
  lagShares: Float64Array;
  /** Distinct slots the stream's events fell in, and how many fell in each. */
  eventSlots: Uint16Array;
  eventSlotCounts: Uint32Array;
  /** Per window length: the chance, per slot, that the stream fires within that window. */
  followChances: Map<number, Float64Array>;
}

export function computeBaselines(
  streams: readonly EventStream[],
  context: AnalysisContext,
): StreamBaseline[] {
  const slotHours = computeSlotHours(context);
  const totalHours = context.grid.hourOfWeek.length;
  return streams.map((stream) => computeBaseline(stream, context, slotHours, totalHours));
}

function computeBaseline(
  stream: EventStream,
  context: AnalysisContext,
  slotHours: Float64Array,
  totalHours: number,
): StreamBaseline {
  const counts = new Float64Array(SLOT_COUNT);
  for (const time of stream.times) {
    const slot = slotAt(context, time);
    counts[slot] = (counts[slot] ?? 0) + 1;
  }

  const meanRatePerHour = stream.times.length / Math.max(totalHours, 1);
  return {
    ratePerHour: shrinkRates(counts, slotHours, meanRatePerHour),
    meanRatePerHour,
    lagShares: computeLagShares(meanRatePerHour),
    ...sparseSlots(counts),
    followChances: new Map(),
  };
}

/**
 * Rates per slot, each pulled toward the rate at the same hour of any day (in the same presence
 * state), which is pulled toward the rate in that presence state at any time: a gamma–Poisson
 * estimate, so that an hour of the week seen four times does not swing from 0 to 1 per hour on
 * one event.
 */
function shrinkRates(counts: Float64Array, hours: Float64Array, mean: number): Float64Array {
  const byPresence = pool(counts, hours, (slot) => slot % PRESENCE_STATES, PRESENCE_STATES);
  const byHourOfDay = pool(
    counts,
    hours,
    (slot) => hourOfDayKey(slot),
    HOURS_OF_DAY * PRESENCE_STATES,
  );
  const presenceRate = byPresence.counts.map((c, p) => shrink(c, byPresence.hours[p] ?? 0, mean));
  const hourOfDayRate = byHourOfDay.counts.map((c, k) =>
    shrink(c, byHourOfDay.hours[k] ?? 0, presenceRate[k % PRESENCE_STATES] ?? mean),
  );

  return counts.map((c, slot) =>
    shrink(c, hours[slot] ?? 0, hourOfDayRate[hourOfDayKey(slot)] ?? mean),
  );
}

function hourOfDayKey(slot: number): number {
  const hourOfWeek = Math.floor(slot / PRESENCE_STATES);
  return (hourOfWeek % HOURS_OF_DAY) * PRESENCE_STATES + (slot % PRESENCE_STATES);
}

function shrink(count: number, hours: number, prior: number): number {
  return (count + PRIOR_HOURS * prior) / (hours + PRIOR_HOURS);
}

function pool(
  counts: Float64Array,
  hours: Float64Array,
  keyOf: (slot: number) => number,
  size: number,
): { counts: Float64Array; hours: Float64Array } {
  const pooled = { counts: new Float64Array(size), hours: new Float64Array(size) };
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const key = keyOf(slot);
    pooled.counts[key] = (pooled.counts[key] ?? 0) + (counts[slot] ?? 0);
    pooled.hours[key] = (pooled.hours[key] ?? 0) + (hours[slot] ?? 0);
  }

  return pooled;
}

function sparseSlots(counts: Float64Array): Pick<StreamBaseline, 'eventSlots' | 'eventSlotCounts'> {
  const slots: number[] = [];
  const slotCounts: number[] = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const count = counts[slot] ?? 0;
    if (count > 0) {
      slots.push(slot);
      slotCounts.push(count);
    }
  }

  return { eventSlots: Uint16Array.from(slots), eventSlotCounts: Uint32Array.from(slotCounts) };
}

/**
 * How many of A's events would be followed by one of B's within `windowMs` if B kept to its own
 * rates: for each of A's events, the chance that B's Poisson process fires in the window at
 * that slot's rate.
 */
export function expectedFollowers(a: StreamBaseline, b: StreamBaseline, windowMs: number): number {
  const chances = followChances(b, windowMs);
  let expected = 0;
  for (let i = 0; i < a.eventSlots.length; i++) {
    expected += (a.eventSlotCounts[i] ?? 0) * (chances[a.eventSlots[i] ?? 0] ?? 0);
  }

  return expected;
}

/** Computed once per stream and window length: every pair with that response shares it. */
function followChances(b: StreamBaseline, windowMs: number): Float64Array {
  let chances = b.followChances.get(windowMs);
  if (chances === undefined) {
    const windowHours = windowMs / HOUR_MS;
    chances = b.ratePerHour.map((rate) => -Math.expm1(-rate * windowHours));
    b.followChances.set(windowMs, chances);
  }

  return chances;
}
