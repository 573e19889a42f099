import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulatedHomes } from '../../test/simulated-home.js';
import { computeCorrelations } from './index.js';
import type { SequentialRelation } from './index.js';

const SEEDS = [3, 17, 29];

describe('computeCorrelations', () => {
  const homes = simulatedHomes(SEEDS, (home) => computeCorrelations(home.history, home.context));

  beforeAll(() => {
    homes.setUp();
  });

  afterAll(() => {
    homes.tearDown();
  });

  describe.each(SEEDS)('on the simulated home with seed %i', (seed) => {
    const found = () => {
      const { truth, result } = homes.get(seed);
      return { truth, relations: result };
    };

    it('finds every planted habit in the right order, with its lag', () => {
      const { truth, relations } = found();
      for (const habit of truth.habits) {
        const relation = relations.find(
          (r): r is SequentialRelation =>
            r.kind === 'sequential' &&
            r.a.entityId === habit.trigger.entity_id &&
            r.a.state === habit.trigger.state &&
            r.b.entityId === habit.response.entity_id &&
            r.b.state === habit.response.state,
        );
        const name = `${habit.trigger.entity_id} → ${habit.response.entity_id}`;

        expect(relation?.confidence, name).toBeGreaterThanOrEqual(0.5);
        expect(relation?.lagS.median, name).toBeGreaterThanOrEqual(habit.lag_s.min);
        expect(relation?.lagS.median, name).toBeLessThanOrEqual(habit.lag_s.max);
        expect(relation?.alreadyAutomated, name).toBe(habit.automated);
      }
    });

    it('makes the sun the trigger of the devices it drives, never their response', () => {
      const { truth, relations } = found();
      const sequential = relations.filter((r) => r.kind === 'sequential');

      expect(sequential.filter((r) => r.b.entityId === 'sun.sun')).toEqual([]);
      for (const { entity_id: entityId } of truth.sun_driven) {
        const fromSun = sequential.find(
          (r) => r.a.entityId === 'sun.sun' && r.b.entityId === entityId,
        );
        expect(fromSun?.confidence, entityId).toBeGreaterThanOrEqual(0.5);
      }
    });

    it('reports no confident relation that touches an independent device', () => {
      const { truth, relations } = found();
      const independent = new Set(truth.independent);
      const touching = relations.filter(
        (r) =>
          r.confidence >= 0.5 && (independent.has(r.a.entityId) || independent.has(r.b.entityId)),
      );

      expect(touching.map((r) => `${r.a.entityId} ~ ${r.b.entityId}`)).toEqual([]);
    });
  });
});
