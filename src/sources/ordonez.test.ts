import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readOrdonez } from './ordonez.js';

const USER_A = join(import.meta.dirname, '../../../shared/data/adl/ordonez-a');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-ordonez-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readOrdonez', () => {
  describe('when given the user A sensor file', () => {
    const home = readOrdonez(join(USER_A, 'OrdonezA_Sensors.txt'));

    it('returns the 12 sensors with device classes from their types and areas from places', () => {
      expect(home.entities).toHaveLength(12);
      const byId = new Map(home.entities.map((entity) => [entity.entityId, entity]));
      expect(byId.get('binary_sensor.ordonez_maindoor')?.deviceClass).toBe('door');
      expect(byId.get('binary_sensor.ordonez_bed')?.deviceClass).toBe('occupancy');
      expect(byId.get('binary_sensor.ordonez_basin')?.deviceClass).toBe('motion');
      expect(byId.get('binary_sensor.ordonez_bed')?.areaId).toBe('bedroom');
    });

    it('returns the 409 firings and the 14 labelled absences from the file beside it', () => {
      expect(home.rowsRead).toBe(409);
      expect(home.labels.filter((label) => label.label === 'Leaving')).toHaveLength(14);
    });

    it('returns the main door firing 31 times, within 2 min of each Leaving start and end', () => {
      const index = home.entities.findIndex((e) => e.entityId === 'binary_sensor.ordonez_maindoor');
      const door = [...(home.timelines[index]?.times ?? [])];
      const near = (time: number) => door.some((t) => Math.abs(t - time) <= 2 * 60_000);
      const leaving = home.labels.filter((label) => label.label === 'Leaving');
      expect(door).toHaveLength(62);
      expect(leaving.every((label) => near(label.start) && near(label.end))).toBe(true);
    });

    it('reports the activity rows that end before they start, with their line numbers', () => {
      // The release has a few such rows (e.g. a Toileting that ends three hours before it starts).
      const activities = join(USER_A, 'OrdonezA_ADLs.txt');
      expect(home.malformed.length).toBeGreaterThan(0);
      expect(home.malformed).toContainEqual({
        file: activities,
        line: 72,
        reason: 'ends before it starts',
      });
      expect(home.labels.length + home.malformed.length).toBe(248);
    });
  });

  describe('when lines are malformed', () => {
    it('returns the good rows and lists each bad line', () => {
      const file = join(dir, 'X_Sensors.txt');
      writeFileSync(
        file,
        [
          'Start time\t\tEnd time\t\tLocation\tType\t\tPlace',
          '-----\t-----\t-----\t-----\t-----',
          '2011-11-28 10:21:24\t\t2011-11-28 10:21:31\t\tMaindoor\tMagnetic\tEntrance',
          '2011-11-28 10:21:24\t\t2011-11-28 10:21:31\t\tMaindoor',
          '2011-11-28 25:21:24\t\t2011-11-28 10:21:31\t\tMaindoor\tMagnetic\tEntrance',
        ].join('\n'),
      );

      const home = readOrdonez(file);

      expect(home.rowsRead).toBe(1);
      expect(home.malformed.map((bad) => [bad.line, bad.reason])).toEqual([
        [4, 'expected 5 fields, found 3'],
        [5, 'unreadable time "2011-11-28 25:21:24"'],
      ]);
    });
  });
});
