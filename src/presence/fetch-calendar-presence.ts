import { createCalendarSource } from '../calendar/index.js';
import type { HomeAssistantConnection } from '../calendar/index.js';
import type { Interval } from '../timeline/index.js';
import { CalendarPresence } from './calendar-service.js';
import type { CalendarPresenceOptions } from './calendar-service.js';
import type { PresenceInterval, SourceStatus } from './types.js';

export interface FetchCalendarPresenceOptions extends Pick<
  CalendarPresenceOptions,
  'homeLocation' | 'rules' | 'commute' | 'learned' | 'tripHours' | 'residents' | 'logger'
> {
  /** Sources as written on the command line: a path, a URL, `caldav:URL`, `ha:calendar.x`. */
  sources: readonly string[];
  window: Interval;
  now: number;
  /** The home's IANA time zone, for all-day and floating times. */
  timeZone: string;
  homeAssistant?: HomeAssistantConnection;
  /** Where `ha:` sources are read from when there is no `homeAssistant` connection. */
  recorderFile?: string;
  timeoutMs?: number;
}

export interface CalendarPresenceResult {
  /** Gap-free over the whole window; `unknown` where a calendar could not be read. */
  intervals: PresenceInterval[];
  sources: SourceStatus[];
}

/**
 * Reads the calendars once and returns the presence they imply over `window`, with how each
 * source fared. A source that fails is reported, not thrown: its time becomes `unknown`.
 *
 * @throws TandemError `INVALID_ARGUMENT` for a source that cannot even be set up
 *   (`ha:` without a connection, a malformed entity id)
 *
 * @example
 * const { intervals, sources } = await fetchCalendarPresence({
 *   sources: ['/config/family.ics', 'ha:calendar.work'],
 *   window: { start, end },
 *   now: Date.now(),
 *   timeZone: 'Europe/Berlin',
 * });
 */
export async function fetchCalendarPresence(
  options: FetchCalendarPresenceOptions,
): Promise<CalendarPresenceResult> {
  const sources = options.sources.map((spec) => createCalendarSource(spec, options));
  const presence = new CalendarPresence({ ...options, sources });
  await presence.refresh(options.now, options.window);
  return { intervals: [...presence.intervals()], sources: [...presence.sourceStatus()] };
}

/** The `presence` object of the JSON output: ISO times and snake_case keys. */
export interface PresenceJson {
  intervals: {
    start: string;
    end: string;
    state: string;
    work_from_home: boolean;
    confidence: number;
    source: string;
    reason: string;
    stale: boolean;
  }[];
  sources: {
    source: string;
    ok: boolean;
    stale: boolean;
    events: number;
    fetched_at: string | null;
    error: { code: string; message: string } | null;
  }[];
}

export function toPresenceJson(result: CalendarPresenceResult): PresenceJson {
  return {
    intervals: result.intervals.map((interval) => ({
      start: new Date(interval.start).toISOString(),
      end: new Date(interval.end).toISOString(),
      state: interval.state,
      work_from_home: interval.workFromHome,
      confidence: Math.round(interval.confidence * 1000) / 1000,
      source: interval.source,
      reason: interval.reason,
      stale: interval.stale,
    })),
    sources: result.sources.map((status) => ({
      source: status.source,
      ok: status.ok,
      stale: status.stale,
      events: status.events,
      fetched_at: status.fetchedAt === null ? null : new Date(status.fetchedAt).toISOString(),
      error: status.error ?? null,
    })),
  };
}
