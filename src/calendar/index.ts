export { createClassifier } from './classify.js';
export type { Classification, ClassifyOptions } from './classify.js';
export { expandIcs } from './expand.js';
export type { EventFailure, ExpandOptions, ExpandResult } from './expand.js';
export { parseIcs } from './ics-parse.js';
export type { IcsCalendar } from './ics-parse.js';
export { DEFAULT_RULES } from './rules.js';
export type { ClassificationRule } from './rules.js';
export type {
  CalendarEvent,
  CalendarFetchResult,
  CalendarSource,
  EventEffect,
  EventStatus,
  FetchContext,
  SourceFailure,
} from './types.js';
export {
  CalDavSource,
  createCalendarSource,
  fetchCalendarEvents,
  HomeAssistantCalendarSource,
  IcsFileSource,
  IcsUrlSource,
  RecorderCalendarSource,
} from './sources/index.js';
export type {
  CalDavSourceOptions,
  HomeAssistantConnection,
  HomeAssistantSourceOptions,
  IcsSourceOptions,
  RecorderCalendarSourceOptions,
  SourceOptions,
} from './sources/index.js';
export { isValidTimeZone, wallTimeToEpoch, timezoneFor } from './_lib/time-zones.js';
