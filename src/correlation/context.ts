import type { HouseholdPresence } from '../presence/household.js';
import { computeHouseholdPresence, householdFromIntervals } from '../presence/household.js';
import { computeSensorPresence, SENSOR_PRESENCE_SOURCE } from '../presence/sensor-presence.js';
import { computeHourlyPresence, PRESENCE_UNKNOWN } from '../presence/observed.js';
import { computeHourGrid, hourIndex } from '../timeline/index.js';
import type { HomeHistory, HourGrid } from '../timeline/index.js';

/** What was true of the whole home at each hour, against which relations are judged. */
export interface AnalysisContext {
  grid: HourGrid;
  /**
   * Per hour of the grid, the household's presence code (see `computeHourlyPresence`). Omitted
   * when the home has no presence entities; baselines then depend on the time of week alone.
   */
  presence?: Int8Array;
  /** The household's observed presence, when the home has person or device-tracker entities. */
  household?: HouseholdPresence;
}

const PRESENCE_STATES = 3;

/** Hour of the week × presence: the cells in which a device's own rate is measured. */
export const SLOT_COUNT = 168 * PRESENCE_STATES;

export function slotAt(context: AnalysisContext, time: number): number {
  const h = hourIndex(context.grid, time);
  return slotOfHour(context, h);
}

export function slotOfHour(context: AnalysisContext, h: number): number {
  const presence = context.presence?.[h] ?? PRESENCE_UNKNOWN;
  return (context.grid.hourOfWeek[h] ?? 0) * PRESENCE_STATES + presence;
}

/** The presence state at `time`, for comparing two moments. */
export function presenceAt(context: AnalysisContext, time: number): number {
  return context.presence?.[hourIndex(context.grid, time)] ?? PRESENCE_UNKNOWN;
}

/** Hours of exposure per slot over the whole window: the denominator of every rate. */
export function computeSlotHours(context: AnalysisContext): Float64Array {
  const hours = new Float64Array(SLOT_COUNT);
  const n = context.grid.hourOfWeek.length;
  for (let h = 0; h < n; h++) {
    const slot = slotOfHour(context, h);
    hours[slot] = (hours[slot] ?? 0) + 1;
  }

  return hours;
}

/** The clock and presence of a home over its history's window. */
export function computeAnalysisContext(history: HomeHistory, timeZone: string): AnalysisContext {
  const grid = computeHourGrid(history.window, timeZone);
  const household = computeHouseholdPresence(history, grid) ?? inferHousehold(history, timeZone);
  if (household === undefined) {
    return { grid };
  }

  return { grid, household, presence: computeHourlyPresence(household, grid) };
}

/**
 * Without person or device-tracker entities, the household's comings and goings as the home's
 * own sensors tell them (the exit door, an armed alarm or camera system, each against the
 * silence indoors): the weakest source, used only when there is no other.
 */
function inferHousehold(history: HomeHistory, timeZone: string): HouseholdPresence | undefined {
  const sensors = computeSensorPresence(history, { timeZone });
  return householdFromIntervals(
    sensors.intervals,
    history.window,
    SENSOR_PRESENCE_SOURCE,
    SENSOR_CONFIDENCE,
  );
}

/** Absences inferred from sensors are right most of the time, not nearly always. */
const SENSOR_CONFIDENCE = 0.7;
