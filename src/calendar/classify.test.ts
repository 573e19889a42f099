import { describe, expect, it } from 'vitest';

import { createClassifier } from './classify.js';
import type { CalendarEvent } from './types.js';

const HOUR = 3_600_000;

function event(fields: Partial<CalendarEvent>): CalendarEvent {
  return {
    uid: 'x',
    summary: '',
    description: '',
    location: '',
    start: 0,
    end: HOUR,
    allDay: false,
    status: 'confirmed',
    source: 'test',
    ...fields,
  };
}

describe('createClassifier', () => {
  const classify = createClassifier({ homeLocation: 'Lindenstraße 5, 10969 Berlin' });

  it.each([
    ['Office day', 'away'],
    ['Büro', 'away'],
    ['Work from home', 'work_from_home'],
    ['Homeoffice', 'work_from_home'],
    ['Home office', 'work_from_home'],
    ['Remote day', 'work_from_home'],
    ['Urlaub Italien', 'away'],
    ['Vacation', 'away'],
    ['Trip to Lisbon', 'away'],
    ['Zoom call with the bank', 'none'],
    ['Dentist', 'away'],
    ['Birthday Anna', 'none'],
  ] as const)('returns the effect of "%s" as %s', (summary, effect) => {
    expect(classify(event({ summary })).effect).toBe(effect);
  });

  it('returns away for an event somewhere other than home', () => {
    const result = classify(event({ summary: 'Meeting', location: 'Kottbusser Damm 12' }));

    expect(result).toMatchObject({ effect: 'away', rule: 'elsewhere' });
    expect(result.reason).toContain('Kottbusser Damm 12');
  });

  it('returns home for an event at the home address written another way', () => {
    const result = classify(event({ summary: 'Plumber', location: 'Lindenstr. 5, Berlin' }));

    expect(result).toMatchObject({ effect: 'home', rule: 'home-location' });
  });

  it('returns none for an online meeting whose location is a link', () => {
    const result = classify(event({ summary: 'Sync', location: 'https://meet.example.org/abc' }));

    expect(result.effect).toBe('none');
  });

  it('returns a multi-day event without other clues as a weak away', () => {
    const result = classify(event({ summary: 'Ostsee', allDay: true, end: 4 * 24 * HOUR }));

    expect(result).toMatchObject({ effect: 'away', confidence: 0.5 });
  });

  it('returns a lower confidence for a tentative event', () => {
    const confirmed = classify(event({ summary: 'Office' }));
    const tentative = classify(event({ summary: 'Office', status: 'tentative' }));

    expect(tentative.confidence).toBeLessThan(confirmed.confidence);
  });

  it('returns the effect given by configured rules', () => {
    const custom = createClassifier({
      rules: [{ id: 'gym', effect: 'away', confidence: 0.8, keywords: ['gym'], reason: '{match}' }],
    });

    expect(custom(event({ summary: 'Gym' }))).toMatchObject({ effect: 'away', rule: 'gym' });
    expect(custom(event({ summary: 'Office' })).effect).toBe('none');
  });
});
