import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readKasteren } from './kasteren.js';

const HOUSE_A = join(import.meta.dirname, '../../../shared/data/adl/kasteren-house-a');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-kasteren-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readKasteren', () => {
  describe('when given the House A folder', () => {
    const home = readKasteren(HOUSE_A);

    it('returns the 14 sensors named from the file header, each a binary sensor', () => {
      expect(home.entities).toHaveLength(14);
      expect(home.entities.map((entity) => entity.entityId)).toContain(
        'binary_sensor.kasteren_frontdoor',
      );
      const door = home.entities.find((entity) => entity.name === 'Frontdoor');
      expect(door?.deviceClass).toBe('door');
    });

    it('returns every firing and the labelled absences', () => {
      expect(home.rowsRead).toBe(1319);
      expect(home.malformed).toEqual([]);
      expect(home.labels).toHaveLength(245);
      expect(home.labels.filter((label) => label.label === 'leave house')).toHaveLength(34);
    });

    it('returns times read as Amsterdam wall-clock times', () => {
      // 25-Feb-2008 00:20:14 in winter time is 23:20:14 UTC the day before.
      expect(new Date(home.window.start).toISOString()).toBe('2008-02-24T23:20:14.000Z');
      expect(home.timeZone).toBe('Europe/Amsterdam');
    });
  });

  describe('when lines are malformed', () => {
    it('returns the good rows and lists each bad line with file and line number', () => {
      const file = join(dir, 'houseSenseData.txt');
      writeFileSync(
        file,
        [
          "    [ 12]    'Frontdoor'",
          'Start time\tEnd time\tID\tVal',
          '----\t----\t--\t---',
          '25-Feb-2008 09:00:00\t25-Feb-2008 09:00:05\t12\t1',
          '25-Feb-2008 09:00:00\t12\t1',
          '31-Feb-2008 09:00:00\t31-Feb-2008 09:00:05\t12\t1',
          '25-Feb-2008 10:00:00\t25-Feb-2008 09:00:05\t12\t1',
          '25-Feb-2008 11:00:00\t25-Feb-2008 11:00:05\t12\t1',
          'Length: 4',
        ].join('\r\n'),
      );

      const home = readKasteren(file);

      expect(home.rowsRead).toBe(2);
      expect(home.malformed.map((bad) => bad.line)).toEqual([5, 6, 7]);
      expect(home.malformed[0]?.file).toBe(file);
      expect(home.warnings[0]).toMatch(/^3 malformed line/);
      expect(home.labels).toEqual([]);
    });
  });

  describe('when the folder holds no sensor file', () => {
    it('throws FILE_NOT_FOUND', () => {
      expect(() => readKasteren(dir)).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    });
  });
});
