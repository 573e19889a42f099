import { analyzeHome, readHome, reportOf } from '../analysis/index.js';
import type { HomeInput } from '../analysis/index.js';
import type { CommuteMargins, PresenceInterval } from '../presence/index.js';
import type { AnalysisReport } from '../report/index.js';
import type { Interval } from '../timeline/index.js';

/** What the server asks of one analysis. */
export interface AnalysisRequest {
  home: HomeInput;
  calendars: readonly string[];
  now: number;
}

/**
 * What the server keeps of one analysis: everything it answers from and nothing more. Plain
 * data, so that it crosses from the worker thread that analysed the home; the history itself
 * stays behind and is freed with the worker.
 */
export interface AnalysisSnapshot {
  /** With every suggestion; the server leaves out those answered by feedback as it serves. */
  report: AnalysisReport;
  /** The household's presence over the window, epoch ms. */
  presence: PresenceInterval[];
  window: Interval;
  timeZone: string;
  /** The `person` (or `device_tracker`) entities whose live states say who is home. */
  residents: string[];
  /** The commute the calendars were calibrated to, when the home had both. */
  learnedCommute: CommuteMargins | null;
  recorderFile: string | null;
  analyzedAt: number;
}

/** Reads and analyses the home, in whatever thread calls it. */
export async function takeSnapshot(request: AnalysisRequest): Promise<AnalysisSnapshot> {
  const home = readHome(request.home);
  const analysis = await analyzeHome(home, { calendars: request.calendars, now: request.now });
  return {
    report: reportOf(analysis, new Map()),
    presence: analysis.presence?.intervals ?? [],
    window: home.history.window,
    timeZone: home.timeZone,
    residents: analysis.context.household?.residents.map((resident) => resident.entityId) ?? [],
    learnedCommute: analysis.presence?.calibration?.learnedCommute ?? null,
    recorderFile: home.recorderFile ?? null,
    analyzedAt: request.now,
  };
}
