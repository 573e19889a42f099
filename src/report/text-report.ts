import type { AnalysisReport, ReportEntity } from './analysis-report.js';

const DAY_MS = 86_400_000;
const MOST_ACTIVE_SHOWN = 15;

/** The report a person reads in a terminal: what was read, and what moved the most. */
export function renderTextReport(report: AnalysisReport): string {
  const start = Date.parse(report.window.start);
  const days = (Date.parse(report.window.end) - start) / DAY_MS;
  const changes = report.entities.reduce((sum, entity) => sum + entity.changes, 0);
  const lines = [
    `tandem analysis of ${report.source.path}`,
    `  ${report.window.start} to ${report.window.end} (${formatDays(days)})`,
    `  ${report.entities.length} entities in ${countAreas(report.entities)} areas, ` +
      `${changes} state changes (${report.source.rows_read} recorder rows, ` +
      `schema ${report.source.schema_version})`,
    '',
    ...renderMostActive(report.entities, days),
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

function countAreas(entities: readonly ReportEntity[]): number {
  return new Set(entities.map((entity) => entity.area).filter((area) => area !== null)).size;
}

function formatDays(days: number): string {
  return days >= 2 ? `${days.toFixed(1)} days` : `${(days * 24).toFixed(1)} hours`;
}
