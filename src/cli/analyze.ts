import { Command } from 'commander';

import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
  isHouseholdRelation,
} from '../correlation/index.js';
import { applyFeedback, computeInsights, toYaml } from '../insight/index.js';
import type { CalendarHint } from '../insight/index.js';
import { buildHouseholdTimeline } from '../presence/index.js';
import type { HouseholdTimeline } from '../presence/index.js';
import { buildAnalysisReport, renderTextReport } from '../report/index.js';
import type { AnalysisReport } from '../report/index.js';
import { defaultStorePath, readStandingFeedback } from './feedback.js';
import type { HomeInput } from './load-home.js';
import { loadHome } from './load-home.js';
import { collect, parseTimeOption, parseTimeZoneOption } from './options.js';

interface AnalyzeOptions extends HomeInput {
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
  const { history } = home;
  const context = computeAnalysisContext(history, home.timeZone);
  const started = performance.now();
  const relations = computeCorrelations(history, context);
  const presenceDrivers = computePresenceDrivers(history, context, relations);
  const correlations = relations.filter((relation) => !isHouseholdRelation(relation));
  process.stderr.write(
    `found ${correlations.length} relations in ` +
      `${((performance.now() - started) / 1000).toFixed(2)} s\n`,
  );

  const now = Date.now();
  const presence = await buildHouseholdTimeline({
    grid: context.grid,
    household: context.household,
    calendars: options.calendar,
    now,
    ...(home.recorderFile === undefined ? {} : { recorderFile: home.recorderFile }),
  });
  const feedback = readStandingFeedback(options.store, now);
  const hint = presence === null ? undefined : calendarHintOf(presence);
  const { results: insights, withheld } = applyFeedback(
    computeInsights(history, context, relations, presenceDrivers, hint),
    feedback,
  );
  const report = buildAnalysisReport({
    history,
    sources: home.sources,
    timeZone: home.timeZone,
    correlations,
    presence,
    presenceDrivers,
    insights,
    withheld,
    warnings: home.warnings,
  });
  process.stdout.write(renderOutput(report, options));
}

function renderOutput(report: AnalysisReport, options: AnalyzeOptions): string {
  if (options.yaml === true) {
    return toYaml(report.suggestions.map((suggestion) => suggestion.automation));
  }

  return options.json === true ? JSON.stringify(report, null, 2) + '\n' : renderTextReport(report);
}

/**
 * The first Home Assistant calendar among the sources, with where its away events ended and
 * how long after them the household came home: what a `trigger: calendar` rule needs.
 */
function calendarHintOf(presence: HouseholdTimeline): CalendarHint | undefined {
  const lagMin = presence.calibration?.arrivalLagMin;
  const source = presence.sources.find((status) => status.ok && status.source.startsWith('ha:'));
  if (source === undefined || lagMin === undefined || lagMin === null) {
    return undefined;
  }

  const awayEnds = presence.bareAway
    .filter((interval) => interval.source === source.source)
    .map((interval) => interval.end);
  return { entityId: source.source.slice(3), awayEnds, arrivalLagMs: lagMin * 60_000 };
}
