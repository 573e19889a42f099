import type {
  Automation,
  Backtest,
  Condition,
  Insight,
  InsightStatus,
  Pattern,
  PatternType,
  Suggestion,
} from '../insight/index.js';
import type { ReportEnd } from './correlations.js';
import { toReportEnd } from './correlations.js';

/** One typed, explained finding in the JSON report; see docs/json-output.md. */
export interface ReportPattern {
  key: string;
  source: 'relation' | 'presence';
  trigger: ReportEnd;
  response: ReportEnd;
  driver: string | null;
  types: { type: PatternType; strength: number; confidence: number; window?: string }[];
  conditions: Condition[];
  evidence: {
    triggers: number;
    followed: number;
    inside: { triggers: number; followed: number };
    outside: { triggers: number; followed: number };
    lag_s: { median: number; p90: number };
    window_s: number;
  } | null;
  confidence: number;
  support: number;
  already_automated: boolean;
  summary: string;
  explanation: string;
}

export interface ReportInsight {
  key: string;
  status: InsightStatus;
  score: number;
  usefulness: number;
  confidence: number;
  summary: string;
  merged: string[];
}

export interface ReportBacktest {
  fired: number;
  matched: number;
  wrong: number;
  missed: number;
  precision: number | null;
  recall: number | null;
}

export interface ReportSuggestion {
  id: string;
  title: string;
  explanation: string;
  confidence: number;
  entities: string[];
  automation: Automation;
  yaml: string;
  backtest: ReportBacktest;
  insight: string;
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

export function toReportPattern(pattern: Pattern): ReportPattern {
  const { evidence } = pattern;
  return {
    key: pattern.key,
    source: pattern.source,
    trigger: toReportEnd(pattern.trigger),
    response: toReportEnd(pattern.response),
    driver: pattern.driver,
    types: pattern.types.map((tag) => ({
      ...tag,
      strength: round(tag.strength),
      confidence: round(tag.confidence),
    })),
    conditions: pattern.conditions,
    evidence:
      evidence === null
        ? null
        : {
            triggers: evidence.triggers,
            followed: evidence.followed,
            inside: evidence.inside,
            outside: evidence.outside,
            lag_s: { median: round(evidence.lagS.median, 2), p90: round(evidence.lagS.p90, 2) },
            window_s: evidence.windowS,
          },
    confidence: round(pattern.confidence),
    support: pattern.support,
    already_automated: pattern.alreadyAutomated,
    summary: pattern.summary,
    explanation: pattern.explanation,
  };
}

export function toReportInsight(insight: Insight): ReportInsight {
  return {
    key: insight.key,
    status: insight.status,
    score: round(insight.score),
    usefulness: round(insight.usefulness),
    confidence: round(insight.pattern.confidence),
    summary: insight.pattern.summary,
    merged: insight.merged,
  };
}

export function toReportSuggestion(suggestion: Suggestion): ReportSuggestion {
  return {
    id: suggestion.id,
    title: suggestion.title,
    explanation: suggestion.explanation,
    confidence: round(suggestion.confidence),
    entities: suggestion.entities,
    automation: suggestion.automation,
    yaml: suggestion.yaml,
    backtest: toReportBacktest(suggestion.backtest),
    insight: suggestion.insight,
  };
}

function toReportBacktest(backtest: Backtest): ReportBacktest {
  return {
    ...backtest,
    precision: roundOrNull(backtest.precision),
    recall: roundOrNull(backtest.recall),
  };
}

/** The readable lines for the suggestions: title, replay, and the id to find it by. */
export function renderSuggestions(suggestions: readonly ReportSuggestion[]): string[] {
  if (suggestions.length === 0) {
    return ['No automation to suggest: nothing found is both clear and not yet automated.'];
  }

  return [
    `Suggestions (${suggestions.length}; print them as automations.yaml with --yaml):`,
    ...suggestions.flatMap((suggestion) => {
      const { backtest } = suggestion;
      return [
        `  ${suggestion.title} [confidence ${suggestion.confidence.toFixed(2)}]`,
        `    replayed: fired ${backtest.fired}, matched ${backtest.matched}, ` +
          `wrong ${backtest.wrong}, missed ${backtest.missed}  (${suggestion.id})`,
      ];
    }),
  ];
}
