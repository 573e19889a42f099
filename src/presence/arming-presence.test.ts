import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { computeAnalysisContext } from '../correlation/context.js';
import { RecorderWriter } from '../simulate/index.js';
import type { StateWrite } from '../simulate/index.js';
import { readHaCsv, readRecorder } from '../sources/index.js';
import { hourIndex } from '../timeline/index.js';
import type { Interval } from '../timeline/index.js';
import { computeArmingPresence, isArmingEntity } from './arming-presence.js';
import { PRESENCE_AWAY, PRESENCE_HOME } from './observed.js';
import { computeSensorPresence } from './sensor-presence.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2024-03-04 00:00 UTC; the homes are read in UTC. */
const T0 = Date.UTC(2024, 2, 4);
const UTC = { timeZone: 'UTC' };

const dir = mkdtempSync(join(tmpdir(), 'tandem-arming-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Written once, read by several tests. */
let alarmFile: string | undefined;

const at = (day: number, hours: number, minutes = 0) =>
  T0 + day * DAY + hours * HOUR + minutes * MINUTE;
const isAt = (time: number) => (interval: Interval) =>
  interval.start <= time && time < interval.end;
const overlaps = (span: Interval) => (interval: Interval) =>
  interval.start < span.end && span.start < interval.end;

/**
 * Three weeks of one household with an alarm panel, written as Home Assistant's recorder writes
 * them. On workdays it gets up at 06:30, leaves at 08:30 and arms the panel (`arming` during the
 * exit delay, then `armed_away`), comes back at 17:30 (`pending`, then `disarmed`), and sets
 * `armed_night` from 23:10 to 06:50. Weekends are spent at home. A garden camera's motion
 * sensor fires at noon on armed days only. Two days break the pattern:
 * - Wednesday of week 2: the panel is armed at 08:32 but someone stays in all day;
 * - Thursday of week 2: the household is back at 14:00 and disarms only at 17:30.
 */
function writeAlarmHome(): string {
  if (alarmFile !== undefined) {
    return alarmFile;
  }

  const file = join(dir, 'alarm.db');
  const writes: StateWrite[] = [];
  const panel = (time: number, state: string) =>
    writes.push({ entityId: 'alarm_control_panel.house', time, state, cause: 'user' });
  const motion = (entityId: string, from: number, to: number, every: number) => {
    const attributes = { device_class: 'motion' };
    for (let time = from; time < to; time += every) {
      writes.push({ entityId, time, state: 'on', attributes, cause: 'device' });
      writes.push({ entityId, time: time + MINUTE, state: 'off', attributes, cause: 'device' });
    }
  };
  const moving = (from: number, to: number) => {
    motion('binary_sensor.living_motion', from, to, 10 * MINUTE);
    motion('binary_sensor.hall_motion', from + 5 * MINUTE, to, 30 * MINUTE);
  };

  for (let day = 0; day < 21; day++) {
    const weekday = day % 7 < 5;
    panel(at(day, 6, 50), 'disarmed');
    if (!weekday) {
      moving(at(day, 8), at(day, 23));
    } else if (day === 9) {
      moving(at(day, 6, 30), at(day, 23));
      panel(at(day, 8, 32), 'armed_away');
      panel(at(day, 17, 30), 'disarmed');
    } else {
      moving(at(day, 6, 30), at(day, 8, 30));
      moving(day === 10 ? at(day, 14) : at(day, 17, 30), at(day, 23));
      panel(at(day, 8, 31), 'arming');
      panel(at(day, 8, 32), 'armed_away');
      panel(at(day, 17, 30) - 30_000, 'pending');
      panel(at(day, 17, 30), 'disarmed');
      motion('binary_sensor.garden_camera_motion', at(day, 12), at(day, 12) + 1, HOUR);
    }

    panel(at(day, 23, 10), 'armed_night');
  }

  writes.sort((a, b) => a.time - b.time);
  const writer = RecorderWriter.create(file, { seed: 7 });
  for (const write of writes) {
    writer.write(write);
  }

  writer.close(at(21, 0));
  alarmFile = file;
  return file;
}

describe('computeArmingPresence', () => {
  describe('when an alarm panel is armed away on leaving and at night', () => {
    const history = readRecorder(writeAlarmHome());
    const presence = computeArmingPresence(history, UTC);
    const away = presence?.away ?? [];

    it('reads the panel as the signal and the indoor motion sensors as the judges', () => {
      expect(presence?.signals).toEqual(['alarm_control_panel.house']);
      expect(presence?.indoorSensors.sort()).toEqual([
        'binary_sensor.hall_motion',
        'binary_sensor.living_motion',
      ]);
    });

    it('returns each armed workday as an absence, from the arming to the disarming', () => {
      const monday = away.find(isAt(at(0, 12)));
      expect(monday?.start).toBe(at(0, 8, 32));
      expect(monday?.end).toBe(at(0, 17, 30) - 30_000);
      expect(monday?.confidence).toBeGreaterThan(0.8);
      expect(monday?.reason).toMatch(/armed and indoor sensors silent for 9\.0 h/);
      const workdays = [0, 1, 2, 3, 4, 7, 8, 10, 11, 14, 15, 16, 17, 18];
      expect(workdays.every((day) => away.some(isAt(at(day, 12))))).toBe(true);
    });

    it('returns no absence on the day someone stayed in with the panel armed', () => {
      const wednesday = { start: at(9, 0), end: at(10, 0) };
      expect(away.filter(overlaps(wednesday))).toEqual([]);
      const noon = presence?.intervals.find(isAt(at(9, 12)));
      expect(noon?.state).toBe('home');
      expect(noon?.reason).toMatch(/showed life/);
    });

    it('ends the absence at the first sign of life when the household is back before disarming', () => {
      const thursday = away.find(isAt(at(10, 12)));
      expect(thursday?.end).toBe(at(10, 14));
      expect(presence?.intervals.find(isAt(at(10, 15)))?.state).toBe('home');
    });

    it('returns the nights in a home mode as home, and disarmed time as no claim', () => {
      const night = presence?.intervals.find(isAt(at(3, 2)));
      expect(night?.state).toBe('home');
      expect(night?.reason).toMatch(/home mode/);
      expect(night?.confidence).toBeGreaterThan(0.5);
      const evening = presence?.intervals.find(isAt(at(3, 20)));
      expect(evening?.state).toBe('unknown');
      expect(evening?.reason).toMatch(/no claim/);
    });

    it('leaves out a camera that fires only while the panel is armed', () => {
      expect(presence?.indoorSensors).not.toContain('binary_sensor.garden_camera_motion');
    });

    it('gives the analysis a household from the sensors, away on workdays and home at weekends', () => {
      const context = computeAnalysisContext(history, 'UTC');
      expect(context.household?.source).toBe('sensors');
      const code = (time: number) => context.presence?.[hourIndex(context.grid, time)];
      expect(code(at(1, 12))).toBe(PRESENCE_AWAY);
      expect(code(at(5, 12))).toBe(PRESENCE_HOME);
      expect(code(at(9, 12))).toBe(PRESENCE_HOME);
    });
  });

  describe('when a camera system is armed at night while the household sleeps', () => {
    const history = readHaCsv(writeCameraCsv());
    const presence = computeArmingPresence(history, UTC);

    it('finds the camera by its armed switch and leaves out the garden camera', () => {
      expect(presence?.signals).toEqual(['binary_sensor.cam_armed_status']);
      expect(presence?.indoorSensors).toEqual(['binary_sensor.hall_motion']);
    });

    it('returns no absence at night: the home is as quiet on the nights it is not armed', () => {
      const night = presence?.intervals.find(isAt(at(2, 3)));
      expect(night?.state).toBe('unknown');
      expect(night?.reason).toMatch(/as quiet/);
      const nights = presence?.away.filter((away) => new Date(away.start).getUTCHours() >= 22);
      expect(nights).toEqual([]);
    });

    it('returns the one armed outing on a busy Saturday as an absence', () => {
      expect(presence?.away).toHaveLength(1);
      expect(presence?.away[0]).toMatchObject({ start: at(12, 10), end: at(12, 16) });
    });
  });

  describe('when the home has no arming entity', () => {
    it('returns null', () => {
      const file = join(dir, 'plain.csv');
      writeFileSync(file, 'last_changed,binary_sensor.hall_motion\n2024-03-04 10:00:00,True\n');
      expect(computeArmingPresence(readHaCsv(file), UTC)).toBeNull();
    });
  });
});

/**
 * Two weeks in the wide CSV of a history export: hall motion every 15 min from 07:00 to 22:00,
 * silent nights, a camera system armed from 22:30 to 06:30 on ten of the fourteen nights and
 * once from 10:00 to 16:00 on the second Saturday, when the hall is silent too. A garden motion
 * sensor catches a fox at 02:00 on armed nights.
 */
function writeCameraCsv(): string {
  const rows: [number, string, string][] = [];
  const iso = (time: number) => new Date(time).toISOString().replace('T', ' ').slice(0, 19);
  for (let day = 0; day < 14; day++) {
    const outing = day === 12 ? { start: at(day, 10), end: at(day, 16) } : undefined;
    for (let time = at(day, 7); time < at(day, 22); time += 15 * MINUTE) {
      if (outing === undefined || time < outing.start || time >= outing.end) {
        rows.push([time, 'hall', 'True'], [time + MINUTE, 'hall', 'False']);
      }
    }

    if (day % 4 !== 3) {
      rows.push([at(day, 22, 30), 'cam', 'True'], [at(day + 1, 6, 30), 'cam', 'False']);
      rows.push([at(day + 1, 2), 'garden', 'True'], [at(day + 1, 2) + MINUTE, 'garden', 'False']);
    }

    if (outing !== undefined) {
      rows.push([outing.start, 'cam', 'True'], [outing.end, 'cam', 'False']);
    }
  }

  const columns = ['hall', 'cam', 'garden'];
  const header =
    'last_changed,binary_sensor.hall_motion,binary_sensor.cam_armed_status,' +
    'binary_sensor.garden_motion';
  const lines = rows
    .sort((a, b) => a[0] - b[0])
    .map(([time, column, value]) =>
      [iso(time), ...columns.map((each) => (each === column ? value : ''))].join(','),
    );
  const file = join(dir, 'camera.csv');
  writeFileSync(file, [header, ...lines].join('\n') + '\n');
  return file;
}

describe('isArmingEntity', () => {
  it('returns true for alarm panels and armed switches, false for other sensors', () => {
    const entity = (entityId: string) => ({
      entityId,
      domain: entityId.split('.')[0] ?? '',
      name: entityId,
      areaId: null,
      deviceId: null,
      deviceClass: null,
      unitOfMeasurement: null,
    });
    expect(isArmingEntity(entity('alarm_control_panel.house'))).toBe(true);
    expect(isArmingEntity(entity('binary_sensor.blink_armed_status'))).toBe(true);
    expect(isArmingEntity(entity('binary_sensor.arlo_armed'))).toBe(true);
    expect(isArmingEntity(entity('binary_sensor.blink_camera_motion_enabled'))).toBe(false);
    expect(isArmingEntity(entity('switch.armed_status'))).toBe(false);
  });
});

describe('computeSensorPresence with an arming signal', () => {
  it('returns the arming absences fused in when the home has no door', () => {
    const history = readRecorder(writeAlarmHome());
    const presence = computeSensorPresence(history, UTC);
    expect(presence.door).toBeNull();
    expect(presence.arming?.away.length).toBe(presence.away.length);
    const evening = presence.intervals.find(isAt(at(3, 20)));
    expect(evening?.state).toBe('home');
    expect(evening?.reason).toMatch(/^no sign of absence/);
  });
});
