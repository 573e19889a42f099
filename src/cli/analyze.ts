import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { Command } from 'commander';

import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
  isHouseholdRelation,
} from '../correlation/index.js';
import { TandemError } from '../errors.js';
import { buildHouseholdTimeline } from '../presence/index.js';
import { buildAnalysisReport, renderTextReport } from '../report/index.js';
import { readRecorder, readRegistries } from '../sources/index.js';
import type { Registries } from '../sources/index.js';
import { collect, parseTimeOption } from './options.js';
import { createProgress } from './progress.js';
import { ensureSampleHome } from './sample-home.js';

/** Where Home Assistant keeps its SQLite recorder database inside the config folder. */
const RECORDER_FILE = 'home-assistant_v2.db';

interface AnalyzeOptions {
  config?: string;
  recorder?: string;
  sample?: boolean;
  from?: number;
  to?: number;
  calendar: string[];
  json?: boolean;
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description("read a home's history and report what it holds")
    .option('--config <dir>', `a Home Assistant config folder (${RECORDER_FILE}, .storage/)`)
    .option('--recorder <file>', 'a recorder database file, without registries')
    .option('--sample', 'a sample home, simulated on first use')
    .option('--from <iso>', 'start of the window (default: the oldest state)', parseTimeOption)
    .option(
      '--to <iso>',
      'end of the window, exclusive (default: after the newest)',
      parseTimeOption,
    )
    .option(
      '--calendar <src>',
      'a calendar for presence: .ics file, http(s) URL, caldav:URL or ha:calendar.x (repeatable)',
      collect,
      [],
    )
    .option('--json', 'print one JSON document on stdout (see docs/json-output.md)')
    .action(async (options: AnalyzeOptions) => {
      await runAnalyze(options);
    });
}

async function runAnalyze(options: AnalyzeOptions): Promise<void> {
  const { file, registries } = resolveInput(options);
  const progress = createProgress('reading history');
  const started = performance.now();
  const history = readRecorder(file, {
    from: options.from,
    to: options.to,
    registries,
    onProgress: (done, total) => {
      progress.update(done, total);
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `read ${history.rowsRead} rows of ${history.entities.length} entities in ` +
      `${seconds.toFixed(2)} s\n`,
  );

  const zone = resolveTimeZone(registries);
  const context = computeAnalysisContext(history, zone.timeZone);
  const correlationStarted = performance.now();
  const relations = computeCorrelations(history, context);
  const presenceDrivers = computePresenceDrivers(history, context, relations);
  const correlations = relations.filter((relation) => !isHouseholdRelation(relation));
  process.stderr.write(
    `found ${correlations.length} relations in ` +
      `${((performance.now() - correlationStarted) / 1000).toFixed(2)} s\n`,
  );

  const presence = await buildHouseholdTimeline({
    grid: context.grid,
    household: context.household,
    calendars: options.calendar,
    now: Date.now(),
    recorderFile: file,
  });

  const report = buildAnalysisReport({
    history,
    source: {
      kind: 'recorder',
      path: file,
      schema_version: history.schemaVersion,
      rows_read: history.rowsRead,
    },
    timeZone: zone.timeZone,
    correlations,
    presence,
    presenceDrivers,
    warnings: zone.warnings,
  });
  process.stdout.write(
    options.json === true ? JSON.stringify(report, null, 2) + '\n' : renderTextReport(report),
  );
}

/**
 * The home's zone from its `core.config`; without one, this machine's, which is right when
 * tandem runs beside Home Assistant and worth a warning otherwise.
 */
function resolveTimeZone(registries: Registries | undefined) {
  if (registries !== undefined && registries.timeZone !== null) {
    return { timeZone: registries.timeZone, warnings: [] };
  }

  const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    timeZone: machine,
    warnings: [`the home's time zone is unknown; judging times of day in ${machine}`],
  };
}

function resolveInput(options: AnalyzeOptions) {
  const given = [options.config, options.recorder, options.sample].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      'name one home to analyze: --config DIR, --recorder FILE or --sample',
    );
  }

  if (options.recorder !== undefined) {
    return { file: options.recorder, registries: undefined };
  }

  const configDir = options.config ?? ensureSampleHome();
  return readConfigFolder(configDir);
}

function readConfigFolder(configDir: string): { file: string; registries: Registries } {
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

  const registries = readRegistries(configDir);
  for (const warning of registries.warnings) {
    process.stderr.write(`warning: ${warning}\n`);
  }

  return { file, registries };
}
