import type { Interval } from '../timeline/index.js';

/** What an event says about where the household will be. */
export type EventEffect = 'away' | 'home' | 'work_from_home' | 'none';

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';

/** One occurrence of a calendar event, recurrences already expanded. */
export interface CalendarEvent {
  uid: string;
  summary: string;
  description: string;
  location: string;
  /** Epoch ms, half-open like every interval in tandem. */
  start: number;
  end: number;
  allDay: boolean;
  status: EventStatus;
  /** The id of the source the event came from, e.g. `ics:/home/me/family.ics`. */
  source: string;
}

export interface FetchContext {
  /** The caller's clock; sources never read the time themselves. */
  now: number;
  signal?: AbortSignal;
}

/**
 * Anything that can list the events of a time range: an ICS file or URL, a CalDAV collection,
 * a Home Assistant calendar entity. Failures are thrown as `TandemError`s.
 */
export interface CalendarSource {
  readonly id: string;
  fetchEvents(range: Interval, context: FetchContext): Promise<CalendarEvent[]>;
}

export interface SourceFailure {
  source: string;
  code: string;
  message: string;
}

/** Events of several sources, with the sources that could not be read. */
export interface CalendarFetchResult {
  items: CalendarEvent[];
  failures: SourceFailure[];
}
