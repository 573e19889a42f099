import { createDAVClient } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../logger.js';
import type { LogFields, Logger } from '../../logger.js';
import { startRadicale } from '../../../test/radicale.js';
import type { RadicaleServer } from '../../../test/radicale.js';
import { CalDavSource } from './caldav-source.js';

const RANGE = { start: Date.parse('2024-07-01T00:00Z'), end: Date.parse('2024-07-08T00:00Z') };

function officeSeries(summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//tandem//test//EN',
    'BEGIN:VEVENT',
    'UID:office@tandem.test',
    'DTSTAMP:20240601T000000Z',
    `SUMMARY:${summary}`,
    'DTSTART;TZID=Europe/Berlin:20240701T090000',
    'DTEND;TZID=Europe/Berlin:20240701T170000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
}

function countingLogger(): Logger & { reads: number } {
  const logger = {
    ...silentLogger,
    reads: 0,
    debug(_fields: LogFields, message: string) {
      if (message === 'calendar collection read') {
        logger.reads++;
      }
    },
  };
  return logger;
}

describe('CalDavSource', () => {
  let radicale: RadicaleServer;
  let calendarUrl: string;
  let client: Awaited<ReturnType<typeof createDAVClient>>;

  beforeAll(async () => {
    radicale = await startRadicale();
    client = await createDAVClient({
      serverUrl: radicale.url,
      credentials: { username: 'anna', password: 'x' },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
    });
    calendarUrl = `${radicale.url}anna/family/`;
    await client.makeCalendar({ url: calendarUrl, props: { displayname: 'Family' } });
    const [calendar] = await client.fetchCalendars();
    await client.createCalendarObject({
      calendar: calendar!,
      filename: 'office.ics',
      iCalString: officeSeries('Office'),
    });
  });

  afterAll(async () => {
    await radicale.stop();
  });

  it('returns the expanded events of a calendar created on the server', async () => {
    const url = calendarUrl.replace('http://', 'http://anna:x@');
    const source = new CalDavSource(url, { timeZone: 'Europe/Berlin' });

    const events = await source.fetchEvents(RANGE);

    expect(events.map((event) => new Date(event.start).toISOString())).toEqual([
      '2024-07-01T07:00:00.000Z',
      '2024-07-03T07:00:00.000Z',
    ]);
    expect(events[0]).toMatchObject({ summary: 'Office', source: source.id });
    expect(source.id).not.toContain(':x@');
  });

  it('reads the objects again only after the collection changed', async () => {
    const logger = countingLogger();
    const source = new CalDavSource(calendarUrl, {
      timeZone: 'Europe/Berlin',
      username: 'anna',
      password: 'x',
      logger,
    });

    await source.fetchEvents(RANGE);
    await source.fetchEvents(RANGE);
    expect(logger.reads).toBe(1);

    const [object] = await client.fetchCalendarObjects({
      calendar: (await client.fetchCalendars())[0]!,
    });
    await client.updateCalendarObject({
      calendarObject: { ...object!, data: officeSeries('Büro') },
    });
    const events = await source.fetchEvents(RANGE);

    expect(logger.reads).toBe(2);
    expect(events[0]?.summary).toBe('Büro');
  });

  it('throws CALENDAR_UNAVAILABLE when the server cannot be reached', async () => {
    const source = new CalDavSource('http://127.0.0.1:9/dav/', {
      timeZone: 'Europe/Berlin',
      timeoutMs: 2000,
    });

    await expect(source.fetchEvents(RANGE)).rejects.toMatchObject({ code: 'CALENDAR_UNAVAILABLE' });
  });
});
