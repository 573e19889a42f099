import { Command } from 'commander';

import { analyzeHome, reportOf } from '../analysis/index.js';
import { toYaml } from '../insight/index.js';
import { renderTextReport } from '../report/index.js';
import type { AnalysisReport } from '../report/index.js';
import { defaultStorePath, readStandingFeedback } from './feedback.js';
import type { HomeOptions } from './load-home.js';
import { loadHome } from './load-home.js';
import { collect, parseTimeOption, parseTimeZoneOption } from './options.js';

interface AnalyzeOptions extends HomeOptions {
  calendar: string[];
  store: string;
  json?: boolean;
  yaml?: boolean;
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description("read a home's history and report what moves together")
    .option('--config <dir>', 'a Home Assistant config folder (home-assistant_v2.db, .storage/)')
    .option('--recorder <file>', 'a recorder database file, without registries')
    .option('--sample', 'a sample home, simulated on first use')
    .option(
      '--source <format:path>',
      'a public data set: ha-csv, kasteren, ordonez or casas (repeatable; see docs/data-sets.md)',
      collect,
      [],
    )
    .option('--from <iso>', 'start of the window (default: the oldest state)', parseTimeOption)
    .option(
      '--to <iso>',
      'end of the window, exclusive (default: after the newest)',
      parseTimeOption,
    )
    .option(
      '--time-zone <zone>',
      "the home's IANA time zone (default: core.config)",
      parseTimeZoneOption,
    )
    .option(
      '--calendar <src>',
      'a calendar for presence: .ics file, http(s) URL, caldav:URL or ha:calendar.x (repeatable)',
      collect,
      [],
    )
    .option(
      '--store <file>',
      "tandem's own database, for the feedback given on suggestions",
      defaultStorePath(),
    )
    .option('--json', 'print one JSON document on stdout (see docs/json-output.md)')
    .option('--yaml', 'print every suggestion as one automations.yaml list on stdout')
    .action(async (options: AnalyzeOptions) => {
      await runAnalyze(options);
    });
}

async function runAnalyze(options: AnalyzeOptions): Promise<void> {
  const home = loadHome(options);
  const now = Date.now();
  const analysis = await analyzeHome(home, { calendars: options.calendar, now });
  process.stderr.write(
    `found ${analysis.correlations.length} relations in ` +
      `${(analysis.correlationMs / 1000).toFixed(2)} s\n`,
  );

  const report = reportOf(analysis, readStandingFeedback(options.store, now));
  process.stdout.write(renderOutput(report, options));
}

function renderOutput(report: AnalysisReport, options: AnalyzeOptions): string {
  if (options.yaml === true) {
    return toYaml(report.suggestions.map((suggestion) => suggestion.automation));
  }

  return options.json === true ? JSON.stringify(report, null, 2) + '\n' : renderTextReport(report);
}
