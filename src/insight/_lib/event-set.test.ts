import { describe, expect, it } from 'vitest';

import {
  addEvent,
  countInAll,
  createEventSet,
  fullEventSet,
  indexesIn,
  keepOnly,
} from './event-set.js';

describe('event sets', () => {
  const setOf = (size: number, indexes: number[]) => {
    const set = createEventSet(size);
    for (const i of indexes) {
      addEvent(set, i);
    }

    return set;
  };

  it.each([0, 5, 32, 70])('returns every one of %i events and none past them', (size) => {
    const all = fullEventSet(size);

    expect(countInAll(all)).toBe(size);
    expect([...indexesIn(all)]).toEqual([...Array(size).keys()]);
  });

  it('counts and lists the events in all the sets given', () => {
    const a = setOf(70, [0, 3, 31, 32, 33, 64, 69]);
    const b = setOf(70, [3, 31, 33, 40, 69]);
    const c = setOf(70, [31, 69]);

    expect(countInAll(a, b)).toBe(4);
    expect(countInAll(a, b, c)).toBe(2);
    expect([...indexesIn(a, b)]).toEqual([3, 31, 33, 69]);
  });

  it('keeps only the events also in the other set', () => {
    const a = setOf(40, [1, 2, 35]);
    keepOnly(a, setOf(40, [2, 35, 39]));

    expect([...indexesIn(a)]).toEqual([2, 35]);
  });
});
