import { existsSync, statSync } from 'node:fs';

import Database from 'better-sqlite3';

import { TandemError } from '../errors.js';
import { domainOf, isEntityId } from '../home/index.js';
import type { EntityInfo, StateChange } from '../home/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { causeOf, NONE, StateTable, TimelineBuilder } from '../timeline/index.js';
import type { HomeHistory, Interval, Timeline } from '../timeline/index.js';
import type { Registries } from './registries.js';

/** Where Home Assistant keeps its SQLite recorder database inside the config folder. */
export const RECORDER_FILE = 'home-assistant_v2.db';

/** The first schema with `states_meta`: entity ids moved out of `states`. */
export const MIN_SCHEMA_VERSION = 38;

/** Long enough to outlast the recorder's once-a-second commits, short enough to answer. */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface ReadRecorderOptions {
  /** Only these entities; all of them when omitted. */
  entityIds?: readonly string[];
  /** Only entities of these domains, e.g. `['person']`. */
  domains?: readonly string[];
  /** The window to read; the whole recorded period when omitted. */
  from?: number;
  to?: number;
  registries?: Registries;
  logger?: Logger;
  /** How long to wait for a lock held by a writer before giving up; 5 s by default. */
  busyTimeoutMs?: number;
  /** Called after each entity with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface RecorderHistory extends HomeHistory {
  schemaVersion: number;
}

interface MetaRow {
  metadata_id: number;
  entity_id: string;
}

/** `last_updated_ts`, `state`, the cause's code, the parent context when there is one. */
type StateRow = [number, string, number, Buffer | null];

/**
 * Causes as codes in `CHANGE_CAUSES` order: a parent context means an automation (or script)
 * made the change, a user id means a person did, neither means the device reported it.
 */
const STATES_IN_WINDOW = `
  SELECT last_updated_ts, state,
         CASE WHEN context_parent_id_bin IS NOT NULL THEN 2
              WHEN context_user_id_bin IS NOT NULL THEN 1 ELSE 0 END,
         context_parent_id_bin
  FROM states
  WHERE metadata_id = ? AND last_updated_ts >= ? AND last_updated_ts < ?
  ORDER BY last_updated_ts, state_id`;

/** The whole window in time order; `state_id` breaks ties as the recorder wrote them. */
const ALL_STATES_IN_WINDOW = `
  SELECT metadata_id, last_updated_ts, state,
         CASE WHEN context_parent_id_bin IS NOT NULL THEN 2
              WHEN context_user_id_bin IS NOT NULL THEN 1 ELSE 0 END,
         context_parent_id_bin
  FROM states
  WHERE last_updated_ts >= ? AND last_updated_ts < ?
  ORDER BY last_updated_ts, state_id`;

const COUNT_IN_WINDOW = `
  SELECT count(*) FROM states WHERE last_updated_ts >= ? AND last_updated_ts < ?`;

/** The entity whose state row carried a context, for resolving what an automation answered. */
const CHANGE_OF_CONTEXT = `
  SELECT metadata_id, last_updated_ts FROM states WHERE context_id_bin = ? LIMIT 1`;

const STATE_BEFORE = `
  SELECT state FROM states
  WHERE metadata_id = ? AND last_updated_ts < ? AND state NOT IN ('unavailable', 'unknown', '')
  ORDER BY last_updated_ts DESC LIMIT 1`;

const LATEST_ATTRIBUTES = `
  SELECT a.shared_attrs FROM states s
  JOIN state_attributes a ON a.attributes_id = s.attributes_id
  WHERE s.metadata_id = ? AND s.last_updated_ts < ? AND a.shared_attrs != '{}'
  ORDER BY s.last_updated_ts DESC LIMIT 1`;

/**
 * Reads a Home Assistant recorder database into one timeline per entity. The file is opened
 * read-only; in WAL mode a reader never blocks Home Assistant's writes, and every query runs
 * inside one read transaction so the whole history is one consistent snapshot.
 */
export function readRecorder(file: string, options: ReadRecorderOptions = {}): RecorderHistory {
  const db = openRecorder(file, options.busyTimeoutMs);
  try {
    const read = db.transaction(() => ({
      ...readHistory(db, file, options),
      schemaVersion: readSchemaVersion(db, file),
    }));
    return withSqliteErrors(file, () => read());
  } finally {
    db.close();
  }
}

/** Opens the file read-only after checking that it is there and is a recorder database. */
export function openRecorder(
  file: string,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
): Database.Database {
  if (!existsSync(file)) {
    throw new TandemError('FILE_NOT_FOUND', `${file}: no such file`);
  }

  if (!statSync(file).isFile()) {
    throw new TandemError('RECORDER_UNREADABLE', `${file}: not a file`);
  }

  const db = withSqliteErrors(file, () => new Database(file, { readonly: true }));
  try {
    withSqliteErrors(file, () => {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      checkSchema(db, file);
    });
  } catch (error) {
    db.close();
    throw error;
  }

  return db;
}

/** The version recorded by the newest row of `schema_changes`. */
export function readSchemaVersion(db: Database.Database, file: string): number {
  const hasTable = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_changes'`)
    .get();
  if (hasTable === undefined) {
    throw new TandemError(
      'RECORDER_SCHEMA_UNSUPPORTED',
      `${file}: no schema_changes table; this is not a Home Assistant recorder database`,
    );
  }

  const row = db
    .prepare('SELECT schema_version FROM schema_changes ORDER BY change_id DESC LIMIT 1')
    .get() as { schema_version: number | null } | undefined;
  if (typeof row?.schema_version !== 'number') {
    throw new TandemError(
      'RECORDER_SCHEMA_UNSUPPORTED',
      `${file}: schema_changes holds no version; the recorder never finished creating this file`,
    );
  }

  return row.schema_version;
}

const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  states_meta: ['metadata_id', 'entity_id'],
  states: [
    'metadata_id',
    'state',
    'last_updated_ts',
    'attributes_id',
    'context_id_bin',
    'context_user_id_bin',
    'context_parent_id_bin',
  ],
  state_attributes: ['attributes_id', 'shared_attrs'],
};

function checkSchema(db: Database.Database, file: string): void {
  const version = readSchemaVersion(db, file);
  if (version < MIN_SCHEMA_VERSION) {
    throw new TandemError(
      'RECORDER_SCHEMA_UNSUPPORTED',
      `${file}: recorder schema version ${version} is older than ${MIN_SCHEMA_VERSION}, the ` +
        'oldest tandem reads; start Home Assistant 2023.4 or newer on it once so that it ' +
        'migrates the database, then try again',
    );
  }

  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
    const present = new Set(
      (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name),
    );
    const missing = columns.filter((column) => !present.has(column));
    if (missing.length > 0) {
      throw new TandemError(
        'RECORDER_SCHEMA_UNSUPPORTED',
        `${file}: schema version ${version} but table ${table} lacks ${missing.join(', ')}; ` +
          'the layout is not one Home Assistant writes',
      );
    }
  }
}

function readHistory(db: Database.Database, file: string, options: ReadRecorderOptions) {
  const logger = options.logger ?? silentLogger;
  const window = resolveWindow(db, file, options);
  const metas = selectEntities(db, file, options.entityIds).filter(
    (meta) => options.domains === undefined || options.domains.includes(domainOf(meta.entity_id)),
  );
  const { timelines, table, rowsRead } = readTimelines(db, window, metas, options.onProgress);

  const attributes = db.prepare(LATEST_ATTRIBUTES).pluck(true);
  const entities = metas.map((meta) => {
    const attrs = attributes.get(meta.metadata_id, window.end / 1000) as string | undefined;
    return describeEntity(meta.entity_id, attrs, options.registries);
  });

  const history: HomeHistory = {
    window,
    entities,
    timelines,
    states: table,
    areas: options.registries?.areas ?? [],
    rowsRead,
    warnings: [...(options.registries?.warnings ?? [])],
  };
  return keepEntitiesWithState(history, logger, file);
}

export interface ReadRecorderChangesOptions {
  /** The window, epoch ms, half-open: changes at `from` are included, those at `to` are not. */
  from: number;
  to: number;
  /** How long to wait for a lock held by a writer before giving up; 5 s by default. */
  busyTimeoutMs?: number;
}

/**
 * The real state changes a recorder database holds in a window, in time order, read the same
 * way as `readRecorder` reads a history: `unavailable`, `unknown`, attribute-only rows and
 * repeats of the state in force at `from` are not changes, and causes and parents come from the
 * contexts. An empty window gives an empty list, which is what a gap with no changes holds.
 *
 * @example
 * const missed = readRecorderChanges('/config/home-assistant_v2.db', { from, to: Date.now() });
 */
export function readRecorderChanges(
  file: string,
  options: ReadRecorderChangesOptions,
): StateChange[] {
  const { from, to } = options;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `the window to read changes from ${file} must end after it starts (from ${from}, to ${to})`,
    );
  }

  const db = openRecorder(file, options.busyTimeoutMs);
  try {
    const read = db.transaction(() => {
      const metas = selectEntities(db, file);
      const { timelines, table } = readTimelines(db, { start: from, end: to }, metas);
      return changesOf(timelines, table, metas);
    });
    return withSqliteErrors(file, () => read());
  } finally {
    db.close();
  }
}

/** Every entity's state in force at the window's start, then its real changes inside it. */
function readTimelines(
  db: Database.Database,
  window: Interval,
  metas: readonly MetaRow[],
  onProgress?: (done: number, total: number) => void,
): { timelines: Timeline[]; table: StateTable; rowsRead: number } {
  const byMetadataId = new Map(metas.map((meta, index) => [meta.metadata_id, index]));
  const table = new StateTable();
  const startTs = window.start / 1000;
  const endTs = window.end / 1000;

  const before = db.prepare(STATE_BEFORE).pluck(true);
  const builders = metas.map((meta) => {
    const builder = new TimelineBuilder(meta.entity_id, window, table);
    const initial = before.get(meta.metadata_id, startTs) as string | undefined;
    if (initial !== undefined) {
      builder.setInitial(initial);
    }

    return builder;
  });

  const parents = new ParentResolver(db.prepare(CHANGE_OF_CONTEXT).raw(true), byMetadataId);
  const read = { db, startTs, endTs, builders, parents, onProgress };
  const rowsRead =
    metas.length > PER_ENTITY_LIMIT
      ? readInTimeOrder(read, byMetadataId)
      : readPerEntity(read, metas);

  return { timelines: builders.map((builder) => builder.build()), table, rowsRead };
}

/** The timelines' changes as one list in time order; ties keep the order of the entities. */
function changesOf(
  timelines: readonly Timeline[],
  table: StateTable,
  metas: readonly MetaRow[],
): StateChange[] {
  const changes: StateChange[] = [];
  for (const timeline of timelines) {
    for (let i = 0; i < timeline.length; i++) {
      const change: StateChange = {
        entityId: timeline.entityId,
        time: timeline.times[i] ?? NaN,
        state: table.nameOf(timeline.states[i] ?? NONE),
        cause: causeOf(timeline, i),
      };
      const parentIndex = timeline.parents[i] ?? NONE;
      const parent = parentIndex === NONE ? undefined : metas[parentIndex];
      if (parent !== undefined) {
        change.parentEntityId = parent.entity_id;
        change.parentTime = timeline.parentTimes[i];
      }

      changes.push(change);
    }
  }

  return changes.sort((a, b) => a.time - b.time);
}

/**
 * Above this many entities one pass over the window in time order beats one index scan per
 * entity: the recorder writes all entities interleaved, so per-entity scans visit every page of
 * the file many times over, while a pass in time order reads each page once.
 */
const PER_ENTITY_LIMIT = 20;

/** Rows between two progress reports in a pass in time order. */
const PROGRESS_ROWS = 65_536;

interface WindowRead {
  db: Database.Database;
  startTs: number;
  endTs: number;
  builders: TimelineBuilder[];
  parents: ParentResolver;
  onProgress: ((done: number, total: number) => void) | undefined;
}

/** One range scan per entity over `(metadata_id, last_updated_ts)`. */
function readPerEntity(read: WindowRead, metas: readonly MetaRow[]): number {
  const inWindow = read.db.prepare(STATES_IN_WINDOW).raw(true);
  let rowsRead = 0;
  for (const [index, meta] of metas.entries()) {
    const builder = read.builders[index];
    const rows = inWindow.all(meta.metadata_id, read.startTs, read.endTs) as StateRow[];
    for (const [ts, state, cause, parentContext] of rows) {
      const parent = read.parents.resolve(parentContext);
      builder?.push(Math.round(ts * 1000), state, cause, parent.entity, parent.time);
    }

    rowsRead += rows.length;
    read.onProgress?.(index + 1, metas.length);
  }

  return rowsRead;
}

/** One scan of the window over `last_updated_ts`, each row handed to its entity's builder. */
function readInTimeOrder(read: WindowRead, byMetadataId: ReadonlyMap<number, number>): number {
  const total = read.db.prepare(COUNT_IN_WINDOW).pluck(true).get(read.startTs, read.endTs);
  const rows = read.db.prepare(ALL_STATES_IN_WINDOW).raw(true);
  const builders = buildersByMetadataId(read.builders, byMetadataId);
  let rowsRead = 0;
  for (const row of rows.iterate(read.startTs, read.endTs) as Iterable<[number, ...StateRow]>) {
    const [metadataId, ts, state, cause, parentContext] = row;
    const builder = builders[metadataId];
    if (builder !== undefined) {
      const parent = read.parents.resolve(parentContext);
      builder.push(Math.round(ts * 1000), state, cause, parent.entity, parent.time);
    }

    if (++rowsRead % PROGRESS_ROWS === 0) {
      read.onProgress?.(rowsRead, Number(total));
    }
  }

  read.onProgress?.(rowsRead, rowsRead);
  return rowsRead;
}

/** Metadata ids are small and dense: an array finds a row's builder faster than a map. */
function buildersByMetadataId(
  builders: readonly TimelineBuilder[],
  byMetadataId: ReadonlyMap<number, number>,
): (TimelineBuilder | undefined)[] {
  const byId: (TimelineBuilder | undefined)[] = [];
  for (const [metadataId, index] of byMetadataId) {
    byId[metadataId] = builders[index];
  }

  return byId;
}

/** An entity that had no real state before or during the window has nothing to report. */
function keepEntitiesWithState(history: HomeHistory, logger: Logger, file: string): HomeHistory {
  const keep = history.timelines.map((timeline) => timeline.initial !== NONE);
  if (keep.every(Boolean)) {
    return history;
  }

  logger.debug({ file, skipped: keep.filter((k) => !k).length }, 'entities without state skipped');
  return {
    ...history,
    entities: history.entities.filter((_, i) => keep[i]),
    timelines: history.timelines.filter((_, i) => keep[i]),
  };
}

/**
 * Finds the entity whose change carried a given context. Automations answer the same trigger
 * many times over, so each context is looked up once through the `context_id_bin` index.
 */
class ParentResolver {
  private readonly known = new Map<string, ParentChange>();

  constructor(
    private readonly lookup: Database.Statement,
    private readonly byMetadataId: ReadonlyMap<number, number>,
  ) {}

  resolve(context: Buffer | null): ParentChange {
    if (context === null) {
      return NO_PARENT;
    }

    const key = context.toString('hex');
    let parent = this.known.get(key);
    if (parent === undefined) {
      const row = this.lookup.get(context) as [number, number] | undefined;
      const entity = row === undefined ? undefined : this.byMetadataId.get(row[0]);
      parent =
        row === undefined || entity === undefined
          ? NO_PARENT
          : { entity, time: Math.round(row[1] * 1000) };
      this.known.set(key, parent);
    }

    return parent;
  }
}

/** The change whose context an automation's change names as its parent. */
interface ParentChange {
  entity: number;
  time: number;
}

const NO_PARENT: ParentChange = { entity: NONE, time: NaN };

function resolveWindow(db: Database.Database, file: string, options: ReadRecorderOptions) {
  const span = db
    .prepare('SELECT min(last_updated_ts) AS first, max(last_updated_ts) AS last FROM states')
    .get() as { first: number | null; last: number | null };
  if (span.first === null || span.last === null) {
    throw new TandemError('NO_DATA', `${file}: the recorder holds no states`);
  }

  // The window is half-open, so the newest row needs the end a millisecond past it.
  const window: Interval = {
    start: options.from ?? Math.floor(span.first * 1000),
    end: options.to ?? Math.floor(span.last * 1000) + 1,
  };
  if (window.end <= window.start) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `the window ends (${iso(window.end)}) before it starts (${iso(window.start)})`,
    );
  }

  const anyRow = db
    .prepare('SELECT 1 FROM states WHERE last_updated_ts >= ? AND last_updated_ts < ? LIMIT 1')
    .get(window.start / 1000, window.end / 1000);
  if (anyRow === undefined) {
    throw new TandemError(
      'NO_DATA',
      `${file}: no states between ${iso(window.start)} and ${iso(window.end)}; the recorder ` +
        `holds ${iso(span.first * 1000)} to ${iso(span.last * 1000)}`,
    );
  }

  return window;
}

function selectEntities(db: Database.Database, file: string, entityIds?: readonly string[]) {
  const all = db
    .prepare('SELECT metadata_id, entity_id FROM states_meta ORDER BY entity_id')
    .all() as MetaRow[];
  const valid = all.filter((meta) => isEntityId(meta.entity_id));
  if (entityIds === undefined) {
    return valid;
  }

  const wanted = new Set(entityIds);
  const found = valid.filter((meta) => wanted.has(meta.entity_id));
  const missing = entityIds.filter((id) => !found.some((meta) => meta.entity_id === id));
  if (missing.length > 0) {
    throw new TandemError('NO_DATA', `${file}: no history for ${missing.join(', ')}`);
  }

  return found;
}

interface StoredAttributes {
  friendly_name?: unknown;
  device_class?: unknown;
  unit_of_measurement?: unknown;
}

function describeEntity(
  entityId: string,
  sharedAttrs: string | undefined,
  registries: Registries | undefined,
): EntityInfo {
  const attrs = parseAttributes(sharedAttrs);
  const entry = registries?.entities.get(entityId);
  return {
    entityId,
    domain: domainOf(entityId),
    name: entry?.name ?? stringOrNull(attrs.friendly_name) ?? entityId,
    areaId: entry?.areaId ?? null,
    deviceId: entry?.deviceId ?? null,
    deviceClass: entry?.deviceClass ?? stringOrNull(attrs.device_class),
    unitOfMeasurement: stringOrNull(attrs.unit_of_measurement),
  };
}

function parseAttributes(sharedAttrs: string | undefined): StoredAttributes {
  if (sharedAttrs === undefined) {
    return {};
  }

  try {
    const parsed: unknown = JSON.parse(sharedAttrs);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    // The recorder stores `{}` for oversized attributes; a damaged row is no more useful.
    return {};
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** Turns SQLite's own errors into ones that name the file and say what is wrong with it. */
function withSqliteErrors<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) {
      throw error;
    }

    throw translateSqliteError(file, error);
  }
}

type SqliteError = InstanceType<typeof Database.SqliteError>;

function translateSqliteError(file: string, error: SqliteError): TandemError {
  const options = { cause: error };
  switch (error.code) {
    case 'SQLITE_NOTADB':
      return new TandemError('RECORDER_UNREADABLE', `${file}: not a SQLite database`, options);
    case 'SQLITE_CORRUPT':
      return new TandemError(
        'RECORDER_UNREADABLE',
        `${file}: the database is damaged or truncated (${error.message})`,
        options,
      );
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new TandemError(
        'RECORDER_LOCKED',
        `${file}: the database stayed locked by another writer; try again when it is idle`,
        options,
      );
    default:
      return new TandemError('RECORDER_UNREADABLE', `${file}: ${error.message}`, options);
  }
}
