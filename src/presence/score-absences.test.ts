import { describe, expect, it } from 'vitest';

import { computeAbsenceScores } from './score-absences.js';

const window = { start: 0, end: 100 };

describe('computeAbsenceScores', () => {
  it('returns the share of the window where inferred and labelled absence agree', () => {
    const scores = computeAbsenceScores([{ start: 10, end: 30 }], [{ start: 20, end: 40 }], window);
    expect(scores.agreement).toBeCloseTo(0.8);
  });

  it('returns an absence as found when at least half of it is covered', () => {
    const labelled = [
      { start: 10, end: 30 },
      { start: 50, end: 70 },
    ];
    const inferred = [
      { start: 20, end: 30 },
      { start: 50, end: 59 },
    ];
    const scores = computeAbsenceScores(inferred, labelled, window);
    expect(scores.recall).toBe(0.5);
    expect(scores.missed).toEqual([{ start: 50, end: 70 }]);
    expect(scores.precision).toBe(1);
  });

  it('returns inferred absences mostly outside the labels as spurious', () => {
    const scores = computeAbsenceScores([{ start: 0, end: 10 }], [{ start: 8, end: 20 }], window);
    expect(scores.precision).toBe(0);
    expect(scores.spurious).toEqual([{ start: 0, end: 10 }]);
  });
});
