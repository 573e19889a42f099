export { RecorderWriter, formatRecorderDatetime } from './recorder-writer.js';
export type {
  EventWrite,
  RecorderWriterOptions,
  StateWrite,
  WriteKind,
  WriteResult,
} from './recorder-writer.js';
export { RECORDER_SCHEMA_VERSION, recorderSchemaStatements } from './recorder-schema.js';
export { DEFAULT_DAYS, DEFAULT_START, TRUTH_VERSION, simulateHome } from './simulate-home.js';
export type { SimulateOptions, SimulationSummary, Truth } from './simulate-home.js';
