import type { HourGrid } from '../timeline/index.js';
import { calibrateCalendar } from './calibration.js';
import type { CalendarCalibration } from './calibration.js';
import { fetchCalendarPresence } from './fetch-calendar-presence.js';
import type { FetchCalendarPresenceOptions } from './fetch-calendar-presence.js';
import { computeObservedIntervals, fusePresence } from './fusion.js';
import type { HouseholdPresence } from './household.js';
import type { PresenceInterval, SourceStatus } from './types.js';

const NO_TRAVEL = { beforeMs: 0, afterMs: 0 };

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
  /**
   * Home Assistant calendars' away events with no travel time around them, each counted
   * whoever it is for: where a `trigger: calendar` would have fired. Empty without an `ha:`
   * calendar and observed presence.
   */
  bareAway: PresenceInterval[];
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
    return household === undefined
      ? null
      : { intervals: observed, bareAway: [], sources: [], calibration: null };
  }

  const base = {
    sources: options.calendars,
    window: grid.window,
    now: options.now,
    timeZone: grid.timeZone,
    ...(household === undefined || household.residents.length === 0
      ? {}
      : { residents: household.residents.length }),
    ...(options.recorderFile === undefined ? {} : { recorderFile: options.recorderFile }),
  };
  if (household === undefined) {
    const predicted = await fetchCalendarPresence(base);
    return {
      intervals: predicted.intervals,
      bareAway: [],
      sources: predicted.sources,
      calibration: null,
    };
  }

  // Measured against the bare events, with no travel time around them, the observed departures
  // and arrivals give the household's real way there and back.
  // TODO(calendar-refetch): each calendar is read twice here (a Home Assistant one three times,
  // for its own away events); goes once the calendar service can rebuild its timeline with
  // other margins and resident counts from the events it already holds.
  const bare = await fetchCalendarPresence({ ...base, learned: NO_TRAVEL });
  const calibration = calibrateCalendar(bare.intervals, observed, household, NO_TRAVEL);
  const predicted = await fetchCalendarPresence({
    ...base,
    ...(calibration.learnedCommute === null ? {} : { learned: calibration.learnedCommute }),
  });
  return {
    intervals: fusePresence(observed, predicted.intervals, grid.window),
    bareAway: await readHomeAssistantAway(base),
    sources: predicted.sources,
    calibration,
  };
}

/**
 * The away events of the Home Assistant calendars among the sources, as one resident would
 * see them: a calendar trigger fires at every event, whoever it is for.
 */
async function readHomeAssistantAway(
  base: FetchCalendarPresenceOptions,
): Promise<PresenceInterval[]> {
  const sources = base.sources.filter((source) => source.startsWith('ha:'));
  if (sources.length === 0) {
    return [];
  }

  const events = await fetchCalendarPresence({
    ...base,
    sources,
    residents: 1,
    learned: NO_TRAVEL,
  });
  return events.intervals.filter((interval) => interval.state === 'away');
}
