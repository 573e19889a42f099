import { statSync } from 'node:fs';

import { TandemError } from '../errors.js';
import { domainOf, isEntityId } from '../home/index.js';
import type { EntityInfo } from '../home/index.js';
import { StateTable, TimelineBuilder } from '../timeline/index.js';
import { malformedWarnings } from './_lib/data-set-history.js';
import { readLines } from './_lib/text-file.js';
import { instantOf, parseIsoLocal } from './_lib/wall-clock.js';
import type { DataSetHistory, MalformedLine, ReadDataSetOptions } from './data-set-types.js';

/**
 * Home Assistant stores UTC; an export without offsets (pandas writes naive times) is read as
 * UTC unless told otherwise.
 */
export const HA_CSV_TIME_ZONE = 'UTC';

/** How exports spell the two states of a binary sensor, mapped to Home Assistant's own. */
const BOOLEAN_STATES: Readonly<Record<string, string>> = {
  True: 'on',
  False: 'off',
  true: 'on',
  false: 'off',
};

interface Change {
  time: number;
  column: number;
  state: string;
}

/**
 * Reads the wide CSV of a history export: a `last_changed` column, then one column per entity,
 * filled only in the rows where that entity changed. `True`/`False` become `on`/`off`.
 */
export function readHaCsv(file: string, options: ReadDataSetOptions = {}): DataSetHistory {
  if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) {
    throw new TandemError('FILE_NOT_FOUND', `${file}: no such file`);
  }

  const timeZone = options.timeZone ?? HA_CSV_TIME_ZONE;
  const [header = '', ...lines] = readLines(file);
  const columns = readHeader(file, header);
  const malformed: MalformedLine[] = [];
  const changes = readChanges(file, lines, columns.length, timeZone, malformed);
  if (changes.length === 0) {
    throw new TandemError('NO_DATA', `${file}: no state changes`);
  }

  // Exports are in time order, but a stable sort costs little and keeps the builders honest.
  changes.sort((a, b) => a.time - b.time);
  const window = { start: changes[0]?.time ?? 0, end: (changes.at(-1)?.time ?? 0) + 1 };
  const states = new StateTable();
  const builders = columns.map((entityId) => new TimelineBuilder(entityId, window, states));
  for (const change of changes) {
    builders[change.column]?.push(change.time, change.state);
  }

  return {
    window,
    entities: columns.map(describeEntity),
    timelines: builders.map((builder) => builder.build()),
    states,
    areas: [],
    rowsRead: lines.filter((line) => line !== '').length,
    warnings: malformedWarnings(malformed),
    format: 'ha-csv',
    files: [file],
    timeZone,
    labels: [],
    malformed,
  };
}

/** The entity ids of the header; the first column holds the time. */
function readHeader(file: string, header: string): string[] {
  const [first, ...columns] = header.split(',').map((cell) => cell.trim());
  if (first !== 'last_changed' && first !== 'last_updated') {
    throw new TandemError(
      'SOURCE_FORMAT_INVALID',
      `${file}:1: expected a last_changed column first, found "${first ?? ''}"`,
    );
  }

  const invalid = columns.filter((column) => !isEntityId(column));
  if (invalid.length > 0 || columns.length === 0) {
    throw new TandemError(
      'SOURCE_FORMAT_INVALID',
      `${file}:1: the columns after the time must be entity ids; not one: ${invalid.join(', ')}`,
    );
  }

  return columns;
}

function readChanges(
  file: string,
  lines: readonly string[],
  width: number,
  timeZone: string,
  malformed: MalformedLine[],
): Change[] {
  const changes: Change[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') {
      continue;
    }

    // Line numbers count the header, as an editor does.
    const reason = readRow(line, width, timeZone, changes);
    if (reason !== undefined) {
      malformed.push({ file, line: index + 2, reason });
    }
  }

  return changes;
}

/** Appends the row's changes, or returns why the row is unreadable. */
function readRow(line: string, width: number, timeZone: string, changes: Change[]) {
  const [timeText = '', ...cells] = line.split(',');
  if (cells.length !== width) {
    return `expected ${width + 1} fields, found ${cells.length + 1}`;
  }

  const parsed = parseIsoLocal(timeText);
  if (parsed === undefined) {
    return `unreadable time "${timeText}"`;
  }

  const time = instantOf(parsed, timeZone);
  for (const [column, cell] of cells.entries()) {
    const value = cell.trim();
    if (value !== '') {
      changes.push({ time, column, state: BOOLEAN_STATES[value] ?? value });
    }
  }

  return undefined;
}

/**
 * Exports carry no attributes; the entity id's first or last words are the best hint of the
 * device class (`hall_motion_sensor`, `motion_at_home`). A word in the middle is not: the
 * camera's `percy_motion_enabled` is a setting, not a sensor.
 */
const CLASS_BY_NAME: readonly [RegExp, string][] = [
  [/(\.(motion|pir)_|_(motion|motion_sensor|pir)$)/, 'motion'],
  [/(\.door_|_(door|door_sensor|door_contact)$)/, 'door'],
  [/(\.window_|_(window|window_sensor)$)/, 'window'],
  [/(\.occupancy_|_occupancy$)/, 'occupancy'],
];

function describeEntity(entityId: string): EntityInfo {
  const domain = domainOf(entityId);
  const match =
    domain === 'binary_sensor'
      ? CLASS_BY_NAME.find(([pattern]) => pattern.test(entityId))
      : undefined;
  return {
    entityId,
    domain,
    name: entityId,
    areaId: null,
    deviceId: null,
    deviceClass: match?.[1] ?? null,
    unitOfMeasurement: null,
  };
}
