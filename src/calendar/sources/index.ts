import { TandemError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Interval } from '../../timeline/index.js';
import type { CalendarFetchResult, CalendarSource, FetchContext } from '../types.js';
import { CalDavSource } from './caldav-source.js';
import { HomeAssistantCalendarSource } from './home-assistant-source.js';
import type { HomeAssistantConnection } from './home-assistant-source.js';
import { IcsFileSource, IcsUrlSource } from './ics-source.js';
import { RecorderCalendarSource } from './recorder-calendar-source.js';

export interface SourceOptions {
  /** The home's IANA time zone. */
  timeZone: string;
  /** For `ha:` sources: read them through the REST API. */
  homeAssistant?: HomeAssistantConnection;
  /** For `ha:` sources without a connection: read the entity's history from this recorder. */
  recorderFile?: string;
  timeoutMs?: number;
  maxBytes?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

/**
 * Makes a source from how a person writes it on the command line: a file path, an http(s) or
 * webcal URL, `caldav:URL`, or `ha:calendar.x`.
 *
 * @throws TandemError `INVALID_ARGUMENT` for an `ha:` source without a connection
 */
export function createCalendarSource(spec: string, options: SourceOptions): CalendarSource {
  if (spec.startsWith('caldav:')) {
    return new CalDavSource(spec.slice('caldav:'.length), options);
  }

  if (spec.startsWith('ha:')) {
    return createHomeAssistantSource(spec, options);
  }

  if (/^(https?|webcals?):\/\//i.test(spec)) {
    return new IcsUrlSource(spec, options);
  }

  return new IcsFileSource(spec, options);
}

function createHomeAssistantSource(spec: string, options: SourceOptions): CalendarSource {
  const entityId = spec.slice('ha:'.length);
  if (options.homeAssistant !== undefined) {
    return new HomeAssistantCalendarSource(entityId, {
      ...options,
      connection: options.homeAssistant,
    });
  }

  if (options.recorderFile !== undefined) {
    return new RecorderCalendarSource(entityId, { ...options, file: options.recorderFile });
  }

  throw new TandemError(
    'INVALID_ARGUMENT',
    `${spec} needs a Home Assistant URL and access token (HA_URL and HA_TOKEN), ` +
      'or a recorder database to read the calendar history from',
  );
}

/**
 * Reads every source in parallel. A source that fails is listed in `failures` with its error
 * code; the events of the others are still returned.
 */
export async function fetchCalendarEvents(
  sources: readonly CalendarSource[],
  range: Interval,
  context: FetchContext,
): Promise<CalendarFetchResult> {
  const settled = await Promise.allSettled(
    sources.map((source) => source.fetchEvents(range, context)),
  );
  const result: CalendarFetchResult = { items: [], failures: [] };
  settled.forEach((outcome, index) => {
    const source = sources[index]?.id ?? '?';
    if (outcome.status === 'fulfilled') {
      result.items.push(...outcome.value);
    } else {
      const error: unknown = outcome.reason;
      const code = error instanceof TandemError ? error.code : 'CALENDAR_UNAVAILABLE';
      const message = error instanceof Error ? error.message : String(error);
      result.failures.push({ source, code, message });
    }
  });

  result.items.sort((a, b) => a.start - b.start);
  return result;
}

export { CalDavSource } from './caldav-source.js';
export type { CalDavSourceOptions } from './caldav-source.js';
export { HomeAssistantCalendarSource } from './home-assistant-source.js';
export type {
  HomeAssistantConnection,
  HomeAssistantSourceOptions,
} from './home-assistant-source.js';
export { IcsFileSource, IcsUrlSource } from './ics-source.js';
export type { IcsSourceOptions } from './ics-source.js';
export { RecorderCalendarSource } from './recorder-calendar-source.js';
export type { RecorderCalendarSourceOptions } from './recorder-calendar-source.js';
