/**
 * The calendars the calendar scenario reads, written as files the way real exports look: one
 * household calendar over two years that every side of the comparisons reads, and a small one
 * of a two-person household for the cache's hit rate.
 */
import { writeFileSync } from 'node:fs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** The weekly series of the two-year calendar. */
export const SERIES = 200;
/** A Monday, midnight UTC: the calendars begin here. */
export const FIRST_DAY = Date.UTC(2025, 0, 6);
export const TWO_YEARS = 730 * DAY;
export const TIME_ZONE = 'Europe/Berlin';

const SUMMARIES = ['Büro', 'Homeoffice', 'Office', 'Work from home', 'Gym', 'Dinner', 'Call'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Berlin's rules as Google and Apple write them into their exports. */
const BERLIN = [
  'BEGIN:VTIMEZONE',
  `TZID:${TIME_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

function vevent(uid: string, ...lines: string[]): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${uid}@bench.tandem`,
    'DTSTAMP:20250101T000000Z',
    ...lines,
    'END:VEVENT',
  ];
}

/**
 * A household calendar over two years in Europe/Berlin: `SERIES` weekly series, so that
 * expansion meets both daylight-saving changes of each year, each with an excluded date and
 * every fourth with one occurrence moved; trips of several whole days; yearly birthdays. The
 * zone is defined in the file, as real exports do, so that every peer can read it as it is.
 */
export function writeCalendar(file: string): void {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//tandem//bench//EN', ...BERLIN];
  for (let i = 0; i < SERIES; i++) {
    lines.push(...weeklySeries(i));
  }

  for (let i = 0; i < 8; i++) {
    const first = FIRST_DAY + (20 + i * 85) * DAY;
    const dates = [
      `DTSTART;VALUE=DATE:${dateOf(first)}`,
      `DTEND;VALUE=DATE:${dateOf(first + (3 + i) * DAY)}`,
    ];
    lines.push(...vevent(`trip-${i}`, `SUMMARY:Urlaub ${i}`, ...dates));
  }

  for (let i = 0; i < 4; i++) {
    const date = `DTSTART;VALUE=DATE:${dateOf(FIRST_DAY + (40 + i * 70) * DAY)}`;
    lines.push(...vevent(`birthday-${i}`, `SUMMARY:Geburtstag ${i}`, date, 'RRULE:FREQ=YEARLY'));
  }

  writeFileSync(file, [...lines, 'END:VCALENDAR'].join('\r\n'));
}

function dateOf(time: number): string {
  return stamp(time).slice(0, 8);
}

function weeklySeries(i: number): string[] {
  const first = FIRST_DAY + (i % 7) * DAY;
  const hour = 7 + (i % 12);
  const local = (week: number, hours = hour) => stamp(first + week * WEEK + hours * HOUR);
  const summary = `${SUMMARIES[i % SUMMARIES.length] ?? 'Event'} ${i}`;
  const duration = `DURATION:PT${1 + (i % 8)}H`;
  const master = vevent(
    `series-${i}`,
    `SUMMARY:${summary}`,
    `DTSTART;TZID=${TIME_ZONE}:${local(0)}`,
    duration,
    `RRULE:FREQ=WEEKLY;BYDAY=${WEEKDAYS[i % 7] ?? 'MO'};UNTIL=${stamp(first + TWO_YEARS)}Z`,
    `EXDATE;TZID=${TIME_ZONE}:${local(2)}`,
  );
  if (i % 4 !== 0) {
    return master;
  }

  // Two hours later, in weeks spread over the year and so on both sides of the clock changes.
  const week = 5 + (i % 40);
  const moved = vevent(
    `series-${i}`,
    `RECURRENCE-ID;TZID=${TIME_ZONE}:${local(week)}`,
    `SUMMARY:${summary} (moved)`,
    `DTSTART;TZID=${TIME_ZONE}:${local(week, hour + 2)}`,
    duration,
  );
  return [...master, ...moved];
}

/** What a two-person household keeps: office and home-office weeks, the gym, the shopping. */
const HOUSEHOLD_SERIES = [
  ['Büro', 'MO,WE,TH', '090000', 'PT8H'],
  ['Homeoffice', 'TU,FR', '090000', 'PT8H'],
  ['Office', 'TU,TH', '083000', 'PT8H'],
  ['Work from home', 'MO,WE,FR', '083000', 'PT8H'],
  ['Gym', 'TU', '190000', 'PT1H30M'],
  ['Einkaufen', 'SA', '100000', 'PT1H30M'],
  ['Call with Jonas', 'WE', '180000', 'PT1H'],
] as const;

export function writeHouseholdCalendar(file: string): void {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//tandem//bench//EN'];
  HOUSEHOLD_SERIES.forEach(([summary, days, time, duration], i) => {
    lines.push(
      ...vevent(
        `household-${i}`,
        `SUMMARY:${summary}`,
        `DTSTART;TZID=${TIME_ZONE}:${dateOf(FIRST_DAY)}T${time}`,
        `DURATION:${duration}`,
        `RRULE:FREQ=WEEKLY;BYDAY=${days}`,
      ),
    );
  });
  writeFileSync(file, [...lines, 'END:VCALENDAR'].join('\r\n'));
}
