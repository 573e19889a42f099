import { buildAutomation, toYaml } from './automation.js';
import type { Finding } from './finding.js';
import type { Insight, InsightStatus, Suggestion } from './types.js';

/** Below this, a finding is reported but not suggested. */
const SUGGEST_CONFIDENCE = 0.5;
/** A rule right less often than this in its replay would annoy more than it helps. */
const SUGGEST_PRECISION = 0.35;
/** Findings ranked lower than this are not worth a person's attention as a suggestion. */
const SUGGEST_SCORE = 0.2;
/** Support at which the evidence factor of the score reaches 63 %. */
const SUPPORT_SCALE = 10;

interface Ranked {
  insight: Insight;
  finding: Finding;
}

/**
 * Ranks findings into insights: confidence × support × usefulness. Twins are merged (A→B and
 * B→A, or the same pair through two states), and a finding that an existing automation already
 * produces, or whose pair and response an automation produces, is reported as automated.
 */
export function rankFindings(findings: readonly Finding[]): Ranked[] {
  const automated = new Set(
    findings.filter((f) => f.pattern.alreadyAutomated).map((f) => coverKey(f)),
  );
  const groups = new Map<string, Ranked[]>();
  for (const finding of findings) {
    const ranked = { finding, insight: toInsight(finding, automated) };
    const key = twinKey(finding);
    groups.set(key, [...(groups.get(key) ?? []), ranked]);
  }

  return [...groups.values()]
    .map(mergeTwins)
    .sort(
      (x, y) => y.insight.score - x.insight.score || x.insight.key.localeCompare(y.insight.key),
    );
}

function toInsight(finding: Finding, automated: ReadonlySet<string>): Insight {
  const { pattern } = finding;
  const evidence = 1 - Math.exp(-pattern.support / SUPPORT_SCALE);
  const score = pattern.confidence * evidence * finding.usefulness;
  return {
    key: pattern.key,
    pattern,
    merged: [],
    status: statusOf(finding, score, automated),
    score,
    usefulness: finding.usefulness,
  };
}

function statusOf(finding: Finding, score: number, automated: ReadonlySet<string>): InsightStatus {
  if (finding.pattern.alreadyAutomated || automated.has(coverKey(finding))) {
    return 'already_automated';
  }

  if (finding.rule === null) {
    return 'not_actionable';
  }

  const precision = finding.backtest?.precision ?? null;
  const weak =
    finding.pattern.confidence < SUGGEST_CONFIDENCE ||
    score < SUGGEST_SCORE ||
    (precision !== null && precision < SUGGEST_PRECISION);
  return weak ? 'too_uncertain' : 'suggested';
}

/** The best of a group of twins stands for it; an automated twin makes the group automated. */
function mergeTwins(group: Ranked[]): Ranked {
  const sorted = [...group].sort(
    (x, y) => statusRank(x) - statusRank(y) || y.insight.score - x.insight.score,
  );
  const [best, ...rest] = sorted as [Ranked, ...Ranked[]];
  const automated = group.some((r) => r.insight.status === 'already_automated');
  return {
    finding: best.finding,
    insight: {
      ...best.insight,
      status: automated ? 'already_automated' : best.insight.status,
      merged: rest.map((r) => r.insight.key),
    },
  };
}

const STATUS_ORDER: readonly InsightStatus[] = [
  'already_automated',
  'suggested',
  'too_uncertain',
  'not_actionable',
];

function statusRank(ranked: Ranked): number {
  return STATUS_ORDER.indexOf(ranked.insight.status);
}

/** Sequential twins share their two ends in either order; presence findings stand alone. */
function twinKey(finding: Finding): string {
  const { pattern } = finding;
  if (pattern.source === 'presence') {
    return pattern.key;
  }

  const ends = [pattern.trigger, pattern.response].map((end) => `${end.entityId}:${end.state}`);
  return ends.sort().join('|');
}

/** An automation covers every finding with the same pair of entities and the same response. */
function coverKey(finding: Finding): string {
  const { trigger, response } = finding.pattern;
  const pair = [trigger.entityId, response.entityId].sort().join('|');
  return `${pair}>${response.entityId}:${response.state}`;
}

/** The suggested insights as automations, with their YAML and replay; one per automation id. */
export function buildSuggestions(ranked: readonly Ranked[]): Suggestion[] {
  const seen = new Set<string>();
  return ranked.flatMap(({ insight, finding }) => {
    if (insight.status !== 'suggested' || finding.rule === null || finding.backtest === null) {
      return [];
    }

    const { pattern, rule, backtest } = finding;
    const title = finding.title ?? pattern.summary.replace(/ \([^)]*\)\.$/, '').replace(/\.$/, '');
    const automation = buildAutomation(rule, title, `${pattern.explanation} (tandem)`);
    if (seen.has(automation.id)) {
      return [];
    }

    seen.add(automation.id);
    const entities = [...new Set(collectEntities(automation))].sort();
    return [
      {
        id: automation.id,
        title,
        explanation: pattern.explanation,
        confidence: suggestionConfidence(pattern.confidence, backtest),
        entities,
        automation,
        yaml: toYaml([automation]),
        backtest,
        insight: insight.key,
      },
    ];
  });
}

/** The finding's confidence, tempered by how often the replayed rule was right (smoothed). */
function suggestionConfidence(confidence: number, backtest: Suggestion['backtest']): number {
  // A guard that never had to fire and missed nothing is right; one that never fired while the
  // person acted by hand has shown nothing yet, and counts as half right.
  const untested = backtest.fired === 0 && backtest.missed === 0;
  const right = untested ? 1 : (backtest.matched + 1) / (backtest.fired + 2);
  return confidence * right;
}

/** Every entity id an automation names, in any key called `entity_id`. */
export function collectEntities(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(collectEntities);
  }

  if (typeof value !== 'object' || value === null) {
    return [];
  }

  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'entity_id' ? [inner].flat().map(String) : collectEntities(inner),
  );
}
