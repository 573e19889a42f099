import { Command, InvalidArgumentError } from 'commander';

import { TandemError } from '../errors.js';
import { simulateHome } from '../simulate/index.js';

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError('expected a whole number');
  }

  return parsed;
}

/** Checked here too, so that a wrong zone is a usage error like any malformed option. */
function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new InvalidArgumentError('expected an IANA time zone such as Europe/Berlin');
  }

  return value;
}

/** `tandem simulate`: writes a synthetic home with its ground truth. */
export function simulateCommand(): Command {
  return new Command('simulate')
    .description('write a synthetic Home Assistant home with documented planted behaviour')
    .requiredOption('--out <dir>', 'folder to write config/, calendar.ics and truth.json into')
    .option('--seed <n>', 'seed; the same seed writes the same home', wholeNumber, 1)
    .option('--days <n>', 'length of the period in days', wholeNumber)
    .option('--start <date>', 'first local day, YYYY-MM-DD')
    .option('--entities <n>', 'at least this many entities (adds rooms)', wholeNumber)
    .option('--residents <n>', 'people living in the home', wholeNumber)
    .option('--time-zone <name>', 'IANA time zone of the home (default Europe/Berlin)', timeZone)
    .action(
      (options: {
        out: string;
        seed: number;
        days?: number;
        start?: string;
        entities?: number;
        residents?: number;
        timeZone?: string;
      }) => {
        if (options.out.trim() === '') {
          throw new TandemError('INVALID_ARGUMENT', '--out needs a folder');
        }

        const summary = simulateHome(options);
        console.error(
          `simulated ${summary.entities} entities, ${summary.stateRows} state rows, ` +
            `${summary.days} days (${summary.start} – ${summary.end}) into ${summary.out} ` +
            `in ${(summary.durationMs / 1000).toFixed(1)} s`,
        );
      },
    );
}
