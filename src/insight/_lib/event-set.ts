import { BitSet, popcount } from '../../timeline/index.js';

/*
 * Sets of a trigger's events (by index), 32 to a word: which events a condition held at, which
 * the response followed. Weighing a condition is then a few dozen AND and popcount operations
 * per relation rather than a branch per event.
 */

/** Every one of `size` events. */
export function fullEventSet(size: number): BitSet {
  const set = new BitSet(size);
  set.words.fill(0xffffffff);
  const spare = set.words.length * 32 - size;
  if (spare > 0) {
    set.words[set.words.length - 1] = 0xffffffff >>> spare;
  }

  return set;
}

/** How many events are in all of `a`, `b` and, when given, `c`. */
export function countInAll(a: BitSet, b: BitSet, c?: BitSet): number {
  let total = 0;
  for (let w = 0; w < a.words.length; w++) {
    const both = (a.words[w] ?? 0) & (b.words[w] ?? 0);
    total += popcount(c === undefined ? both : both & (c.words[w] ?? 0));
  }

  return total;
}

/** Keeps in `set` only the events also in `other`. */
export function keepOnly(set: BitSet, other: BitSet): void {
  for (let w = 0; w < set.words.length; w++) {
    set.words[w] = (set.words[w] ?? 0) & (other.words[w] ?? 0);
  }
}

/** The events in `a` (and in `b`, when given), ascending. */
export function indexesIn(a: BitSet, b: BitSet = a): Int32Array {
  const indexes = new Int32Array(countInAll(a, b));
  let at = 0;
  for (let w = 0; w < a.words.length; w++) {
    let word = (a.words[w] ?? 0) & (b.words[w] ?? 0);
    while (word !== 0) {
      const low = word & -word;
      indexes[at++] = w * 32 + 31 - Math.clz32(low);
      word ^= low;
    }
  }

  return indexes;
}
