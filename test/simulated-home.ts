import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { computeAnalysisContext } from '../src/correlation/index.js';
import type { AnalysisContext } from '../src/correlation/index.js';
import { simulateHome } from '../src/simulate/index.js';
import type { SimulateOptions } from '../src/simulate/index.js';
import { readRecorder } from '../src/sources/index.js';
import type { RecorderHistory } from '../src/sources/index.js';

/** The parts of `truth.json` that tests check findings against; see docs/simulator.md. */
export interface Truth {
  time_zone: string;
  habits: {
    trigger: { entity_id: string; state: string };
    response: { entity_id: string; state: string };
    lag_s: { min: number; max: number };
    probability: number;
    condition: string | null;
    automated: boolean;
    occurrences: number;
  }[];
  presence_driven: { entity_id: string; driver: string }[];
  /** Devices an automation sets at sunrise or sunset. */
  sun_driven: { entity_id: string }[];
  independent: string[];
}

export interface SimulatedHome {
  dir: string;
  configDir: string;
  truth: Truth;
  history: RecorderHistory;
  context: AnalysisContext;
  /** Removes the home's folder. */
  remove(): void;
}

/** Simulates a home in a temporary folder and reads it back, as an analysis would. */
export function loadSimulatedHome(options: Omit<SimulateOptions, 'out'>): SimulatedHome {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-home-'));
  simulateHome({ ...options, out: dir });
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
  const configDir = join(dir, 'config');
  const history = readRecorder(join(configDir, 'home-assistant_v2.db'));
  return {
    dir,
    configDir,
    truth,
    history,
    context: computeAnalysisContext(history, truth.time_zone),
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Several simulated homes, each with what `analyse` makes of it, for tests that run the same
 * checks on each seed: call `setUp` in `beforeAll`, `tearDown` in `afterAll`, `get` in a test.
 */
export function simulatedHomes<T>(seeds: readonly number[], analyse: (home: SimulatedHome) => T) {
  const homes = new Map<number, { home: SimulatedHome; result: T }>();
  return {
    setUp(): void {
      for (const seed of seeds) {
        const home = loadSimulatedHome({ seed });
        homes.set(seed, { home, result: analyse(home) });
      }
    },
    tearDown(): void {
      for (const { home } of homes.values()) {
        home.remove();
      }
    },
    get(seed: number): { truth: Truth; result: T } {
      const { home, result } = entryOf(seed);
      return { truth: home.truth, result };
    },
    /** The simulated home itself, for a test that analyses it differently. */
    home(seed: number): SimulatedHome {
      return entryOf(seed).home;
    },
  };

  function entryOf(seed: number): { home: SimulatedHome; result: T } {
    const entry = homes.get(seed);
    if (entry === undefined) {
      throw new Error(`home ${seed} was not simulated`);
    }

    return entry;
  }
}
