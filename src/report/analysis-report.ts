import type { Relation } from '../correlation/index.js';
import type { PresenceJson } from '../presence/index.js';
import type { HomeHistory } from '../timeline/index.js';
import type { ReportCorrelation } from './correlations.js';
import { toReportCorrelation } from './correlations.js';

/** Bumped only when a field changes meaning; new fields are added without a bump. */
export const REPORT_VERSION = 1;

/** The JSON document `tandem analyze --json` prints, documented in docs/json-output.md. */
export interface AnalysisReport {
  version: typeof REPORT_VERSION;
  window: { start: string; end: string };
  source: ReportSource;
  /** The home's time zone, in which times of day are judged. */
  time_zone: string;
  entities: ReportEntity[];
  /** Relations between entities, by confidence. */
  correlations: ReportCorrelation[];
  /** The household's presence from its calendars, when `--calendar` was given. */
  presence?: PresenceJson;
  warnings: string[];
}

export interface ReportSource {
  kind: 'recorder';
  path: string;
  schema_version: number;
  rows_read: number;
}

export interface ReportEntity {
  entity_id: string;
  domain: string;
  area: string | null;
  name: string;
  device_class: string | null;
  /** Transitions between two different real states inside the window. */
  changes: number;
}

export interface AnalysisResults {
  history: HomeHistory;
  source: ReportSource;
  timeZone: string;
  correlations: readonly Relation[];
  presence?: PresenceJson;
  /** Problems found after reading, e.g. a time zone that had to be guessed. */
  warnings?: readonly string[];
}

export function buildAnalysisReport(results: AnalysisResults): AnalysisReport {
  const { history, source } = results;
  return {
    version: REPORT_VERSION,
    window: {
      start: new Date(history.window.start).toISOString(),
      end: new Date(history.window.end).toISOString(),
    },
    source,
    time_zone: results.timeZone,
    entities: history.entities.map((entity, i) => ({
      entity_id: entity.entityId,
      domain: entity.domain,
      area: entity.areaId,
      name: entity.name,
      device_class: entity.deviceClass,
      changes: history.timelines[i]?.length ?? 0,
    })),
    correlations: results.correlations.map(toReportCorrelation),
    ...(results.presence === undefined ? {} : { presence: results.presence }),
    warnings: [...history.warnings, ...(results.warnings ?? [])],
  };
}
