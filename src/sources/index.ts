export {
  MIN_SCHEMA_VERSION,
  RECORDER_FILE,
  openRecorder,
  readRecorder,
  readRecorderChanges,
  readSchemaVersion,
} from './recorder.js';
export type {
  ReadRecorderChangesOptions,
  ReadRecorderOptions,
  RecorderHistory,
} from './recorder.js';
export { HomeAssistantLive } from './home-assistant-live.js';
export type {
  CurrentState,
  HeartbeatOptions,
  HomeAssistantLiveOptions,
  LiveState,
  LiveStatus,
  RetryOptions,
} from './home-assistant-live.js';
export { SUPERVISOR_URL, readHomeAssistantToken } from './home-assistant-token.js';
export type { HomeAssistantToken, ReadHomeAssistantTokenOptions } from './home-assistant-token.js';
export { readRegistries } from './registries.js';
export type { Registries, RegistryEntity } from './registries.js';
export { DATA_SET_FORMATS, parseDataSetSpec, readDataSet } from './data-set.js';
export type { DataSetSpec } from './data-set.js';
export type {
  DataSetFormat,
  DataSetHistory,
  LabelledInterval,
  MalformedLine,
  ReadDataSetOptions,
} from './data-set-types.js';
export { CASAS_TIME_ZONE, readCasas } from './casas.js';
export { HA_CSV_TIME_ZONE, readHaCsv } from './ha-csv.js';
export { KASTEREN_TIME_ZONE, readKasteren } from './kasteren.js';
export { ORDONEZ_TIME_ZONE, readOrdonez } from './ordonez.js';
export { isTimeZone } from './_lib/wall-clock.js';
