import Database from 'better-sqlite3';

import { TandemError } from '../errors.js';
import type { ChangeCause } from '../home/index.js';
import { createContextId, createUserId, userIdToBytes } from './context-id.js';
import { fnv1a32 } from './fnv.js';
import { Random } from './random.js';
import { RECORDER_SCHEMA_VERSION, recorderSchemaStatements } from './recorder-schema.js';

export interface RecorderWriterOptions {
  /** Seeds the random half of every context id, so the same calls give the same file. */
  seed?: number;
  /** Rows written per transaction. */
  batchSize?: number;
  /** The person behind `user` changes, 32 hex characters; a seeded one when absent. */
  userId?: string;
}

/** One state Home Assistant sets on an entity. */
export interface StateWrite {
  entityId: string;
  /** Epoch milliseconds; fractions are kept to the microsecond. */
  time: number;
  state: string;
  /**
   * All attributes the entity has now; the previous ones are kept when absent. Pass a new object
   * rather than changing one already written: the writer remembers encodings by object.
   */
  attributes?: Record<string, unknown>;
  cause: ChangeCause;
  /**
   * For `automation` changes, the context id of the change that triggered the automation. When
   * absent, a fresh id stands for a trigger that left no row, such as a time trigger.
   */
  parentContextId?: Uint8Array;
  /** Reuse a context, e.g. the one of an `automation_triggered` event; a new one when absent. */
  contextId?: Uint8Array;
  /** For `user` changes: who made it, when not the writer's default user. */
  userId?: string;
  /** Write a row even when neither state nor attributes changed (HA's `force_update`). */
  forceUpdate?: boolean;
}

/**
 * What a write did: `changed` wrote a row with a new state, `attributes` a row whose state is
 * unchanged, and `reported` wrote no row (state and attributes repeat the previous ones, so
 * only that row's `last_reported_ts` moved).
 */
export type WriteKind = 'changed' | 'attributes' | 'reported';

export interface WriteResult {
  stateId: number;
  contextId: Uint8Array;
  kind: WriteKind;
}

export interface EventWrite {
  eventType: string;
  time: number;
  data?: Record<string, unknown>;
  contextId?: Uint8Array;
  parentContextId?: Uint8Array;
  userId?: string;
}

/** What the writer remembers of an entity's last row, as the recorder does in memory. */
interface LastRow {
  stateId: number;
  state: string;
  attributes: string;
  attributesId: number;
  lastChangedTs: number;
  lastUpdatedTs: number;
  contextId: Uint8Array;
  /** The latest repeat of this row not yet stored in `last_reported_ts`. */
  reportedTs: number | undefined;
}

/** Attributes the recorder never stores, whatever the entity says. */
const EXCLUDED_ATTRIBUTES = new Set(['attribution', 'restored', 'supported_features']);

/** The recorder truncates oversized attribute JSON to an empty object. */
const MAX_ATTRIBUTES_BYTES = 16384;

const DEFAULT_BATCH_SIZE = 20_000;

const INDEX_STATEMENT = /^CREATE (UNIQUE )?INDEX /;

/** Recorder runs record start and end as naive UTC datetimes with microseconds. */
export function formatRecorderDatetime(time: number): string {
  const iso = new Date(Math.floor(time)).toISOString();
  const micros = String(Math.round((time % 1000) * 1000)).padStart(6, '0');

  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
}

/** Epoch milliseconds as the recorder's float seconds, rounded to the microsecond. */
function toTimestamp(time: number): number {
  return Math.round(time * 1000) / 1e6;
}

/** better-sqlite3 binds a `Buffer` as a BLOB, not every `Uint8Array`. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function encodeAttributes(attributes: Record<string, unknown>): string {
  const kept = Object.entries(attributes).filter(([key]) => !EXCLUDED_ATTRIBUTES.has(key));
  const json = JSON.stringify(Object.fromEntries(kept));

  return Buffer.byteLength(json) > MAX_ATTRIBUTES_BYTES ? '{}' : json;
}

/**
 * Writes a recorder database the way Home Assistant's recorder does: new rows go to `states`,
 * linked to the entity's previous row, attribute JSON shared between rows by hash, every change
 * with a binary context that tells a device, a person and an automation apart. Rows must be
 * written in time order per entity.
 *
 * @example
 * const writer = RecorderWriter.create('home-assistant_v2.db');
 * const motion = writer.write({
 *   entityId: 'binary_sensor.hall', time, state: 'on', cause: 'device',
 * });
 * writer.write({ entityId: 'light.hall', time: time + 800, state: 'on', cause: 'automation',
 *   parentContextId: motion.contextId });
 * writer.close(time + 60_000);
 */
export class RecorderWriter {
  private readonly db: Database.Database;
  private readonly random: Random;
  private readonly batchSize: number;
  private readonly defaultUserId: string;
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** `CREATE INDEX` statements, run by `close`: one sort at the end beats a B-tree per row. */
  private readonly indexes: string[];
  private readonly metadataIds = new Map<string, number>();
  private readonly attributeIds = new Map<string, number>();
  /**
   * Encoding and row id by attributes object: sensors pass the same object with every report,
   * and encoding it and looking its JSON up each time was a tenth of a simulation's time.
   */
  private readonly encoded = new WeakMap<Record<string, unknown>, { json: string; id?: number }>();
  private readonly eventTypeIds = new Map<string, number>();
  private readonly eventDataIds = new Map<string, number>();
  private readonly userBytes = new Map<string, Buffer>();
  private lastRows = new Map<string, LastRow>();
  private pending = 0;
  private runId: number | null = null;
  private rowCount = 0;
  private lastTime = -Infinity;

  private constructor(db: Database.Database, options: RecorderWriterOptions, indexes: string[]) {
    this.db = db;
    this.indexes = indexes;
    this.random = new Random(options.seed ?? 1);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.defaultUserId = options.userId ?? createUserId(this.random);
    this.statements = prepareStatements(db);
  }

  /**
   * Creates a new, empty recorder database at `file`, which must not exist yet. The file is
   * complete only after `close`, which builds the indexes and turns WAL mode on.
   */
  static create(file: string, options: RecorderWriterOptions = {}): RecorderWriter {
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: false });
    } catch (error) {
      throw new TandemError('INVALID_ARGUMENT', `Cannot create "${file}"`, { cause: error });
    }

    const existing = db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
    if (existing.n > 0) {
      db.close();
      throw new TandemError('INVALID_ARGUMENT', `"${file}" already holds a database`);
    }

    // No journal while writing: a half-written file is thrown away, never recovered, and the
    // journal doubled the bytes written. `close` switches to WAL, Home Assistant's mode.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    const statements = recorderSchemaStatements();
    const indexes = statements.filter((statement) => INDEX_STATEMENT.test(statement));
    for (const statement of statements.filter((statement) => !indexes.includes(statement))) {
      db.exec(statement);
    }

    const writer = new RecorderWriter(db, options, indexes);
    db.exec('BEGIN');

    return writer;
  }

  /** The user id that marks `user` changes by default. */
  get userId(): string {
    return this.defaultUserId;
  }

  /** Rows written to `states` so far. */
  get stateRows(): number {
    return this.rowCount;
  }

  /**
   * Starts a recorder run, as Home Assistant does when it starts. The recorder forgets every
   * entity's previous row, so the next row of each entity has no `old_state_id`, and the state
   * machine starts empty, so that row counts as changed.
   */
  startRun(time: number): void {
    if (this.runId !== null) {
      this.endRun(time);
    }

    if (this.lastTime === -Infinity) {
      this.initialise(time);
    }

    const stamp = formatRecorderDatetime(time);
    this.runId = Number(this.statements.insertRun.run(stamp, stamp).lastInsertRowid);
    this.storeReports();
    this.lastRows = new Map();
    this.lastTime = Math.max(this.lastTime, time);
    this.step();
  }

  /** Ends the current run, as a clean shutdown does. */
  endRun(time: number): void {
    if (this.runId === null) {
      return;
    }

    this.statements.endRun.run(formatRecorderDatetime(time), this.runId);
    this.runId = null;
    this.step();
  }

  /** Sets a state, writing a row unless nothing changed (see {@link WriteKind}). */
  write(input: StateWrite): WriteResult {
    if (this.runId === null) {
      this.startRun(input.time);
    }

    const last = this.lastRows.get(input.entityId);
    if (last !== undefined && input.time < last.lastUpdatedTs * 1000 - 0.001) {
      throw new TandemError(
        'INVALID_ARGUMENT',
        `"${input.entityId}" was written at ${input.time}, before its previous row`,
      );
    }

    const encoded = input.attributes === undefined ? undefined : this.encodingOf(input.attributes);
    const attributes = encoded?.json ?? last?.attributes ?? '{}';
    const sameState = last?.state === input.state;
    if (last !== undefined && sameState && last.attributes === attributes && !input.forceUpdate) {
      // Only the latest repeat survives in the row, so it is stored once, when the row is done.
      last.reportedTs = toTimestamp(input.time);

      return { stateId: last.stateId, contextId: last.contextId, kind: 'reported' };
    }

    const contextId = asBuffer(input.contextId ?? createContextId(input.time, this.random));
    const updatedTs = toTimestamp(input.time);
    const changedTs = sameState ? last.lastChangedTs : updatedTs;
    const attributesId = encoded?.id ?? this.attributesIdOf(attributes);
    if (encoded !== undefined) {
      encoded.id = attributesId;
    }

    const stateId = Number(
      this.statements.insertState.run(
        input.state,
        changedTs === updatedTs ? null : changedTs,
        updatedTs,
        last?.stateId ?? null,
        attributesId,
        contextId,
        input.cause === 'user' ? this.userBytesOf(input.userId ?? this.defaultUserId) : null,
        input.cause === 'automation'
          ? asBuffer(input.parentContextId ?? createContextId(input.time, this.random))
          : null,
        this.metadataIdOf(input.entityId),
      ).lastInsertRowid,
    );

    if (last !== undefined) {
      this.storeReport(last);
    }

    this.lastRows.set(input.entityId, {
      stateId,
      state: input.state,
      attributes,
      attributesId,
      lastChangedTs: changedTs,
      lastUpdatedTs: updatedTs,
      contextId,
      reportedTs: undefined,
    });
    this.rowCount++;
    this.lastTime = Math.max(this.lastTime, input.time);
    this.step();

    return { stateId, contextId, kind: sameState ? 'attributes' : 'changed' };
  }

  /** Writes an event row, such as `automation_triggered` or `homeassistant_start`. */
  writeEvent(input: EventWrite): { eventId: number; contextId: Uint8Array } {
    const contextId = asBuffer(input.contextId ?? createContextId(input.time, this.random));
    const dataId = input.data === undefined ? null : this.eventDataIdOf(JSON.stringify(input.data));
    const eventId = Number(
      this.statements.insertEvent.run(
        toTimestamp(input.time),
        dataId,
        contextId,
        input.userId === undefined ? null : userIdToBytes(input.userId),
        input.parentContextId === undefined ? null : asBuffer(input.parentContextId),
        this.eventTypeIdOf(input.eventType),
      ).lastInsertRowid,
    );
    this.lastTime = Math.max(this.lastTime, input.time);
    this.step();

    return { eventId, contextId };
  }

  /** Ends the open run (at `time`, else at the last write), commits and closes the file. */
  close(time?: number): void {
    if (this.runId !== null) {
      this.endRun(time ?? this.lastTime);
    }

    this.storeReports();
    for (const statement of this.indexes) {
      this.db.exec(statement);
    }

    if (this.db.inTransaction) {
      this.db.exec('COMMIT');
    }

    this.db.pragma('journal_mode = WAL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** A new database records its schema version and when statistics were first compiled. */
  private initialise(time: number): void {
    const stamp = formatRecorderDatetime(time);
    this.statements.insertSchemaChange.run(RECORDER_SCHEMA_VERSION, stamp);

    const fiveMinutes = 300_000;
    const lastPeriod = Math.floor(time / fiveMinutes) * fiveMinutes - fiveMinutes;
    this.statements.insertStatisticsRun.run(formatRecorderDatetime(lastPeriod));
  }

  private encodingOf(attributes: Record<string, unknown>): { json: string; id?: number } {
    let encoded = this.encoded.get(attributes);
    if (encoded === undefined) {
      encoded = { json: encodeAttributes(attributes) };
      this.encoded.set(attributes, encoded);
    }

    return encoded;
  }

  private storeReport(row: LastRow): void {
    if (row.reportedTs !== undefined) {
      this.statements.report.run(row.reportedTs, row.stateId);
      row.reportedTs = undefined;
      this.step();
    }
  }

  private storeReports(): void {
    for (const row of this.lastRows.values()) {
      this.storeReport(row);
    }
  }

  private userBytesOf(userId: string): Buffer {
    let bytes = this.userBytes.get(userId);
    if (bytes === undefined) {
      bytes = userIdToBytes(userId);
      this.userBytes.set(userId, bytes);
    }

    return bytes;
  }

  private metadataIdOf(entityId: string): number {
    let metadataId = this.metadataIds.get(entityId);
    if (metadataId === undefined) {
      metadataId = Number(this.statements.insertMeta.run(entityId).lastInsertRowid);
      this.metadataIds.set(entityId, metadataId);
    }

    return metadataId;
  }

  private attributesIdOf(json: string): number {
    let attributesId = this.attributeIds.get(json);
    if (attributesId === undefined) {
      attributesId = Number(
        this.statements.insertAttributes.run(fnv1a32(json), json).lastInsertRowid,
      );
      this.attributeIds.set(json, attributesId);
    }

    return attributesId;
  }

  private eventTypeIdOf(eventType: string): number {
    let eventTypeId = this.eventTypeIds.get(eventType);
    if (eventTypeId === undefined) {
      eventTypeId = Number(this.statements.insertEventType.run(eventType).lastInsertRowid);
      this.eventTypeIds.set(eventType, eventTypeId);
    }

    return eventTypeId;
  }

  private eventDataIdOf(json: string): number {
    let dataId = this.eventDataIds.get(json);
    if (dataId === undefined) {
      dataId = Number(this.statements.insertEventData.run(fnv1a32(json), json).lastInsertRowid);
      this.eventDataIds.set(json, dataId);
    }

    return dataId;
  }

  /** Commits every `batchSize` statements, so memory stays flat and the file grows steadily. */
  private step(): void {
    this.pending++;
    if (this.pending >= this.batchSize) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.pending = 0;
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertState: db.prepare(
      `INSERT INTO states (state, last_changed_ts, last_updated_ts, old_state_id, attributes_id,
         origin_idx, context_id_bin, context_user_id_bin, context_parent_id_bin, metadata_id)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    ),
    report: db.prepare('UPDATE states SET last_reported_ts = ? WHERE state_id = ?'),
    insertMeta: db.prepare('INSERT INTO states_meta (entity_id) VALUES (?)'),
    insertAttributes: db.prepare('INSERT INTO state_attributes (hash, shared_attrs) VALUES (?, ?)'),
    insertEventType: db.prepare('INSERT INTO event_types (event_type) VALUES (?)'),
    insertEventData: db.prepare('INSERT INTO event_data (hash, shared_data) VALUES (?, ?)'),
    insertEvent: db.prepare(
      `INSERT INTO events (origin_idx, time_fired_ts, data_id, context_id_bin, context_user_id_bin,
         context_parent_id_bin, event_type_id)
       VALUES (0, ?, ?, ?, ?, ?, ?)`,
    ),
    insertRun: db.prepare(
      'INSERT INTO recorder_runs (start, "end", closed_incorrect, created) VALUES (?, NULL, 0, ?)',
    ),
    endRun: db.prepare('UPDATE recorder_runs SET "end" = ? WHERE run_id = ?'),
    insertSchemaChange: db.prepare(
      'INSERT INTO schema_changes (schema_version, changed) VALUES (?, ?)',
    ),
    insertStatisticsRun: db.prepare('INSERT INTO statistics_runs (start) VALUES (?)'),
  };
}
