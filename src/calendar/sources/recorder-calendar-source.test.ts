import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { RecorderWriter } from '../../simulate/index.js';
import { RecorderCalendarSource } from './recorder-calendar-source.js';

const at = (iso: string) => Date.parse(iso);
const RANGE = { start: at('2024-07-01T00:00Z'), end: at('2024-07-08T00:00Z') };

const OFFICE = {
  message: 'Büro',
  description: '',
  location: '',
  all_day: false,
  start_time: '2024-07-01 09:00:00',
  end_time: '2024-07-01 17:00:00',
  friendly_name: 'Family',
};
const TRIP = {
  ...OFFICE,
  message: 'Urlaub',
  all_day: true,
  start_time: '2024-07-03 00:00:00',
  end_time: '2024-07-05 00:00:00',
};

describe('RecorderCalendarSource', () => {
  let file: string;

  beforeAll(() => {
    file = join(mkdtempSync(join(tmpdir(), 'tandem-recorder-calendar-')), 'home-assistant_v2.db');
    const writer = RecorderWriter.create(file);
    const write = (iso: string, state: string, attributes: Record<string, unknown>) =>
      writer.write({
        entityId: 'calendar.family',
        time: at(iso),
        state,
        attributes,
        cause: 'device',
      });
    write('2024-06-30T20:00:00Z', 'off', OFFICE);
    write('2024-07-01T07:00:00Z', 'on', { ...OFFICE });
    write('2024-07-01T15:00:00Z', 'off', TRIP);
    write('2024-07-02T22:00:00Z', 'on', { ...TRIP });
    write('2024-07-04T22:00:00Z', 'off', { friendly_name: 'Family' });
    write('2024-07-06T10:00:00Z', 'on', { friendly_name: 'Family' });
    write('2024-07-06T11:00:00Z', 'off', { friendly_name: 'Family' });
    writer.close(at('2024-07-08T00:00:00Z'));
  });

  it('returns the events the entity showed, with the times from its attributes', async () => {
    const source = new RecorderCalendarSource('calendar.family', {
      file,
      timeZone: 'Europe/Berlin',
    });

    const events = await source.fetchEvents(RANGE);

    expect(
      events.map(({ summary, start, end, allDay }) => ({ summary, start, end, allDay })),
    ).toEqual([
      {
        summary: 'Büro',
        start: at('2024-07-01T07:00Z'),
        end: at('2024-07-01T15:00Z'),
        allDay: false,
      },
      {
        summary: 'Urlaub',
        start: at('2024-07-02T22:00Z'),
        end: at('2024-07-04T22:00Z'),
        allDay: true,
      },
      { summary: '', start: at('2024-07-06T10:00Z'), end: at('2024-07-06T11:00Z'), allDay: false },
    ]);
  });

  it('throws CALENDAR_UNAVAILABLE for a missing recorder', async () => {
    const source = new RecorderCalendarSource('calendar.family', {
      file: '/nonexistent/home-assistant_v2.db',
      timeZone: 'Europe/Berlin',
    });

    await expect(source.fetchEvents(RANGE)).rejects.toMatchObject({ code: 'CALENDAR_UNAVAILABLE' });
  });
});
