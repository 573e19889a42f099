import { readFile, stat } from 'node:fs/promises';

import { TandemError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Interval } from '../../timeline/index.js';
import { fetchText, redactUrl } from '../_lib/http.js';
import { expandIcs } from '../expand.js';
import { parseIcs } from '../ics-parse.js';
import type { IcsCalendar } from '../ics-parse.js';
import type { CalendarEvent, CalendarSource, FetchContext } from '../types.js';

export interface IcsSourceOptions {
  /** The home's IANA time zone, for all-day and floating times. */
  timeZone: string;
  timeoutMs?: number;
  /** Calendars larger than this are refused rather than parsed. */
  maxBytes?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Expands a parsed calendar and logs the events that could not be read. */
function expandLogged(
  calendar: IcsCalendar,
  range: Interval,
  id: string,
  options: IcsSourceOptions,
): CalendarEvent[] {
  const { items, failures } = expandIcs(calendar, range, {
    timeZone: options.timeZone,
    source: id,
  });
  for (const failure of failures) {
    options.logger?.warn({ source: id, ...failure }, 'calendar event skipped');
  }

  return items;
}

/** An `.ics` file on disk, parsed again only when its size or modification time changes. */
export class IcsFileSource implements CalendarSource {
  readonly id: string;
  readonly #path: string;
  readonly #options: IcsSourceOptions;
  #parsed: { version: string; calendar: IcsCalendar } | undefined;

  constructor(path: string, options: IcsSourceOptions) {
    this.id = `ics:${path}`;
    this.#path = path;
    this.#options = options;
  }

  async fetchEvents(range: Interval): Promise<CalendarEvent[]> {
    const calendar = await this.#load();
    return expandLogged(calendar, range, this.id, this.#options);
  }

  async #load(): Promise<IcsCalendar> {
    const info = await stat(this.#path).catch((error: unknown) => {
      throw new TandemError('CALENDAR_UNAVAILABLE', `${this.#path}: cannot be read`, {
        cause: error,
      });
    });
    const maxBytes = this.#options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (info.size > maxBytes) {
      throw new TandemError(
        'CALENDAR_INVALID',
        `${this.#path}: ${info.size} bytes is more than the ${maxBytes}-byte limit`,
      );
    }

    const version = `${info.size}:${info.mtimeMs}`;
    if (this.#parsed?.version !== version) {
      const calendar = parseIcs(await readFile(this.#path, 'utf8'), this.#path);
      this.#parsed = { version, calendar };
    }

    return this.#parsed.calendar;
  }
}

interface Validators {
  etag: string | null;
  lastModified: string | null;
  calendar: IcsCalendar;
}

/**
 * An `.ics` published at an http(s) URL: a Google Calendar secret address, a Nextcloud export.
 * Asks with If-None-Match / If-Modified-Since, so an unchanged calendar costs a 304.
 */
export class IcsUrlSource implements CalendarSource {
  readonly id: string;
  readonly #url: string;
  readonly #options: IcsSourceOptions;
  #last: Validators | undefined;

  constructor(url: string, options: IcsSourceOptions) {
    this.#url = url.replace(/^webcals?:\/\//, 'https://');
    this.id = redactUrl(this.#url);
    this.#options = options;
  }

  async fetchEvents(range: Interval, context: FetchContext): Promise<CalendarEvent[]> {
    const calendar = await this.#load(context);
    return expandLogged(calendar, range, this.id, this.#options);
  }

  async #load(context: FetchContext): Promise<IcsCalendar> {
    const response = await fetchText(this.#url, {
      name: this.id,
      headers: conditionalHeaders(this.#last),
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: this.#options.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: context.signal,
      fetch: this.#options.fetch,
    });

    if (response.status === 304 && this.#last !== undefined) {
      this.#options.logger?.debug({ source: this.id }, 'calendar not modified');
      return this.#last.calendar;
    }

    if (response.status !== 200) {
      throw new TandemError('CALENDAR_UNAVAILABLE', `${this.id}: HTTP ${response.status}`);
    }

    const calendar = parseIcs(response.text, this.id);
    this.#last = {
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      calendar,
    };
    return calendar;
  }
}

function conditionalHeaders(last: Validators | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
  if (last?.etag) {
    headers['if-none-match'] = last.etag;
  }

  if (last?.lastModified) {
    headers['if-modified-since'] = last.lastModified;
  }

  return headers;
}
