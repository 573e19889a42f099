/**
 * The SQLite layout of Home Assistant's recorder at schema version 53, written out the way
 * SQLAlchemy emits it for the models in `recorder/db_schema.py`: identity keys as `INTEGER`,
 * timestamps as `FLOAT`, context ids as `BLOB`, and the legacy columns kept as empty `CHAR(0)`
 * columns so that old queries still parse.
 */

export const RECORDER_SCHEMA_VERSION = 53;

interface Column {
  name: string;
  type: string;
  notNull?: boolean;
}

interface Index {
  name: string;
  columns: string[];
  unique?: boolean;
}

interface Table {
  name: string;
  columns: Column[];
  primaryKey: string;
  foreignKeys?: string[];
  indexes?: Index[];
}

const id = (name: string): Column => ({ name, type: 'INTEGER', notNull: true });
const col = (name: string, type: string): Column => ({ name, type });
const unused = (name: string): Column => ({ name, type: 'CHAR(0)' });

const CONTEXT_COLUMNS = [
  col('context_id_bin', 'BLOB'),
  col('context_user_id_bin', 'BLOB'),
  col('context_parent_id_bin', 'BLOB'),
];

function statisticsTable(name: string): Table {
  return {
    name,
    columns: [
      id('id'),
      unused('created'),
      col('created_ts', 'FLOAT'),
      col('metadata_id', 'INTEGER'),
      unused('start'),
      col('start_ts', 'FLOAT'),
      col('mean', 'FLOAT'),
      col('mean_weight', 'FLOAT'),
      col('min', 'FLOAT'),
      col('max', 'FLOAT'),
      unused('last_reset'),
      col('last_reset_ts', 'FLOAT'),
      col('state', 'FLOAT'),
      col('sum', 'FLOAT'),
    ],
    primaryKey: 'id',
    foreignKeys: ['FOREIGN KEY(metadata_id) REFERENCES statistics_meta (id) ON DELETE CASCADE'],
    indexes: [
      { name: `ix_${name}_start_ts`, columns: ['start_ts'] },
      {
        name: `ix_${name}_statistic_id_start_ts`,
        columns: ['metadata_id', 'start_ts'],
        unique: true,
      },
    ],
  };
}

/** In the order SQLAlchemy creates them: tables others refer to come first. */
const TABLES: Table[] = [
  {
    name: 'event_data',
    columns: [id('data_id'), col('hash', 'BIGINT'), col('shared_data', 'TEXT')],
    primaryKey: 'data_id',
    indexes: [{ name: 'ix_event_data_hash', columns: ['hash'] }],
  },
  {
    name: 'event_types',
    columns: [id('event_type_id'), col('event_type', 'VARCHAR(64)')],
    primaryKey: 'event_type_id',
    indexes: [{ name: 'ix_event_types_event_type', columns: ['event_type'], unique: true }],
  },
  {
    name: 'migration_changes',
    columns: [
      { name: 'migration_id', type: 'VARCHAR(255)', notNull: true },
      { name: 'version', type: 'SMALLINT', notNull: true },
    ],
    primaryKey: 'migration_id',
  },
  {
    name: 'recorder_runs',
    columns: [
      id('run_id'),
      { name: 'start', type: 'DATETIME', notNull: true },
      col('"end"', 'DATETIME'),
      { name: 'closed_incorrect', type: 'BOOLEAN', notNull: true },
      { name: 'created', type: 'DATETIME', notNull: true },
    ],
    primaryKey: 'run_id',
    indexes: [{ name: 'ix_recorder_runs_start_end', columns: ['start', '"end"'] }],
  },
  {
    name: 'schema_changes',
    columns: [
      id('change_id'),
      col('schema_version', 'INTEGER'),
      { name: 'changed', type: 'DATETIME', notNull: true },
    ],
    primaryKey: 'change_id',
  },
  {
    name: 'state_attributes',
    columns: [id('attributes_id'), col('hash', 'BIGINT'), col('shared_attrs', 'TEXT')],
    primaryKey: 'attributes_id',
    indexes: [{ name: 'ix_state_attributes_hash', columns: ['hash'] }],
  },
  {
    name: 'states_meta',
    columns: [id('metadata_id'), col('entity_id', 'VARCHAR(255)')],
    primaryKey: 'metadata_id',
    indexes: [{ name: 'ix_states_meta_entity_id', columns: ['entity_id'], unique: true }],
  },
  {
    name: 'statistics_meta',
    columns: [
      id('id'),
      col('statistic_id', 'VARCHAR(255)'),
      col('source', 'VARCHAR(32)'),
      col('unit_of_measurement', 'VARCHAR(255)'),
      col('unit_class', 'VARCHAR(255)'),
      col('has_mean', 'BOOLEAN'),
      col('has_sum', 'BOOLEAN'),
      col('name', 'VARCHAR(255)'),
      { name: 'mean_type', type: 'SMALLINT', notNull: true },
    ],
    primaryKey: 'id',
    indexes: [{ name: 'ix_statistics_meta_statistic_id', columns: ['statistic_id'], unique: true }],
  },
  {
    name: 'statistics_runs',
    columns: [id('run_id'), { name: 'start', type: 'DATETIME', notNull: true }],
    primaryKey: 'run_id',
    indexes: [{ name: 'ix_statistics_runs_start', columns: ['start'] }],
  },
  {
    name: 'events',
    columns: [
      id('event_id'),
      unused('event_type'),
      unused('event_data'),
      unused('origin'),
      col('origin_idx', 'SMALLINT'),
      unused('time_fired'),
      col('time_fired_ts', 'FLOAT'),
      unused('context_id'),
      unused('context_user_id'),
      unused('context_parent_id'),
      col('data_id', 'INTEGER'),
      ...CONTEXT_COLUMNS,
      col('event_type_id', 'INTEGER'),
    ],
    primaryKey: 'event_id',
    foreignKeys: [
      'FOREIGN KEY(data_id) REFERENCES event_data (data_id)',
      'FOREIGN KEY(event_type_id) REFERENCES event_types (event_type_id)',
    ],
    indexes: [
      {
        name: 'ix_events_event_type_id_time_fired_ts',
        columns: ['event_type_id', 'time_fired_ts'],
      },
      { name: 'ix_events_context_id_bin', columns: ['context_id_bin'] },
      { name: 'ix_events_time_fired_ts', columns: ['time_fired_ts'] },
      { name: 'ix_events_data_id', columns: ['data_id'] },
    ],
  },
  {
    name: 'states',
    columns: [
      id('state_id'),
      unused('entity_id'),
      col('state', 'VARCHAR(255)'),
      unused('attributes'),
      col('event_id', 'SMALLINT'),
      unused('last_changed'),
      col('last_changed_ts', 'FLOAT'),
      col('last_reported_ts', 'FLOAT'),
      unused('last_updated'),
      col('last_updated_ts', 'FLOAT'),
      col('old_state_id', 'INTEGER'),
      col('attributes_id', 'INTEGER'),
      unused('context_id'),
      unused('context_user_id'),
      unused('context_parent_id'),
      col('origin_idx', 'SMALLINT'),
      ...CONTEXT_COLUMNS,
      col('metadata_id', 'INTEGER'),
    ],
    primaryKey: 'state_id',
    foreignKeys: [
      'FOREIGN KEY(old_state_id) REFERENCES states (state_id)',
      'FOREIGN KEY(attributes_id) REFERENCES state_attributes (attributes_id)',
      'FOREIGN KEY(metadata_id) REFERENCES states_meta (metadata_id)',
    ],
    indexes: [
      {
        name: 'ix_states_metadata_id_last_updated_ts',
        columns: ['metadata_id', 'last_updated_ts'],
      },
      { name: 'ix_states_context_id_bin', columns: ['context_id_bin'] },
      { name: 'ix_states_last_updated_ts', columns: ['last_updated_ts'] },
      { name: 'ix_states_old_state_id', columns: ['old_state_id'] },
      { name: 'ix_states_attributes_id', columns: ['attributes_id'] },
    ],
  },
  statisticsTable('statistics'),
  statisticsTable('statistics_short_term'),
];

/** SQLAlchemy's layout: one column per line, tab-indented, each line ending in ", ". */
function createTable(table: Table): string {
  const lines = [
    ...table.columns.map((c) => `${c.name} ${c.type}${c.notNull === true ? ' NOT NULL' : ''}`),
    `PRIMARY KEY (${table.primaryKey})`,
    ...(table.foreignKeys ?? []),
  ];

  return `CREATE TABLE ${table.name} (\n\t${lines.join(', \n\t')}\n)`;
}

function createIndex(table: Table, index: Index): string {
  const unique = index.unique === true ? 'UNIQUE ' : '';

  return `CREATE ${unique}INDEX ${index.name} ON ${table.name} (${index.columns.join(', ')})`;
}

/** Every `CREATE TABLE` and `CREATE INDEX` statement of a new recorder database, in order. */
export function recorderSchemaStatements(): string[] {
  return TABLES.flatMap((table) => [
    createTable(table),
    ...(table.indexes ?? []).map((index) => createIndex(table, index)),
  ]);
}
