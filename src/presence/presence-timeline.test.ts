import { describe, expect, it } from 'vitest';

import { PresenceTimeline } from './presence-timeline.js';
import type { PresenceInterval, PresenceState } from './types.js';

const HOUR = 3_600_000;

function interval(startHour: number, endHour: number, state: PresenceState): PresenceInterval {
  return {
    start: startHour * HOUR,
    end: endHour * HOUR,
    state,
    workFromHome: false,
    confidence: state === 'unknown' ? 0 : 0.8,
    source: 'test',
    reason: state,
    stale: false,
  };
}

describe('PresenceTimeline', () => {
  const timeline = new PresenceTimeline([
    interval(0, 8, 'home'),
    interval(8, 17, 'away'),
    interval(17, 30, 'home'),
    interval(30, 40, 'unknown'),
  ]);

  describe('presenceAt', () => {
    it('returns the state of the interval holding t, with its bounds', () => {
      expect(timeline.presenceAt(9 * HOUR)).toMatchObject({
        state: 'away',
        since: 8 * HOUR,
        until: 17 * HOUR,
      });
    });

    it('returns the later interval at a boundary', () => {
      expect(timeline.presenceAt(17 * HOUR).state).toBe('home');
    });

    it('returns unknown with confidence 0 outside the window', () => {
      expect(timeline.presenceAt(-1)).toMatchObject({ state: 'unknown', confidence: 0 });
      expect(timeline.presenceAt(40 * HOUR)).toMatchObject({ state: 'unknown', confidence: 0 });
    });
  });

  describe('predict', () => {
    it('returns the next departure and arrival within the horizon', () => {
      const prediction = timeline.predict(6 * HOUR, 12 * HOUR);

      expect(prediction.nextDeparture).toMatchObject({ at: 8 * HOUR, confidence: 0.8 });
      expect(prediction.nextArrival).toMatchObject({ at: 17 * HOUR });
      expect(prediction.willBeHome).toMatchObject({ value: true, confidence: 0.8 });
    });

    it('returns no departure when it lies beyond the horizon', () => {
      const prediction = timeline.predict(6 * HOUR, HOUR);

      expect(prediction.nextDeparture).toBeNull();
      expect(prediction.willBeHome.value).toBe(true);
    });

    it('finds nothing ahead of a moment past the timeline, however long the horizon', () => {
      const prediction = timeline.predict(40 * HOUR, 1_000 * HOUR);

      expect(prediction.nextDeparture).toBeNull();
      expect(prediction.nextArrival).toBeNull();
    });

    it('returns will-be-home as unknown when the horizon ends in unknown time', () => {
      expect(timeline.predict(20 * HOUR, 12 * HOUR).willBeHome).toMatchObject({
        value: null,
        confidence: 0,
      });
    });
  });

  it('answers unknown everywhere when empty', () => {
    expect(new PresenceTimeline([]).presenceAt(0).state).toBe('unknown');
  });
});
