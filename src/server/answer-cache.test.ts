import { describe, expect, it } from 'vitest';

import { AnswerCache } from './answer-cache.js';

describe('AnswerCache', () => {
  it('returns the kept JSON for the same report and question, serializing it once', () => {
    const cache = new AnswerCache();
    const report = {};
    let serialized = 0;
    const serialize = () => `{"n":${++serialized}}`;

    expect(cache.answer(report, 'q', serialize)).toBe('{"n":1}');
    expect(cache.answer(report, 'q', serialize)).toBe('{"n":1}');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it("returns a new report's answer, and keeps none of the old report's", () => {
    const cache = new AnswerCache();
    cache.answer({}, 'q', () => 'old');
    cache.answer({}, 'other', () => 'old');

    expect(cache.answer({}, 'q', () => 'new')).toBe('new');
    expect(cache.stats().size).toBe(1);
  });
});
