import type { CommuteMargins } from '../presence/index.js';
import { buildHouseholdTimeline, computeHouseholdPresence } from '../presence/index.js';
import { readRecorder } from '../sources/index.js';
import { computeHourGrid } from '../timeline/index.js';

/** Four weeks hold about twenty office days: enough for a median departure and arrival. */
const LEARNING_DAYS = 28;
const DAY_MS = 86_400_000;

export interface LearnedCommute {
  margins: CommuteMargins;
  agreement: number | null;
}

/**
 * The commute margins that match how the household really left and came back over the last
 * four weeks of history: the calendars' away events against the person entities.
 * `undefined` when the recorder holds no residents or no away event could be matched.
 */
export async function learnCommute(
  recorderFile: string,
  calendars: readonly string[],
  timeZone: string,
  now: number,
): Promise<LearnedCommute | undefined> {
  // The residents alone, over the last four weeks the recorder holds up to now.
  const residents = { domains: ['person', 'device_tracker'] };
  const recorded = readRecorder(recorderFile, residents).window;
  const to = Math.min(now, recorded.end);
  const from = Math.max(recorded.start, to - LEARNING_DAYS * DAY_MS);
  const history = readRecorder(recorderFile, { ...residents, from, to });
  const grid = computeHourGrid(history.window, timeZone);
  const household = computeHouseholdPresence(history, grid);
  if (household === undefined) {
    return undefined;
  }

  const timeline = await buildHouseholdTimeline({ grid, household, calendars, now, recorderFile });
  const learned = timeline?.calibration?.learnedCommute;
  if (learned === undefined || learned === null) {
    return undefined;
  }

  return { margins: learned, agreement: timeline?.calibration?.agreement ?? null };
}
