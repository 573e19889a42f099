import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Command } from 'commander';

import { DEFAULT_RULES } from '../calendar/index.js';
import type { HomeAssistantConnection } from '../calendar/index.js';
import { TandemError } from '../errors.js';
import type { LogFields, Logger } from '../logger.js';
import { fetchCalendarPresence, parseCalendarSettings, toPresenceJson } from '../presence/index.js';
import type {
  CalendarPresenceResult,
  CalendarSettings,
  CommuteMargins,
  PresenceAnswer,
  PresencePrediction,
} from '../presence/index.js';
import { PresenceTimeline } from '../presence/index.js';
import { RECORDER_FILE } from '../sources/index.js';
import { learnCommute } from './learn-commute.js';
import { collect, parsePositiveInteger, parseTimeOption } from './options.js';

interface PresenceOptions {
  calendar: string[];
  config?: string;
  at?: number;
  from?: number;
  to?: number;
  timeZone?: string;
  residents?: number;
  json?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far ahead `--at` looks for the next departure and arrival. */
const HORIZON_MS = DAY_MS;

export function presenceCommand(): Command {
  return new Command('presence')
    .description('tell where the household is and will be, from its calendars')
    .requiredOption(
      '--calendar <src>',
      'an .ics file, an http(s) URL, caldav:URL or ha:calendar.x (repeatable)',
      collect,
      [],
    )
    .option('--config <dir>', 'a Home Assistant config folder (time zone, tandem.json)')
    .option('--at <iso>', 'the moment to ask about (default: now)', parseTimeOption)
    .option('--from <iso>', 'list intervals from this time', parseTimeOption)
    .option('--to <iso>', 'list intervals up to this time, exclusive', parseTimeOption)
    .option('--time-zone <zone>', 'the home time zone (default: from --config, else this machine)')
    .option('--residents <n>', 'how many people live in the home', parsePositiveInteger)
    .option('--json', 'print one JSON document on stdout')
    .action(async (options: PresenceOptions) => {
      await runPresence(options, Date.now());
    });
}

async function runPresence(options: PresenceOptions, now: number): Promise<void> {
  const settings = readSettings(options.config);
  const window = windowOf(options, now);
  const timeZone = options.timeZone ?? settings.timeZone ?? localTimeZone();
  const margins = await chooseCommute(options, settings, timeZone, now);
  const result = await fetchCalendarPresence({
    sources: options.calendar,
    window,
    now,
    timeZone,
    homeLocation: settings.homeLocation,
    rules: settings.rules ?? [...(settings.extraRules ?? []), ...DEFAULT_RULES],
    ...margins,
    residents: options.residents ?? settings.residents,
    homeAssistant: homeAssistantFromEnvironment(),
    recorderFile: recorderIn(options.config),
    logger: stderrLogger,
  });

  const asked = options.from === undefined ? (options.at ?? now) : undefined;
  process.stdout.write(render(result, asked, options.json === true, localTime(timeZone)));
  process.exitCode = exitCodeOf(result);
}

/** `--from/--to` as given; around `--at` (or now): a day before and a week after. */
function windowOf(options: PresenceOptions, now: number) {
  if (options.from !== undefined || options.to !== undefined) {
    if (options.from === undefined || options.to === undefined || options.to <= options.from) {
      throw new TandemError('INVALID_ARGUMENT', 'give both --from and --to, with --to later');
    }

    if (options.at !== undefined) {
      throw new TandemError('INVALID_ARGUMENT', 'give either --at or --from/--to, not both');
    }

    return { start: options.from, end: options.to };
  }

  const at = options.at ?? now;
  return { start: at - DAY_MS, end: at + 7 * DAY_MS };
}

function readSettings(configDir: string | undefined): CalendarSettings {
  if (configDir === undefined) {
    return {};
  }

  const tandemFile = join(configDir, 'tandem.json');
  const tandem = readJson(tandemFile) as { calendar?: unknown } | undefined;
  const settings =
    tandem?.calendar === undefined ? {} : parseCalendarSettings(tandem.calendar, tandemFile);
  const core = readJson(join(configDir, '.storage', 'core.config')) as
    { data?: { time_zone?: unknown } } | undefined;
  const haZone = core?.data?.time_zone;
  return { timeZone: typeof haZone === 'string' ? haZone : undefined, ...dropUndefined(settings) };
}

/** The recorder of a config folder, where `ha:` calendars are read from without a token. */
/**
 * The commute margins set in tandem.json; without them, those learned from the recorder's
 * person entities over its last weeks (which replace the rules' own); without those, none here.
 */
async function chooseCommute(
  options: PresenceOptions,
  settings: CalendarSettings,
  timeZone: string,
  now: number,
): Promise<{ commute?: CommuteMargins; learned?: CommuteMargins }> {
  if (settings.commuteMinutes !== undefined) {
    const { before, after } = settings.commuteMinutes;
    return { commute: { beforeMs: before * 60_000, afterMs: after * 60_000 } };
  }

  const recorder = recorderIn(options.config);
  if (recorder === undefined) {
    return {};
  }

  try {
    const learned = await learnCommute(recorder, options.calendar, timeZone, now);
    if (learned === undefined) {
      return {};
    }

    const minutes = (ms: number) => Math.round(ms / 60_000);
    process.stderr.write(
      `commute learned from the recorder: ${minutes(learned.margins.beforeMs)} min before, ` +
        `${minutes(learned.margins.afterMs)} min after away events\n`,
    );
    return { learned: learned.margins };
  } catch (error) {
    // The recorder only sharpens the margins; without it the rules' own still answer.
    process.stderr.write(`warning: could not learn the commute: ${(error as Error).message}\n`);
    return {};
  }
}

function recorderIn(configDir: string | undefined): string | undefined {
  const file = configDir === undefined ? undefined : join(configDir, RECORDER_FILE);
  return file !== undefined && existsSync(file) ? file : undefined;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) {
    return undefined;
  }

  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TandemError('INVALID_ARGUMENT', `${file}: not valid JSON`, { cause: error });
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Partial<T>;
}

function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The add-on's supervisor token first, then a long-lived token the user exported. */
function homeAssistantFromEnvironment(): HomeAssistantConnection | undefined {
  const { SUPERVISOR_TOKEN, HA_URL, HA_TOKEN } = process.env;
  if (SUPERVISOR_TOKEN !== undefined && SUPERVISOR_TOKEN !== '') {
    return { url: 'http://supervisor/core', token: SUPERVISOR_TOKEN };
  }

  if (HA_TOKEN === undefined || HA_TOKEN === '') {
    return undefined;
  }

  return { url: HA_URL ?? 'http://homeassistant.local:8123', token: HA_TOKEN };
}

const stderrLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (fields, message) => {
    process.stderr.write(`warning: ${message}${describeFields(fields)}\n`);
  },
  error: (fields, message) => {
    process.stderr.write(`error: ${message}${describeFields(fields)}\n`);
  },
};

function describeFields(fields: LogFields): string {
  const text = typeof fields.message === 'string' ? fields.message : JSON.stringify(fields);
  return `: ${text}`;
}

/** Every source failed: exit with that failure's code; some failed: the output says so. */
function exitCodeOf(result: CalendarPresenceResult): number {
  const failed = result.sources.filter((status) => !status.ok && !status.stale);
  if (failed.length === 0 || failed.length < result.sources.length) {
    return 0;
  }

  const code = failed[0]?.error?.code;
  return code === 'CALENDAR_INVALID' ? 3 : 4;
}

type FormatTime = (time: number) => string;

function render(
  result: CalendarPresenceResult,
  at: number | undefined,
  json: boolean,
  local: FormatTime,
): string {
  const timeline = new PresenceTimeline(result.intervals);
  const answer = at === undefined ? undefined : timeline.presenceAt(at);
  const next = at === undefined ? undefined : timeline.predict(at, HORIZON_MS);
  if (json) {
    const document = {
      at: at === undefined ? null : iso(at),
      now: answer ?? null,
      next: next ?? null,
    };
    return JSON.stringify({ ...document, presence: toPresenceJson(result) }, null, 2) + '\n';
  }

  const lines =
    at === undefined || answer === undefined || next === undefined
      ? result.intervals.map((interval) => describeInterval(interval, local))
      : describeMoment(at, answer, next, local);
  const failures = result.sources.filter((status) => !status.ok);
  const notes = failures.map(
    (status) => `! ${status.source}: ${status.error?.message ?? 'failed'}`,
  );
  return [...lines, ...notes].join('\n') + '\n';
}

function describeMoment(
  at: number,
  answer: PresenceAnswer,
  next: PresencePrediction,
  local: FormatTime,
): string[] {
  const lines = [`${local(at)}  ${describeState(answer)}  ${answer.reason}`];
  if (next.nextDeparture !== null) {
    lines.push(
      `next departure  ${local(next.nextDeparture.at)}  ` +
        `(${percent(next.nextDeparture.confidence)})`,
    );
  }

  if (next.nextArrival !== null) {
    lines.push(
      `next arrival    ${local(next.nextArrival.at)}  (${percent(next.nextArrival.confidence)})`,
    );
  }

  return lines;
}

function describeInterval(
  interval: CalendarPresenceResult['intervals'][number],
  local: FormatTime,
): string {
  const span = `${local(interval.start)} – ${local(interval.end)}`;
  return `${span}  ${describeState({ ...interval })}  ${interval.reason}`;
}

function describeState(
  answer: Pick<PresenceAnswer, 'state' | 'workFromHome' | 'confidence' | 'stale'>,
) {
  const state = answer.workFromHome ? 'home (working)' : answer.state;
  const stale = answer.stale ? ', stale' : '';
  return `${state.padEnd(14)} ${percent(answer.confidence)}${stale}`;
}

/** Times as the household reads them: in the home's zone, "2024-07-01 09:00". */
function localTime(timeZone: string): FormatTime {
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (time) => (Number.isFinite(time) ? format.format(time) : '…');
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
