export { TtlLruCache } from './cache.js';
export type { CacheLookup, CacheOptions, CacheStats } from './cache.js';
export { CachedPresenceQueries } from './cached-queries.js';
export { computeCalendarPresence, DEFAULT_COMMUTE } from './calendar-presence.js';
export type {
  CalendarPresenceOptions as ComputeCalendarPresenceOptions,
  ClassifiedEvent,
  CommuteMargins,
  SourceCoverage,
} from './calendar-presence.js';
export { CalendarPresence } from './calendar-service.js';
export type { CalendarPresenceOptions, CalendarPresenceStats } from './calendar-service.js';
export { fetchCalendarPresence, toPresenceJson } from './fetch-calendar-presence.js';
export type {
  CalendarPresenceResult,
  FetchCalendarPresenceOptions,
  PresenceJson,
} from './fetch-calendar-presence.js';
export { PresenceTimeline } from './presence-timeline.js';
export type {
  PresenceAnswer,
  PresenceChange,
  PresenceInterval,
  PresencePrediction,
  PresenceState,
  SourceStatus,
} from './types.js';
export { parseCalendarSettings } from './settings.js';
export type { CalendarSettings } from './settings.js';
export { computeAbsenceScores } from './score-absences.js';
export type { AbsenceScores } from './score-absences.js';
export {
  computeSensorHourlyPresence,
  computeSensorPresence,
  fuseHourlyPresence,
  SENSOR_PRESENCE_SOURCE,
} from './sensor-presence.js';
export type { ExitDoor, SensorPresence, SensorPresenceOptions } from './sensor-presence.js';
export { computeArmingPresence, isArmingEntity } from './arming-presence.js';
export type { ArmingPresence, ArmingPresenceOptions } from './arming-presence.js';
export { calibrateCalendar } from './calibration.js';
export type { CalendarCalibration } from './calibration.js';
export { computeObservedIntervals, fusePresence, fuseSensorClaims } from './fusion.js';
export { computeHouseholdPresence, householdFromIntervals, isHomeAt } from './household.js';
export type { HouseholdPresence, Resident } from './household.js';
export {
  computeHourlyPresence,
  PRESENCE_AWAY,
  PRESENCE_HOME,
  PRESENCE_UNKNOWN,
} from './observed.js';
export { buildHouseholdTimeline } from './household-timeline.js';
export type { HouseholdTimeline, HouseholdTimelineOptions } from './household-timeline.js';
