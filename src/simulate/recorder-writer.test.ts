import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RecorderWriter } from './recorder-writer.js';

interface StateRow {
  state_id: number;
  state: string;
  last_changed_ts: number | null;
  last_updated_ts: number;
  last_reported_ts: number | null;
  old_state_id: number | null;
  attributes_id: number;
  context_id_bin: Buffer;
  context_user_id_bin: Buffer | null;
  context_parent_id_bin: Buffer | null;
}

const T0 = Date.UTC(2025, 2, 20, 12, 0, 0);

describe('RecorderWriter', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-writer-'));
    file = join(dir, 'home-assistant_v2.db');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function readStates(): StateRow[] {
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT * FROM states ORDER BY state_id').all() as StateRow[];
    db.close();

    return rows;
  }

  it('links each row to the previous one and leaves last_changed_ts NULL on changes', () => {
    const writer = RecorderWriter.create(file);
    writer.write({ entityId: 'light.hall', time: T0, state: 'off', cause: 'device' });
    writer.write({ entityId: 'switch.fan', time: T0 + 10, state: 'on', cause: 'device' });
    writer.write({ entityId: 'light.hall', time: T0 + 1000, state: 'on', cause: 'device' });
    writer.close();

    const [first, , second] = readStates();
    expect(first!.old_state_id).toBeNull();
    expect(second!.old_state_id).toBe(first!.state_id);
    expect(second!.last_changed_ts).toBeNull();
    expect(second!.last_updated_ts).toBeCloseTo((T0 + 1000) / 1000, 6);
  });

  it('writes an equal state with new attributes as an attribute-only update', () => {
    const writer = RecorderWriter.create(file);
    const attributes = { current_temperature: 20.5, friendly_name: 'Thermostat' };
    writer.write({ entityId: 'climate.t', time: T0, state: 'heat', attributes, cause: 'device' });
    const update = writer.write({
      entityId: 'climate.t',
      time: T0 + 300_000,
      state: 'heat',
      attributes: { ...attributes, current_temperature: 20.7 },
      cause: 'device',
    });
    writer.close();

    const [, row] = readStates();
    expect(update.kind).toBe('attributes');
    expect(row!.last_changed_ts).toBeCloseTo(T0 / 1000, 6);
    expect(row!.last_updated_ts).toBeGreaterThan(row!.last_changed_ts!);
  });

  it('writes no row when state and attributes repeat, only moving last_reported_ts', () => {
    const writer = RecorderWriter.create(file);
    writer.write({ entityId: 'sensor.t', time: T0, state: '21', cause: 'device' });
    const report = writer.write({
      entityId: 'sensor.t',
      time: T0 + 60_000,
      state: '21',
      cause: 'device',
    });
    writer.close();

    const rows = readStates();
    expect(report.kind).toBe('reported');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.last_reported_ts).toBeCloseTo((T0 + 60_000) / 1000, 6);
  });

  it('shares identical attribute JSON between rows through one hashed row', () => {
    const writer = RecorderWriter.create(file);
    const attributes = { friendly_name: 'Hall' };
    writer.write({ entityId: 'light.hall', time: T0, state: 'on', attributes, cause: 'device' });
    writer.write({
      entityId: 'light.hall',
      time: T0 + 1,
      state: 'off',
      attributes,
      cause: 'device',
    });
    writer.close();

    const db = new Database(file, { readonly: true });
    const shared = db.prepare('SELECT hash, shared_attrs FROM state_attributes').all();
    db.close();
    expect(shared).toEqual([
      { hash: expect.any(Number) as number, shared_attrs: '{"friendly_name":"Hall"}' },
    ]);
  });

  it('marks user changes with the user id, automation changes with the trigger context', () => {
    const writer = RecorderWriter.create(file, { userId: 'ab'.repeat(16) });
    const motion = writer.write({
      entityId: 'binary_sensor.m',
      time: T0,
      state: 'on',
      cause: 'device',
    });
    writer.write({
      entityId: 'light.hall',
      time: T0 + 900,
      state: 'on',
      cause: 'automation',
      parentContextId: motion.contextId,
    });
    writer.write({ entityId: 'light.desk', time: T0 + 2000, state: 'on', cause: 'user' });
    writer.close();

    const [device, automation, user] = readStates();
    expect(device!.context_id_bin).toHaveLength(16);
    expect(device!.context_user_id_bin).toBeNull();
    expect(device!.context_parent_id_bin).toBeNull();
    expect(automation!.context_parent_id_bin).toEqual(device!.context_id_bin);
    expect(user!.context_user_id_bin!.toString('hex')).toBe('ab'.repeat(16));
  });

  it('starts each run with no memory of previous rows', () => {
    const writer = RecorderWriter.create(file);
    writer.write({ entityId: 'light.hall', time: T0, state: 'on', cause: 'device' });
    writer.startRun(T0 + 60_000);
    writer.write({ entityId: 'light.hall', time: T0 + 70_000, state: 'on', cause: 'device' });
    writer.close();

    const db = new Database(file, { readonly: true });
    const runs = db.prepare('SELECT "end" IS NOT NULL AS closed FROM recorder_runs').all();
    const version = db.prepare('SELECT schema_version FROM schema_changes').pluck().get();
    db.close();
    expect(readStates().map((row) => row.old_state_id)).toEqual([null, null]);
    expect(runs).toEqual([{ closed: 1 }, { closed: 1 }]);
    expect(version).toBe(53);
  });

  it('rejects a row earlier than the entity’s previous one', () => {
    const writer = RecorderWriter.create(file);
    writer.write({ entityId: 'light.hall', time: T0, state: 'on', cause: 'device' });

    expect(() =>
      writer.write({ entityId: 'light.hall', time: T0 - 1, state: 'off', cause: 'device' }),
    ).toThrow(/before its previous row/);
    writer.close();
  });
});
