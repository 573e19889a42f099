import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulatedHomes } from '../../test/simulated-home.js';
import { TimelineBuilder } from '../timeline/index.js';
import type { HomeHistory } from '../timeline/index.js';
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

  describe('when the home has a group of its residents', () => {
    /** The history with `group.family`, home whenever the first resident is. */
    function withFamilyGroup(history: HomeHistory): HomeHistory {
      const index = history.entities.findIndex((entity) => entity.domain === 'person');
      const person = history.timelines[index];
      if (person === undefined) {
        throw new RangeError('the simulated home has no person');
      }

      const builder = new TimelineBuilder('group.family', history.window, history.states);
      builder.setInitial(history.states.nameOf(person.initial));
      for (let i = 0; i < person.length; i++) {
        builder.push(person.times[i] ?? 0, history.states.nameOf(person.states[i] ?? 0));
      }

      const info = {
        ...(history.entities[index] ?? history.entities[0]!),
        entityId: 'group.family',
      };
      return {
        ...history,
        entities: [...history.entities, { ...info, domain: 'group', name: 'Family' }],
        timelines: [...history.timelines, builder.build()],
      };
    }

    it('returns no verdict on it: a group in home or not_home is presence itself', () => {
      const { history, context } = homes.home(SEEDS[0] ?? 1);
      const family = withFamilyGroup(history);
      const drivers = computePresenceDrivers(family, context, computeCorrelations(family, context));

      expect(drivers.map((entity) => entity.entityId)).not.toContain('group.family');
      expect(drivers.length).toBeGreaterThan(0);
    });
  });

  describe('when told to skip an entity', () => {
    it('returns no verdict on it', () => {
      const { history, context } = homes.home(SEEDS[0] ?? 1);
      const relations = computeCorrelations(history, context);
      const drivers = computePresenceDrivers(history, context, relations, {
        skip: new Set(['vacuum.robot']),
      });

      expect(drivers.map((entity) => entity.entityId)).not.toContain('vacuum.robot');
    });
  });
});
