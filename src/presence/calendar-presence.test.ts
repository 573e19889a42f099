import { describe, expect, it } from 'vitest';

import type { CalendarEvent, Classification } from '../calendar/index.js';
import { computeCalendarPresence } from './calendar-presence.js';
import type { ClassifiedEvent, SourceCoverage } from './calendar-presence.js';

const at = (iso: string) => Date.parse(iso);
const WINDOW = { start: at('2024-07-01T00:00Z'), end: at('2024-07-03T00:00Z') };
const COVERED: SourceCoverage[] = [{ source: 'family', covered: WINDOW, stale: false }];

function classified(
  summary: string,
  start: string,
  end: string,
  effect: Classification['effect'],
  allDay = false,
): ClassifiedEvent {
  const event: CalendarEvent = {
    uid: summary,
    summary,
    description: '',
    location: '',
    start: at(start),
    end: at(end),
    allDay,
    status: 'confirmed',
    source: 'family',
  };
  return { event, classification: { effect, confidence: 0.9, rule: 'test', reason: effect } };
}

function states(intervals: ReturnType<typeof computeCalendarPresence>) {
  return intervals.map((interval) => [
    new Date(interval.start).toISOString().slice(5, 16),
    interval.state,
    interval.workFromHome,
  ]);
}

describe('computeCalendarPresence', () => {
  it('returns away around an office day, widened by the commute margins', () => {
    const office = classified('Office', '2024-07-01T07:00Z', '2024-07-01T15:00Z', 'away');

    const intervals = computeCalendarPresence([office], COVERED, { window: WINDOW });

    expect(states(intervals)).toEqual([
      ['07-01T00:00', 'home', false],
      ['07-01T06:30', 'away', false],
      ['07-01T15:30', 'home', false],
    ]);
    expect(intervals[1]).toMatchObject({
      confidence: 0.9,
      source: 'family',
      reason: 'Office: away',
    });
  });

  it('returns home with work from home over a home-office day', () => {
    const wfh = classified(
      'Homeoffice',
      '2024-07-01T00:00Z',
      '2024-07-02T00:00Z',
      'work_from_home',
      true,
    );

    const intervals = computeCalendarPresence([wfh], COVERED, { window: WINDOW });

    expect(states(intervals)).toEqual([
      ['07-01T00:00', 'home', true],
      ['07-02T00:00', 'home', false],
    ]);
  });

  it('lets a short away event interrupt an all-day one', () => {
    const wfh = classified('WFH', '2024-07-01T00:00Z', '2024-07-02T00:00Z', 'work_from_home', true);
    const dentist = classified('Dentist', '2024-07-01T10:00Z', '2024-07-01T11:00Z', 'away');

    const intervals = computeCalendarPresence([wfh, dentist], COVERED, {
      window: WINDOW,
      commute: { beforeMs: 0, afterMs: 0 },
    });

    expect(states(intervals)).toEqual([
      ['07-01T00:00', 'home', true],
      ['07-01T10:00', 'away', false],
      ['07-01T11:00', 'home', true],
      ['07-02T00:00', 'home', false],
    ]);
  });

  it('returns away for a trip from the first morning to the last evening', () => {
    const trip = classified('Urlaub', '2024-06-28T00:00Z', '2024-07-02T00:00Z', 'away', true);

    const intervals = computeCalendarPresence([trip], COVERED, { window: WINDOW });

    expect(states(intervals)).toEqual([
      ['07-01T00:00', 'away', false],
      ['07-01T18:00', 'home', false],
    ]);
  });

  it('lets a trip win over the office series nobody cancelled', () => {
    const trip = classified('Urlaub', '2024-07-01T00:00Z', '2024-07-03T00:00Z', 'away', true);
    const wfh = classified('WFH', '2024-07-01T07:00Z', '2024-07-01T15:00Z', 'work_from_home');

    const intervals = computeCalendarPresence([trip, wfh], COVERED, { window: WINDOW });

    expect(states(intervals)).toEqual([
      ['07-01T00:00', 'home', false],
      ['07-01T07:00', 'home', true],
      ['07-01T09:00', 'away', false],
      ['07-02T18:00', 'home', false],
    ]);
  });

  describe('when several people live in the home', () => {
    const office = classified('Office', '2024-07-01T07:00Z', '2024-07-01T15:00Z', 'away');
    const options = { window: WINDOW, residents: 2, commute: { beforeMs: 0, afterMs: 0 } };

    it('returns home while only one of them has an away event', () => {
      const intervals = computeCalendarPresence([office], COVERED, options);

      expect(intervals.map((interval) => interval.state)).toEqual(['home']);
    });

    it('returns away where as many away events overlap as there are residents', () => {
      const other = classified('Büro', '2024-07-01T08:00Z', '2024-07-01T16:00Z', 'away');

      const intervals = computeCalendarPresence([office, other], COVERED, options);

      expect(states(intervals)).toEqual([
        ['07-01T00:00', 'home', false],
        ['07-01T08:00', 'away', false],
        ['07-01T15:00', 'home', false],
      ]);
    });
  });

  it('ignores events that change nothing', () => {
    const call = classified('Zoom call', '2024-07-01T10:00Z', '2024-07-01T11:00Z', 'none');

    expect(computeCalendarPresence([call], COVERED, { window: WINDOW })).toHaveLength(1);
  });

  it('returns unknown with confidence 0 where a source has no data', () => {
    const coverage: SourceCoverage[] = [
      ...COVERED,
      { source: 'work', covered: null, stale: false, reason: 'HTTP 503' },
    ];

    const [interval, ...rest] = computeCalendarPresence([], coverage, { window: WINDOW });

    expect(rest).toEqual([]);
    expect(interval).toMatchObject({ state: 'unknown', confidence: 0 });
    expect(interval?.reason).toContain('work: HTTP 503');
  });

  it('still returns the known away events of the sources that answered', () => {
    const office = classified('Office', '2024-07-01T07:00Z', '2024-07-01T15:00Z', 'away');
    const coverage: SourceCoverage[] = [
      ...COVERED,
      { source: 'work', covered: null, stale: false },
    ];

    const intervals = computeCalendarPresence([office], coverage, { window: WINDOW });

    expect(intervals.map((interval) => interval.state)).toEqual(['unknown', 'away', 'unknown']);
  });

  it('returns unknown over the whole window when no calendar is given', () => {
    const intervals = computeCalendarPresence([], [], { window: WINDOW });

    expect(intervals).toMatchObject([
      { ...WINDOW, state: 'unknown', reason: 'no calendar was given' },
    ]);
  });

  it('marks what rests on stale data', () => {
    const coverage: SourceCoverage[] = [{ source: 'family', covered: WINDOW, stale: true }];
    const office = classified('Office', '2024-07-01T07:00Z', '2024-07-01T15:00Z', 'away');

    const intervals = computeCalendarPresence([office], coverage, { window: WINDOW });

    expect(intervals.every((interval) => interval.stale)).toBe(true);
  });
});
