import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readHaCsv } from './ha-csv.js';

const EXPORT = join(
  import.meta.dirname,
  '../../../shared/data/home-assistant/robmarkcole/sensors_binary.csv',
);

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-ha-csv-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readHaCsv', () => {
  describe('when given the robmarkcole export', () => {
    const home = readHaCsv(EXPORT);

    it('returns one entity per column, motion sensors classed by their ids', () => {
      expect(home.entities).toHaveLength(10);
      const classOf = (id: string) => home.entities.find((e) => e.entityId === id)?.deviceClass;
      expect(classOf('binary_sensor.hall_motion_sensor')).toBe('motion');
      expect(classOf('binary_sensor.motion_at_home')).toBe('motion');
      expect(classOf('binary_sensor.blink_blink_camera_percy_motion_enabled')).toBeNull();
      expect(home.rowsRead).toBe(75_561);
      expect(home.malformed).toEqual([]);
    });

    it('returns the 112 days of the export, read as UTC', () => {
      expect(new Date(home.window.start).toISOString()).toBe('2017-07-11T10:28:17.460Z');
      expect((home.window.end - home.window.start) / 86_400_000).toBeCloseTo(110.8, 1);
    });

    it('returns True and False as on and off', () => {
      const index = home.entities.findIndex((e) => e.entityId === 'binary_sensor.motion_at_home');
      const timeline = home.timelines[index];
      const names = new Set([...(timeline?.states ?? [])].map((code) => home.states.nameOf(code)));
      expect([...names].sort()).toEqual(['off', 'on']);
    });
  });

  describe('when rows are malformed', () => {
    it('returns the good rows, honours offsets, and lists each bad line', () => {
      const file = join(dir, 'export.csv');
      writeFileSync(
        file,
        [
          'last_changed,binary_sensor.door,light.hall',
          '2024-05-01 10:00:00+02:00,True,',
          '2024-05-01 10:05:00+02:00,False',
          'yesterday,True,on',
          '2024-05-01 08:10:00,,on',
        ].join('\n'),
      );

      const home = readHaCsv(file);

      expect(home.window.start).toBe(Date.UTC(2024, 4, 1, 8));
      expect(home.malformed.map((bad) => bad.line)).toEqual([3, 4]);
      expect(home.entities.map((e) => e.domain)).toEqual(['binary_sensor', 'light']);
    });

    it('throws SOURCE_FORMAT_INVALID when the header is not an export header', () => {
      const file = join(dir, 'other.csv');
      writeFileSync(file, 'time,value\n2024-05-01 10:00:00,1\n');
      expect(() => readHaCsv(file)).toThrow(
        expect.objectContaining({ code: 'SOURCE_FORMAT_INVALID' }),
      );
    });
  });
});
