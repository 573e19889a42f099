import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

import { recorderSchemaStatements } from './recorder-schema.js';

/**
 * A database Home Assistant 2023.4 wrote at schema 41, kept as the reference layout. shared/
 * sits beside the repository, here and in CI.
 */
const FIXTURE = join(
  import.meta.dirname,
  '../../../shared/data/home-assistant/robmarkcole/test.2023-04-01.db',
);

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/** Columns added or retyped between schema 41 and 53. */
const ADDED_SINCE_41: Record<string, string[]> = {
  states: ['last_reported_ts'],
  statistics: ['mean_weight'],
  statistics_short_term: ['mean_weight'],
  statistics_meta: ['unit_class', 'mean_type'],
};

/** Legacy columns given a smaller type once they were emptied (`event_id` became SMALLINT). */
const RETYPED_SINCE_41 = new Set(['states.event_id']);

/** Indexes of schema 41 that later versions dropped. */
const DROPPED_SINCE_41 = new Set([
  'ix_states_context_id',
  'ix_events_context_id',
  'ix_statistics_start',
  'ix_statistics_short_term_start',
]);

function describeDatabase(db: Database.Database) {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  const indexes = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const columns = new Map(
    tables.map((table) => [table, db.prepare(`PRAGMA table_info(${table})`).all() as ColumnInfo[]]),
  );

  return { tables, indexes, columns };
}

function createSchema(): { db: Database.Database; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-schema-'));
  const db = new Database(join(dir, 'db.sqlite'));
  for (const statement of recorderSchemaStatements()) {
    db.exec(statement);
  }

  const dispose = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };

  return { db, dispose };
}

describe('recorderSchemaStatements', () => {
  let expected: ReturnType<typeof describeDatabase>;
  let actual: ReturnType<typeof describeDatabase>;

  beforeAll(() => {
    // Fail, not skip: without the reference the layout would go unchecked unnoticed.
    if (!existsSync(FIXTURE)) {
      throw new Error(`The reference database ${FIXTURE} is missing; copy shared/ beside the repo`);
    }

    const reference = new Database(FIXTURE, { readonly: true, fileMustExist: true });
    expected = describeDatabase(reference);
    reference.close();
    const { db, dispose } = createSchema();
    actual = describeDatabase(db);
    dispose();
  });

  it('creates the tables of schema 41 plus migration_changes', () => {
    expect(actual.tables).toEqual([...expected.tables, 'migration_changes'].sort());
  });

  it('creates the indexes of schema 41 except the dropped string context ones', () => {
    expect(actual.indexes).toEqual(expected.indexes.filter((name) => !DROPPED_SINCE_41.has(name)));
  });

  it('keeps every column of schema 41 in the same place, with legacy ones as CHAR(0)', () => {
    for (const table of expected.tables) {
      const added = new Set(ADDED_SINCE_41[table] ?? []);
      const ours = actual.columns.get(table)!.filter((column) => !added.has(column.name));
      const theirs = expected.columns.get(table)!;

      expect(ours.map((column) => column.name)).toEqual(theirs.map((column) => column.name));
      for (const [i, column] of ours.entries()) {
        const reference = theirs[i]!;
        if (column.type !== 'CHAR(0)' && !RETYPED_SINCE_41.has(`${table}.${column.name}`)) {
          expect([table, column.name, column.type, column.pk]).toEqual([
            table,
            reference.name,
            reference.type,
            reference.pk,
          ]);
        }
      }
    }
  });

  it('adds the columns of schema 43 to 53', () => {
    const names = (table: string) => actual.columns.get(table)!.map((column) => column.name);

    expect(names('states')).toContain('last_reported_ts');
    expect(names('statistics')).toContain('mean_weight');
    expect(names('statistics_meta')).toEqual(expect.arrayContaining(['unit_class', 'mean_type']));
  });
});
