import type { IntervalList } from './activity.js';
import type { Interval } from './interval.js';

/**
 * A fixed-size set of bin indexes packed 32 to a word, so that "active in the same bins" between
 * two entities is a few thousand AND + popcount operations, not a loop over time.
 */
export class BitSet {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(index: number): void {
    const w = index >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (index & 31));
  }

  has(index: number): boolean {
    return ((this.words[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
  }

  /** Sets every index in [from, to). */
  setRange(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.set(i);
    }
  }

  count(): number {
    let total = 0;
    for (const word of this.words) {
      total += popcount(word);
    }

    return total;
  }

  /** The number of indexes set in both, without building the intersection. */
  countAnd(other: BitSet): number {
    let total = 0;
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) {
      total += popcount((this.words[i] ?? 0) & (other.words[i] ?? 0));
    }

    return total;
  }
}

export function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function binCount(window: Interval, binMs: number): number {
  return Math.ceil((window.end - window.start) / binMs);
}

/** The index of the bin holding `time`. */
export function binOf(window: Interval, binMs: number, time: number): number {
  return Math.floor((time - window.start) / binMs);
}

/** Marks each fixed-width bin of `window` in which the entity was active at any moment. */
export function computeActivityBins(
  intervals: IntervalList,
  window: Interval,
  binMs: number,
): BitSet {
  const bins = new BitSet(binCount(window, binMs));
  for (let i = 0; i < intervals.length; i++) {
    const start = Math.max(intervals.starts[i] ?? 0, window.start);
    const end = Math.min(intervals.ends[i] ?? 0, window.end);
    if (end > start) {
      bins.setRange(binOf(window, binMs, start), binOf(window, binMs, end - 1) + 1);
    }
  }

  return bins;
}

/**
 * Adds to each slot of `slots` (fixed-width, `slotMs` each, from `origin`) how many ms of
 * [start, end) fall in it: how long someone was home in each hour, say.
 */
export function addSpanToSlots(
  slots: Float64Array,
  span: { start: number; end: number },
  origin: number,
  slotMs: number,
): void {
  for (let s = Math.max(0, Math.floor((span.start - origin) / slotMs)); s < slots.length; s++) {
    const slotStart = origin + s * slotMs;
    if (slotStart >= span.end) {
      break;
    }

    const overlap = Math.min(span.end, slotStart + slotMs) - Math.max(span.start, slotStart);
    slots[s] = (slots[s] ?? 0) + Math.max(0, overlap);
  }
}
