import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { simulateHome } from '../src/simulate/index.js';
import { RECORDER_FILE } from '../src/sources/index.js';

/** Simulated homes are kept between runs: writing a big home takes longer than reading it. */
const HOMES_DIR = fileURLToPath(new URL('../.tandem/bench-homes', import.meta.url));
const SEED = 42;

export interface BenchHome {
  dir: string;
  configDir: string;
  recorder: string;
}

/** The folder of a simulated home of this size, written on first use. */
export function benchHome(entities: number, days: number): BenchHome {
  const dir = join(HOMES_DIR, `${entities}x${days}-seed${SEED}`);
  const configDir = join(dir, 'config');
  const recorder = join(configDir, RECORDER_FILE);
  if (!existsSync(recorder)) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`  simulating a ${entities}-entity, ${days}-day home (kept for later runs)`);
    simulateHome({ out: dir, seed: SEED, entities, days });
  }

  return { dir, configDir, recorder };
}
