import { TandemError } from '../errors.js';
import { isTimeZone } from './_lib/wall-clock.js';
import { readCasas } from './casas.js';
import type { DataSetFormat, DataSetHistory, ReadDataSetOptions } from './data-set-types.js';
import { readHaCsv } from './ha-csv.js';
import { readKasteren } from './kasteren.js';
import { readOrdonez } from './ordonez.js';

const READERS: Readonly<
  Record<DataSetFormat, (path: string, options: ReadDataSetOptions) => DataSetHistory>
> = {
  'ha-csv': readHaCsv,
  kasteren: readKasteren,
  ordonez: readOrdonez,
  casas: readCasas,
};

export const DATA_SET_FORMATS = Object.keys(READERS) as DataSetFormat[];

export interface DataSetSpec {
  format: DataSetFormat;
  path: string;
}

/** Splits `FORMAT:PATH` (the value of `--source`); the path may itself hold colons. */
export function parseDataSetSpec(spec: string): DataSetSpec {
  const colon = spec.indexOf(':');
  const format = spec.slice(0, Math.max(0, colon));
  const path = spec.slice(colon + 1);
  if (colon < 0 || path === '' || !isDataSetFormat(format)) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `"${spec}" is not FORMAT:PATH with FORMAT one of ${DATA_SET_FORMATS.join(', ')}`,
    );
  }

  return { format, path };
}

function isDataSetFormat(name: string): name is DataSetFormat {
  return Object.hasOwn(READERS, name);
}

/**
 * Reads a home from `FORMAT:PATH`, e.g. `kasteren:../shared/data/adl/kasteren-house-a`. PATH
 * names the sensor file or the folder holding it; an activity file beside it is read when
 * present. Malformed lines are skipped and listed in the result's `malformed`.
 */
export function readDataSet(spec: string, options: ReadDataSetOptions = {}): DataSetHistory {
  const { format, path } = parseDataSetSpec(spec);
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone)) {
    throw new TandemError('INVALID_ARGUMENT', `unknown time zone "${options.timeZone}"`);
  }

  return READERS[format](path, options);
}
