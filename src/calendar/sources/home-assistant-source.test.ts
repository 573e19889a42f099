import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHttpServer } from '../../../test/http-server.js';
import type { TestServer } from '../../../test/http-server.js';
import { HomeAssistantCalendarSource } from './home-assistant-source.js';

const TOKEN = 'long-lived-token';
const RANGE = { start: Date.parse('2024-07-01T00:00Z'), end: Date.parse('2024-07-08T00:00Z') };
const CONTEXT = { now: Date.parse('2024-06-30T12:00Z') };

/** Events in the shape Home Assistant's `/api/calendars/<entity_id>` answers with. */
const EVENTS = [
  {
    start: { dateTime: '2024-07-01T09:00:00+02:00' },
    end: { dateTime: '2024-07-01T17:00:00+02:00' },
    summary: 'Büro',
    description: null,
    location: null,
    uid: 'a1',
    recurrence_id: null,
    rrule: null,
  },
  {
    start: { date: '2024-07-03' },
    end: { date: '2024-07-05' },
    summary: 'Urlaub',
    description: null,
    location: 'Ostsee',
    uid: 'b2',
    recurrence_id: null,
    rrule: null,
  },
];

describe('HomeAssistantCalendarSource', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end('401: Unauthorized');
      } else if (url.pathname !== '/api/calendars/calendar.family') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Entity not found' }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(EVENTS));
      }
    });
  });

  afterAll(async () => {
    await server.close();
  });

  function source(entityId: string, token = TOKEN): HomeAssistantCalendarSource {
    return new HomeAssistantCalendarSource(entityId, {
      connection: { url: server.url, token },
      timeZone: 'Europe/Berlin',
    });
  }

  it('returns timed and all-day events as epoch intervals', async () => {
    const events = await source('calendar.family').fetchEvents(RANGE, CONTEXT);

    expect(events).toMatchObject([
      { summary: 'Büro', allDay: false, start: Date.parse('2024-07-01T07:00Z') },
      {
        summary: 'Urlaub',
        allDay: true,
        location: 'Ostsee',
        start: Date.parse('2024-07-02T22:00Z'),
        end: Date.parse('2024-07-04T22:00Z'),
      },
    ]);
  });

  it('asks for the range with ISO start and end', async () => {
    await source('calendar.family').fetchEvents(RANGE, CONTEXT);

    const url = new URL(server.requests.at(-1)?.url ?? '', server.url);
    expect(url.searchParams.get('start')).toBe('2024-07-01T00:00:00.000Z');
    expect(url.searchParams.get('end')).toBe('2024-07-08T00:00:00.000Z');
  });

  it('throws CALENDAR_UNAVAILABLE when the token is refused', async () => {
    await expect(source('calendar.family', 'wrong').fetchEvents(RANGE, CONTEXT)).rejects.toThrow(
      /ha:calendar\.family: Home Assistant refused the access token/,
    );
  });

  it("throws with Home Assistant's message for an unknown calendar", async () => {
    await expect(source('calendar.nope').fetchEvents(RANGE, CONTEXT)).rejects.toThrow(
      /no calendar by that id.*\(Entity not found\)/,
    );
  });
});
