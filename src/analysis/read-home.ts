import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { TandemError } from '../errors.js';
import type { ReportSource } from '../report/index.js';
import { readDataSet, readRecorder, readRegistries, RECORDER_FILE } from '../sources/index.js';
import type { Registries } from '../sources/index.js';
import type { HomeHistory } from '../timeline/index.js';
import { mergeHistories } from '../timeline/index.js';

export interface HomeInput {
  config?: string;
  recorder?: string;
  /** Data sets as `FORMAT:PATH`. */
  source: string[];
  from?: number;
  to?: number;
  timeZone?: string;
}

export interface LoadedHome {
  history: HomeHistory;
  sources: ReportSource[];
  timeZone: string;
  /** Problems beyond those the history itself carries, e.g. a time zone that was guessed. */
  warnings: string[];
  /** The recorder database, for calendar entities' history. */
  recorderFile?: string;
}

export interface ReadHomeOptions {
  /** Called as the recorder's rows are read, with rows done and rows in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Reads the one home the input names, from a recorder or from public data sets. */
export function readHome(input: HomeInput, options: ReadHomeOptions = {}): LoadedHome {
  const named = [input.config, input.recorder].filter((v) => v !== undefined);
  if (named.length + (input.source.length > 0 ? 1 : 0) !== 1) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      'name one home: --config DIR, --recorder FILE, --sample or --source FORMAT:PATH',
    );
  }

  return input.source.length > 0 ? readDataSets(input) : readRecorderHome(input, options);
}

function readRecorderHome(input: HomeInput, options: ReadHomeOptions): LoadedHome {
  const { file, registries } = resolveRecorder(input);
  const history = readRecorder(file, {
    from: input.from,
    to: input.to,
    registries,
    onProgress: options.onProgress,
  });

  const zone = resolveTimeZone(input.timeZone ?? registries?.timeZone ?? null);
  return {
    history,
    sources: [
      {
        kind: 'recorder',
        path: file,
        schema_version: history.schemaVersion,
        rows_read: history.rowsRead,
      },
    ],
    timeZone: zone.timeZone,
    warnings: zone.warnings,
    recorderFile: file,
  };
}

function readDataSets(input: HomeInput): LoadedHome {
  if (input.from !== undefined || input.to !== undefined) {
    throw new TandemError('INVALID_ARGUMENT', '--from and --to apply to a recorder, not --source');
  }

  const options = input.timeZone === undefined ? {} : { timeZone: input.timeZone };
  const sets = input.source.map((spec) => readDataSet(spec, options));
  const history = mergeHistories(sets);
  return {
    history,
    sources: sets.map((set) => ({
      kind: set.format,
      path: set.files[0] ?? '',
      schema_version: null,
      rows_read: set.rowsRead,
      malformed_lines: set.malformed.length,
    })),
    timeZone: input.timeZone ?? sets[0]?.timeZone ?? 'UTC',
    warnings: sets.flatMap(describeMalformed),
  };
}

function describeMalformed(set: { files: readonly string[]; malformed: readonly unknown[] }) {
  const count = set.malformed.length;
  return count === 0 ? [] : [`${set.files[0] ?? ''}: skipped ${count} malformed lines`];
}

/**
 * The zone given, else the home's from `core.config`; without either, this machine's, which
 * is right when tandem runs beside Home Assistant and worth a warning otherwise.
 */
function resolveTimeZone(zone: string | null): { timeZone: string; warnings: string[] } {
  if (zone !== null) {
    return { timeZone: zone, warnings: [] };
  }

  const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    timeZone: machine,
    warnings: [`the home's time zone is unknown; judging times of day in ${machine}`],
  };
}

function resolveRecorder(input: HomeInput): { file: string; registries?: Registries } {
  const { recorder, config: configDir } = input;
  if (recorder !== undefined || configDir === undefined) {
    return { file: recorder ?? '' };
  }

  if (!existsSync(configDir) || !statSync(configDir).isDirectory()) {
    throw new TandemError('FILE_NOT_FOUND', `${configDir}: no such folder`);
  }

  const file = join(configDir, RECORDER_FILE);
  if (!existsSync(file)) {
    throw new TandemError(
      'FILE_NOT_FOUND',
      `${configDir}: no ${RECORDER_FILE} in this folder; if the recorder writes elsewhere, ` +
        'pass that file with --recorder',
    );
  }

  return { file, registries: readRegistries(configDir) };
}
