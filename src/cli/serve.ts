import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';

import type { HomeAssistantConnection } from '../calendar/index.js';
import { startServer } from '../server/index.js';
import { readHomeAssistantToken } from '../sources/index.js';
import { readTokenFile } from '../token-file.js';
import { VERSION } from '../version.js';
import { defaultStorePath } from './feedback.js';
import { loadHomeInput } from './load-home.js';
import type { HomeOptions } from './load-home.js';
import { collect, parsePositiveInteger, parseTimeZoneOption } from './options.js';

interface ServeOptions extends HomeOptions {
  calendar: string[];
  store: string;
  host: string;
  port: number;
  apiTokenFile?: string;
  haUrl: string;
  haTokenFile?: string;
  refreshMinutes: number;
  rateLimit: number;
  logLevel: string;
}

const DEFAULT_PORT = 8787;

export function serveCommand(): Command {
  return new Command('serve')
    .description('keep the analysis of a home current and serve it: HTTP API and dashboard')
    .option('--config <dir>', 'a Home Assistant config folder (home-assistant_v2.db, .storage/)')
    .option('--recorder <file>', 'a recorder database file, without registries')
    .option('--sample', 'a sample home, simulated on first use')
    .option('--source <format:path>', 'a public data set (repeatable)', collect, [])
    .option('--time-zone <zone>', "the home's IANA time zone", parseTimeZoneOption)
    .option('--calendar <src>', 'a calendar for presence (repeatable)', collect, [])
    .option('--store <file>', "tandem's own database, for feedback", defaultStorePath())
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--port <port>', 'the port to listen on', parsePort, DEFAULT_PORT)
    .option(
      '--api-token-file <file>',
      'a file holding the bearer token the API requires (or TANDEM_API_TOKEN)',
    )
    .option('--ha-url <url>', "Home Assistant's address, for live events", 'http://localhost:8123')
    .option(
      '--ha-token-file <file>',
      'a file holding a long-lived Home Assistant token (or HA_TOKEN, SUPERVISOR_TOKEN)',
    )
    .option(
      '--refresh-minutes <n>',
      'redo the analysis this often while changes arrive',
      parsePositiveInteger,
      15,
    )
    .option(
      '--rate-limit <n>',
      'requests per minute per client (loopback is not limited)',
      parsePositiveInteger,
      600,
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace', 'info')
    .action(async (options: ServeOptions) => {
      await runServe(options);
    });
}

async function runServe(options: ServeOptions): Promise<void> {
  const logger = pino({ level: options.logLevel });
  const server = await startServer({
    home: loadHomeInput(options),
    calendars: options.calendar,
    storeFile: options.store,
    host: options.host,
    port: options.port,
    apiToken: readApiToken(options.apiTokenFile),
    homeAssistant: homeAssistantOf(options),
    refreshMinutes: options.refreshMinutes,
    rateLimitPerMinute: options.rateLimit,
    logger,
    version: VERSION,
  });
  process.stderr.write(`tandem serves ${server.url}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      logger.info({}, 'stopping');
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The API token from its file, else from `TANDEM_API_TOKEN`; never from the command line. */
function readApiToken(file: string | undefined): string | undefined {
  if (file !== undefined) {
    return readTokenFile(file, 'API token');
  }

  const value = process.env.TANDEM_API_TOKEN?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Home Assistant for live events, when a token for it was given; its own URL wins (add-ons). */
function homeAssistantOf(options: ServeOptions): HomeAssistantConnection | undefined {
  const found = readHomeAssistantToken({ file: options.haTokenFile });
  return found === undefined ? undefined : { url: found.url ?? options.haUrl, token: found.token };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`"${value}" is not a port number`);
  }

  return port;
}
