import { readHome } from '../analysis/index.js';
import { TandemError } from '../errors.js';
import type { HomeInput, LoadedHome } from '../analysis/index.js';
import { createProgress } from './progress.js';
import { ensureSampleHome } from './sample-home.js';

/** The home options every command that reads a home shares; `--sample` stands for a folder. */
export interface HomeOptions extends HomeInput {
  sample?: boolean;
}

/** The home the options name, with `--sample` simulated on first use and named by its folder. */
export function loadHomeInput(options: HomeOptions): HomeInput {
  const { sample, ...input } = options;
  if (sample !== true) {
    return input;
  }

  if (input.config !== undefined) {
    throw new TandemError('INVALID_ARGUMENT', 'give either --sample or --config, not both');
  }

  return { ...input, config: ensureSampleHome() };
}

/** Reads the home the options name, telling on stderr how far it got and what went wrong. */
export function loadHome(options: HomeOptions): LoadedHome {
  const started = performance.now();
  const progress = createProgress('reading history');
  const home = readHome(loadHomeInput(options), {
    onProgress: (done, total) => {
      progress.update(done, total);
    },
  });
  progress.stop();

  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `read ${home.history.rowsRead} rows of ${home.history.entities.length} entities in ` +
      `${seconds.toFixed(2)} s\n`,
  );
  for (const warning of [...home.history.warnings, ...home.warnings]) {
    process.stderr.write(`warning: ${warning}\n`);
  }

  return home;
}
