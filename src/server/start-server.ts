import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

import type { HomeInput } from '../analysis/index.js';
import { createCalendarSource } from '../calendar/index.js';
import type { HomeAssistantConnection } from '../calendar/index.js';
import { TandemError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CalendarPresence } from '../presence/index.js';
import { HomeAssistantLive, readRecorderChanges } from '../sources/index.js';
import type { AnalysisSnapshot } from './analysis-snapshot.js';
import { analyzeInWorker } from './analyze-in-worker.js';
import { buildApp } from './app.js';
import type { MetricsCache } from './metrics.js';
import type { SourceHealth } from './routes/health.js';
import { HomeService } from './home-service.js';

export interface ServeOptions {
  /** The home, as `tandem analyze` names it; `--sample` already resolved to its folder. */
  home: HomeInput;
  calendars: readonly string[];
  storeFile: string;
  host: string;
  port: number;
  /** Needed on every API request when set; required to bind anything but loopback. */
  apiToken?: string;
  /**
   * Home Assistant: its WebSocket API for live changes, and its REST API for `ha:` calendars
   * without a recorder.
   */
  homeAssistant?: HomeAssistantConnection;
  /** How often the analysis is redone while changes arrive, minutes. */
  refreshMinutes: number;
  rateLimitPerMinute?: number;
  logger: FastifyBaseLogger;
  version: string;
  /** The server's idea of now; the real clock unless a test or benchmark replays a home. */
  clock?: () => number;
}

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  app: FastifyInstance;
  service: HomeService;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Reads and analyses the home, then serves it. Safe by default: only loopback without a token,
 * and the token itself never reaches a log line or an error message.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (!LOOPBACK_HOSTS.has(options.host) && options.apiToken === undefined) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `binding ${options.host} exposes the home to the network; give an API token ` +
        '(--api-token-file or TANDEM_API_TOKEN) or bind 127.0.0.1',
    );
  }

  const logger = engineLogger(options.logger);
  const service = new HomeService({
    analyze: (now) => analyzeInWorker({ home: options.home, calendars: options.calendars, now }),
    storeFile: options.storeFile,
    refreshMs: options.refreshMinutes * 60_000,
    logger,
    clock: options.clock,
  });
  await service.start();

  const { recorderFile } = service.snapshot;
  const calendar = createCalendarService(options, service.snapshot, logger);
  await calendar?.refresh(service.now());
  service.presence.attachCalendar(calendar);
  let live: HomeAssistantLive | undefined;
  try {
    live = await connectLive(options, service, recorderFile, logger);
  } catch (error) {
    await service.stop();
    throw error;
  }

  const app = await buildApp({
    service,
    logger: options.logger,
    apiToken: options.apiToken,
    rateLimitPerMinute: options.rateLimitPerMinute,
    sources: () => (calendar === undefined ? [] : calendarHealth(calendar)),
    caches: () => (calendar === undefined ? [] : calendarCaches(calendar)),
    version: options.version,
  });
  const url = await app.listen({ host: options.host, port: options.port });
  logger.info({ url }, 'listening');

  return {
    url,
    app,
    service,
    close: async () => {
      await app.close();
      await live?.stop();
      await service.stop();
      await calendar?.whenIdle();
    },
  };
}

/**
 * Follows Home Assistant's state changes from where the history read ends, so that nothing
 * falls between the two; a gap after a dropped connection is read back from the recorder.
 * Waits for the first connection only as long as it takes to be refused: an unreachable Home
 * Assistant is retried in the background and `/health` says so.
 */
async function connectLive(
  options: ServeOptions,
  service: HomeService,
  recorderFile: string | null,
  logger: Logger,
): Promise<HomeAssistantLive | undefined> {
  if (options.homeAssistant === undefined) {
    return undefined;
  }

  const live = new HomeAssistantLive({
    ...options.homeAssistant,
    onChanges: (changes) => {
      service.ingest(changes);
    },
    since: service.snapshot.window.end,
    logger,
    ...(recorderFile === null
      ? {}
      : {
          backfill: (from: number, to: number) => readRecorderChanges(recorderFile, { from, to }),
        }),
  });
  service.attachLive(live);
  await live.start();
  return live;
}

/**
 * The calendars as a service that keeps them fresh, with the commute the analysis learned from
 * the residents' own departures and arrivals.
 */
function createCalendarService(
  options: ServeOptions,
  snapshot: AnalysisSnapshot,
  logger: Logger,
): CalendarPresence | undefined {
  if (options.calendars.length === 0) {
    return undefined;
  }

  const sources = options.calendars.map((spec) =>
    createCalendarSource(spec, {
      timeZone: snapshot.timeZone,
      homeAssistant: options.homeAssistant,
      recorderFile: snapshot.recorderFile ?? undefined,
    }),
  );
  const residents = snapshot.residents.length;
  return new CalendarPresence({
    sources,
    logger,
    ...(snapshot.learnedCommute === null ? {} : { learned: snapshot.learnedCommute }),
    ...(residents === 0 ? {} : { residents }),
  });
}

/** The calendars' fetched sources and their answers to presence queries. */
function calendarCaches(calendar: CalendarPresence): MetricsCache[] {
  return [
    { name: 'calendar_sources', stats: () => calendar.stats().sources },
    { name: 'calendar_queries', stats: () => calendar.stats().queries },
  ];
}

function calendarHealth(calendar: CalendarPresence): SourceHealth[] {
  return calendar.sourceStatus().map((status) => ({
    name: `calendar:${status.source}`,
    state: status.ok ? (status.stale ? 'stale' : 'ok') : 'failed',
    up: status.ok,
    events: status.events,
    fetched_at: status.fetchedAt === null ? null : new Date(status.fetchedAt).toISOString(),
    ...(status.error === undefined ? {} : { error: status.error.message }),
  }));
}

/** The engine logs through the server's pino logger: same fields-then-phrase calls. */
function engineLogger(pino: FastifyBaseLogger): Logger {
  return {
    debug: (fields, message) => {
      pino.debug(fields, message);
    },
    info: (fields, message) => {
      pino.info(fields, message);
    },
    warn: (fields, message) => {
      pino.warn(fields, message);
    },
    error: (fields, message) => {
      pino.error(fields, message);
    },
  };
}
