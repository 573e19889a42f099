import { describe, expect, it } from 'vitest';

import type { CalendarEvent, CalendarSource } from '../calendar/index.js';
import { TandemError } from '../errors.js';
import { CalendarPresence } from './calendar-service.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY_START = Date.parse('2024-07-01T00:00Z');

function officeDay(day: number): CalendarEvent {
  return {
    uid: `office-${day}`,
    summary: 'Office',
    description: '',
    location: '',
    start: DAY_START + day * 24 * HOUR + 7 * HOUR,
    end: DAY_START + day * 24 * HOUR + 15 * HOUR,
    allDay: false,
    status: 'confirmed',
    source: 'fake',
  };
}

/** A source that answers from a list of outcomes, one per call, repeating the last. */
function scriptedSource(...outcomes: ('ok' | 'down')[]): CalendarSource & { calls: number } {
  const source = {
    id: 'fake',
    calls: 0,
    fetchEvents(): Promise<CalendarEvent[]> {
      const outcome = outcomes[Math.min(source.calls, outcomes.length - 1)];
      source.calls++;
      if (outcome === 'down') {
        return Promise.reject(new TandemError('CALENDAR_UNAVAILABLE', 'fake: HTTP 503'));
      }

      return Promise.resolve([0, 1, 2, 3, 4].map(officeDay));
    },
  };
  return source;
}

describe('CalendarPresence', () => {
  const nine = DAY_START + 9 * HOUR;

  it('returns away during an office day', async () => {
    const presence = new CalendarPresence({ sources: [scriptedSource('ok')] });
    await presence.refresh(DAY_START);

    expect(presence.presenceAt(nine, DAY_START)).toMatchObject({ state: 'away', stale: false });
  });

  it('serves the last good data marked stale when a refresh fails', async () => {
    const presence = new CalendarPresence({ sources: [scriptedSource('ok', 'down')] });
    await presence.refresh(DAY_START);

    await presence.refresh(DAY_START + 2 * HOUR);

    expect(presence.presenceAt(nine, DAY_START + 2 * HOUR)).toMatchObject({
      state: 'away',
      stale: true,
    });
    expect(presence.sourceStatus()).toMatchObject([
      { source: 'fake', ok: false, stale: true, error: { code: 'CALENDAR_UNAVAILABLE' } },
    ]);
  });

  it('returns unknown with confidence 0 and the reason when a source never answered', async () => {
    const presence = new CalendarPresence({ sources: [scriptedSource('down')] });
    await presence.refresh(DAY_START);

    const answer = presence.presenceAt(nine, DAY_START);

    expect(answer).toMatchObject({ state: 'unknown', confidence: 0 });
    expect(answer.reason).toContain('fake: HTTP 503');
  });

  it('answers from the source cache until the TTL has passed', async () => {
    const source = scriptedSource('ok');
    const presence = new CalendarPresence({ sources: [source] });

    await presence.refresh(DAY_START);
    await presence.refresh(DAY_START + 30 * MINUTE);
    await presence.refresh(DAY_START + 61 * MINUTE);

    expect(source.calls).toBe(2);
    expect(presence.stats().sources).toMatchObject({ hits: 1 });
  });

  it('refreshes in the background once the data is older than the TTL', async () => {
    const source = scriptedSource('ok');
    const presence = new CalendarPresence({ sources: [source] });
    await presence.refresh(DAY_START);

    const answer = presence.presenceAt(nine, DAY_START + 2 * HOUR);
    await presence.refresh(DAY_START + 2 * HOUR);

    expect(answer.state).toBe('away');
    expect(source.calls).toBe(2);
    expect(presence.stats().refreshes).toBe(2);
  });

  it('answers more than 99% of a day of once-a-minute queries from the cache', async () => {
    const presence = new CalendarPresence({ sources: [scriptedSource('ok')] });
    await presence.refresh(DAY_START);

    for (let t = DAY_START; t < DAY_START + 24 * HOUR; t += MINUTE) {
      presence.presenceAt(t, t);
      presence.predict(t, HOUR, t);
      await presence.whenIdle();
    }

    expect(presence.stats().refreshes).toBe(24);

    expect(presence.stats().queries.hitRate).toBeGreaterThan(0.99);
  });
});
