import { describe, expect, it } from 'vitest';

import { formatHomeAssistantTime } from '../../../test/fake-home-assistant.js';
import { causeOfContext, parseHomeAssistantTime } from './home-assistant-events.js';

const T0 = Date.UTC(2026, 2, 1, 12);

/** What the recorder reader makes of a time: float seconds to the microsecond, then rounded. */
function recorderTime(time: number): number {
  return Math.round((Math.round(time * 1000) / 1e6) * 1000);
}

describe('parseHomeAssistantTime', () => {
  it('rounds microseconds to the millisecond exactly as the recorder reader does', () => {
    const times = Array.from({ length: 2000 }, (_, i) => T0 + i * 1237.0417 + (i % 7) * 0.0005);

    const parsed = times.map((time) => parseHomeAssistantTime(formatHomeAssistantTime(time)));

    expect(parsed).toEqual(times.map(recorderTime));
  });

  it('reads whole seconds, Z and other offsets', () => {
    expect(parseHomeAssistantTime('2026-03-01T12:00:00+00:00')).toBe(T0);
    expect(parseHomeAssistantTime('2026-03-01T12:00:00.25Z')).toBe(T0 + 250);
    expect(parseHomeAssistantTime('2026-03-01T13:00:00.000600+01:00')).toBe(T0 + 1);
  });

  it('gives NaN for text that is not such a time', () => {
    expect(parseHomeAssistantTime('yesterday')).toBeNaN();
    expect(parseHomeAssistantTime('2026-03-01 12:00:00')).toBeNaN();
  });
});

describe('causeOfContext', () => {
  it('puts a parent before a user, and a device last', () => {
    const id = '01JNFZ5X0000000000000000AA';

    expect(causeOfContext({ id, parent_id: id, user_id: 'u' })).toBe('automation');
    expect(causeOfContext({ id, parent_id: null, user_id: 'u' })).toBe('user');
    expect(causeOfContext({ id, parent_id: null, user_id: null })).toBe('device');
  });
});
