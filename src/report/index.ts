export { buildAnalysisReport, REPORT_VERSION } from './analysis-report.js';
export type { AnalysisReport, ReportEntity, ReportSource } from './analysis-report.js';
export { renderTextReport } from './text-report.js';
