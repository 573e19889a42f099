import ICAL from 'ical.js';

import { TandemError } from '../errors.js';

/** A parsed iCalendar file: one root per VCALENDAR it holds, with the name used in errors. */
export interface IcsCalendar {
  name: string;
  roots: ICAL.Component[];
  /** Faults that were repaired rather than rejected, each naming its line. */
  warnings: string[];
}

interface LogicalLine {
  text: string;
  /** 1-based number of the physical line the logical (unfolded) line starts on. */
  line: number;
}

/**
 * Parses iCalendar text. Structural faults (a line without a property name, an unbalanced
 * BEGIN/END) are reported with the file name and line, which ical.js does not give.
 *
 * @throws TandemError `CALENDAR_INVALID`
 */
export function parseIcs(text: string, name: string): IcsCalendar {
  const warnings: string[] = [];
  const lines = repairLines(unfold(text), name, warnings);
  checkStructure(lines, name);

  let parsed: unknown;
  try {
    parsed = ICAL.parse(lines.map((entry) => entry.text).join('\r\n'));
  } catch (error) {
    throw invalid(name, locateParseError(lines, error), describe(error), error);
  }

  const roots = (isSingleRoot(parsed) ? [parsed] : (parsed as unknown[][])).map(
    (jcal) => new ICAL.Component(jcal as unknown[]),
  );
  return { name, roots, warnings };
}

function isSingleRoot(parsed: unknown): boolean {
  return Array.isArray(parsed) && typeof parsed[0] === 'string';
}

/**
 * Mends what real exports get wrong and every reader tolerates: a folded line that lost its
 * leading space (Confluence), a date written without `VALUE=DATE` (Google's holiday
 * calendars), and RDATE periods, which ical.js cannot expand; their start is kept.
 */
function repairLines(lines: LogicalLine[], name: string, warnings: string[]): LogicalLine[] {
  const repaired: LogicalLine[] = [];
  for (const entry of lines) {
    const previous = repaired.at(-1);
    if (!/^[A-Za-z0-9-]+[;:=]/.test(entry.text) && previous !== undefined) {
      warnings.push(`${name}:${entry.line}: joined to the line before as a broken fold`);
      previous.text += entry.text;
    } else {
      repaired.push({ text: repairValue(entry.text), line: entry.line });
    }
  }

  return repaired;
}

const DATE_PROPERTY =
  /^(DTSTART|DTEND|DUE|EXDATE|RDATE|RECURRENCE-ID)((?:;[^:]*)?):(\d{8}(?:,\d{8})*)$/i;
const PERIOD_RDATE = /^RDATE((?:;[^:]*)?);VALUE=PERIOD((?:;[^:]*)?):(.*)$/i;

function repairValue(text: string): string {
  const date = DATE_PROPERTY.exec(text);
  if (date !== null && !/;VALUE=/i.test(date[2] ?? '')) {
    return `${date[1] ?? ''}${date[2] ?? ''};VALUE=DATE:${date[3] ?? ''}`;
  }

  const period = PERIOD_RDATE.exec(text);
  if (period !== null) {
    const starts = (period[3] ?? '').split(',').map((value) => value.split('/')[0] ?? '');
    return `RDATE${period[1] ?? ''}${period[2] ?? ''}:${starts.join(',')}`;
  }

  return text;
}

function checkStructure(lines: LogicalLine[], name: string): void {
  const first = lines[0];
  if (first?.text.toUpperCase() !== 'BEGIN:VCALENDAR') {
    throw invalid(name, first?.line ?? 1, 'the file does not start with BEGIN:VCALENDAR');
  }

  const open: LogicalLine[] = [];
  for (const entry of lines) {
    checkLine(entry, open, name);
  }

  const unclosed = open.at(-1);
  if (unclosed !== undefined) {
    throw invalid(name, unclosed.line, `${unclosed.text} is never closed`);
  }
}

function checkLine(entry: LogicalLine, open: LogicalLine[], name: string): void {
  const match = /^([A-Za-z0-9-]+)[;:]/.exec(entry.text);
  if (match === null) {
    throw invalid(name, entry.line, `"${clip(entry.text)}" is not a "NAME:value" line`);
  }

  const property = match[1]?.toUpperCase();
  if (property === 'BEGIN') {
    open.push(entry);
  } else if (property === 'END') {
    closeComponent(entry, open, name);
  }
}

function closeComponent(entry: LogicalLine, open: LogicalLine[], name: string): void {
  const begin = open.pop();
  const component = entry.text.slice(4).trim().toUpperCase();
  if (begin === undefined) {
    throw invalid(name, entry.line, `${entry.text} has no matching BEGIN`);
  }

  if (begin.text.slice(6).trim().toUpperCase() !== component) {
    throw invalid(name, entry.line, `${entry.text} closes ${begin.text} of line ${begin.line}`);
  }
}

/** Joins folded lines (RFC 5545 3.1) and drops blank ones, remembering where each began. */
function unfold(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\n|\r/);
  const lines: LogicalLine[] = [];
  physical.forEach((raw, index) => {
    const last = lines.at(-1);
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last !== undefined) {
      last.text += raw.slice(1);
    } else if (raw.trim() !== '') {
      // Stray indentation before the first line and a byte-order mark are harmless.
      lines.push({
        text: last === undefined ? raw.replace(/^\uFEFF?\s+/, '') : raw,
        line: index + 1,
      });
    }
  });
  return lines;
}

/** ical.js quotes the offending text in its messages; find the first line that holds it. */
function locateParseError(lines: LogicalLine[], error: unknown): number {
  const quoted = /["']([^"']{3,})["']/.exec(describe(error))?.[1];
  if (quoted === undefined) {
    return 1;
  }

  return lines.find((entry) => entry.text.includes(quoted.slice(0, 40)))?.line ?? 1;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function invalid(name: string, line: number, reason: string, cause?: unknown): TandemError {
  return new TandemError('CALENDAR_INVALID', `${name}:${line}: ${reason}`, { cause });
}
