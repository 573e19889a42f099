import { describe, expect, it } from 'vitest';

import { firstAtOrAfter, lastAtOrBefore } from '../../timeline/index.js';
import { createSearchCursor, firstAtOrAfterFrom, lastAtOrBeforeFrom } from './search-cursor.js';

/** Ascending values with repeats, the way a timeline's times can repeat within a millisecond. */
const VALUES = [2, 5, 5, 9, 14, 14, 14, 20];

describe('a search cursor', () => {
  describe('when the times ascend', () => {
    const times = [0, 2, 3, 5, 5, 9.5, 14, 19, 20, 25];

    it('returns the binary searches’ answers', () => {
      const cursor = createSearchCursor(VALUES);

      expect(
        times.map((t) => [firstAtOrAfterFrom(cursor, t), lastAtOrBeforeFrom(cursor, t)]),
      ).toEqual(times.map((t) => [firstAtOrAfter(VALUES, t), lastAtOrBefore(VALUES, t)]));
    });
  });

  describe('when the times step back', () => {
    const times = [14, 3, 20, 5, 25, 0, 9, 9, 2];

    it('returns the binary searches’ answers', () => {
      const cursor = createSearchCursor(VALUES);

      expect(
        times.map((t) => [firstAtOrAfterFrom(cursor, t), lastAtOrBeforeFrom(cursor, t)]),
      ).toEqual(times.map((t) => [firstAtOrAfter(VALUES, t), lastAtOrBefore(VALUES, t)]));
    });
  });

  it('returns the empty list’s answers: its length and -1', () => {
    const cursor = createSearchCursor([]);

    expect([firstAtOrAfterFrom(cursor, 4), lastAtOrBeforeFrom(cursor, 4)]).toEqual([0, -1]);
  });
});
