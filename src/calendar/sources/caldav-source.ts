import { createDAVClient } from 'tsdav';
import type { DAVCalendar, DAVObject } from 'tsdav';

import { TandemError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Interval } from '../../timeline/index.js';
import { describe, redactUrl } from '../_lib/http.js';
import { expandIcs } from '../expand.js';
import { parseIcs } from '../ics-parse.js';
import type { IcsCalendar } from '../ics-parse.js';
import type { CalendarEvent, CalendarSource } from '../types.js';

export interface CalDavSourceOptions {
  timeZone: string;
  /** Credentials, when not written into the URL as `https://user:password@host/...`. */
  username?: string;
  password?: string;
  /** The deadline for each request to the server. */
  timeoutMs?: number;
  logger?: Logger;
}

type DavClient = Awaited<ReturnType<typeof createDAVClient>>;

interface CollectionState {
  /** The server's change tag (or sync token) when the objects were read. */
  tag: string | undefined;
  objects: IcsCalendar[];
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The event calendars of a CalDAV account (Nextcloud, Radicale, iCloud), or of one collection
 * when the URL points at it. Objects are read again only when a collection's ctag or sync
 * token changes, and recurrences are expanded here: servers differ in how well they expand.
 */
export class CalDavSource implements CalendarSource {
  readonly id: string;
  readonly #url: URL;
  readonly #options: CalDavSourceOptions;
  readonly #collections = new Map<string, CollectionState>();
  #client: Promise<DavClient> | undefined;

  constructor(url: string, options: CalDavSourceOptions) {
    this.#url = new URL(url);
    this.id = `caldav:${redactUrl(url)}`;
    this.#options = options;
  }

  async fetchEvents(range: Interval): Promise<CalendarEvent[]> {
    try {
      const client = await this.#connect();
      const calendars = this.#select(await client.fetchCalendars());
      const objects = await Promise.all(
        calendars.map((calendar) => this.#objectsOf(client, calendar)),
      );
      return objects.flat().flatMap((calendar) => this.#expand(calendar, range));
    } catch (error) {
      this.#client = undefined;
      if (error instanceof TandemError) {
        throw error;
      }

      throw new TandemError('CALENDAR_UNAVAILABLE', `${this.id}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  #connect(): Promise<DavClient> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timedFetch: typeof fetch = (input, init) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const serverUrl = new URL(this.#url);
    serverUrl.username = '';
    serverUrl.password = '';

    this.#client ??= createDAVClient({
      serverUrl: serverUrl.toString(),
      credentials: {
        username: this.#options.username ?? decodeURIComponent(this.#url.username),
        password: this.#options.password ?? decodeURIComponent(this.#url.password),
      },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
      fetch: timedFetch,
    });
    return this.#client;
  }

  /** Event calendars only; and only the one the URL names, when it names one. */
  #select(calendars: DAVCalendar[]): DAVCalendar[] {
    const events = calendars.filter((calendar) => calendar.components?.includes('VEVENT') ?? true);
    const path = this.#url.pathname.replace(/\/?$/, '/');
    const named = events.filter((calendar) => new URL(calendar.url, this.#url).pathname === path);
    return named.length > 0 ? named : events;
  }

  async #objectsOf(client: DavClient, calendar: DAVCalendar): Promise<IcsCalendar[]> {
    const tag = calendar.ctag ?? calendar.syncToken;
    const known = this.#collections.get(calendar.url);
    if (known !== undefined && tag !== undefined && known.tag === tag) {
      return known.objects;
    }

    const fetched = await client.fetchCalendarObjects({ calendar });
    const objects = fetched.flatMap((object) => this.#parse(object));
    this.#collections.set(calendar.url, { tag, objects });
    this.#options.logger?.debug(
      { source: this.id, collection: calendar.url, objects: objects.length },
      'calendar collection read',
    );
    return objects;
  }

  /** One broken object must not hide the rest of the calendar. */
  #parse(object: DAVObject): IcsCalendar[] {
    try {
      return [parseIcs(String(object.data ?? ''), object.url)];
    } catch (error) {
      this.#options.logger?.warn(
        { source: this.id, error: describe(error) },
        'calendar object skipped',
      );
      return [];
    }
  }

  #expand(calendar: IcsCalendar, range: Interval): CalendarEvent[] {
    const { items, failures } = expandIcs(calendar, range, {
      timeZone: this.#options.timeZone,
      source: this.id,
    });
    for (const failure of failures) {
      this.#options.logger?.warn({ source: this.id, ...failure }, 'calendar event skipped');
    }

    return items;
  }
}
