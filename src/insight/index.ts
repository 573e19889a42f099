import type { PresenceCorrelation, Relation } from '../correlation/index.js';
import type { AnalysisContext } from '../correlation/index.js';
import { isHouseholdRelation } from '../correlation/index.js';
import type { HomeHistory } from '../timeline/index.js';
import { computeHomeView } from './_lib/home-clock.js';
import type { HomeView } from './_lib/home-clock.js';
import type { Finding } from './finding.js';
import { buildSuggestions, rankFindings } from './insights.js';
import { computeCalendarArrivalFinding, computePresenceFinding } from './presence-finding.js';
import type { CalendarHint } from './presence-finding.js';
import {
  computeCoActivityFinding,
  computeSequentialFinding,
  computeSequentialPattern,
} from './relation-finding.js';
import type { InsightResults, Pattern } from './types.js';

/** Relations below this are too uncertain to type and explain for a person. */
const PATTERN_CONFIDENCE = 0.5;

/**
 * Relations and presence drivers typed into patterns, explained, ranked into insights, and
 * turned into Home Assistant automations replayed over the same history. Pure: the result
 * depends only on its inputs. See docs/insights.md.
 */
export function computeInsights(
  history: HomeHistory,
  context: AnalysisContext,
  relations: readonly Relation[],
  presenceDrivers: readonly PresenceCorrelation[],
  calendar?: CalendarHint,
): InsightResults {
  const view = computeHomeView(history, context);
  const relationFindings = relations
    .filter((r) => r.confidence >= PATTERN_CONFIDENCE && !isHouseholdRelation(r))
    .map((r) =>
      r.kind === 'sequential'
        ? computeSequentialFinding(view, r)
        : computeCoActivityFinding(view, r),
    );
  const explained = explainedEntities(relationFindings);
  const findings: Finding[] = [
    ...relationFindings,
    ...presenceDrivers.flatMap(
      (found) => computePresenceFinding(view, found, relations, explained) ?? [],
    ),
    ...(calendar === undefined
      ? []
      : presenceDrivers.flatMap(
          (found) => computeCalendarArrivalFinding(view, found, relations, calendar) ?? [],
        )),
  ];
  const ranked = rankFindings(findings);
  return {
    patterns: findings.map((finding) => finding.pattern),
    insights: ranked.map((r) => r.insight),
    suggestions: buildSuggestions(ranked),
  };
}

/**
 * One relation typed into a pattern and explained, for callers that judge relations one at a
 * time: what `computeInsights` does per relation before it writes and replays the rule.
 */
export function computeRelationPattern(view: HomeView, relation: Relation): Pattern {
  return relation.kind === 'sequential'
    ? computeSequentialPattern(view, relation)
    : computeCoActivityFinding(view, relation).pattern;
}

/** Entities that an actionable or automated device relation already accounts for. */
function explainedEntities(findings: readonly Finding[]): Set<string> {
  const explained = new Set<string>();
  for (const { pattern, rule } of findings) {
    if (rule !== null || pattern.alreadyAutomated) {
      explained.add(pattern.trigger.entityId);
      explained.add(pattern.response.entityId);
    }
  }

  return explained;
}

export { computeHomeView } from './_lib/home-clock.js';
export type { HomeView } from './_lib/home-clock.js';
export { toYaml, hashOf } from './automation.js';
export { collectEntities } from './insights.js';
export type {
  Automation,
  AutomationAction,
  AutomationCondition,
  AutomationTrigger,
  Backtest,
  Condition,
  FindingEnd,
  Insight,
  InsightResults,
  InsightStatus,
  Pattern,
  PatternTag,
  PatternType,
  Suggestion,
  TriggerEvidence,
} from './types.js';
export { describeChange } from './_lib/words.js';
export { applyFeedback, withholdAnswered } from './feedback.js';
export type { SuggestionFeedback, WithheldSuggestion } from './feedback.js';
export { computePresencePattern } from './presence-finding.js';
export type { CalendarHint } from './presence-finding.js';
