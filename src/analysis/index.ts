export { analyzeHome, reportOf } from './analyze-home.js';
export type { AnalyzeHomeOptions, HomeAnalysis } from './analyze-home.js';
export { readHome } from './read-home.js';
export type { HomeInput, LoadedHome, ReadHomeOptions } from './read-home.js';
