import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulatedHomes } from '../../test/simulated-home.js';
import { computeCorrelations, computePresenceDrivers } from './index.js';

const SEEDS = [1, 2, 4];

describe('computePresenceDrivers', () => {
  const homes = simulatedHomes(SEEDS, (home) => {
    const relations = computeCorrelations(home.history, home.context);
    return computePresenceDrivers(home.history, home.context, relations);
  });

  beforeAll(() => {
    homes.setUp();
  });

  afterAll(() => {
    homes.tearDown();
  });

  describe.each(SEEDS)('on the simulated home with seed %i', (seed) => {
    const found = () => {
      const { truth, result } = homes.get(seed);
      return { truth, drivers: result };
    };

    it('flags every planted presence-driven device with its planted driver', () => {
      const { truth, drivers } = found();
      const byEntity = new Map(drivers.map((entity) => [entity.entityId, entity]));
      for (const planted of truth.presence_driven) {
        const entity = byEntity.get(planted.entity_id);

        expect(entity?.driver, planted.entity_id).toBe(planted.driver);
        expect(entity?.confidence, planted.entity_id).toBeGreaterThanOrEqual(0.5);
      }
    });

    it('flags no independent device', () => {
      const { truth, drivers } = found();
      const independent = new Set(truth.independent);
      const flagged = drivers.filter((e) => e.presenceDriven && independent.has(e.entityId));

      expect(flagged.map((e) => `${e.entityId}: ${e.driver ?? ''}`)).toEqual([]);
    });

    it('reports activations per hour home and away', () => {
      const vacuum = found().drivers.find((entity) => entity.entityId === 'vacuum.robot');

      expect(vacuum?.rates.home).toBe(0);
      expect(vacuum?.rates.away).toBeGreaterThan(0);
      expect(vacuum?.evidence.hoursAway).toBeGreaterThan(24);
    });
  });
});
