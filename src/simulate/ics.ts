import type { CalendarEntry } from './presence-plan.js';
import type { LocalDate, Zone } from './zone.js';
import { addDays, formatDate } from './zone.js';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function compact(date: LocalDate): string {
  return formatDate(date).replace(/-/g, '');
}

function localStamp(date: LocalDate, hours: number): string {
  const h = Math.floor(hours);
  const m = Math.round((hours - h) * 60);

  return `${compact(date)}T${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}00`;
}

function utcStamp(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** ICS text lines may not exceed 75 octets; longer ones continue on lines starting with a space. */
function fold(line: string): string {
  const parts: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 74;
    while (Buffer.byteLength(rest.slice(0, cut)) > 74) {
      cut--;
    }

    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }

  return [...parts, rest].join('\r\n ');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');
}

/**
 * The VTIMEZONE block for the zone, from its offset changes in the period's year: enough for
 * a reader to resolve the local times without its own zone database.
 */
function timezoneBlock(zone: Zone, year: number): string[] {
  const yearStart = Date.UTC(year, 0, 1);
  const changes = zone.offsetChanges(yearStart, Date.UTC(year + 1, 0, 1));
  const format = (offset: number) => {
    const sign = offset < 0 ? '-' : '+';
    const minutes = Math.abs(offset) / 60_000;

    const pad = (n: number) => String(n).padStart(2, '0');
    return `${sign}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
  };
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone.name}`];
  for (const change of changes) {
    const kind = change.to > change.from ? 'DAYLIGHT' : 'STANDARD';
    const local = change.time + change.from;
    const date = new Date(local);
    const day = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    };
    const lastWeek = addDays(day, 7).month !== day.month;
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(day, date.getUTCHours() + date.getUTCMinutes() / 60)}`,
      `TZOFFSETFROM:${format(change.from)}`,
      `TZOFFSETTO:${format(change.to)}`,
      lastWeek
        ? `RRULE:FREQ=YEARLY;BYMONTH=${day.month};BYDAY=-1SU`
        : `RDATE:${localStamp(day, date.getUTCHours())}`,
      `END:${kind}`,
    );
  }

  if (changes.length === 0) {
    const offset = format(zone.offsetAt(yearStart));
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`,
      'END:STANDARD',
    );
  }

  return [...lines, 'END:VTIMEZONE'];
}

function eventLines(entry: CalendarEntry, zone: Zone, stamp: string): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${entry.uid}`,
    `DTSTAMP:${stamp}`,
    `SUMMARY:${escapeText(entry.summary)}`,
  ];
  if (entry.days !== undefined) {
    lines.push(
      `DTSTART;VALUE=DATE:${compact(entry.date)}`,
      `DTEND;VALUE=DATE:${compact(addDays(entry.date, entry.days))}`,
    );
  } else {
    lines.push(
      `DTSTART;TZID=${zone.name}:${localStamp(entry.date, entry.startHour ?? 0)}`,
      `DTEND;TZID=${zone.name}:${localStamp(entry.date, entry.endHour ?? 0)}`,
    );
  }

  if (entry.weekdays !== undefined) {
    const until =
      entry.until === undefined
        ? ''
        : `;UNTIL=${utcStamp(zone.toUtc(addDays(entry.until, 1)) - 1000)}`;
    lines.push(
      `RRULE:FREQ=WEEKLY;BYDAY=${entry.weekdays.flatMap((d) => WEEKDAYS[d] ?? []).join(',')}` +
        until,
    );
  }

  for (const exdate of entry.exdates ?? []) {
    lines.push(`EXDATE;TZID=${zone.name}:${localStamp(exdate, entry.startHour ?? 0)}`);
  }

  if (entry.kind === 'call') {
    lines.push('LOCATION:Microsoft Teams');
  }

  return [...lines, 'TRANSP:OPAQUE', 'END:VEVENT'];
}

/** The residents' calendar as an iCalendar file (RFC 5545), CRLF line endings. */
export function writeIcs(entries: CalendarEntry[], zone: Zone, stampTime: number): string {
  const year = new Date(stampTime).getUTCFullYear();
  const stamp = utcStamp(stampTime);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//tandem//simulator//EN',
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:Household',
    `X-WR-TIMEZONE:${zone.name}`,
    ...timezoneBlock(zone, year),
    ...entries.flatMap((entry) => eventLines(entry, zone, stamp)),
    'END:VCALENDAR',
  ];

  return lines.map(fold).join('\r\n') + '\r\n';
}
