import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulateHome } from '../simulate/index.js';
import { readRecorder } from '../sources/index.js';
import { computeAnalysisContext, computeCorrelations, computePresenceDrivers } from './index.js';
import type { PresenceCorrelation } from './index.js';

interface Truth {
  time_zone: string;
  presence_driven: { entity_id: string; driver: string }[];
  independent: string[];
}

const SEEDS = [1, 2, 4];

describe('computePresenceDrivers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-presence-drivers-'));
  const homes = new Map<number, { truth: Truth; drivers: PresenceCorrelation[] }>();

  beforeAll(() => {
    for (const seed of SEEDS) {
      const out = join(dir, `home-${seed}`);
      simulateHome({ out, seed });
      const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as Truth;
      const history = readRecorder(join(out, 'config/home-assistant_v2.db'));
      const context = computeAnalysisContext(history, truth.time_zone);
      const relations = computeCorrelations(history, context);
      homes.set(seed, { truth, drivers: computePresenceDrivers(history, context, relations) });
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(SEEDS)('on the simulated home with seed %i', (seed) => {
    const home = () => {
      const found = homes.get(seed);
      if (found === undefined) {
        throw new Error(`home ${seed} was not simulated`);
      }

      return found;
    };

    it('flags every planted presence-driven device with its planted driver', () => {
      const { truth, drivers } = home();
      const found = new Map(drivers.map((entity) => [entity.entityId, entity]));
      for (const planted of truth.presence_driven) {
        const entity = found.get(planted.entity_id);

        expect(entity?.driver, planted.entity_id).toBe(planted.driver);
        expect(entity?.confidence, planted.entity_id).toBeGreaterThanOrEqual(0.5);
      }
    });

    it('flags no independent device', () => {
      const { truth, drivers } = home();
      const independent = new Set(truth.independent);
      const flagged = drivers.filter((e) => e.presenceDriven && independent.has(e.entityId));

      expect(flagged.map((e) => `${e.entityId}: ${e.driver ?? ''}`)).toEqual([]);
    });

    it('reports activations per hour home and away', () => {
      const vacuum = home().drivers.find((entity) => entity.entityId === 'vacuum.robot');

      expect(vacuum?.rates.home).toBe(0);
      expect(vacuum?.rates.away).toBeGreaterThan(0);
      expect(vacuum?.evidence.hoursAway).toBeGreaterThan(24);
    });
  });
});
