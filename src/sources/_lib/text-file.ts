import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { TandemError } from '../../errors.js';

/** A file's lines without their line ends; research data sets mix `\n` and `\r\n`. */
export function readLines(file: string): string[] {
  if (!existsSync(file)) {
    throw new TandemError('FILE_NOT_FOUND', `${file}: no such file`);
  }

  // latin1 reads every byte: the data sets' READMEs and names are not all UTF-8.
  return readFileSync(file, 'latin1').split(/\r?\n/);
}

export interface DataSetFiles {
  sensors: string;
  /** The labelled activities beside the sensor file, when there is such a file. */
  activities: string | undefined;
}

export interface DataSetLayout {
  /** What the format calls its sensor file, e.g. `kasterenSenseData.txt`, for messages. */
  description: string;
  isSensorFile(name: string): boolean;
  /** The activity file's name for a sensor file's name. */
  activityFileOf(sensorName: string): string | undefined;
}

/**
 * Finds a data set's files from what the user named: the sensor file itself, or the folder
 * holding it. The activity file is optional and taken from beside the sensor file.
 */
export function resolveDataSetFiles(path: string, layout: DataSetLayout): DataSetFiles {
  if (!existsSync(path)) {
    throw new TandemError('FILE_NOT_FOUND', `${path}: no such file or folder`);
  }

  const sensors = statSync(path).isDirectory() ? findSensorFile(path, layout) : path;
  const activityName = layout.activityFileOf(basename(sensors));
  const activities = activityName === undefined ? undefined : join(dirname(sensors), activityName);
  return {
    sensors,
    activities: activities !== undefined && existsSync(activities) ? activities : undefined,
  };
}

function findSensorFile(folder: string, layout: DataSetLayout): string {
  const names = readdirSync(folder)
    .filter((name) => layout.isSensorFile(name))
    .sort();
  const first = names[0];
  if (first === undefined) {
    throw new TandemError('FILE_NOT_FOUND', `${folder}: no ${layout.description} in this folder`);
  }

  return join(folder, first);
}

/** `Hall-Toilet door` → `hall_toilet_door`: the object id part of an entity id. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
