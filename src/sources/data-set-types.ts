import type { HomeHistory } from '../timeline/index.js';

export type DataSetFormat = 'ha-csv' | 'kasteren' | 'ordonez' | 'casas';

/** An activity the residents (or the researchers) wrote down, e.g. `leave house`. */
export interface LabelledInterval {
  label: string;
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

/** A line that could not be read; it was skipped and the import went on. */
export interface MalformedLine {
  file: string;
  /** 1-based, as editors count. */
  line: number;
  reason: string;
}

/**
 * A home read from a public data set or an export: the same history the recorder reader gives,
 * plus the labelled activities where the data set has them and the lines that were skipped.
 */
export interface DataSetHistory extends HomeHistory {
  readonly format: DataSetFormat;
  /** The files read, sensor file first. */
  readonly files: readonly string[];
  /** The zone the file's local times were read in. */
  readonly timeZone: string;
  readonly labels: readonly LabelledInterval[];
  readonly malformed: readonly MalformedLine[];
}

export interface ReadDataSetOptions {
  /**
   * The zone in which the file's wall-clock times were written. Each format has a default that
   * matches where its data was recorded (see docs/data-sets.md).
   */
  timeZone?: string;
}
