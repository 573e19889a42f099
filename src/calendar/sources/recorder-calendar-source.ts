import { TandemError } from '../../errors.js';
import { openRecorder } from '../../sources/index.js';
import type { Interval } from '../../timeline/index.js';
import { timezoneFor, wallTimeToEpoch } from '../_lib/time-zones.js';
import type { CalendarEvent, CalendarSource } from '../types.js';

export interface RecorderCalendarSourceOptions {
  /** The recorder database, e.g. `/config/home-assistant_v2.db`. */
  file: string;
  /** The home's IANA time zone: the entity's attributes carry local times. */
  timeZone: string;
}

/** `last_updated_ts` (s), `state`, and the attribute JSON of each row of the entity. */
type Row = [number, string, string | null];

const ROWS_IN_WINDOW = `
  SELECT s.last_updated_ts, s.state, a.shared_attrs
  FROM states s
  JOIN states_meta m ON m.metadata_id = s.metadata_id
  LEFT JOIN state_attributes a ON a.attributes_id = s.attributes_id
  WHERE m.entity_id = ? AND s.last_updated_ts >= ? AND s.last_updated_ts < ?
  ORDER BY s.last_updated_ts, s.state_id`;

/** How far before the range to look: a trip began days before and shows in its attributes. */
const LOOKBACK_MS = 30 * 86_400_000;

/**
 * A Home Assistant calendar entity read from the recorder rather than the REST API, for
 * history and for homes tandem cannot call. The entity shows one event at a time: while an
 * event runs its state is `on`, and otherwise its attributes describe the next one, so every
 * event that was ever current or next is found; events hidden behind an overlapping one are not.
 */
export class RecorderCalendarSource implements CalendarSource {
  readonly id: string;
  readonly #entityId: string;
  readonly #options: RecorderCalendarSourceOptions;

  constructor(entityId: string, options: RecorderCalendarSourceOptions) {
    if (!/^calendar\.[a-z0-9_]+$/.test(entityId)) {
      throw new TandemError('INVALID_ARGUMENT', `"${entityId}" is not a calendar entity id`);
    }

    this.id = `ha:${entityId}`;
    this.#entityId = entityId;
    this.#options = options;
  }

  fetchEvents(range: Interval): Promise<CalendarEvent[]> {
    // The reader is synchronous; a promise keeps the source interface and turns throws into
    // rejections.
    return new Promise((resolve) => {
      resolve(this.#eventsOf(this.#readRows(range), range));
    });
  }

  #readRows(range: Interval): Row[] {
    try {
      const db = openRecorder(this.#options.file);
      try {
        const select = db.prepare(ROWS_IN_WINDOW).raw(true);
        const from = (range.start - LOOKBACK_MS) / 1000;
        return select.all(this.#entityId, from, range.end / 1000) as Row[];
      } finally {
        db.close();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TandemError('CALENDAR_UNAVAILABLE', `${this.id}: ${message}`, { cause: error });
    }
  }

  #eventsOf(rows: readonly Row[], range: Interval): CalendarEvent[] {
    const events = new Map<string, CalendarEvent>();
    for (const [, , json] of rows) {
      const event = this.#fromAttributes(json);
      if (event !== null) {
        events.set(`${event.summary}|${event.start}|${event.end}`, event);
      }
    }

    const found = [...events.values()];
    const unexplained = this.#onSpans(rows, range).filter(
      (span) => !found.some((event) => event.start <= span.start && event.end >= span.end),
    );
    return [...found, ...unexplained]
      .filter((event) => event.start < range.end && event.end > range.start)
      .sort((a, b) => a.start - b.start);
  }

  /** The event the attributes describe, with the times they give, or `null`. */
  #fromAttributes(json: string | null): CalendarEvent | null {
    const attributes = parseObject(json);
    const start = this.#localTime(attributes.start_time);
    const end = this.#localTime(attributes.end_time);
    if (start === null || end === null) {
      return null;
    }

    return {
      uid: '',
      summary: text(attributes.message),
      description: text(attributes.description),
      location: text(attributes.location),
      start,
      end: Math.max(start, end),
      allDay: attributes.all_day === true,
      status: 'confirmed',
      source: this.id,
    };
  }

  /** Stretches of `on` whose attributes said nothing usable: the state is all there is. */
  #onSpans(rows: readonly Row[], range: Interval): CalendarEvent[] {
    const spans: CalendarEvent[] = [];
    let since: number | null = null;
    for (const [seconds, state] of rows) {
      const time = seconds * 1000;
      if (state === 'on' && since === null) {
        since = time;
      } else if (state !== 'on' && since !== null) {
        spans.push(this.#unnamed(since, time));
        since = null;
      }
    }

    return since === null ? spans : [...spans, this.#unnamed(since, range.end)];
  }

  #unnamed(start: number, end: number): CalendarEvent {
    const base = { uid: '', summary: '', description: '', location: '', allDay: false };
    return { ...base, start, end, status: 'confirmed', source: this.id };
  }

  /** Home Assistant writes `start_time` as local "YYYY-MM-DD HH:MM:SS". */
  #localTime(value: unknown): number | null {
    const match =
      typeof value === 'string'
        ? /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(value)
        : null;
    if (match === null) {
      return null;
    }

    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const wall = { year, month, day, hour, minute, second };
    return wallTimeToEpoch(wall, timezoneFor(this.#options.timeZone));
  }
}

function parseObject(json: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
