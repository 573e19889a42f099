import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadSimulatedHome } from '../../test/simulated-home.js';
import type { SimulatedHome } from '../../test/simulated-home.js';
import type { StateChange } from '../home/index.js';
import type { HomeHistory } from '../timeline/index.js';
import { causeOf } from '../timeline/index.js';
import type { AnalysisContext } from './context.js';
import { computeEventStreams } from './event-streams.js';
import { computeSequentialRelations } from './sequential.js';
import { CorrelationStream } from './stream.js';

/** The history as Home Assistant would have reported it: first states, then every change. */
function replay(history: HomeHistory): StateChange[] {
  const firsts: StateChange[] = [];
  const changes: StateChange[] = [];
  for (const timeline of history.timelines) {
    const entityId = timeline.entityId;
    firsts.push({
      entityId,
      time: history.window.start,
      state: history.states.nameOf(timeline.initial),
      cause: 'device',
    });
    for (let i = 0; i < timeline.length; i++) {
      const parent = history.entities[timeline.parents[i] ?? -1]?.entityId;
      const parentTime = timeline.parentTimes[i] ?? NaN;
      changes.push({
        entityId,
        time: timeline.times[i] ?? 0,
        state: history.states.nameOf(timeline.states[i] ?? 0),
        cause: causeOf(timeline, i),
        ...(parent === undefined ? {} : { parentEntityId: parent, parentTime }),
      });
    }
  }

  // A stable sort keeps each entity's changes in order at equal times.
  return [...firsts, ...changes.sort((x, y) => x.time - y.time)];
}

describe('CorrelationStream', () => {
  let home: SimulatedHome;
  let history: HomeHistory;
  let context: AnalysisContext;
  const now = Date.UTC(2026, 0, 1);

  beforeAll(() => {
    home = loadSimulatedHome({ seed: 5, days: 14 });
    ({ history, context } = home);
  });

  afterAll(() => {
    home.remove();
  });

  it('gives the same relations as the batch computation over the same history', () => {
    const stream = new CorrelationStream();
    for (const change of replay(history)) {
      stream.add(change);
    }

    const batch = computeSequentialRelations(computeEventStreams(history), context);
    const streamed = stream.relations(context, now);

    expect(batch.length).toBeGreaterThan(10);
    expect(streamed).toEqual(batch);
  });

  describe('when queried again', () => {
    it('answers unchanged pairs from its cache and judges touched ones again', () => {
      const stream = new CorrelationStream();
      const changes = replay(history);
      for (const change of changes) {
        stream.add(change);
      }

      stream.relations(context, now);
      const first = stream.cacheStats();
      stream.relations(context, now);
      const second = stream.cacheStats();

      expect(second.hits - first.hits).toBe(first.misses);
      expect(second.misses).toBe(first.misses);

      // The hallway light goes off and on again: only pairs with its two streams are touched.
      const end = changes.at(-1)!.time;
      const light = { entityId: 'light.hallway', cause: 'device' } as const;
      stream.add({ ...light, time: end + 1, state: 'on' });
      stream.add({ ...light, time: end + 2, state: 'off' });
      stream.add({ ...light, time: end + 3, state: 'on' });
      stream.relations(context, now);
      const third = stream.cacheStats();

      expect(third.misses).toBeGreaterThan(second.misses);
      expect(third.misses - second.misses).toBeLessThan(first.misses / 4);
    });

    it('judges every pair again once the cached verdicts are older than their age limit', () => {
      const stream = new CorrelationStream({ cacheTtlMs: 60_000 });
      for (const change of replay(history)) {
        stream.add(change);
      }

      stream.relations(context, now);
      const first = stream.cacheStats();
      stream.relations(context, now + 120_000);

      expect(stream.cacheStats().hits).toBe(first.hits);
    });
  });

  it('refuses a change older than the last one', () => {
    const stream = new CorrelationStream();
    stream.add({ entityId: 'light.a', time: 1000, state: 'off', cause: 'device' });
    stream.add({ entityId: 'light.a', time: 2000, state: 'on', cause: 'device' });

    expect(() => {
      stream.add({ entityId: 'light.b', time: 1500, state: 'on', cause: 'device' });
    }).toThrow(/light\.b changed at .* before the last change taken/);
  });
});
