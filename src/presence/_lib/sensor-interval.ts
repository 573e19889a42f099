import type { Interval } from '../../timeline/index.js';
import type { PresenceInterval } from '../types.js';

/**
 * The source tag of every interval inferred from sensors, the door's or an arming's: sensors are
 * the weakest of the presence sources, and fusion ranks them by this tag.
 */
export const SENSOR_PRESENCE_SOURCE = 'sensors';

export function sensorInterval(
  span: Interval,
  state: PresenceInterval['state'],
  confidence: number,
  reason: string,
): PresenceInterval {
  return {
    start: span.start,
    end: span.end,
    state,
    workFromHome: false,
    confidence,
    source: SENSOR_PRESENCE_SOURCE,
    reason,
    stale: false,
  };
}
