import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RecorderWriter } from '../simulate/index.js';
import { causeOf, NONE } from '../timeline/index.js';
import { readRecorder } from './recorder.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/data/home-assistant/robmarkcole');
const T0 = Date.UTC(2026, 2, 1, 12);
const MINUTE = 60_000;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-recorder-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A small home: a motion sensor, a light it drives, a thermostat and a restart. */
function writeSmallHome(file: string) {
  const writer = RecorderWriter.create(file, { seed: 7 });
  writer.startRun(T0);
  const write = (entityId: string, minute: number, state: string, extra = {}) =>
    writer.write({ entityId, time: T0 + minute * MINUTE, state, cause: 'device', ...extra });

  write('binary_sensor.hall_motion', 0, 'off', { attributes: { device_class: 'motion' } });
  write('light.hall', 0, 'off', { attributes: { friendly_name: 'Hall light' } });
  write('climate.living', 0, 'heat', { attributes: { current_temperature: 20 } });

  const motion = write('binary_sensor.hall_motion', 10, 'on');
  write('light.hall', 10.02, 'on', { cause: 'automation', parentContextId: motion.contextId });
  write('binary_sensor.hall_motion', 12, 'off');
  write('light.hall', 20, 'off', { cause: 'user' });
  write('climate.living', 25, 'heat', { attributes: { current_temperature: 20.5 } });
  write('climate.living', 30, 'heat', { attributes: { current_temperature: 21 } });

  writer.startRun(T0 + 40 * MINUTE);
  for (const entityId of ['binary_sensor.hall_motion', 'light.hall', 'climate.living']) {
    write(entityId, 40, 'unavailable');
  }

  write('binary_sensor.hall_motion', 41, 'off');
  write('light.hall', 41, 'on');
  write('climate.living', 41, 'heat');
  writer.close(T0 + 60 * MINUTE);
}

describe('readRecorder', () => {
  describe('when the database is in the current layout', () => {
    it('counts only transitions between two different real states', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      const history = readRecorder(file);
      const changes = Object.fromEntries(
        history.timelines.map((timeline) => [timeline.entityId, timeline.length]),
      );

      // The restart leaves the light on, which it was not before: one change, not two.
      expect(changes).toEqual({
        'binary_sensor.hall_motion': 2,
        'climate.living': 0,
        'light.hall': 3,
      });
    });

    it('records who caused each change, and which change an automation answered', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      const history = readRecorder(file);
      const lightIndex = history.entities.findIndex((e) => e.entityId === 'light.hall');
      const motionIndex = history.entities.findIndex((e) => e.entityId.endsWith('hall_motion'));
      const light = history.timelines[lightIndex]!;

      expect([0, 1, 2].map((i) => causeOf(light, i))).toEqual(['automation', 'user', 'device']);
      expect(light.parents[0]).toBe(motionIndex);
      expect(light.parents[1]).toBe(NONE);
    });

    it('takes names and device classes from the attributes', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      const history = readRecorder(file);

      expect(history.entities.find((e) => e.entityId === 'light.hall')?.name).toBe('Hall light');
      expect(history.entities[0]?.deviceClass).toBe('motion');
    });

    it('starts a window with the state in force before it', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      const history = readRecorder(file, {
        from: T0 + 11 * MINUTE,
        to: T0 + 60 * MINUTE,
        entityIds: ['light.hall'],
      });
      const [light] = history.timelines;

      expect(history.entities).toHaveLength(1);
      expect(history.states.nameOf(light!.initial)).toBe('on');
      expect(light!.length).toBe(2);
    });

    it('reads a real schema-41 database', () => {
      const history = readRecorder(join(FIXTURES, 'test.2023-04-01.db'));

      expect(history.schemaVersion).toBe(41);
      expect(history.entities.map((e) => e.entityId)).toContain('sun.sun');
      expect(history.rowsRead).toBe(9);
    });
  });

  describe('when the input is bad', () => {
    it('refuses a schema older than 38, naming the version and what to do', () => {
      const file = join(FIXTURES, 'home-assistant_v2.2018-12-04.db');

      expect(() => readRecorder(file)).toThrow(/schema version 7 .*migrates the database/);
      expect(() => readRecorder(file)).toThrow(
        expect.objectContaining({ code: 'RECORDER_SCHEMA_UNSUPPORTED' }),
      );
    });

    it('names a missing file', () => {
      expect(() => readRecorder(join(dir, 'nope.db'))).toThrow(/nope\.db: no such file/);
    });

    it('names a file that is not SQLite', () => {
      const file = join(dir, 'notes.db');
      writeFileSync(file, 'these are not the rows you are looking for\n'.repeat(200));

      expect(() => readRecorder(file)).toThrow(/notes\.db: not a SQLite database/);
    });

    it('names a truncated database', () => {
      const full = join(dir, 'full.db');
      writeSmallHome(full);
      const bytes = readFileSync(full);
      const file = join(dir, 'truncated.db');
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));

      expect(() => readRecorder(file)).toThrow(
        expect.objectContaining({ code: 'RECORDER_UNREADABLE' }),
      );
    });

    it('names a window without data and the period the file holds', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      expect(() => readRecorder(file, { from: T0 - 86_400_000, to: T0 - 3_600_000 })).toThrow(
        /no states between .* the recorder holds 2026-03-01T12:00:00.000Z/,
      );
    });

    it('names a database another writer keeps locked', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);
      const holder = new Database(file);
      holder.pragma('journal_mode = DELETE');
      holder.exec('BEGIN EXCLUSIVE');

      try {
        expect(() => readRecorder(file, { busyTimeoutMs: 50 })).toThrow(
          expect.objectContaining({ code: 'RECORDER_LOCKED' }),
        );
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
    });

    it('names entities it has no history for', () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);

      expect(() => readRecorder(file, { entityIds: ['light.attic'] })).toThrow(
        /no history for light\.attic/,
      );
    });

    it('refuses a SQLite file that is not a recorder database', () => {
      const file = join(dir, 'other.db');
      const db = new Database(file);
      db.exec('CREATE TABLE notes (text TEXT)');
      db.close();

      expect(() => readRecorder(file)).toThrow(/no schema_changes table/);
    });

    it('names a recorder database that holds no states yet', () => {
      const file = join(dir, 'home-assistant_v2.db');
      const writer = RecorderWriter.create(file);
      writer.startRun(T0);
      writer.close(T0 + MINUTE);

      expect(() => readRecorder(file)).toThrow(/holds no states/);
    });
  });

  describe('when Home Assistant writes during the read', () => {
    it('reads a consistent snapshot every time', async () => {
      const file = join(dir, 'home-assistant_v2.db');
      writeSmallHome(file);
      const script = join(import.meta.dirname, '_test/keep-writing.ts');
      const first = String(T0 / 1000 + 3600);
      const child = spawn(process.execPath, ['--import', 'tsx', script, file, first, '20000'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => child.stdout.once('data', resolve));

      const counts: number[] = [];
      const writer = { running: true };
      void exited.then(() => (writer.running = false));
      while (writer.running || counts.length < 2) {
        counts.push(readRecorder(file, { entityIds: ['light.hall'] }).rowsRead);
        await new Promise((resolve) => setImmediate(resolve));
      }

      expect(await exited).toBe(0);
      counts.push(readRecorder(file, { entityIds: ['light.hall'] }).rowsRead);
      expect(counts.length).toBeGreaterThan(2);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBe(5 + 20_000);
    });
  });
});
