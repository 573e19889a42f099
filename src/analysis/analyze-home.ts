import {
  computeAnalysisContext,
  computeCorrelations,
  computeEchoes,
  computeEntityGroups,
  computeGroupIndex,
  computePresenceDrivers,
  isHouseholdRelation,
  structuralGroupOf,
} from '../correlation/index.js';
import type {
  AnalysisContext,
  EntityGroup,
  PresenceCorrelation,
  Relation,
  SequentialRelation,
} from '../correlation/index.js';
import { applyFeedback, computeInsights } from '../insight/index.js';
import type { CalendarHint, InsightResults, SuggestionFeedback } from '../insight/index.js';
import { buildHouseholdTimeline } from '../presence/index.js';
import type { HouseholdTimeline } from '../presence/index.js';
import { buildAnalysisReport } from '../report/index.js';
import type { AnalysisReport } from '../report/index.js';
import type { LoadedHome } from './read-home.js';

export interface AnalyzeHomeOptions {
  /** Calendars for presence, as `tandem analyze --calendar` takes them. */
  calendars: readonly string[];
  now: number;
}

/** Everything one analysis of a home found, before feedback leaves suggestions out. */
export interface HomeAnalysis {
  home: LoadedHome;
  context: AnalysisContext;
  /** Device relations and the household's own (arrival, departure) together. */
  relations: readonly Relation[];
  /** The device relations alone, as the report lists them. */
  correlations: readonly Relation[];
  /** Entities that are the any-of or all-of others, found from the history. */
  groups: readonly EntityGroup[];
  /** Relations that only show a device's own cycle, each with the relation that explains it. */
  echoes: ReadonlyMap<Relation, SequentialRelation>;
  presenceDrivers: readonly PresenceCorrelation[];
  presence: HouseholdTimeline | null;
  insights: InsightResults;
  analyzedAt: number;
  /** How long finding the relations and presence drivers took, ms. */
  correlationMs: number;
}

/** Finds the relations, presence drivers, insights and suggestions of a home that was read. */
export async function analyzeHome(
  home: LoadedHome,
  options: AnalyzeHomeOptions,
): Promise<HomeAnalysis> {
  const { history } = home;
  const context = computeAnalysisContext(history, home.timeZone);
  const started = performance.now();
  const relations = computeCorrelations(history, context);
  const groups = computeEntityGroups(history);
  const echoes = computeEchoes(relations);
  const presenceDrivers = computePresenceDrivers(history, context, relations, {
    skip: new Set(groups.map((group) => group.entityId)),
  });
  const correlationMs = performance.now() - started;

  const presence = await buildHouseholdTimeline({
    grid: context.grid,
    household: context.household,
    calendars: options.calendars,
    now: options.now,
    recorderFile: home.recorderFile,
  });
  const hint = presence === null ? undefined : calendarHintOf(presence);
  return {
    home,
    context,
    relations,
    correlations: relations.filter((relation) => !isHouseholdRelation(relation)),
    groups,
    echoes,
    presenceDrivers,
    presence,
    insights: computeInsights(
      history,
      context,
      withoutStructure(relations, groups, echoes),
      presenceDrivers,
      hint,
    ),
    analyzedAt: options.now,
    correlationMs,
  };
}

/** The JSON report of an analysis, without the suggestions that `feedback` answered. */
export function reportOf(
  analysis: HomeAnalysis,
  feedback: ReadonlyMap<string, SuggestionFeedback>,
): AnalysisReport {
  const { home } = analysis;
  const { results: insights, withheld } = applyFeedback(analysis.insights, feedback);
  return buildAnalysisReport({
    history: home.history,
    sources: home.sources,
    timeZone: home.timeZone,
    correlations: analysis.correlations,
    groups: analysis.groups,
    echoes: analysis.echoes,
    presence: analysis.presence,
    presenceDrivers: analysis.presenceDrivers,
    insights,
    withheld,
    warnings: home.warnings,
  });
}

/**
 * The relations that are neither a group's own structure (an aggregate and one of its members)
 * nor a device's own cycle seen through another relation: the aggregate follows its member by
 * construction, and a light goes off when its timer runs out; neither is an insight nor worth an
 * automation. Relations between two members of one group are real and stay.
 */
function withoutStructure(
  relations: readonly Relation[],
  groups: readonly EntityGroup[],
  echoes: ReadonlyMap<Relation, SequentialRelation>,
): Relation[] {
  const index = computeGroupIndex(groups);
  return relations.filter(
    (r) => structuralGroupOf(index, r.a.entityId, r.b.entityId) === null && !echoes.has(r),
  );
}

/**
 * The first Home Assistant calendar among the sources, with where its away events ended and
 * how long after them the household came home: what a `trigger: calendar` rule needs.
 */
function calendarHintOf(presence: HouseholdTimeline): CalendarHint | undefined {
  const lagMin = presence.calibration?.arrivalLagMin;
  const source = presence.sources.find((status) => status.ok && status.source.startsWith('ha:'));
  if (source === undefined || lagMin === undefined || lagMin === null) {
    return undefined;
  }

  const awayEnds = presence.bareAway
    .filter((interval) => interval.source === source.source)
    .map((interval) => interval.end);
  return { entityId: source.source.slice(3), awayEnds, arrivalLagMs: lagMin * 60_000 };
}
