import type {
  EntityGroup,
  GroupIndex,
  Relation,
  RelationEnd,
  SequentialRelation,
} from '../correlation/index.js';
import { structuralGroupOf } from '../correlation/index.js';

/** One relation in the JSON report; see docs/json-output.md. */
export interface ReportCorrelation {
  kind: 'sequential' | 'co_activity';
  a: ReportEnd;
  b: ReportEnd;
  /** P(B follows A) for sequential relations; phi for co-activity. */
  score: number;
  confidence: number;
  support: number;
  lag_s?: { median: number; p90: number };
  window_s?: number;
  p_precedes?: number;
  triggers?: number;
  responses?: number;
  already_automated: boolean;
  automated_share?: number;
  days?: number;
  baseline: ReportBaseline;
  /**
   * The aggregate, when the pair is an aggregate and one of its own members (see `groups`): true
   * by construction, so left out of insights and suggestions. Null otherwise.
   */
  structural_group: string | null;
  /**
   * The relation this one only echoes, when B's change is its own cycle after it answered that
   * one (a light off when its timer runs out): left out of insights and suggestions. Null
   * otherwise.
   */
  echo_of: { a: ReportEnd; b: ReportEnd } | null;
}

export interface ReportEnd {
  entity_id: string;
  state: string;
}

/** An entity found to be the any-of or all-of others; see docs/json-output.md. */
export interface ReportGroup {
  entity_id: string;
  rule: 'any' | 'all';
  members: string[];
  evidence: {
    judged: { start: string; end: string };
    rises: number;
    rises_matched: number;
    falls: number;
    falls_matched: number;
    expected_matched_by_chance: number;
    agreement: number;
    coverage: number;
  };
}

export interface ReportBaseline {
  /** Sequential: the support expected from B's own behaviour; the larger of the two below. */
  expected_support?: number;
  expected_by_hour_of_week?: number;
  expected_by_day_shift?: number | null;
  /** Co-activity: the phi that the same time of day on other days gives. */
  phi?: number;
  p_value: number;
  q_value: number;
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

export function toReportGroup(group: EntityGroup): ReportGroup {
  const { evidence } = group;
  return {
    entity_id: group.entityId,
    rule: group.rule,
    members: [...group.members],
    evidence: {
      judged: {
        start: new Date(evidence.judged.start).toISOString(),
        end: new Date(evidence.judged.end).toISOString(),
      },
      rises: evidence.rises,
      rises_matched: evidence.risesMatched,
      falls: evidence.falls,
      falls_matched: evidence.fallsMatched,
      expected_matched_by_chance: round(evidence.expectedMatchedByChance, 1),
      agreement: round(evidence.agreement),
      coverage: round(evidence.coverage),
    },
  };
}

export function toReportCorrelation(
  relation: Relation,
  groups: GroupIndex,
  echoOf?: SequentialRelation,
): ReportCorrelation {
  const ends = { a: toReportEnd(relation.a), b: toReportEnd(relation.b) };
  const marks = {
    structural_group: structuralGroupOf(groups, relation.a.entityId, relation.b.entityId),
    echo_of: echoOf === undefined ? null : { a: toReportEnd(echoOf.a), b: toReportEnd(echoOf.b) },
  };
  if (relation.kind === 'co_activity') {
    return {
      kind: relation.kind,
      ...ends,
      score: round(relation.phi),
      confidence: round(relation.confidence),
      support: relation.support,
      days: relation.days,
      already_automated: false,
      baseline: {
        phi: round(relation.baselinePhi),
        p_value: relation.pValue,
        q_value: relation.qValue,
      },
      ...marks,
    };
  }

  return {
    kind: relation.kind,
    ...ends,
    score: round(relation.pFollows),
    confidence: round(relation.confidence),
    support: relation.support,
    lag_s: { median: round(relation.lagS.median, 2), p90: round(relation.lagS.p90, 2) },
    window_s: relation.windowS,
    p_precedes: round(relation.pPrecedes),
    triggers: relation.triggers,
    responses: relation.responses,
    already_automated: relation.alreadyAutomated,
    automated_share: round(relation.automatedShare),
    baseline: {
      expected_support: round(relation.expected, 3),
      expected_by_hour_of_week: round(relation.expectedBySlot, 3),
      expected_by_day_shift:
        relation.expectedByDayShift === null ? null : round(relation.expectedByDayShift, 3),
      p_value: relation.pValue,
      q_value: relation.qValue,
    },
    ...marks,
  };
}

export function toReportEnd(end: RelationEnd): ReportEnd {
  return { entity_id: end.entityId, state: end.state };
}
