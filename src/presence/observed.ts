import type { HourGrid } from '../timeline/index.js';
import type { HouseholdPresence } from './household.js';
import { homeMsPerHour } from './household.js';

/** Codes for the household's presence in one hour of a grid. */
export const PRESENCE_AWAY = 0;
export const PRESENCE_HOME = 1;
export const PRESENCE_UNKNOWN = 2;

const HOUR_MS = 3_600_000;

/**
 * The household's presence in each hour of `grid`: home when at least one resident was home for
 * most of the hour, away when none was, unknown before any of them had a state.
 */
export function computeHourlyPresence(household: HouseholdPresence, grid: HourGrid): Int8Array {
  const homeMs = homeMsPerHour(household, grid);
  const presence = new Int8Array(homeMs.length);
  for (let h = 0; h < homeMs.length; h++) {
    const middle = grid.window.start + h * HOUR_MS + HOUR_MS / 2;
    if (middle < household.knownFrom) {
      presence[h] = PRESENCE_UNKNOWN;
    } else {
      presence[h] = (homeMs[h] ?? 0) >= HOUR_MS / 2 ? PRESENCE_HOME : PRESENCE_AWAY;
    }
  }

  return presence;
}
