import type { EntityInfo } from '../home/index.js';
import { addSpanToSlots, firstAtOrAfter } from '../timeline/index.js';
import type { HomeHistory, HourGrid, Interval } from '../timeline/index.js';
import { formatDuration, round } from './_lib/format.js';
import { computeNightHours, nightShare } from './_lib/night-hours.js';
import { computeOtsuCut } from './_lib/otsu.js';
import { sensorInterval } from './_lib/sensor-interval.js';
import type { Mark } from './_lib/sensor-marks.js';
import {
  collectMarks,
  computeSilences,
  DOOR_CLASSES,
  isActivitySensor,
} from './_lib/sensor-marks.js';
import { computeArmingPresence, isArmingSignal } from './arming-presence.js';
import type { ArmingPresence, ArmingPresenceOptions } from './arming-presence.js';
import { fuseSensorClaims } from './fusion.js';
import { PRESENCE_AWAY, PRESENCE_HOME, PRESENCE_UNKNOWN } from './observed.js';
import type { PresenceInterval } from './types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Silences shorter than this are not counted when looking for the exit door: a door that
 * bounds many five-minute silences is a bathroom door, not a way out. An hour is also the
 * shortest absence worth an automation.
 */
const DOOR_EVIDENCE_MIN_MS = HOUR_MS;

/** Used when the door saw too few passages to learn from (fewer than two distinct gaps). */
const FALLBACK_SILENCE_MS = 30 * MINUTE_MS;

/** The source tag of the intervals sensors infer; fusion ranks them as the weakest. */
export { SENSOR_PRESENCE_SOURCE } from './_lib/sensor-interval.js';

export interface SensorPresenceOptions extends ArmingPresenceOptions {
  /** The home's zone, for telling nights apart. */
  timeZone: string;
  /** Use this entity as the exit door instead of learning it. */
  doorEntityId?: string;
  /** Which entities show signs of life; by default binary sensors a person sets off. */
  isActivitySensor?: (entity: EntityInfo) => boolean;
}

export interface ExitDoor {
  entityId: string;
  /** Whether it was learned from the data rather than given. */
  learned: boolean;
  /** Hours of silence outside the night that this door bounded on both sides. */
  evidenceHours: number;
  /** The next best candidate, to judge how clear the choice was. */
  runnerUp: { entityId: string; evidenceHours: number } | null;
}

export interface SensorPresence {
  door: ExitDoor | null;
  /** Silences between two uses of the door at least this long are absences. */
  silenceThresholdMs: number | null;
  /** Local hours of the day in which the home sleeps (empty when no hour is mostly silent). */
  nightHours: number[];
  /** From the first sign of life to the end of the window; `null` without any. */
  coverage: Interval | null;
  /** An alarm panel or camera system judged against the indoor sensors; `null` without one. */
  arming: ArmingPresence | null;
  /**
   * `away` and `home` intervals in time order: the door's over its coverage and the arming
   * signal's over its own, fused (`fuseSensorClaims`); `unknown` where neither can tell.
   */
  intervals: PresenceInterval[];
  /** The away intervals alone. */
  away: PresenceInterval[];
}

/**
 * Infers when the household was out from its sensors alone, in two ways fused into one
 * timeline: the exit door and the silence indoors, and an armed alarm panel or camera system
 * that the silence indoors bears out (`computeArmingPresence`). The more confident claim wins
 * where they disagree.
 */
export function computeSensorPresence(
  history: HomeHistory,
  options: SensorPresenceOptions,
): SensorPresence {
  const door = inferFromDoor(history, options);
  const arming = computeArmingPresence(history, options);
  if (arming === null) {
    return door;
  }

  const intervals = fuseSensorClaims([door.intervals, arming.intervals]);
  const away = intervals.filter((interval) => interval.state === 'away');
  return { ...door, arming, intervals, away };
}

/**
 * An absence is a silence of every indoor sensor that begins with a use of the exit door and
 * ends with another use of it, with indoor activity after: nobody can come back in without the
 * door. Hence a door opened for the cat (indoor activity follows within the silence) is no
 * absence, and nor is a night's sleep (the silence ends with activity indoors, not at the
 * door). The door and the silence threshold are learned from the home's own data; see
 * docs/validation.md.
 */
function inferFromDoor(history: HomeHistory, options: SensorPresenceOptions): SensorPresence {
  const isActivity = options.isActivitySensor ?? isActivitySensor;
  const sensors = history.entities.flatMap((entity, i) =>
    isActivity(entity) && !isArmingSignal(entity, options) ? [i] : [],
  );
  const marks = collectMarks(history, sensors);
  const first = marks[0];
  if (first === undefined) {
    return withoutDoor(null, [], 'no sensor showed any sign of life');
  }

  const coverage = { start: first.start, end: history.window.end };
  const nightHours = computeNightHours(marks, history.window, options.timeZone);
  const door = chooseDoor(history, sensors, marks, nightHours, options);
  if (door === null) {
    return withoutDoor(coverage, nightHours, 'no door bounded an hour of silence on both sides');
  }

  const doorIndex = history.entities.findIndex((entity) => entity.entityId === door.entityId);
  const runs = computeDoorRuns(marks, doorIndex, coverage.end);
  const silenceThresholdMs = learnSilenceThreshold(runs);
  const context = { door, nightHours, timeZone: options.timeZone, silenceThresholdMs };
  const away = computeAway(runs, context, homeSilences(marks, doorIndex, context));
  return {
    door,
    silenceThresholdMs,
    nightHours,
    coverage,
    arming: null,
    intervals: fillHome(away, coverage, door.entityId),
    away,
  };
}

function withoutDoor(
  coverage: Interval | null,
  nightHours: number[],
  reason: string,
): SensorPresence {
  const intervals = coverage === null ? [] : [sensorInterval(coverage, 'unknown', 0, reason)];
  return {
    door: null,
    silenceThresholdMs: null,
    nightHours,
    coverage,
    arming: null,
    intervals,
    away: [],
  };
}

/**
 * The exit door is the door that bounds the most silent time outside the night on both sides:
 * leaving and coming back both pass it, while an indoor door bounds silences only when someone
 * sleeps behind it. Candidates are the sensors with a door-like device class.
 */
function chooseDoor(
  history: HomeHistory,
  sensors: readonly number[],
  marks: readonly Mark[],
  nightHours: readonly number[],
  options: SensorPresenceOptions,
): ExitDoor | null {
  if (options.doorEntityId !== undefined) {
    const known = history.entities.some((entity) => entity.entityId === options.doorEntityId);
    return known
      ? { entityId: options.doorEntityId, learned: false, evidenceHours: 0, runnerUp: null }
      : null;
  }

  const candidates = new Set(
    sensors.filter((i) => DOOR_CLASSES.has(history.entities[i]?.deviceClass ?? '')),
  );
  const evidence = new Map<number, number>();
  for (const silence of computeSilences(marks)) {
    const length = silence.end - silence.start;
    if (silence.before !== silence.after || !candidates.has(silence.before)) {
      continue;
    }

    if (length >= DOOR_EVIDENCE_MIN_MS) {
      const awake = length * (1 - nightShare(silence, nightHours, options.timeZone));
      evidence.set(silence.before, (evidence.get(silence.before) ?? 0) + awake / HOUR_MS);
    }
  }

  const [best, second] = [...evidence].sort((a, b) => b[1] - a[1]);
  const name = (i: number) => history.entities[i]?.entityId ?? '';
  if (best === undefined || best[1] <= 0) {
    return null;
  }

  return {
    entityId: name(best[0]),
    learned: true,
    evidenceHours: round(best[1]),
    runnerUp:
      second === undefined ? null : { entityId: name(second[0]), evidenceHours: round(second[1]) },
  };
}

/** Consecutive uses of the door with no indoor sign of life between them. */
interface DoorRun {
  /** The silent gaps between the run's door marks, and after the last when the data ends. */
  gaps: Interval[];
  /** Whether indoor activity follows the run (else the data ends first). */
  closed: boolean;
}

/**
 * Splits the marks into runs of door uses. A gap inside a run is silent indoors throughout: an
 * indoor span that began before it and is still going (someone on the sofa) shortens it.
 */
function computeDoorRuns(marks: readonly Mark[], door: number, end: number): DoorRun[] {
  const runs: DoorRun[] = [];
  let run: DoorRun | undefined;
  let lastDoorEnd = -Infinity;
  let indoorUntil = -Infinity;
  for (const mark of marks) {
    if (mark.entity !== door) {
      indoorUntil = Math.max(indoorUntil, mark.end);
      run = undefined;
      continue;
    }

    if (run === undefined) {
      run = { gaps: [], closed: false };
      runs.push(run);
    } else {
      run.gaps.push({ start: Math.max(lastDoorEnd, indoorUntil), end: mark.start });
    }

    lastDoorEnd = Math.max(lastDoorEnd, mark.end);
  }

  for (const each of runs) {
    each.closed = each !== run;
  }

  run?.gaps.push({ start: Math.max(lastDoorEnd, indoorUntil), end });
  return runs;
}

/**
 * Gaps between uses of the door with nobody moving indoors are of two kinds: the seconds or
 * minutes of one passage (open, close, open again for the bins) and the hours of an absence.
 * Otsu's cut on their logarithms separates the two kinds wherever this home puts them.
 */
function learnSilenceThreshold(runs: readonly DoorRun[]): number {
  const logs: number[] = [];
  for (const run of runs) {
    const inner = run.closed ? run.gaps : run.gaps.slice(0, -1);
    for (const gap of inner) {
      if (gap.end - gap.start >= 1000) {
        logs.push(Math.log10(gap.end - gap.start));
      }
    }
  }

  const cut = computeOtsuCut(logs);
  return cut === undefined ? FALLBACK_SILENCE_MS : Math.round(10 ** cut);
}

interface AwayContext {
  door: ExitDoor;
  nightHours: readonly number[];
  timeZone: string;
  silenceThresholdMs: number;
}

/**
 * Lengths of silences that someone was certainly home for (bounded by an indoor sensor on at
 * least one side), mostly outside the night and at least as long as the threshold, ascending:
 * how long this household stays quiet while awake at home, when it stays quiet long enough to
 * be mistaken for an absence.
 */
function homeSilences(marks: readonly Mark[], door: number, context: AwayContext): Float64Array {
  const lengths: number[] = [];
  for (const silence of computeSilences(marks)) {
    const atHome = silence.before !== door || silence.after !== door;
    const long = silence.end - silence.start >= context.silenceThresholdMs;
    if (atHome && long && nightShare(silence, context.nightHours, context.timeZone) < 0.5) {
      lengths.push(silence.end - silence.start);
    }
  }

  return Float64Array.from(lengths).sort();
}

function computeAway(
  runs: readonly DoorRun[],
  context: AwayContext,
  quietAtHome: Float64Array,
): PresenceInterval[] {
  const away: PresenceInterval[] = [];
  for (const run of runs) {
    for (const [i, gap] of run.gaps.entries()) {
      if (gap.end - gap.start < context.silenceThresholdMs) {
        continue;
      }

      const openEnded = !run.closed && i === run.gaps.length - 1;
      away.push(awayInterval(gap, openEnded, context, quietAtHome));
    }
  }

  return away;
}

/**
 * Confidence: the share of long awake silences at home that were shorter than this one (how
 * unusual such a silence would be with someone in), halved for the part of it that falls in
 * the night, when a sleeper behind a door that was used late makes the same silence, and
 * halved again when the data ends before anyone comes back.
 */
function awayInterval(
  gap: Interval,
  openEnded: boolean,
  context: AwayContext,
  quietAtHome: Float64Array,
): PresenceInterval {
  const length = gap.end - gap.start;
  const unusual =
    quietAtHome.length === 0 ? 0.5 : firstAtOrAfter(quietAtHome, length) / quietAtHome.length;
  const night = nightShare(gap, context.nightHours, context.timeZone);
  const confidence = round(unusual * (1 - night / 2) * (openEnded ? 0.5 : 1));
  const reason =
    `door ${context.door.entityId} used, then ${formatDuration(length)} of silence indoors ` +
    (openEnded ? 'until the data ends' : 'until the door was used again');
  return sensorInterval(gap, 'away', confidence, reason);
}

/** Home between absences: someone moved indoors, or the door was only passed briefly. */
function fillHome(
  away: readonly PresenceInterval[],
  coverage: Interval,
  door: string,
): PresenceInterval[] {
  const intervals: PresenceInterval[] = [];
  const reason = `indoor activity, or door ${door} used without a long silence`;
  let cursor = coverage.start;
  for (const interval of away) {
    if (interval.start > cursor) {
      intervals.push(sensorInterval({ start: cursor, end: interval.start }, 'home', 0.5, reason));
    }

    intervals.push(interval);
    cursor = interval.end;
  }

  if (cursor < coverage.end) {
    intervals.push(sensorInterval({ start: cursor, end: coverage.end }, 'home', 0.5, reason));
  }

  return intervals;
}

/**
 * The household's presence per hour of `grid` from sensor presence, in the codes of
 * `computeHourlyPresence`: away when an absence covers most of the hour, home when the sensors
 * knew most of it otherwise, unknown where they could not tell (no door, no arming, or before
 * the first sign).
 */
export function computeSensorHourlyPresence(presence: SensorPresence, grid: HourGrid): Int8Array {
  const hours = grid.hourOfWeek.length;
  const codes = new Int8Array(hours).fill(PRESENCE_UNKNOWN);
  const awayMs = new Float64Array(hours);
  const knownMs = new Float64Array(hours);
  for (const interval of presence.intervals) {
    if (interval.state !== 'unknown') {
      addSpanToSlots(knownMs, interval, grid.window.start, HOUR_MS);
    }

    if (interval.state === 'away') {
      addSpanToSlots(awayMs, interval, grid.window.start, HOUR_MS);
    }
  }

  for (let h = 0; h < hours; h++) {
    if ((knownMs[h] ?? 0) >= HOUR_MS / 2) {
      codes[h] = (awayMs[h] ?? 0) >= HOUR_MS / 2 ? PRESENCE_AWAY : PRESENCE_HOME;
    }
  }

  return codes;
}

/**
 * Fuses hourly presence: `primary` (person and device-tracker entities) wins wherever it knows,
 * and sensor presence, the weakest source, fills only the hours it leaves unknown.
 */
export function fuseHourlyPresence(
  primary: Int8Array | undefined,
  fallback: Int8Array | undefined,
): Int8Array | undefined {
  if (primary === undefined || fallback === undefined) {
    return primary ?? fallback;
  }

  return primary.map((code, h) => (code === PRESENCE_UNKNOWN ? (fallback[h] ?? code) : code));
}
