import type { HourGrid } from '../timeline/index.js';
import { calibrateCalendar } from './calibration.js';
import type { CalendarCalibration } from './calibration.js';
import { DEFAULT_COMMUTE } from './calendar-presence.js';
import { fetchCalendarPresence } from './fetch-calendar-presence.js';
import { computeObservedIntervals, fusePresence } from './fusion.js';
import type { HouseholdPresence } from './household.js';
import type { PresenceInterval, SourceStatus } from './types.js';

export interface HouseholdTimelineOptions {
  grid: HourGrid;
  /** The observed presence, when the home has person or device-tracker entities. */
  household: HouseholdPresence | undefined;
  calendars: readonly string[];
  now: number;
  /** Lets `ha:calendar.x` sources read the calendar entity's history without a token. */
  recorderFile?: string;
}

/** The household's presence over a window, and how well its calendars predicted it. */
export interface HouseholdTimeline {
  intervals: PresenceInterval[];
  sources: SourceStatus[];
  calibration: CalendarCalibration | null;
}

/**
 * Observed presence where the residents' entities saw it, the calendars' elsewhere; with both,
 * the calendars are also measured against what happened. `null` with neither.
 */
export async function buildHouseholdTimeline(
  options: HouseholdTimelineOptions,
): Promise<HouseholdTimeline | null> {
  const { grid, household } = options;
  const observed = household === undefined ? [] : computeObservedIntervals(household, grid);
  if (options.calendars.length === 0) {
    return household === undefined ? null : { intervals: observed, sources: [], calibration: null };
  }

  const residents = household?.residents.length ?? 0;
  const predicted = await fetchCalendarPresence({
    sources: options.calendars,
    window: grid.window,
    now: options.now,
    timeZone: grid.timeZone,
    commute: DEFAULT_COMMUTE,
    ...(residents > 0 ? { residents } : {}),
    ...(options.recorderFile === undefined ? {} : { recorderFile: options.recorderFile }),
  });

  return {
    intervals: fusePresence(observed, predicted.intervals, grid.window),
    sources: predicted.sources,
    calibration:
      household === undefined
        ? null
        : calibrateCalendar(predicted.intervals, observed, household, DEFAULT_COMMUTE),
  };
}
