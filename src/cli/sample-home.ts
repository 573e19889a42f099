import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { simulateHome } from '../simulate/index.js';
import { RECORDER_FILE } from '../sources/index.js';

/** The sample home lives beside the package, so the quick start works from any folder. */
const SAMPLE_DIR = fileURLToPath(new URL('../../.tandem/sample-home', import.meta.url));
const SAMPLE_SEED = 1;

/**
 * The config folder of the sample home, simulated with a fixed seed the first time it is asked
 * for and reused after that.
 */
export function ensureSampleHome(): string {
  const configDir = join(SAMPLE_DIR, 'config');
  if (!existsSync(join(configDir, RECORDER_FILE))) {
    // A run cut short leaves a partial home; the simulator only writes into a fresh folder.
    rmSync(SAMPLE_DIR, { recursive: true, force: true });
    process.stderr.write(`writing a sample home to ${SAMPLE_DIR} (first run only)\n`);
    simulateHome({ out: SAMPLE_DIR, seed: SAMPLE_SEED });
  }

  return configDir;
}
