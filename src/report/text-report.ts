import type { AnalysisReport, ReportEntity } from './analysis-report.js';
import { describeChange } from '../insight/index.js';
import type { ReportCorrelation, ReportGroup } from './correlations.js';
import { renderSuggestions } from './insights.js';
import { describeDriver } from './presence.js';

const DAY_MS = 86_400_000;
const MOST_ACTIVE_SHOWN = 15;
const RELATIONS_SHOWN = 12;
/** Below this, a relation is too uncertain to put before a person. */
const RELATION_CONFIDENCE_SHOWN = 0.5;

/** The report a person reads in a terminal: what was read, and what moved the most. */
export function renderTextReport(report: AnalysisReport): string {
  const start = Date.parse(report.window.start);
  const days = (Date.parse(report.window.end) - start) / DAY_MS;
  const changes = report.entities.reduce((sum, entity) => sum + entity.changes, 0);
  const lines = [
    `tandem analysis of ${report.sources.map((source) => source.path).join(', ')}`,
    `  ${report.window.start} to ${report.window.end} (${formatDays(days)})`,
    `  ${report.entities.length} entities in ${countAreas(report.entities)} areas, ` +
      `${changes} state changes (${describeSources(report)})`,
    '',
    ...renderMostActive(report.entities, days),
    '',
    ...renderGroups(report),
    ...renderRelations(report),
    '',
    ...renderPresenceDrivers(report),
    '',
    ...renderSuggestions(report.suggestions),
  ];

  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:', ...report.warnings.map((warning) => `  ${warning}`));
  }

  return lines.join('\n') + '\n';
}

function renderMostActive(entities: readonly ReportEntity[], days: number): string[] {
  const active = entities
    .filter((entity) => entity.changes > 0)
    .sort((a, b) => b.changes - a.changes || a.entity_id.localeCompare(b.entity_id))
    .slice(0, MOST_ACTIVE_SHOWN);
  if (active.length === 0) {
    return ['No entity changed state in this window.'];
  }

  const width = Math.max(...active.map((entity) => entity.entity_id.length));
  return [
    'Most active entities:',
    ...active.map((entity) => {
      const perDay = days > 0 ? (entity.changes / days).toFixed(1) : '-';
      const area = entity.area === null ? '' : `  [${entity.area}]`;
      return (
        `  ${entity.entity_id.padEnd(width)}  ${String(entity.changes).padStart(6)} changes` +
        `  ${perDay.padStart(6)}/day  ${entity.name}${area}`
      );
    }),
  ];
}

function renderPresenceDrivers(report: AnalysisReport): string[] {
  const names = new Map(report.entities.map((entity) => [entity.entity_id, entity.name]));
  const driven = report.presence_correlations
    .filter((entity) => entity.presence_driven)
    .sort((x, y) => y.confidence - x.confidence);
  if (report.presence === undefined) {
    return ['No person entity or calendar: presence-driven devices cannot be told.'];
  }

  const summary = summarisePresence(report.presence.intervals);
  if (driven.length === 0) {
    return [summary, 'No device is driven by being home, away, arriving or leaving.'];
  }

  return [
    summary,
    'Presence-driven devices:',
    ...driven.map(
      (entity) => `  ${describeDriver(names.get(entity.entity_id) ?? entity.entity_id, entity)}`,
    ),
  ];
}

/** Where the household's presence came from and how much of the window it was away. */
function summarisePresence(
  intervals: NonNullable<AnalysisReport['presence']>['intervals'],
): string {
  const known = intervals.filter((interval) => interval.state !== 'unknown');
  const hours = (list: typeof intervals) =>
    list.reduce((sum, i) => sum + (Date.parse(i.end) - Date.parse(i.start)) / 3_600_000, 0);
  const away = known.filter((interval) => interval.state === 'away');
  const absences = away.filter((interval, k) => away[k - 1]?.end !== interval.start).length;
  const sources = [...new Set(known.map((interval) => interval.source))].join(', ');
  return (
    `Household presence (${sources}): ${absences} absences, ` +
    `${Math.round(hours(away))} h away of ${Math.round(hours(known))} h known.`
  );
}

/** One line per aggregate found, and a blank line after them; nothing when there is none. */
function renderGroups(report: AnalysisReport): string[] {
  if (report.groups.length === 0) {
    return [];
  }

  const names = new Map(report.entities.map((entity) => [entity.entity_id, entity.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  return [
    'Groups (an entity that is the any-of or all-of others; its relations with them are left out):',
    ...report.groups.map((group) => `  ${describeGroup(group, nameOf)}`),
    '',
  ];
}

function describeGroup(group: ReportGroup, nameOf: (id: string) => string): string {
  const { evidence } = group;
  const members = group.members.map(nameOf);
  const listed = `${members.slice(0, -1).join(', ')} and ${members[members.length - 1] ?? ''}`;
  return (
    `${nameOf(group.entity_id)} is ${group.rule} of ${listed} ` +
    `(${evidence.rises_matched} of ${evidence.rises} rises and ` +
    `${evidence.falls_matched} of ${evidence.falls} falls with a member's, ` +
    `${Math.round(evidence.expected_matched_by_chance)} by chance; ` +
    `the same state ${(evidence.agreement * 100).toFixed(1)} % of the time, ` +
    `${evidence.judged.start.slice(0, 10)} to ${evidence.judged.end.slice(0, 10)})`
  );
}

function renderRelations(report: AnalysisReport): string[] {
  const entities = new Map(report.entities.map((entity) => [entity.entity_id, entity]));
  const confident = report.correlations.filter(
    (r) => r.confidence >= RELATION_CONFIDENCE_SHOWN && r.structural_group === null,
  );
  const strong = confident.filter((r) => r.echo_of === null);
  const shown = strong.slice(0, RELATIONS_SHOWN);
  if (shown.length === 0) {
    return ['No relation between devices stood out from chance and the time of day.'];
  }

  const echoes = confident.length - strong.length;
  const left = echoes === 0 ? '' : `; ${echoes} that only echo a device's own cycle left out`;
  return [
    `Strongest relations (${shown.length} of ${strong.length} with confidence ≥ 0.5${left}):`,
    ...shown.map((relation) => `  ${describeRelation(relation, entities)}`),
  ];
}

function describeRelation(
  relation: ReportCorrelation,
  entities: ReadonlyMap<string, ReportEntity>,
) {
  const nameOf = (id: string) => entities.get(id)?.name ?? id;
  const change = (end: ReportCorrelation['a']) =>
    describeChange(
      nameOf(end.entity_id),
      end.state,
      entities.get(end.entity_id)?.device_class ?? null,
    );
  const confidence = `[confidence ${relation.confidence.toFixed(2)}]`;
  if (relation.kind === 'co_activity') {
    return (
      `${nameOf(relation.a.entity_id)} and ${nameOf(relation.b.entity_id)} are active together ` +
      `(phi ${relation.score.toFixed(2)}, against ${relation.baseline.phi?.toFixed(2) ?? '?'} ` +
      `at the same time on other days; ${relation.days ?? 0} days) ${confidence}`
    );
  }

  const automated = relation.already_automated ? '; an automation already does this' : '';
  return (
    `When ${change(relation.a)}, ${change(relation.b)} within ` +
    `${formatSeconds(relation.window_s ?? 0)} ` +
    `(median ${formatSeconds(relation.lag_s?.median ?? 0)}): ` +
    `${relation.support} of ${relation.triggers ?? 0} times, ` +
    `${(relation.baseline.expected_support ?? 0).toFixed(1)} expected by chance${automated} ` +
    confidence
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) {
    return `${Number(seconds.toPrecision(2))} s`;
  }

  return `${Number((seconds / 60).toPrecision(2))} min`;
}

function describeSources(report: AnalysisReport): string {
  return report.sources
    .map((source) =>
      source.schema_version === null
        ? `${source.rows_read} ${source.kind} rows`
        : `${source.rows_read} recorder rows, schema ${source.schema_version}`,
    )
    .join('; ');
}

function countAreas(entities: readonly ReportEntity[]): number {
  return new Set(entities.map((entity) => entity.area).filter((area) => area !== null)).size;
}

function formatDays(days: number): string {
  return days >= 2 ? `${days.toFixed(1)} days` : `${(days * 24).toFixed(1)} hours`;
}
