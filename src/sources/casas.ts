import { statSync } from 'node:fs';

import { TandemError } from '../errors.js';
import type { EntityInfo } from '../home/index.js';
import { StateTable, TimelineBuilder } from '../timeline/index.js';
import { malformedWarnings } from './_lib/data-set-history.js';
import { readLines, slugify } from './_lib/text-file.js';
import { instantOf, parseIsoLocal } from './_lib/wall-clock.js';
import type {
  DataSetHistory,
  LabelledInterval,
  MalformedLine,
  ReadDataSetOptions,
} from './data-set-types.js';

/** The CASAS test beds are at Washington State University, Pullman. */
export const CASAS_TIME_ZONE = 'America/Los_Angeles';

/** How CASAS spells binary states, mapped to Home Assistant's. */
const STATES: Readonly<Record<string, string>> = {
  ON: 'on',
  OFF: 'off',
  OPEN: 'on',
  CLOSE: 'off',
  CLOSED: 'off',
  PRESENT: 'on',
  ABSENT: 'off',
};

/** Sensor name prefixes: `M012` motion, `MA` area motion, `D` door, `T` temperature. */
const KINDS: readonly [RegExp, string, string | null][] = [
  [/^MA?\d/i, 'binary_sensor', 'motion'],
  [/^D\d/i, 'binary_sensor', 'door'],
  [/^T\d/i, 'sensor', 'temperature'],
];

interface Reading {
  time: number;
  sensor: string;
  value: string;
}

/**
 * Reads the CASAS text format: `date time sensor value [activity [begin|end]]`, whitespace
 * separated. An activity followed by `begin` opens a labelled interval and the same activity
 * followed by `end` closes it. Each sensor becomes `binary_sensor.casas_<sensor>` (or
 * `sensor.casas_<sensor>` for numeric readings).
 */
export function readCasas(file: string, options: ReadDataSetOptions = {}): DataSetHistory {
  if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) {
    throw new TandemError('FILE_NOT_FOUND', `${file}: no such file`);
  }

  const timeZone = options.timeZone ?? CASAS_TIME_ZONE;
  const malformed: MalformedLine[] = [];
  const labels = new LabelCollector(file, malformed);
  const readings: Reading[] = [];
  for (const [index, line] of readLines(file).entries()) {
    if (line.trim() !== '') {
      readLine(line, index + 1, { file, timeZone, readings, labels, malformed });
    }
  }

  if (readings.length === 0) {
    throw new TandemError('NO_DATA', `${file}: no sensor readings`);
  }

  return buildHistory(file, timeZone, readings, labels.finish(), malformed);
}

interface LineContext {
  file: string;
  timeZone: string;
  readings: Reading[];
  labels: LabelCollector;
  malformed: MalformedLine[];
}

function readLine(line: string, number: number, context: LineContext): void {
  const [date = '', clock = '', sensor = '', value = '', ...annotation] = line.trim().split(/\s+/);
  const parsed = parseIsoLocal(`${date} ${clock}`);
  if (parsed === undefined || sensor === '' || value === '') {
    const reason =
      parsed === undefined ? `unreadable time "${date} ${clock}"` : 'expected a sensor and value';
    context.malformed.push({ file: context.file, line: number, reason });
    return;
  }

  const time = instantOf(parsed, context.timeZone);
  context.readings.push({ time, sensor, value });
  if (annotation.length > 0) {
    context.labels.add(annotation, time, number);
  }
}

/** Pairs `X begin` with the next `X end`; an unclosed `begin` is reported, not guessed. */
class LabelCollector {
  private readonly open = new Map<string, { start: number; line: number }>();
  private readonly done: LabelledInterval[] = [];

  constructor(
    private readonly file: string,
    private readonly malformed: MalformedLine[],
  ) {}

  add(annotation: readonly string[], time: number, line: number): void {
    const marker = annotation.at(-1)?.toLowerCase();
    const label = annotation.slice(0, -1).join(' ');
    const opened = this.open.get(label);
    if (marker === 'begin' && label !== '') {
      this.open.set(label, { start: time, line });
    } else if (marker === 'end' && opened !== undefined) {
      this.done.push({ label, start: opened.start, end: time });
      this.open.delete(label);
    } else {
      const reason = `activity "${annotation.join(' ')}" is neither a begin nor a matching end`;
      this.malformed.push({ file: this.file, line, reason });
    }
  }

  finish(): LabelledInterval[] {
    for (const [label, { line }] of this.open) {
      this.malformed.push({ file: this.file, line, reason: `activity "${label}" never ends` });
    }

    return this.done.sort((a, b) => a.start - b.start);
  }
}

function buildHistory(
  file: string,
  timeZone: string,
  readings: Reading[],
  labels: LabelledInterval[],
  malformed: MalformedLine[],
): DataSetHistory {
  readings.sort((a, b) => a.time - b.time);
  const names = [...new Set(readings.map((reading) => reading.sensor))].sort();
  const entities = names.map(describeSensor);
  const indexOf = new Map(names.map((name, index) => [name, index]));
  const window = { start: readings[0]?.time ?? 0, end: (readings.at(-1)?.time ?? 0) + 1 };
  const states = new StateTable();
  const builders = entities.map((entity) => new TimelineBuilder(entity.entityId, window, states));
  for (const { time, sensor, value } of readings) {
    builders[indexOf.get(sensor) ?? 0]?.push(time, STATES[value.toUpperCase()] ?? value);
  }

  return {
    window,
    entities,
    timelines: builders.map((builder) => builder.build()),
    states,
    areas: [],
    rowsRead: readings.length,
    warnings: malformedWarnings(malformed),
    format: 'casas',
    files: [file],
    timeZone,
    labels,
    malformed,
  };
}

function describeSensor(sensor: string): EntityInfo {
  const [, domain = 'binary_sensor', deviceClass = null] =
    KINDS.find(([pattern]) => pattern.test(sensor)) ?? [];
  return {
    entityId: `${domain}.casas_${slugify(sensor)}`,
    domain,
    name: sensor,
    areaId: null,
    deviceId: null,
    deviceClass,
    unitOfMeasurement: domain === 'sensor' ? '°C' : null,
  };
}
