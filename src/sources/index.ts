export { MIN_SCHEMA_VERSION, openRecorder, readRecorder, readSchemaVersion } from './recorder.js';
export type { ReadRecorderOptions, RecorderHistory } from './recorder.js';
export { readRegistries } from './registries.js';
export type { Registries, RegistryEntity } from './registries.js';
