import type { HomeHistory } from '../timeline/index.js';

/** Bumped only when a field changes meaning; new fields are added without a bump. */
export const REPORT_VERSION = 1;

/** The JSON document `tandem analyze --json` prints, documented in docs/json-output.md. */
export interface AnalysisReport {
  version: typeof REPORT_VERSION;
  window: { start: string; end: string };
  source: ReportSource;
  entities: ReportEntity[];
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

export function buildAnalysisReport(history: HomeHistory, source: ReportSource): AnalysisReport {
  return {
    version: REPORT_VERSION,
    window: {
      start: new Date(history.window.start).toISOString(),
      end: new Date(history.window.end).toISOString(),
    },
    source,
    entities: history.entities.map((entity, i) => ({
      entity_id: entity.entityId,
      domain: entity.domain,
      area: entity.areaId,
      name: entity.name,
      device_class: entity.deviceClass,
      changes: history.timelines[i]?.length ?? 0,
    })),
    warnings: [...history.warnings],
  };
}
