import {
  computeHourGrid,
  firstAtOrAfter,
  hourIndex,
  lastAtOrBefore,
} from '../../timeline/index.js';
import type { HourGrid, Interval, IntervalList } from '../../timeline/index.js';
import type { Mark } from './sensor-marks.js';
import { mergeSpans, overlapsAny } from './spans.js';

const DAY_MS = 86_400_000;

/**
 * What a silence while armed is compared with: the indoor sensors' life, where they were
 * reporting at all, and the armed spans, which the days compared with must avoid.
 */
export interface SilenceJudge {
  /** The indoor sensors' marks, merged. */
  busy: IntervalList;
  /** Where at least one indoor sensor was reporting; silence means nothing elsewhere. */
  known: IntervalList;
  /** The armed-away spans, merged. */
  armed: IntervalList;
  grid: HourGrid;
}

/** `null` when no indoor sensor ever showed life. */
export function createSilenceJudge(
  marksBySensor: readonly (readonly Mark[])[],
  armed: IntervalList,
  window: Interval,
  timeZone: string,
): SilenceJudge | null {
  const reporting = marksBySensor.flatMap(
    (marks) => sensorCoverage(marks, armed, window.end) ?? [],
  );
  if (reporting.length === 0) {
    return null;
  }

  return {
    busy: mergeSpans(marksBySensor.flat()),
    known: mergeSpans(reporting),
    armed,
    grid: computeHourGrid(window, timeZone),
  };
}

/**
 * Where a sensor was reporting: from its first mark to its last, or to the end of the window
 * when the system was never disarmed after the last (the data ends while the household is out).
 * A sensor that falls silent for good while the household goes on disarming has gone, not
 * gone quiet.
 */
function sensorCoverage(marks: readonly Mark[], armed: IntervalList, end: number): Interval | null {
  const first = marks[0];
  if (first === undefined) {
    return null;
  }

  const last = marks.reduce((latest, mark) => Math.max(latest, mark.end), first.end);
  const next = lastAtOrBefore(armed.ends, last) + 1;
  const disarmedAfter = next < armed.length && (armed.ends[next] ?? end) < end;
  return { start: first.start, end: disarmedAfter ? last : end };
}

/** How unusual a silence would be with someone in, from the days the system was off. */
export interface SilenceVerdict {
  gap: Interval;
  /** `1 − (silentDays + 1) / (days + 2)`: how rarely the home was that quiet, system off. */
  confidence: number;
  /** Days with the system off at those hours and the sensors reporting. */
  days: number;
  /** Of those, the days on which the home was silent throughout those hours too. */
  silentDays: number;
}

/**
 * Compares a silence with the same local hours on every other day on which the indoor sensors
 * were reporting and the system was not armed away: on how many of them was the home silent
 * too? Those days include the household's unarmed outings, which makes the answer cautious;
 * the +1 and +2 keep a handful of days from sounding certain. A silence of more than a day is
 * judged by each day-long piece and is as unusual as its most unusual piece: silent
 * throughout, it is silent in each.
 */
export function judgeSilence(gap: Interval, judge: SilenceJudge): SilenceVerdict {
  let best: SilenceVerdict = { gap, confidence: 0, days: 0, silentDays: 0 };
  for (let start = gap.start; start < gap.end; start += DAY_MS) {
    const piece = { start, end: Math.min(gap.end, start + DAY_MS) };
    const { days, silentDays } = countSilentDays(piece, judge);
    const confidence = 1 - (silentDays + 1) / (days + 2);
    if (confidence > best.confidence) {
      best = { gap, confidence, days, silentDays };
    }
  }

  return best;
}

/** An absence when the home was that quiet on fewer than half of the comparable days. */
export function isTrusted(verdict: SilenceVerdict): boolean {
  return verdict.confidence > 0.5;
}

function countSilentDays(
  piece: Interval,
  judge: SilenceJudge,
): { days: number; silentDays: number } {
  const { known } = judge;
  const length = piece.end - piece.start;
  const from = known.starts[0] ?? 0;
  const to = known.ends[known.length - 1] ?? 0;
  let days = 0;
  let silentDays = 0;
  // One day of slack on each side for daylight-saving shifts; the checks below keep it honest.
  const first = Math.ceil((from - piece.start) / DAY_MS) - 1;
  const last = Math.floor((to - piece.end) / DAY_MS) + 1;
  for (let k = first; k <= last; k++) {
    const start = shiftByDays(piece.start, k, judge.grid);
    const other = { start, end: start + length };
    if (k !== 0 && isInside(known, other) && !overlapsAny(judge.armed, other)) {
      days++;
      silentDays += showsLife(judge.busy, other) ? 0 : 1;
    }
  }

  return { days, silentDays };
}

/** Whether one span of the merged `list` holds all of `span`. */
function isInside(list: IntervalList, span: Interval): boolean {
  const i = lastAtOrBefore(list.starts, span.start);
  return i >= 0 && span.end <= (list.ends[i] ?? 0);
}

/** The same local time `k` days later, across daylight-saving changes. */
function shiftByDays(time: number, k: number, grid: HourGrid): number {
  const shifted = time + k * DAY_MS;
  const offsetMs = (at: number) => {
    const h = Math.min(Math.max(hourIndex(grid, at), 0), grid.offsetMinutes.length - 1);
    return (grid.offsetMinutes[h] ?? 0) * 60_000;
  };
  return shifted + offsetMs(time) - offsetMs(shifted);
}

/** Whether a mark starts inside `span`, or one that began before reaches into it. */
export function showsLife(busy: IntervalList, span: Interval): boolean {
  const i = firstAtOrAfter(busy.starts, span.start);
  return (busy.starts[i] ?? Infinity) < span.end || overlapsAny(busy, span);
}
