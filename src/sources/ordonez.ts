import { TandemError } from '../errors.js';
import type { Area, EntityInfo } from '../home/index.js';
import type { Firing } from './_lib/data-set-history.js';
import { buildFiringsHistory } from './_lib/data-set-history.js';
import { readLines, resolveDataSetFiles, slugify } from './_lib/text-file.js';
import { instantOf, parseIsoLocal } from './_lib/wall-clock.js';
import type {
  DataSetHistory,
  LabelledInterval,
  MalformedLine,
  ReadDataSetOptions,
} from './data-set-types.js';

/** Both homes were in the Madrid area (Carlos III University); times are Spanish wall clock. */
export const ORDONEZ_TIME_ZONE = 'Europe/Madrid';

const LAYOUT = {
  description: 'Ordóñez sensor file (*_Sensors.txt)',
  isSensorFile: (name: string) => /_sensors\.txt$/i.test(name),
  activityFileOf: (name: string) => name.replace(/_Sensors\.txt$/i, '_ADLs.txt'),
};

/** What each sensor type of the data set is in Home Assistant's terms. */
const DEVICE_CLASSES: Readonly<Record<string, string | null>> = {
  pir: 'motion',
  pressure: 'occupancy',
  electric: 'power',
  flush: null,
};

/**
 * Reads the Ordóñez layout: after a header row and a dashed rule, one row per sensor firing,
 * `start end location type place`, and one per activity, `start end activity`, with runs of
 * tabs between the fields. Each location becomes `binary_sensor.ordonez_<location>`, in the
 * area its `place` names.
 */
export function readOrdonez(path: string, options: ReadDataSetOptions = {}): DataSetHistory {
  const files = resolveDataSetFiles(path, LAYOUT);
  const timeZone = options.timeZone ?? ORDONEZ_TIME_ZONE;
  const malformed: MalformedLine[] = [];
  const sensorRows = readRows(files.sensors, 5, timeZone, malformed);
  const activityRows =
    files.activities === undefined ? [] : readRows(files.activities, 3, timeZone, malformed);
  if (sensorRows.length === 0) {
    throw new TandemError('NO_DATA', `${files.sensors}: no sensor firings`);
  }

  const { entities, areas, indexOf } = describeSensors(sensorRows);
  const firings: Firing[] = sensorRows.map((row) => ({
    entityIndex: indexOf.get(row.fields[0] ?? '') ?? 0,
    start: row.start,
    end: row.end,
  }));
  const labels: LabelledInterval[] = activityRows.map((row) => ({
    label: row.fields[0] ?? '',
    start: row.start,
    end: row.end,
  }));

  const history = buildFiringsHistory({
    format: 'ordonez',
    files: files.activities === undefined ? [files.sensors] : [files.sensors, files.activities],
    timeZone,
    entities,
    firings,
    labels,
    malformed,
    rowsRead: sensorRows.length,
  });
  return { ...history, areas };
}

interface Row {
  start: number;
  end: number;
  /** The fields after the two times. */
  fields: string[];
}

function readRows(
  file: string,
  columns: number,
  timeZone: string,
  malformed: MalformedLine[],
): Row[] {
  const rows: Row[] = [];
  for (const [index, line] of readLines(file).entries()) {
    // The first two lines are the column names and a dashed rule.
    if (index < 2 || line.trim() === '') {
      continue;
    }

    const row = parseRow(line, columns, timeZone);
    if (typeof row === 'string') {
      malformed.push({ file, line: index + 1, reason: row });
    } else {
      rows.push(row);
    }
  }

  return rows;
}

function parseRow(line: string, columns: number, timeZone: string): Row | string {
  const fields = line
    .split('\t')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length !== columns) {
    return `expected ${columns} fields, found ${fields.length}`;
  }

  const [startText = '', endText = '', ...rest] = fields;
  const start = parseIsoLocal(startText);
  const end = parseIsoLocal(endText);
  if (start === undefined || end === undefined) {
    return `unreadable time "${start === undefined ? startText : endText}"`;
  }

  const row = { start: instantOf(start, timeZone), end: instantOf(end, timeZone), fields: rest };
  return row.end < row.start ? 'ends before it starts' : row;
}

function describeSensors(rows: readonly Row[]) {
  const entities: EntityInfo[] = [];
  const areas = new Map<string, Area>();
  const indexOf = new Map<string, number>();
  for (const { fields } of rows) {
    const [location = '', type = '', place = ''] = fields;
    if (indexOf.has(location)) {
      continue;
    }

    const areaId = slugify(place) || null;
    if (areaId !== null) {
      areas.set(areaId, { id: areaId, name: place });
    }

    indexOf.set(location, entities.length);
    entities.push(describeSensor(location, type, areaId));
  }

  return { entities, areas: [...areas.values()], indexOf };
}

/** Magnetic contacts sit on the main door and on cupboard and fridge doors. */
function describeSensor(location: string, type: string, areaId: string | null): EntityInfo {
  const kind = type.toLowerCase();
  const deviceClass =
    kind === 'magnetic' ? (/door/i.test(location) ? 'door' : 'opening') : DEVICE_CLASSES[kind];
  return {
    entityId: `binary_sensor.ordonez_${slugify(location)}`,
    domain: 'binary_sensor',
    name: location,
    areaId,
    deviceId: null,
    deviceClass: deviceClass ?? null,
    unitOfMeasurement: null,
  };
}
