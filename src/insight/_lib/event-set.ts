import { popcount } from '../../timeline/index.js';

/**
 * A set of a trigger's events (by index), 32 to a word: the events a condition held at, or those
 * the response followed. Weighing a condition is then a few dozen AND and popcount operations per
 * relation rather than a branch per event.
 *
 * The words alone rather than timeline's `BitSet`: event sets live for one relation, and when a
 * full collection finds no instance of a class alive, V8 drops its hidden classes and with them
 * the optimised code of every function that used one. A typed array's never goes.
 */
export type EventSet = Uint32Array;

/** No events of `size`. */
export function createEventSet(size: number): EventSet {
  return new Uint32Array(Math.ceil(size / 32));
}

/** Every one of `size` events. */
export function fullEventSet(size: number): EventSet {
  const set = createEventSet(size).fill(0xffffffff);
  const spare = set.length * 32 - size;
  if (spare > 0) {
    set[set.length - 1] = 0xffffffff >>> spare;
  }

  return set;
}

export function addEvent(set: EventSet, index: number): void {
  const w = index >>> 5;
  set[w] = (set[w] ?? 0) | (1 << (index & 31));
}

/** How many events are in `a` and, when given, in `b` and `c` too. */
export function countInAll(a: EventSet, b: EventSet = a, c: EventSet = a): number {
  let total = 0;
  for (let w = 0; w < a.length; w++) {
    total += popcount((a[w] ?? 0) & (b[w] ?? 0) & (c[w] ?? 0));
  }

  return total;
}

/** Keeps in `set` only the events also in `other`. */
export function keepOnly(set: EventSet, other: EventSet): void {
  for (let w = 0; w < set.length; w++) {
    set[w] = (set[w] ?? 0) & (other[w] ?? 0);
  }
}

/** The events in `a` (and in `b`, when given), ascending. */
export function indexesIn(a: EventSet, b: EventSet = a): Int32Array {
  const indexes = new Int32Array(countInAll(a, b));
  let at = 0;
  for (let w = 0; w < a.length; w++) {
    let word = (a[w] ?? 0) & (b[w] ?? 0);
    while (word !== 0) {
      const low = word & -word;
      indexes[at++] = w * 32 + 31 - Math.clz32(low);
      word ^= low;
    }
  }

  return indexes;
}
