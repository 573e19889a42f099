import { TandemError } from '../../errors.js';
import type { Interval } from '../../timeline/index.js';
import { fetchText } from '../_lib/http.js';
import { timezoneFor, wallTimeToEpoch } from '../_lib/time-zones.js';
import type { CalendarEvent, CalendarSource, EventStatus, FetchContext } from '../types.js';

export interface HomeAssistantConnection {
  /** The base URL, e.g. `http://homeassistant.local:8123`. */
  url: string;
  /** A long-lived access token. */
  token: string;
}

export interface HomeAssistantSourceOptions {
  connection: HomeAssistantConnection;
  /** The home's IANA time zone, for all-day events, which come as bare dates. */
  timeZone: string;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** One event as `GET /api/calendars/<entity_id>` returns it. */
interface HaCalendarEvent {
  start: HaEventTime;
  end: HaEventTime;
  summary?: string | null;
  description?: string | null;
  location?: string | null;
  uid?: string | null;
  recurrence_id?: string | null;
  status?: string | null;
}

type HaEventTime = { dateTime: string } | { date: string };

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * A Home Assistant calendar entity read through the REST API. Home Assistant expands
 * recurrences itself, so the answer is already a list of occurrences.
 */
export class HomeAssistantCalendarSource implements CalendarSource {
  readonly id: string;
  readonly #entityId: string;
  readonly #options: HomeAssistantSourceOptions;

  constructor(entityId: string, options: HomeAssistantSourceOptions) {
    if (!/^calendar\.[a-z0-9_]+$/.test(entityId)) {
      throw new TandemError('INVALID_ARGUMENT', `"${entityId}" is not a calendar entity id`);
    }

    this.id = `ha:${entityId}`;
    this.#entityId = entityId;
    this.#options = options;
  }

  async fetchEvents(range: Interval, context: FetchContext): Promise<CalendarEvent[]> {
    const { connection } = this.#options;
    const query = new URLSearchParams({
      start: new Date(range.start).toISOString(),
      end: new Date(range.end).toISOString(),
    });
    const base = connection.url.replace(/\/+$/, '');
    const url = `${base}/api/calendars/${this.#entityId}?${query.toString()}`;
    const response = await fetchText(url, {
      name: this.id,
      headers: { authorization: `Bearer ${connection.token}`, accept: 'application/json' },
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: this.#options.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: context.signal,
      fetch: this.#options.fetch,
    });

    if (response.status !== 200) {
      throw this.#statusError(response.status, response.text);
    }

    return this.#parseEvents(response.text);
  }

  #statusError(status: number, body: string): TandemError {
    const explanations: Record<number, string> = {
      401: 'Home Assistant refused the access token',
      403: 'the token may not read this calendar',
      400: 'Home Assistant has no calendar by that id, or refused the time range',
    };
    const detail = messageOf(body);
    const explanation = explanations[status] ?? `HTTP ${status}`;
    const message = detail ? `${explanation} (${detail})` : explanation;
    return new TandemError('CALENDAR_UNAVAILABLE', `${this.id}: ${message}`);
  }

  #parseEvents(text: string): CalendarEvent[] {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new TandemError('CALENDAR_INVALID', `${this.id}: the answer is not JSON`, {
        cause: error,
      });
    }

    if (!Array.isArray(body)) {
      throw new TandemError('CALENDAR_INVALID', `${this.id}: expected a list of events`);
    }

    return (body as HaCalendarEvent[]).flatMap((event) => this.#toCalendarEvent(event));
  }

  #toCalendarEvent(event: HaCalendarEvent): CalendarEvent[] {
    const start = this.#toEpoch(event.start);
    const end = this.#toEpoch(event.end);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      throw new TandemError('CALENDAR_INVALID', `${this.id}: an event has an unreadable time`);
    }

    const status = (event.status ?? 'confirmed').toLowerCase();
    return [
      {
        uid: event.uid ?? '',
        summary: event.summary ?? '',
        description: event.description ?? '',
        location: event.location ?? '',
        start,
        end: Math.max(start, end),
        allDay: 'date' in event.start,
        status: (['tentative', 'cancelled'].includes(status) ? status : 'confirmed') as EventStatus,
        source: this.id,
      },
    ];
  }

  #toEpoch(time: HaEventTime | undefined): number {
    if (time === undefined) {
      return Number.NaN;
    }

    if ('dateTime' in time) {
      return Date.parse(time.dateTime);
    }

    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(time.date);
    if (match === null) {
      return Number.NaN;
    }

    const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
    const wall = { year, month, day, hour: 0, minute: 0, second: 0 };
    return wallTimeToEpoch(wall, timezoneFor(this.#options.timeZone));
  }
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : '';
  } catch {
    return body.slice(0, 120);
  }
}
