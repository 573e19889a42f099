import { join } from 'node:path';

import { pino } from 'pino';

import type { ServeOptions } from '../src/server/index.js';
import type { SimulatedHome } from './simulated-home.js';

/**
 * How the tests serve a simulated home: its recorder and calendar, a store in `storeDir`, a free
 * loopback port and no logs, unless `overrides` say otherwise.
 */
export function serveSimulatedHome(
  home: SimulatedHome,
  storeDir: string,
  overrides: Partial<ServeOptions> = {},
): ServeOptions {
  return {
    home: { config: home.configDir, source: [] },
    calendars: [join(home.dir, 'calendar.ics')],
    storeFile: join(storeDir, 'tandem.db'),
    host: '127.0.0.1',
    port: 0,
    refreshMinutes: 15,
    logger: pino({ level: 'silent' }),
    version: 'test',
    ...overrides,
  };
}
