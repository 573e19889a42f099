import { describe, expect, it } from 'vitest';

import { domainOf } from '../home/index.js';
import type { EntityInfo } from '../home/index.js';
import { StateTable, TimelineBuilder } from '../timeline/index.js';
import type { HomeHistory, Interval } from '../timeline/index.js';
import { computeEntityGroups, computeGroupIndex, structuralGroupOf } from './groups.js';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const START = Date.UTC(2026, 2, 2);
const DAYS = 14;

type Spans = readonly Interval[];

/** A home of on/off entities, each `off` from the start and `on` during its spans. */
function buildHome(entities: Readonly<Record<string, Spans>>): HomeHistory {
  const window = { start: START, end: START + DAYS * DAY };
  const states = new StateTable();
  const ids = Object.keys(entities);
  const timelines = ids.map((entityId) => {
    const builder = new TimelineBuilder(entityId, window, states);
    builder.setInitial('off');
    for (const span of entities[entityId] ?? []) {
      builder.push(span.start, 'on');
      builder.push(span.end, 'off');
    }

    return builder.build();
  });
  return {
    window,
    entities: ids.map(infoOf),
    timelines,
    states,
    areas: [],
    rowsRead: 0,
    warnings: [],
  };
}

function infoOf(entityId: string): EntityInfo {
  return {
    entityId,
    domain: domainOf(entityId),
    name: entityId,
    areaId: null,
    deviceId: null,
    deviceClass: null,
    unitOfMeasurement: null,
  };
}

/** A motion sensor's on spans: `perDay` visits of 1 to 4 minutes, at seeded random times. */
function motion(seed: number, perDay = 40, days = DAYS): Interval[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const spans: Interval[] = [];
  for (let day = 0; day < days; day++) {
    const times = Array.from({ length: perDay }, () => START + day * DAY + random() * DAY);
    for (const start of times.sort((a, b) => a - b)) {
      const end = start + MINUTE + random() * 3 * MINUTE;
      const last = spans[spans.length - 1];
      if (last === undefined || start > last.end + 1_000) {
        spans.push({ start, end });
      }
    }
  }

  return spans;
}

/**
 * What an entity driven by `members` does: on while any is on, `delayMs` after the first rises,
 * off `holdMs` after the last falls. A group has a hold of a few ms; a light, of minutes.
 */
function follow(members: readonly Spans[], delayMs: number, holdMs: number): Interval[] {
  const all = members.flat().sort((x, y) => x.start - y.start);
  const merged: Interval[] = [];
  for (const span of all) {
    const last = merged[merged.length - 1];
    const end = span.end + holdMs;
    if (last !== undefined && span.start + delayMs <= last.end) {
      last.end = Math.max(last.end, end);
    } else {
      merged.push({ start: span.start + delayMs, end });
    }
  }

  return merged;
}

const hall = motion(1);
const kitchen = motion(2);
const bedroom = motion(3, 15);

describe('computeEntityGroups', () => {
  describe('when an entity is on while any of three motion sensors is', () => {
    const home = buildHome({
      'binary_sensor.hall_motion': hall,
      'binary_sensor.kitchen_motion': kitchen,
      'binary_sensor.bedroom_motion': bedroom,
      'binary_sensor.any_motion': follow([hall, kitchen, bedroom], 40, 40),
    });

    it('returns it as any of the three, with edges and time in agreement', () => {
      const [group, ...others] = computeEntityGroups(home);

      expect(others).toEqual([]);
      expect(group?.entityId).toBe('binary_sensor.any_motion');
      expect(group?.rule).toBe('any');
      expect(group?.members).toEqual([
        'binary_sensor.bedroom_motion',
        'binary_sensor.hall_motion',
        'binary_sensor.kitchen_motion',
      ]);
      expect(group?.evidence.risesMatched).toBe(group?.evidence.rises);
      expect(group?.evidence.fallsMatched).toBe(group?.evidence.falls);
      expect(group?.evidence.agreement).toBeGreaterThan(0.99);
      expect(group?.evidence.expectedMatchedByChance).toBeLessThan(
        0.05 * (group?.evidence.rises ?? 0),
      );
    });
  });

  describe('when an old-style Home Assistant group is on while either of two lights is', () => {
    const home = buildHome({
      'light.hall': hall,
      'light.kitchen': kitchen,
      'group.downstairs_lights': follow([hall, kitchen], 15, 15),
    });

    it('returns it as any of the two', () => {
      const groups = computeEntityGroups(home);

      expect(groups.map((group) => [group.entityId, group.rule, group.members])).toEqual([
        ['group.downstairs_lights', 'any', ['light.hall', 'light.kitchen']],
      ]);
    });
  });

  describe('when a light is turned on by two motion sensors and off five minutes after', () => {
    const home = buildHome({
      'binary_sensor.hall_motion': hall,
      'binary_sensor.kitchen_motion': kitchen,
      'light.hall': follow([hall, kitchen], 800, 5 * MINUTE),
    });

    it('returns no group: the light covers their motion, but its falls are its own', () => {
      expect(computeEntityGroups(home)).toEqual([]);
    });
  });

  describe('when the members stop reporting and the aggregate goes on', () => {
    const half = DAYS / 2;
    const members = [motion(1, 40, half), motion(2, 40, half), motion(3, 15, half)];
    const later = motion(4, 60).filter((span) => span.start > START + half * DAY);
    const home = buildHome({
      'binary_sensor.hall_motion': members[0] ?? [],
      'binary_sensor.kitchen_motion': members[1] ?? [],
      'binary_sensor.bedroom_motion': members[2] ?? [],
      'binary_sensor.any_motion': [...follow(members, 40, 40), ...later],
    });

    it('returns the group, judged only while the members reported', () => {
      const [group] = computeEntityGroups(home);
      const lastChange = Math.max(...members.map((spans) => spans[spans.length - 1]?.end ?? 0));

      expect(group?.members).toHaveLength(3);
      expect(group?.evidence.judged.end).toBeLessThanOrEqual(lastChange);
      expect(group?.evidence.judged.end).toBeLessThan(START + (half + 1) * DAY);
    });
  });

  describe('when another entity merely overlaps the aggregate', () => {
    // Someone at the desk: on for an hour or two each evening, while the sensors fire around it.
    const desk = Array.from({ length: DAYS }, (_, day) => ({
      start: START + day * DAY + 18 * 60 * MINUTE,
      end: START + day * DAY + (19 + (day % 2)) * 60 * MINUTE,
    }));
    const home = buildHome({
      'binary_sensor.hall_motion': hall,
      'binary_sensor.kitchen_motion': kitchen,
      'switch.desk': desk,
      'binary_sensor.any_motion': follow([hall, kitchen], 40, 40),
    });

    it('returns the group without it', () => {
      const groups = computeEntityGroups(home);

      expect(groups.map((group) => [group.entityId, group.members])).toEqual([
        ['binary_sensor.any_motion', ['binary_sensor.hall_motion', 'binary_sensor.kitchen_motion']],
      ]);
    });
  });

  describe('when an entity is on only while both of two others are', () => {
    const longer = (spans: Spans, byMs: number) =>
      follow([spans.map((span) => ({ start: span.start, end: span.end + byMs }))], 0, 0);
    const heating = longer(motion(5, 12), 90 * MINUTE);
    const window = longer(motion(6, 12), 60 * MINUTE);
    const both = intersect(heating, window).map((span) => ({
      start: span.start + 30,
      end: span.end + 30,
    }));
    const home = buildHome({
      'binary_sensor.heating': heating,
      'binary_sensor.window': window,
      'binary_sensor.heating_with_window_open': both,
    });

    it('returns it as all of them', () => {
      const groups = computeEntityGroups(home);

      expect(groups.map((group) => [group.entityId, group.rule, group.members])).toEqual([
        [
          'binary_sensor.heating_with_window_open',
          'all',
          ['binary_sensor.heating', 'binary_sensor.window'],
        ],
      ]);
    });
  });
});

describe('structuralGroupOf', () => {
  const index = computeGroupIndex([
    {
      entityId: 'binary_sensor.any_motion',
      rule: 'any',
      members: ['binary_sensor.hall_motion', 'binary_sensor.kitchen_motion'],
      evidence: {
        judged: { start: 0, end: 1 },
        rises: 10,
        risesMatched: 10,
        falls: 10,
        fallsMatched: 10,
        expectedMatchedByChance: 0,
        agreement: 1,
        coverage: 1,
      },
    },
  ]);

  it('returns the aggregate for an aggregate and its member, either way round', () => {
    expect(structuralGroupOf(index, 'binary_sensor.hall_motion', 'binary_sensor.any_motion')).toBe(
      'binary_sensor.any_motion',
    );
    expect(structuralGroupOf(index, 'binary_sensor.any_motion', 'binary_sensor.hall_motion')).toBe(
      'binary_sensor.any_motion',
    );
  });

  it('returns null for two members of one group, whose relation is real', () => {
    expect(
      structuralGroupOf(index, 'binary_sensor.hall_motion', 'binary_sensor.kitchen_motion'),
    ).toBeNull();
  });
});

function intersect(x: Spans, y: Spans): Interval[] {
  const found: Interval[] = [];
  for (const a of x) {
    for (const b of y) {
      const start = Math.max(a.start, b.start);
      const end = Math.min(a.end, b.end);
      if (end > start) {
        found.push({ start, end });
      }
    }
  }

  return found.sort((p, q) => p.start - q.start);
}
