import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readCasas } from './casas.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-casas-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** CASAS data may not be redistributed, so the tests write files in its layout. */
function write(lines: readonly string[]): string {
  const file = join(dir, 'data.txt');
  writeFileSync(file, lines.join('\n'));
  return file;
}

describe('readCasas', () => {
  it('returns motion, door and temperature sensors with Home Assistant states', () => {
    const file = write([
      '2010-11-04 08:00:00.000001 M004 ON',
      '2010-11-04 08:00:05.5 M004 OFF',
      '2010-11-04 08:01:00 D001 OPEN',
      '2010-11-04 08:01:10 D001 CLOSE',
      '2010-11-04 08:02:00 T001 21.5',
      '2010-11-04 08:03:00 T001 22',
    ]);

    const home = readCasas(file);

    expect(home.entities.map((e) => [e.entityId, e.deviceClass])).toEqual([
      ['binary_sensor.casas_d001', 'door'],
      ['binary_sensor.casas_m004', 'motion'],
      ['sensor.casas_t001', 'temperature'],
    ]);
    const door = home.timelines[0];
    expect(door !== undefined && home.states.nameOf(door.initial)).toBe('on');
    expect(door?.length).toBe(1);
    // Pullman, Washington: 08:00 Pacific daylight time is 15:00 UTC.
    expect(home.window.start).toBe(Date.UTC(2010, 10, 4, 15, 0, 0));
  });

  it('returns activities as labelled intervals from their begin and end markers', () => {
    const file = write([
      '2010-11-04 08:00:00 M004 ON Meal_Preparation begin',
      '2010-11-04 08:10:00 M004 OFF',
      '2010-11-04 08:20:00 D001 OPEN Meal_Preparation end',
      '2010-11-04 08:21:00 D001 CLOSE Leave_Home begin',
      '2010-11-04 09:30:00 D001 OPEN Leave_Home end',
    ]);

    const home = readCasas(file, { timeZone: 'UTC' });

    expect(home.labels).toEqual([
      {
        label: 'Meal_Preparation',
        start: Date.UTC(2010, 10, 4, 8),
        end: Date.UTC(2010, 10, 4, 8, 20),
      },
      {
        label: 'Leave_Home',
        start: Date.UTC(2010, 10, 4, 8, 21),
        end: Date.UTC(2010, 10, 4, 9, 30),
      },
    ]);
  });

  it('returns the readable lines and lists each malformed one with its line number', () => {
    const file = write([
      '2010-11-04 08:00:00 M004 ON',
      '2010-11-04 M004 ON',
      '2010-11-04 08:00:10 M004',
      '2010-11-04 08:00:20 M004 OFF Sleeping begin',
      '2010-11-04 08:00:30 M004 ON Cooking',
    ]);

    const home = readCasas(file);

    expect(home.rowsRead).toBe(3);
    expect(home.malformed.map((bad) => bad.line)).toEqual([2, 3, 5, 4]);
    expect(home.labels).toEqual([]);
  });

  it('throws FILE_NOT_FOUND for a missing file', () => {
    expect(() => readCasas(join(dir, 'none.txt'))).toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
    );
  });
});
