import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { simulateHome } from '../simulate/index.js';
import { readRecorder } from '../sources/index.js';
import { computeAnalysisContext, computeCorrelations } from './index.js';
import type { Relation, SequentialRelation } from './index.js';

interface PlantedHabit {
  trigger: { entity_id: string; state: string };
  response: { entity_id: string; state: string };
  lag_s: { min: number; max: number };
  automated: boolean;
  occurrences: number;
}

interface Truth {
  time_zone: string;
  habits: PlantedHabit[];
  independent: string[];
}

const SEEDS = [3, 17, 29];

describe('computeCorrelations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-correlation-'));
  const homes = new Map<number, { truth: Truth; relations: Relation[] }>();

  beforeAll(() => {
    for (const seed of SEEDS) {
      const out = join(dir, `home-${seed}`);
      simulateHome({ out, seed });
      const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as Truth;
      const history = readRecorder(join(out, 'config/home-assistant_v2.db'));
      const relations = computeCorrelations(
        history,
        computeAnalysisContext(history, truth.time_zone),
      );
      homes.set(seed, { truth, relations });
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

    it('finds every planted habit in the right order, with its lag', () => {
      const { truth, relations } = home();
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

    it('reports no confident relation that touches an independent device', () => {
      const { truth, relations } = home();
      const independent = new Set(truth.independent);
      const touching = relations.filter(
        (r) =>
          r.confidence >= 0.5 && (independent.has(r.a.entityId) || independent.has(r.b.entityId)),
      );

      expect(touching.map((r) => `${r.a.entityId} ~ ${r.b.entityId}`)).toEqual([]);
    });
  });
});
