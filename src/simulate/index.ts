export { RecorderWriter, formatRecorderDatetime } from './recorder-writer.js';
export type {
  EventWrite,
  RecorderWriterOptions,
  StateWrite,
  WriteKind,
  WriteResult,
} from './recorder-writer.js';
export { RECORDER_SCHEMA_VERSION, recorderSchemaStatements } from './recorder-schema.js';
