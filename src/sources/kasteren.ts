import { TandemError } from '../errors.js';
import type { EntityInfo } from '../home/index.js';
import type { Firing } from './_lib/data-set-history.js';
import { buildFiringsHistory } from './_lib/data-set-history.js';
import { readLines, resolveDataSetFiles, slugify } from './_lib/text-file.js';
import { isValidWallClock, wallClockToEpoch } from './_lib/wall-clock.js';
import type {
  DataSetHistory,
  LabelledInterval,
  MalformedLine,
  ReadDataSetOptions,
} from './data-set-types.js';

/** House A was recorded in Amsterdam; its times are Dutch wall-clock times. */
export const KASTEREN_TIME_ZONE = 'Europe/Amsterdam';

const LAYOUT = {
  description: 'van Kasteren sensor file (*SenseData.txt)',
  isSensorFile: (name: string) => /sensedata\.txt$/i.test(name),
  activityFileOf: (name: string) => name.replace(/SenseData/i, 'ActData'),
};

/** `25-Feb-2008 00:22:46`, as MATLAB's `datestr` writes it. */
const TIME = /^(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `[12]    'Frontdoor'` in the sensor file's header. */
const SENSOR_NAME = /^\s*\[\s*(\d+)\]\s*'([^']*)'/;

/** `1: 'leave house'` or `10:'go to bed'` in the activity file's header. */
const ACTIVITY_NAME = /^\s*(\d+)\s*:\s*'([^']*)'/;

/**
 * Reads the text release of the van Kasteren data sets: a header naming the sensor (or
 * activity) ids, a dashed rule, then one tab-separated row per firing, `start end id value`
 * (or `start end id` for activities). Each sensor becomes `binary_sensor.kasteren_<name>`.
 */
export function readKasteren(path: string, options: ReadDataSetOptions = {}): DataSetHistory {
  const files = resolveDataSetFiles(path, LAYOUT);
  const timeZone = options.timeZone ?? KASTEREN_TIME_ZONE;
  const malformed: MalformedLine[] = [];
  const sensors = readTable(files.sensors, 4, SENSOR_NAME, timeZone, malformed);
  const activities =
    files.activities === undefined
      ? undefined
      : readTable(files.activities, 3, ACTIVITY_NAME, timeZone, malformed);

  const ids = [...new Set(sensors.rows.map((row) => row.id))].sort((a, b) => a - b);
  if (ids.length === 0) {
    throw new TandemError('NO_DATA', `${files.sensors}: no sensor firings`);
  }

  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const firings: Firing[] = sensors.rows.map((row) => ({
    entityIndex: indexOf.get(row.id) ?? 0,
    start: row.start,
    end: row.end,
  }));
  const labels: LabelledInterval[] = (activities?.rows ?? []).map((row) => ({
    label: activities?.names.get(row.id) ?? `activity ${row.id}`,
    start: row.start,
    end: row.end,
  }));

  return buildFiringsHistory({
    format: 'kasteren',
    files: files.activities === undefined ? [files.sensors] : [files.sensors, files.activities],
    timeZone,
    entities: ids.map((id) => describeSensor(id, sensors.names.get(id))),
    firings,
    labels,
    malformed,
    rowsRead: sensors.rows.length,
  });
}

interface Row {
  start: number;
  end: number;
  id: number;
}

interface Table {
  names: Map<number, string>;
  rows: Row[];
}

function readTable(
  file: string,
  columns: number,
  namePattern: RegExp,
  timeZone: string,
  malformed: MalformedLine[],
): Table {
  const names = new Map<number, string>();
  const rows: Row[] = [];
  let inBody = false;
  for (const [index, line] of readLines(file).entries()) {
    if (!inBody) {
      // The header is free text ending in a dashed rule; only its id list is of use.
      const match = namePattern.exec(line);
      if (match !== null) {
        names.set(Number(match[1]), (match[2] ?? '').trim());
      }

      inBody = /^-{4,}/.test(line);
      continue;
    }

    // The release ends each table with a `Length: N` footer.
    if (line.trim() === '' || /^Length:\s*\d+\s*$/.test(line)) {
      continue;
    }

    const row = parseRow(line, columns, timeZone);
    if (typeof row === 'string') {
      malformed.push({ file, line: index + 1, reason: row });
    } else {
      rows.push(row);
    }
  }

  return { names, rows };
}

/** A row, or why it is not one. */
function parseRow(line: string, columns: number, timeZone: string): Row | string {
  const fields = line.split('\t').map((field) => field.trim());
  if (fields.length !== columns) {
    return `expected ${columns} tab-separated fields, found ${fields.length}`;
  }

  const [startText = '', endText = '', idText = ''] = fields;
  const start = parseTime(startText, timeZone);
  const end = parseTime(endText, timeZone);
  const id = Number(idText);
  if (start === undefined || end === undefined) {
    return `unreadable time "${start === undefined ? startText : endText}"`;
  }

  if (!Number.isInteger(id) || idText === '') {
    return `unreadable id "${idText}"`;
  }

  return end < start ? `ends before it starts` : { start, end, id };
}

function parseTime(text: string, timeZone: string): number | undefined {
  const match = TIME.exec(text);
  const month = MONTHS.indexOf((match?.[2] ?? '').toLowerCase());
  if (match === null || month < 0) {
    return undefined;
  }

  const [, day = 0, , year = 0, hour = 0, minute = 0, second = 0] = match.map(Number);
  const wall = { year, month: month + 1, day, hour, minute, second, millisecond: 0 };
  return isValidWallClock(wall) ? wallClockToEpoch(wall, timeZone) : undefined;
}

/**
 * Doors carry reed switches, and so do the cupboards and appliances (their doors open); the
 * toilet flush is a float switch with no Home Assistant device class.
 */
function describeSensor(id: number, name: string | undefined): EntityInfo {
  const label = name ?? `sensor ${id}`;
  const deviceClass = /door/i.test(label) ? 'door' : /flush/i.test(label) ? null : 'opening';
  return {
    entityId: `binary_sensor.kasteren_${slugify(label) || `sensor_${id}`}`,
    domain: 'binary_sensor',
    name: label,
    areaId: null,
    deviceId: null,
    deviceClass,
    unitOfMeasurement: null,
  };
}
