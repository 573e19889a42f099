import { describe, expect, it } from 'vitest';

import type { EntityInfo } from '../home/index.js';
import { computeHourGrid, StateTable, TimelineBuilder } from '../timeline/index.js';
import type { HomeHistory } from '../timeline/index.js';
import { fuseSensorClaims } from './fusion.js';
import { PRESENCE_AWAY, PRESENCE_HOME, PRESENCE_UNKNOWN } from './observed.js';
import {
  computeSensorHourlyPresence,
  computeSensorPresence,
  fuseHourlyPresence,
} from './sensor-presence.js';
import type { PresenceInterval } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2024-03-04 00:00 UTC; the tests read the home in UTC. */
const T0 = Date.UTC(2024, 2, 4);

type Sensor = [entityId: string, deviceClass: string | null, changes: [number, string][]];

function buildHome(sensors: readonly Sensor[], days: number): HomeHistory {
  const window = { start: T0, end: T0 + days * DAY };
  const states = new StateTable();
  const entities: EntityInfo[] = sensors.map(([entityId, deviceClass]) => ({
    entityId,
    domain: 'binary_sensor',
    name: entityId,
    areaId: null,
    deviceId: null,
    deviceClass,
    unitOfMeasurement: null,
  }));
  const timelines = sensors.map(([entityId, , changes]) => {
    const builder = new TimelineBuilder(entityId, window, states);
    builder.setInitial('off');
    for (const [time, state] of [...changes].sort((a, b) => a[0] - b[0])) {
      builder.push(time, state);
    }

    return builder.build();
  });
  return { window, entities, timelines, states, areas: [], rowsRead: 0, warnings: [] };
}

/** Motion every 20 minutes over `[from, to)`: someone moving about. */
function moving(from: number, to: number): [number, string][] {
  const changes: [number, string][] = [];
  for (let t = from; t < to; t += 20 * MINUTE) {
    changes.push([t, 'on'], [t + MINUTE, 'off']);
  }

  return changes;
}

/** A door opened and closed 10 s later. */
function passage(at: number): [number, string][] {
  return [
    [at, 'on'],
    [at + 10_000, 'off'],
  ];
}

/**
 * Weekdays of one resident: up at 07:00, out from 09:00 to 17:00, in bed at 23:00 behind the
 * bedroom door. `extra` adds door uses and motion for the case under test.
 */
function weekdays(days: number, extra: { door?: number[]; motion?: [number, number][] } = {}) {
  const motion: [number, string][] = [];
  const door: [number, string][] = [];
  const bedroom: [number, string][] = [];
  for (let d = 0; d < days; d++) {
    const day = T0 + d * DAY;
    motion.push(...moving(day + 7 * HOUR, day + 9 * HOUR - MINUTE));
    motion.push(...moving(day + 17 * HOUR + 2 * MINUTE, day + 23 * HOUR));
    door.push(...passage(day + 9 * HOUR), ...passage(day + 17 * HOUR));
    bedroom.push(...passage(day + 7 * HOUR - MINUTE), ...passage(day + 23 * HOUR));
  }

  for (const at of extra.door ?? []) {
    door.push(...passage(at));
  }

  for (const [from, to] of extra.motion ?? []) {
    motion.push(...moving(from, to));
  }

  const sensors: Sensor[] = [
    ['binary_sensor.front_door', 'door', door],
    ['binary_sensor.bedroom_door', 'door', bedroom],
    ['binary_sensor.living_motion', 'motion', motion],
  ];
  return buildHome(sensors, days);
}

const UTC = { timeZone: 'UTC' };

describe('computeSensorPresence', () => {
  describe('when the resident leaves by the front door every morning', () => {
    const home = weekdays(5);
    const presence = computeSensorPresence(home, UTC);

    it('returns the front door as the exit door, learned over the bedroom door', () => {
      expect(presence.door?.entityId).toBe('binary_sensor.front_door');
      expect(presence.door?.learned).toBe(true);
    });

    it('returns one absence per working day, from door to door', () => {
      expect(presence.away).toHaveLength(5);
      expect(presence.away[0]?.start).toBe(T0 + 9 * HOUR + 10_000);
      expect(presence.away[0]?.end).toBe(T0 + 17 * HOUR);
      expect(presence.away.every((away) => away.confidence > 0.5)).toBe(true);
    });

    it('returns the nights as home: the silence ends indoors, not at the door', () => {
      const night = presence.intervals.find(
        (i) => i.start <= T0 + DAY + 3 * HOUR && i.end > T0 + DAY + 3 * HOUR,
      );
      expect(night?.state).toBe('home');
    });

    it('learns a silence threshold between a passage and an absence', () => {
      expect(presence.silenceThresholdMs).toBeGreaterThan(10_000);
      expect(presence.silenceThresholdMs).toBeLessThan(8 * HOUR);
    });
  });

  describe('when the door opens without anyone leaving', () => {
    it('returns no absence when indoor motion follows, as when letting the cat out', () => {
      const cat = T0 + 2 * DAY + 20 * HOUR;
      const presence = computeSensorPresence(weekdays(5, { door: [cat] }), UTC);
      const around = presence.away.filter((away) => away.end > cat && away.start < cat + HOUR);
      expect(around).toEqual([]);
    });
  });

  describe('when the household is away for days', () => {
    it('returns one long absence across the nights', () => {
      const home = weekdays(3, { door: [T0 + 3 * DAY + 9 * HOUR, T0 + 6 * DAY + 17 * HOUR] });
      const presence = computeSensorPresence(buildHome(extend(home), 7), UTC);
      const long = presence.away.find((away) => away.end - away.start > 3 * DAY);
      expect(long?.start).toBe(T0 + 3 * DAY + 9 * HOUR + 10_000);
      expect(long?.end).toBe(T0 + 6 * DAY + 17 * HOUR);
    });
  });

  describe('when the data ends while the household is out', () => {
    it('returns an open absence with less confidence', () => {
      const home = weekdays(4, { door: [T0 + 4 * DAY + 9 * HOUR] });
      const presence = computeSensorPresence(buildHome(extend(home), 5), UTC);
      const last = presence.away.at(-1);
      expect(last?.end).toBe(T0 + 5 * DAY);
      expect(last?.reason).toMatch(/until the data ends/);
      expect(last?.confidence).toBeLessThanOrEqual(0.5);
    });
  });

  describe('when the home has no door sensor', () => {
    it('returns no door and one unknown interval with its reason', () => {
      const home = buildHome([['binary_sensor.hall_motion', 'motion', moving(T0, T0 + DAY)]], 2);
      const presence = computeSensorPresence(home, UTC);
      expect(presence.door).toBeNull();
      expect(presence.intervals).toMatchObject([{ state: 'unknown', confidence: 0 }]);
      expect(presence.intervals[0]?.reason).toMatch(/no door/);
    });
  });
});

/** The sensors of `home` again, for a longer window. */
function extend(home: HomeHistory): Sensor[] {
  return home.entities.map((entity, i) => {
    const timeline = home.timelines[i];
    const changes: [number, string][] = [...(timeline?.times ?? [])].map((time, k) => [
      time,
      home.states.nameOf(timeline?.states[k] ?? 0),
    ]);
    return [entity.entityId, entity.deviceClass, changes];
  });
}

describe('computeSensorHourlyPresence', () => {
  it('returns away for the hours of an absence and home for the others', () => {
    const home = weekdays(2);
    const grid = computeHourGrid(home.window, 'UTC');
    const codes = computeSensorHourlyPresence(computeSensorPresence(home, UTC), grid);
    expect(codes[12]).toBe(PRESENCE_AWAY);
    expect(codes[20]).toBe(PRESENCE_HOME);
    expect(codes[3]).toBe(PRESENCE_UNKNOWN);
  });
});

describe('fuseHourlyPresence', () => {
  it('returns the primary codes, filled with sensor codes only where they are unknown', () => {
    const primary = Int8Array.from([PRESENCE_HOME, PRESENCE_UNKNOWN, PRESENCE_AWAY]);
    const sensors = Int8Array.from([PRESENCE_AWAY, PRESENCE_AWAY, PRESENCE_HOME]);
    expect([...(fuseHourlyPresence(primary, sensors) ?? [])]).toEqual([
      PRESENCE_HOME,
      PRESENCE_AWAY,
      PRESENCE_AWAY,
    ]);
    expect(fuseHourlyPresence(undefined, sensors)).toBe(sensors);
  });
});

function claim(
  start: number,
  end: number,
  state: PresenceInterval['state'],
  confidence: number,
  reason: string,
): PresenceInterval {
  return {
    start,
    end,
    state,
    workFromHome: false,
    confidence,
    source: 'sensors',
    reason,
    stale: false,
  };
}

describe('fuseSensorClaims', () => {
  const door = [
    claim(T0, T0 + 9 * HOUR, 'home', 0.5, 'indoor activity'),
    claim(T0 + 9 * HOUR, T0 + 17 * HOUR, 'away', 0.9, 'door, then silence'),
    claim(T0 + 17 * HOUR, T0 + DAY, 'home', 0.5, 'indoor activity'),
  ];

  it('returns the more confident claim where the inferences disagree', () => {
    const arming = [
      claim(T0 + 8 * HOUR, T0 + 12 * HOUR, 'away', 0.8, 'armed and silent'),
      claim(T0 + 12 * HOUR, T0 + 20 * HOUR, 'home', 0.6, 'armed, but life'),
    ];
    const fused = fuseSensorClaims([door, arming]);
    expect(fused.map((i) => [(i.start - T0) / HOUR, i.state, i.reason])).toEqual([
      [0, 'home', 'indoor activity'],
      [8, 'away', 'armed and silent'],
      [9, 'away', 'door, then silence'],
      [17, 'home', 'armed, but life'],
      [20, 'home', 'indoor activity'],
    ]);
  });

  it('returns a claim over an unknown, and home after the first claim where nobody knows', () => {
    const noDoor = [claim(T0, T0 + DAY, 'unknown', 0, 'no door')];
    const arming = [
      claim(T0 + 2 * HOUR, T0 + 9 * HOUR, 'unknown', 0, 'not armed'),
      claim(T0 + 9 * HOUR, T0 + 17 * HOUR, 'away', 0.7, 'armed and silent'),
      claim(T0 + 17 * HOUR, T0 + DAY, 'unknown', 0, 'not armed'),
    ];
    const fused = fuseSensorClaims([noDoor, arming]);
    expect(fused.map((i) => [(i.start - T0) / HOUR, i.state, i.reason])).toEqual([
      [0, 'unknown', 'no door'],
      [9, 'away', 'armed and silent'],
      [17, 'home', 'no sign of absence: no door; not armed'],
    ]);
  });
});

describe('computeSensorPresence', () => {
  describe('when the home has an exit door and a camera system armed while out', () => {
    const home = weekdays(5);
    const armed: Sensor = ['binary_sensor.cameras_armed', null, []];
    for (let d = 0; d < 5; d++) {
      armed[2].push([T0 + d * DAY + 9 * HOUR + MINUTE, 'on'], [T0 + d * DAY + 17 * HOUR, 'off']);
    }

    const presence = computeSensorPresence(buildHome([...extend(home), armed], 5), UTC);

    it('returns one absence per working day from both, the door and the arming', () => {
      expect(presence.door?.entityId).toBe('binary_sensor.front_door');
      expect(presence.arming?.signals).toEqual(['binary_sensor.cameras_armed']);
      const days = presence.away.filter((away) => away.end - away.start > HOUR);
      expect(days.map((away) => Math.floor((away.start - T0) / DAY))).toEqual([0, 1, 2, 3, 4]);
      expect(presence.away.every((away) => away.start >= T0 + 9 * HOUR)).toBe(true);
    });
  });
});
