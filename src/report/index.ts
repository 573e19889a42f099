export { buildAnalysisReport, REPORT_VERSION, toReportWithheld } from './analysis-report.js';
export type {
  AnalysisReport,
  AnalysisResults,
  ReportEntity,
  ReportPresence,
  ReportSource,
  ReportWithheld,
} from './analysis-report.js';
export type { ReportBaseline, ReportCorrelation, ReportEnd, ReportGroup } from './correlations.js';
export { renderTextReport } from './text-report.js';
export type { ReportCalibration, ReportPresenceCorrelation } from './presence.js';
export type { ReportBacktest, ReportInsight, ReportPattern, ReportSuggestion } from './insights.js';
