import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { isTandemError } from '../errors.js';
import { expandIcs } from './expand.js';
import { parseIcs } from './ics-parse.js';

const DATA = new URL('../../../shared/data/ical/', import.meta.url).pathname;
const BERLIN = { timeZone: 'Europe/Berlin', source: 'test' };

function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
}

function vevent(...lines: string[]): string[] {
  return ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
}

function expandText(text: string, start: string, end: string, options = BERLIN) {
  const range = { start: Date.parse(start), end: Date.parse(end) };
  return expandIcs(parseIcs(text, 'test.ics'), range, options);
}

function startsOf(text: string, start: string, end: string): string[] {
  return expandText(text, start, end).items.map((item) => new Date(item.start).toISOString());
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August'];
const MORE_MONTHS = ['September', 'October', 'November', 'December'];

/** Reads node-ical's snapshot dates: "Thursday, June 1, 2017 at 4:00 PM GMT+2". */
function parseSnapshotDate(text: string): number {
  const match = /(\w+) (\d+), (\d{4}) at (\d+):(\d+) (AM|PM) GMT([+-]\d+)/.exec(text);
  if (match === null) {
    throw new Error(`unreadable snapshot date ${text}`);
  }

  const [, month, day, year, hour, minute, half, offset] = match;
  const monthIndex = [...MONTHS, ...MORE_MONTHS].indexOf(month!);
  const hour24 = (Number(hour) % 12) + (half === 'PM' ? 12 : 0);
  const local = Date.UTC(Number(year), monthIndex, Number(day), hour24, Number(minute));
  return local - Number(offset) * 3_600_000;
}

function readSnapshot(file: string): { summary: string; start: number; end: number }[] {
  const blocks = readFileSync(file, 'utf8')
    .trim()
    .split(/\n\s*\n/);
  return blocks.map((block) => {
    const fields = Object.fromEntries(
      block
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
    );
    return {
      summary: String(fields.title ?? fields.summary),
      start: fields.startDate
        ? parseSnapshotDate(fields.startDate)
        : Date.parse(String(fields.start)),
      end: fields.endDate ? parseSnapshotDate(fields.endDate) : Date.parse(String(fields.end)),
    };
  });
}

function listIcsFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      return listIcsFiles(path);
    }

    return entry.name.endsWith('.ics') ? [path] : [];
  });
}

describe('expandIcs', () => {
  describe('when checked against node-ical snapshots', () => {
    it.each([
      ['example-rrule.ics', 'example-rrule-vanilla.txt'],
      ['example-rrule-basic.ics', 'example-rrule-basic.txt'],
    ])('returns the occurrences listed for %s', (ics, snapshot) => {
      const text = readFileSync(join(DATA, 'node-ical/examples', ics), 'utf8');
      const expected = readSnapshot(join(DATA, 'node-ical/test/snapshots', snapshot));

      const { items, failures } = expandText(text, '2000-01-01T00:00Z', '2030-01-01T00:00Z');

      expect(failures).toEqual([]);
      expect(items.map(({ summary, start, end }) => ({ summary, start, end }))).toEqual(expected);
    });
  });

  it('reads every calendar of the shared corpus without crashing', () => {
    const files = listIcsFiles(DATA);
    const outcomes = files.map((file) => {
      try {
        const parsed = parseIcs(readFileSync(file, 'utf8'), file);
        expandIcs(parsed, { start: Date.UTC(2017, 0, 1), end: Date.UTC(2020, 0, 1) }, BERLIN);
        return 'parsed';
      } catch (error) {
        expect(isTandemError(error) && error.code).toBe('CALENDAR_INVALID');
        expect((error as Error).message).toMatch(new RegExp(`^${file}:\\d+: `));
        return 'rejected';
      }
    });

    expect(files.length).toBeGreaterThan(150);
    expect(outcomes.filter((outcome) => outcome === 'parsed').length).toBeGreaterThan(160);
  });

  describe('across daylight-saving changes', () => {
    const weekly = calendar(
      ...vevent(
        'UID:office',
        'SUMMARY:Office',
        'DTSTART;TZID=Europe/Berlin:20240322T090000',
        'DTEND;TZID=Europe/Berlin:20240322T170000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
      ),
    );

    it('keeps the local wall-clock time when the offset changes', () => {
      expect(startsOf(weekly, '2024-03-01T00:00Z', '2024-05-01T00:00Z')).toEqual([
        '2024-03-22T08:00:00.000Z',
        '2024-03-29T08:00:00.000Z',
        '2024-04-05T07:00:00.000Z',
      ]);
    });

    it('returns the same instants whatever the process time zone', () => {
      const before = process.env.TZ;
      process.env.TZ = 'America/Los_Angeles';
      try {
        expect(startsOf(weekly, '2024-03-01T00:00Z', '2024-05-01T00:00Z')).toEqual([
          '2024-03-22T08:00:00.000Z',
          '2024-03-29T08:00:00.000Z',
          '2024-04-05T07:00:00.000Z',
        ]);
      } finally {
        if (before === undefined) {
          delete process.env.TZ;
        } else {
          process.env.TZ = before;
        }
      }
    });

    it('moves a time inside the spring-forward gap to after the gap', () => {
      const gap = calendar(
        ...vevent('UID:gap', 'SUMMARY:Gap', 'DTSTART;TZID=Europe/Berlin:20240331T023000'),
      );

      expect(startsOf(gap, '2024-03-30T00:00Z', '2024-04-01T00:00Z')).toEqual([
        '2024-03-31T01:30:00.000Z',
      ]);
    });

    it('reads a time that occurs twice on the fall-back day as the first one', () => {
      const overlap = calendar(
        ...vevent('UID:overlap', 'SUMMARY:Overlap', 'DTSTART;TZID=Europe/Berlin:20241027T023000'),
      );

      expect(startsOf(overlap, '2024-10-26T00:00Z', '2024-10-28T00:00Z')).toEqual([
        '2024-10-27T00:30:00.000Z',
      ]);
    });
  });

  describe('with excluded dates and overrides', () => {
    const series = [
      'UID:standup',
      'SUMMARY:Standup',
      'DTSTART;TZID=Europe/Berlin:20240701T090000',
      'DTEND;TZID=Europe/Berlin:20240701T093000',
      'RRULE:FREQ=DAILY;COUNT=5',
    ];

    it('drops dates excluded in local and in UTC form', () => {
      const text = calendar(
        ...vevent(
          ...series,
          'EXDATE;TZID=Europe/Berlin:20240702T090000',
          'EXDATE:20240704T070000Z',
        ),
      );

      expect(startsOf(text, '2024-07-01T00:00Z', '2024-07-10T00:00Z')).toEqual([
        '2024-07-01T07:00:00.000Z',
        '2024-07-03T07:00:00.000Z',
        '2024-07-05T07:00:00.000Z',
      ]);
    });

    it('applies an override that moves an occurrence into the range from outside it', () => {
      const text = calendar(
        ...vevent(...series),
        ...vevent(
          'UID:standup',
          'RECURRENCE-ID;TZID=Europe/Berlin:20240705T090000',
          'SUMMARY:Standup (moved)',
          'DTSTART;TZID=Europe/Berlin:20240701T140000',
          'DTEND;TZID=Europe/Berlin:20240701T150000',
        ),
      );

      const { items } = expandText(text, '2024-07-01T00:00Z', '2024-07-02T00:00Z');

      expect(items.map((item) => [item.summary, new Date(item.start).toISOString()])).toEqual([
        ['Standup', '2024-07-01T07:00:00.000Z'],
        ['Standup (moved)', '2024-07-01T12:00:00.000Z'],
      ]);
    });

    it('applies an override only to the series of its UID', () => {
      const moved = (uid: string, day: string) =>
        vevent(
          `UID:${uid}`,
          `RECURRENCE-ID;TZID=Europe/Berlin:${day}T090000`,
          `DTSTART;TZID=Europe/Berlin:${day}T110000`,
          `DTEND;TZID=Europe/Berlin:${day}T113000`,
        );
      const text = calendar(
        ...vevent(...series),
        ...moved('standup', '20240702'),
        ...vevent(...series.map((line) => line.replace('standup', 'review'))),
        ...moved('review', '20240704'),
      );

      const { items } = expandText(text, '2024-07-02T00:00Z', '2024-07-03T00:00Z');

      expect(items.map((item) => [item.uid, new Date(item.start).toISOString()])).toEqual([
        ['review', '2024-07-02T07:00:00.000Z'],
        ['standup', '2024-07-02T09:00:00.000Z'],
      ]);
    });

    it('drops an occurrence whose override is cancelled', () => {
      const text = calendar(
        ...vevent(...series),
        ...vevent(
          'UID:standup',
          'RECURRENCE-ID;TZID=Europe/Berlin:20240702T090000',
          'STATUS:CANCELLED',
          'DTSTART;TZID=Europe/Berlin:20240702T090000',
        ),
      );

      expect(startsOf(text, '2024-07-02T00:00Z', '2024-07-03T00:00Z')).toEqual([]);
    });
  });

  describe('with all-day events', () => {
    it('returns a multi-day trip from local midnight to local midnight', () => {
      const text = calendar(
        ...vevent(
          'UID:trip',
          'SUMMARY:Urlaub',
          'DTSTART;VALUE=DATE:20240812',
          'DTEND;VALUE=DATE:20240817',
        ),
      );

      const [trip] = expandText(text, '2024-08-01T00:00Z', '2024-09-01T00:00Z').items;

      expect(trip).toMatchObject({ allDay: true, summary: 'Urlaub' });
      expect(new Date(trip!.start).toISOString()).toBe('2024-08-11T22:00:00.000Z');
      expect(new Date(trip!.end).toISOString()).toBe('2024-08-16T22:00:00.000Z');
    });

    it('reads a date written without VALUE=DATE as a date', () => {
      const text = calendar(...vevent('UID:holiday', 'SUMMARY:Neujahr', 'DTSTART:20240101'));

      const [holiday] = expandText(text, '2023-12-01T00:00Z', '2024-02-01T00:00Z').items;

      expect(holiday!.end - holiday!.start).toBe(24 * 3_600_000);
    });
  });

  describe('with time zones the file does not define', () => {
    it('fills an IANA zone from the time-zone database', () => {
      const text = calendar(
        ...vevent('UID:a', 'SUMMARY:A', 'DTSTART;TZID=America/New_York:20240115T090000'),
      );

      expect(startsOf(text, '2024-01-01T00:00Z', '2024-02-01T00:00Z')).toEqual([
        '2024-01-15T14:00:00.000Z',
      ]);
    });

    it('maps a Windows zone name to its IANA zone', () => {
      const text = calendar(
        ...vevent('UID:a', 'SUMMARY:A', 'DTSTART;TZID=W. Europe Standard Time:20240715T090000'),
      );

      expect(startsOf(text, '2024-07-01T00:00Z', '2024-08-01T00:00Z')).toEqual([
        '2024-07-15T07:00:00.000Z',
      ]);
    });

    it('reads floating times in the calendar zone named by X-WR-TIMEZONE', () => {
      const text = calendar(
        'X-WR-TIMEZONE:Asia/Tokyo',
        ...vevent('UID:a', 'SUMMARY:A', 'DTSTART:20240715T090000'),
      );

      expect(startsOf(text, '2024-07-01T00:00Z', '2024-08-01T00:00Z')).toEqual([
        '2024-07-15T00:00:00.000Z',
      ]);
    });
  });
});

describe('parseIcs', () => {
  it('names the file and line of an unbalanced component', () => {
    const text = calendar(...vevent('UID:a', 'SUMMARY:A').slice(0, 2), 'END:VTODO');

    expect(() => parseIcs(text, 'family.ics')).toThrow(
      /^family\.ics:5: END:VTODO closes BEGIN:VEVENT/,
    );
  });

  it('rejects text that is not a calendar', () => {
    expect(() => parseIcs('<html>Sign in</html>', 'https://example.org/cal.ics')).toThrow(
      /^https:\/\/example\.org\/cal\.ics:1: the file does not start with BEGIN:VCALENDAR/,
    );
  });

  it('joins a folded line that lost its leading space and warns about it', () => {
    const text = calendar(
      ...vevent('UID:a', 'SUMMARY:Dinner with Da', 'niel', 'DTSTART:20240101T180000Z'),
    );

    const parsed = parseIcs(text, 'x.ics');

    expect(parsed.warnings).toEqual(['x.ics:6: joined to the line before as a broken fold']);
  });
});
