import { describe, expect, it } from 'vitest';

import type { HomeHistory } from './home-history.js';
import { mergeHistories } from './merge.js';
import { StateTable } from './state-table.js';
import { TimelineBuilder } from './timeline.js';

function history(entityId: string, window: { start: number; end: number }, states: string[]) {
  const table = new StateTable();
  table.codeOf('padding');
  const builder = new TimelineBuilder(entityId, window, table);
  states.forEach((state, i) => builder.push(window.start + i, state));
  const result: HomeHistory = {
    window,
    entities: [
      {
        entityId,
        domain: entityId.split('.')[0] ?? '',
        name: entityId,
        areaId: null,
        deviceId: null,
        deviceClass: null,
        unitOfMeasurement: null,
      },
    ],
    timelines: [builder.build()],
    states: table,
    areas: [],
    rowsRead: states.length,
    warnings: [],
  };
  return result;
}

describe('mergeHistories', () => {
  it('returns the entities side by side over the union of the windows', () => {
    const merged = mergeHistories([
      history('light.a', { start: 0, end: 100 }, ['off', 'on']),
      history('switch.b', { start: 50, end: 200 }, ['on', 'off', 'on']),
    ]);

    expect(merged.window).toEqual({ start: 0, end: 200 });
    expect(merged.entities.map((e) => e.entityId)).toEqual(['light.a', 'switch.b']);
    expect(merged.rowsRead).toBe(5);
    const [a, b] = merged.timelines;
    expect([...(b?.states ?? [])].map((code) => merged.states.nameOf(code))).toEqual(['off', 'on']);
    expect(merged.states.nameOf(a?.initial ?? -1)).toBe('off');
  });

  it('refuses an entity that two sources hold', () => {
    const one = history('light.a', { start: 0, end: 10 }, ['on']);

    expect(() => mergeHistories([one, one])).toThrow(/light\.a is in more than one source/);
  });
});
