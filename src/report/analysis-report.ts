import type {
  EntityGroup,
  PresenceCorrelation,
  Relation,
  SequentialRelation,
} from '../correlation/index.js';
import { computeGroupIndex } from '../correlation/index.js';
import type { HouseholdTimeline, PresenceJson } from '../presence/index.js';
import { toPresenceJson } from '../presence/index.js';
import type { HomeHistory } from '../timeline/index.js';
import type { ReportCorrelation, ReportGroup } from './correlations.js';
import { toReportCorrelation, toReportGroup } from './correlations.js';
import type { InsightResults, WithheldSuggestion } from '../insight/index.js';
import type { ReportInsight, ReportPattern, ReportSuggestion } from './insights.js';
import { toReportInsight, toReportPattern, toReportSuggestion } from './insights.js';
import type { ReportCalibration, ReportPresenceCorrelation } from './presence.js';
import { toReportCalibration, toReportPresenceCorrelation } from './presence.js';

/** Bumped only when a field changes meaning; new fields are added without a bump. */
export const REPORT_VERSION = 1;

/** The JSON document `tandem analyze --json` prints, documented in docs/json-output.md. */
export interface AnalysisReport {
  version: typeof REPORT_VERSION;
  window: { start: string; end: string };
  /** The first of `sources`, kept for scripts written before there could be several. */
  source: ReportSource;
  sources: ReportSource[];
  /** The home's time zone, in which times of day are judged. */
  time_zone: string;
  entities: ReportEntity[];
  /** Relations between entities, by confidence. */
  correlations: ReportCorrelation[];
  /** Entities found to be the any-of or all-of others (groups), with their members. */
  groups: ReportGroup[];
  /**
   * The household's presence over the window: observed from person entities where they exist,
   * from the calendars elsewhere; absent with neither.
   */
  presence?: ReportPresence;
  /** Per entity with an on/off meaning: whether being home, away, ... drives it. */
  presence_correlations: ReportPresenceCorrelation[];
  /** Relations and presence drivers typed and explained. */
  patterns: ReportPattern[];
  /** The patterns ranked, twins merged, each with what tandem makes of it. */
  insights: ReportInsight[];
  /** Home Assistant automations for the insights worth automating, best first. */
  suggestions: ReportSuggestion[];
  /** Suggestions left out because a person accepted, rejected or snoozed them. */
  suggestions_withheld: ReportWithheld[];
  warnings: string[];
}

export interface ReportWithheld {
  id: string;
  title: string;
  verdict: string;
  until: string | null;
}

export interface ReportPresence extends PresenceJson {
  /** How well the calendars predicted the observed presence; null without both. */
  calibration: ReportCalibration | null;
}

export interface ReportSource {
  /** `recorder`, or the data set format: `ha-csv`, `kasteren`, `ordonez`, `casas`. */
  kind: string;
  path: string;
  /** The recorder schema version; null for data sets. */
  schema_version: number | null;
  rows_read: number;
  /** Data sets only: lines skipped as malformed. */
  malformed_lines?: number;
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
  sources: readonly ReportSource[];
  timeZone: string;
  correlations: readonly Relation[];
  /** Aggregates found in the history; none when omitted. */
  groups?: readonly EntityGroup[];
  /** Relations that only show a device's own cycle, with what explains each; none when omitted. */
  echoes?: ReadonlyMap<Relation, SequentialRelation>;
  presence: HouseholdTimeline | null;
  presenceDrivers: readonly PresenceCorrelation[];
  /** Patterns, insights and suggestions; empty lists when omitted. */
  insights?: InsightResults;
  /** Suggestions left out because of feedback. */
  withheld?: readonly WithheldSuggestion[];
  /** Problems found after reading, e.g. a time zone that had to be guessed. */
  warnings?: readonly string[];
}

export function buildAnalysisReport(results: AnalysisResults): AnalysisReport {
  const { history, sources } = results;
  const groupIndex = computeGroupIndex(results.groups ?? []);
  const [source] = sources;
  if (source === undefined) {
    throw new RangeError('a report needs at least one source');
  }

  return {
    version: REPORT_VERSION,
    window: {
      start: new Date(history.window.start).toISOString(),
      end: new Date(history.window.end).toISOString(),
    },
    source,
    sources: [...sources],
    time_zone: results.timeZone,
    entities: history.entities.map((entity, i) => ({
      entity_id: entity.entityId,
      domain: entity.domain,
      area: entity.areaId,
      name: entity.name,
      device_class: entity.deviceClass,
      changes: history.timelines[i]?.length ?? 0,
    })),
    correlations: results.correlations.map((relation) =>
      toReportCorrelation(relation, groupIndex, results.echoes?.get(relation)),
    ),
    groups: (results.groups ?? []).map(toReportGroup),
    ...(results.presence === null ? {} : { presence: toReportPresence(results.presence) }),
    presence_correlations: results.presenceDrivers.map(toReportPresenceCorrelation),
    patterns: results.insights?.patterns.map(toReportPattern) ?? [],
    insights: results.insights?.insights.map(toReportInsight) ?? [],
    suggestions: results.insights?.suggestions.map(toReportSuggestion) ?? [],
    suggestions_withheld: (results.withheld ?? []).map(toReportWithheld),
    warnings: [...history.warnings, ...(results.warnings ?? [])],
  };
}

export function toReportWithheld(withheld: WithheldSuggestion): ReportWithheld {
  return {
    id: withheld.id,
    title: withheld.title,
    verdict: withheld.verdict,
    until: withheld.until === null ? null : new Date(withheld.until).toISOString(),
  };
}

function toReportPresence(timeline: HouseholdTimeline): ReportPresence {
  return {
    ...toPresenceJson(timeline),
    calibration: timeline.calibration === null ? null : toReportCalibration(timeline.calibration),
  };
}
