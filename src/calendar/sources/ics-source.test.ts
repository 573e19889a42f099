import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { startHttpServer } from '../../../test/http-server.js';
import type { TestServer } from '../../../test/http-server.js';
import { IcsFileSource, IcsUrlSource } from './ics-source.js';

const RANGE = { start: Date.parse('2024-07-01T00:00Z'), end: Date.parse('2024-07-08T00:00Z') };
const CONTEXT = { now: Date.parse('2024-06-30T12:00Z') };
const OPTIONS = { timeZone: 'Europe/Berlin' };

const TRIP = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'UID:trip',
  'SUMMARY:Urlaub',
  'DTSTART;VALUE=DATE:20240702',
  'DTEND;VALUE=DATE:20240705',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tandem-ics-')), name);
  writeFileSync(path, text);
  return path;
}

describe('IcsFileSource', () => {
  it('returns the events of a file', async () => {
    const source = new IcsFileSource(writeTemp('family.ics', TRIP), OPTIONS);

    const events = await source.fetchEvents(RANGE);

    expect(events).toMatchObject([{ summary: 'Urlaub', allDay: true }]);
  });

  it('throws CALENDAR_INVALID naming the file and line of a malformed file', async () => {
    const path = writeTemp('broken.ics', TRIP.replace('END:VEVENT', 'END:VTODO'));
    const source = new IcsFileSource(path, OPTIONS);

    await expect(source.fetchEvents(RANGE)).rejects.toMatchObject({
      code: 'CALENDAR_INVALID',
      message: `${path}:8: END:VTODO closes BEGIN:VEVENT of line 3`,
    });
  });

  it('throws CALENDAR_UNAVAILABLE for a missing file', async () => {
    const source = new IcsFileSource('/nonexistent/family.ics', OPTIONS);

    await expect(source.fetchEvents(RANGE)).rejects.toMatchObject({ code: 'CALENDAR_UNAVAILABLE' });
  });
});

describe('IcsUrlSource', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('asks again with the ETag and reuses the calendar on 304', async () => {
    server = await startHttpServer((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304).end();
        return;
      }

      response.writeHead(200, { etag: '"v1"', 'content-type': 'text/calendar' }).end(TRIP);
    });
    const source = new IcsUrlSource(`${server.url}/cal.ics`, OPTIONS);

    const first = await source.fetchEvents(RANGE, CONTEXT);
    const second = await source.fetchEvents(RANGE, CONTEXT);

    expect(second).toEqual(first);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
  });

  it('throws CALENDAR_UNAVAILABLE for a URL nothing listens on', async () => {
    const source = new IcsUrlSource('http://127.0.0.1:9/cal.ics', OPTIONS);

    await expect(source.fetchEvents(RANGE, CONTEXT)).rejects.toMatchObject({
      code: 'CALENDAR_UNAVAILABLE',
      message: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/cal\.ics: fetch failed/) as unknown,
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    server = await startHttpServer(() => {
      // Never answers.
    });
    const source = new IcsUrlSource(`${server.url}/slow.ics`, { ...OPTIONS, timeoutMs: 200 });

    await expect(source.fetchEvents(RANGE, CONTEXT)).rejects.toThrow(/no answer within 200 ms/);
  });

  it('refuses a calendar larger than the limit', async () => {
    server = await startHttpServer((_request, response) => {
      response.writeHead(200).end(TRIP);
    });
    const source = new IcsUrlSource(`${server.url}/big.ics`, { ...OPTIONS, maxBytes: 100 });

    await expect(source.fetchEvents(RANGE, CONTEXT)).rejects.toThrow(/larger than the 100-byte/);
  });

  it('throws CALENDAR_UNAVAILABLE for an HTTP error status', async () => {
    server = await startHttpServer((_request, response) => {
      response.writeHead(404).end();
    });
    const source = new IcsUrlSource(`${server.url}/gone.ics`, OPTIONS);

    await expect(source.fetchEvents(RANGE, CONTEXT)).rejects.toThrow(/HTTP 404/);
  });

  it('keeps secrets of the URL out of its id', () => {
    const url = 'https://calendar.google.com/calendar/ical/me%40gmail.com/private-abc123/basic.ics';

    const source = new IcsUrlSource(url, OPTIONS);

    expect(source.id).toBe(
      'https://calendar.google.com/calendar/ical/me%40gmail.com/private-…/basic.ics',
    );
  });
});
