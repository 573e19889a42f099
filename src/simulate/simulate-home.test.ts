import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isRealState } from '../home/index.js';
import type { Truth } from './simulate-home.js';
import { simulateHome } from './simulate-home.js';

function recountChanges(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      `SELECT m.entity_id AS entityId, s.state AS state FROM states s
       JOIN states_meta m ON m.metadata_id = s.metadata_id ORDER BY s.state_id`,
    )
    .all() as { entityId: string; state: string }[];
  db.close();

  const last = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const { entityId, state } of rows) {
    if (!isRealState(state)) {
      continue;
    }

    const previous = last.get(entityId);
    if (previous !== undefined && previous !== state) {
      counts.set(entityId, (counts.get(entityId) ?? 0) + 1);
    }

    last.set(entityId, state);
  }

  return counts;
}

describe('simulateHome', () => {
  let dir: string;
  let truth: Truth;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-sim-'));
    simulateHome({ out: join(dir, 'a'), seed: 7, days: 10, start: '2025-03-24' });
    simulateHome({ out: join(dir, 'b'), seed: 7, days: 10, start: '2025-03-24' });
    truth = JSON.parse(readFileSync(join(dir, 'a', 'truth.json'), 'utf8')) as Truth;
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same bytes for the same seed', () => {
    for (const file of ['truth.json', 'calendar.ics', 'config/home-assistant_v2.db']) {
      expect(readFileSync(join(dir, 'a', file)).equals(readFileSync(join(dir, 'b', file)))).toBe(
        true,
      );
    }
  });

  it('reports in truth.json exactly the changes the database holds', () => {
    const counts = recountChanges(join(dir, 'a', 'config', 'home-assistant_v2.db'));

    for (const entity of truth.entities) {
      expect([entity.entity_id, entity.changes]).toEqual([
        entity.entity_id,
        counts.get(entity.entity_id) ?? 0,
      ]);
    }
  });

  it('plants every habit and links automated responses to their trigger', () => {
    const db = new Database(join(dir, 'a', 'config', 'home-assistant_v2.db'), { readonly: true });
    const linked = db
      .prepare(
        `SELECT count(*) FROM states r JOIN states t ON t.context_id_bin = r.context_parent_id_bin
         JOIN states_meta m ON m.metadata_id = t.metadata_id
         WHERE m.entity_id = 'binary_sensor.hallway_motion'`,
      )
      .pluck()
      .get() as number;
    db.close();

    expect(truth.habits.every((habit) => habit.occurrences > 0)).toBe(true);
    expect(linked).toBeGreaterThan(0);
  });

  it('writes restarts as unavailable blips that are no change', () => {
    const climate = truth.entities.find((entity) => entity.entity_id === 'climate.living_room');

    expect(truth.restarts.length).toBeGreaterThan(0);
    expect(climate?.changes).toBe(0);
  });

  it('describes presence, the daylight-saving change and the wrong calendar days', () => {
    expect(truth.dst_changes).toHaveLength(1);
    expect(truth.presence.residents).toHaveLength(2);
    expect(truth.presence.household.some((interval) => interval.state === 'away')).toBe(true);
  });

  it('writes the same truth and as many rows for the same seed in a larger home', () => {
    const first = simulateHome({ out: join(dir, 'c'), seed: 3, days: 3, entities: 120 });
    const second = simulateHome({ out: join(dir, 'd'), seed: 3, days: 3, entities: 120 });

    expect(readFileSync(join(dir, 'd', 'truth.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'c', 'truth.json'), 'utf8'),
    );
    expect(second.stateRows).toBe(first.stateRows);
    expect(second.entities).toBe(first.entities);
  });

  it('labels as independent no entity tied to a habit, presence, the sun or another entity', () => {
    const related = new Set([
      ...truth.habits.flatMap((habit) => [habit.trigger.entity_id, habit.response.entity_id]),
      ...truth.presence_driven.map((entry) => entry.entity_id),
      ...truth.sun_driven.map((entry) => entry.entity_id),
      ...truth.coincidental.flatMap((pair) => pair.entity_ids),
    ]);
    const homeOnly = truth.entities.filter((entity) => entity.home_only).map((e) => e.entity_id);

    expect(truth.independent).toContain('cover.bedroom_blinds');
    expect(truth.independent.filter((id) => related.has(id) || homeOnly.includes(id))).toEqual([]);
  });

  it('closes the bedroom blinds at 21:30 local time, not at sunset', () => {
    const db = new Database(join(dir, 'a', 'config', 'home-assistant_v2.db'), { readonly: true });
    const closed = db
      .prepare(
        `SELECT s.last_updated_ts FROM states s JOIN states_meta m USING (metadata_id)
         JOIN states o ON o.state_id = s.old_state_id
         WHERE m.entity_id = 'cover.bedroom_blinds' AND s.state = 'closed' AND o.state = 'open'`,
      )
      .pluck()
      .all() as number[];
    db.close();
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: truth.time_zone,
      hour: '2-digit',
      minute: '2-digit',
    });

    expect(closed.length).toBeGreaterThan(5);
    expect(new Set(closed.map((ts) => local.format(ts * 1000)))).toEqual(new Set(['21:30']));
  });

  it('stores the zone and place in .storage/core.config', () => {
    const file = join(dir, 'a', 'config', '.storage', 'core.config');
    const config = JSON.parse(readFileSync(file, 'utf8')) as {
      key: string;
      data: { time_zone: string; latitude: number; longitude: number };
    };

    expect(config.key).toBe('core.config');
    expect(config.data).toMatchObject({
      time_zone: 'Europe/Berlin',
      latitude: truth.latitude,
      longitude: truth.longitude,
    });
  });

  it('grows to the requested number of entities', () => {
    const summary = simulateHome({ out: join(dir, 'big'), days: 1, entities: 150 });

    expect(summary.entities).toBeGreaterThanOrEqual(150);
  });
});
