import type { EntityInfo } from '../home/index.js';
import { computeActivityIntervals, firstAtOrAfter, NONE } from '../timeline/index.js';
import type { HomeHistory, Interval, IntervalList, Timeline } from '../timeline/index.js';
import { formatDuration, round } from './_lib/format.js';
import { sensorInterval } from './_lib/sensor-interval.js';
import { collectMarks, isActivitySensor, isPresenceSensor } from './_lib/sensor-marks.js';
import type { Mark } from './_lib/sensor-marks.js';
import { createSilenceJudge, isTrusted, judgeSilence } from './_lib/silence-judge.js';
import type { SilenceJudge, SilenceVerdict } from './_lib/silence-judge.js';
import { containsTime, coveredMs, coveredParts, mergeSpans, uncoveredParts } from './_lib/spans.js';
import type { PresenceInterval } from './types.js';

type ArmingClaim = 'away' | 'home';

/**
 * What an alarm panel's state says about the household. `disarmed` says nothing, nor do the
 * passing states (`arming`, `pending`, `disarming`, `triggered`), nor `armed_custom_bypass`,
 * whose meaning each home sets for itself.
 */
const PANEL_CLAIMS: Readonly<Record<string, ArmingClaim>> = {
  armed_away: 'away',
  armed_vacation: 'away',
  armed_home: 'home',
  armed_night: 'home',
};

/** A camera system's arming switch as a binary sensor, as Blink's `*_armed_status` is. */
const ARMED_BINARY_SENSOR = /_armed(_status)?$/;

export interface ArmingPresenceOptions {
  /** The home's zone: silences are compared with the same local hours on other days. */
  timeZone: string;
  /** Read these entities as the arming signal instead of finding them by domain and name. */
  armingEntityIds?: readonly string[];
}

export interface ArmingPresence {
  /** The entities read as the arming signal. */
  signals: string[];
  /** The indoor sensors whose silence the arming was judged against. */
  indoorSensors: string[];
  /** The spans in which a signal claimed the household away, less those a home mode claimed. */
  armed: Interval[];
  /** From the first state of a signal to the end of the window; `null` without any. */
  coverage: Interval | null;
  /**
   * Over the coverage, in time order: `away` where armed and trusted, `home` where armed while
   * indoor sensors showed life or in a home mode, `unknown` where the signal claims nothing.
   */
  intervals: PresenceInterval[];
  /** The away intervals alone. */
  away: PresenceInterval[];
}

/** Whether the entity arms something: an alarm panel, or a camera system's armed switch. */
export function isArmingEntity(entity: EntityInfo): boolean {
  return (
    entity.domain === 'alarm_control_panel' ||
    (entity.domain === 'binary_sensor' && ARMED_BINARY_SENSOR.test(entity.entityId))
  );
}

/**
 * Reads an alarm panel or a camera system as a sign of absence, trusted only where the indoor
 * sensors bear it out. Armed away (`armed_away`, `armed_vacation`, a camera system `on`)
 * claims that nobody is in, but people arm cameras at night, arm only the outdoor ones, or
 * stay in with the system armed. So the outing of each armed span (the silence after the
 * arming, or its longest silence when that fills most of it) is compared with the same local
 * hours on the days the system was off, and is an absence when the home was that quiet on
 * fewer than half of them. Life indoors while armed is someone home, a home mode (`armed_home`,
 * `armed_night`) is home too, and disarmed claims nothing. See docs/presence.md.
 */
export function computeArmingPresence(
  history: HomeHistory,
  options: ArmingPresenceOptions,
): ArmingPresence | null {
  const signals = findSignals(history, options);
  if (signals.length === 0) {
    return null;
  }

  const names = signals.map((i) => history.entities[i]?.entityId ?? '');
  const coverage = armingCoverage(history, signals);
  if (coverage === null) {
    return { signals: names, indoorSensors: [], armed: [], coverage, intervals: [], away: [] };
  }

  const homeModes = collectClaims(history, signals, 'home');
  const homeList = mergeSpans(homeModes);
  const armed = collectClaims(history, signals, 'away').flatMap((span) =>
    uncoveredParts(span, homeList).map((part) => ({ ...part, entityId: span.entityId })),
  );
  const armedList = mergeSpans(armed);
  const indoor = chooseIndoorSensors(history, new Set(signals), armedList, coverage);
  const judge = createSilenceJudge(
    indoor.map((sensor) => sensor.marks),
    armedList,
    history.window,
    options.timeZone,
  );
  const claimed = [...judgeArmedSpans(armed, judge), ...judgeHomeModes(homeModes, judge)].sort(
    (a, b) => a.start - b.start,
  );
  const intervals = fillUnclaimed(claimed, coverage, names);
  return {
    signals: names,
    indoorSensors: indoor.map((sensor) => history.entities[sensor.index]?.entityId ?? ''),
    armed: armed.map(({ start, end }) => ({ start, end })),
    coverage,
    intervals,
    away: intervals.filter((interval) => interval.state === 'away'),
  };
}

/**
 * Whether the entity is read as an arming signal: named in the options, else found by
 * `isArmingEntity`. Its changes are the household's word, not a sign of life indoors.
 */
export function isArmingSignal(entity: EntityInfo, options: ArmingPresenceOptions): boolean {
  const named = options.armingEntityIds;
  return named === undefined ? isArmingEntity(entity) : named.includes(entity.entityId);
}

function findSignals(history: HomeHistory, options: ArmingPresenceOptions): number[] {
  return history.entities.flatMap((entity, i) => (isArmingSignal(entity, options) ? [i] : []));
}

/** From the first real state of any signal; before it the household's arming is unknown. */
function armingCoverage(history: HomeHistory, signals: readonly number[]): Interval | null {
  const firsts = signals.flatMap((i) => {
    const timeline = history.timelines[i];
    const first = timeline === undefined ? undefined : firstKnown(timeline);
    return first === undefined ? [] : [first];
  });
  return firsts.length === 0 ? null : { start: Math.min(...firsts), end: history.window.end };
}

function firstKnown(timeline: Timeline): number | undefined {
  return timeline.initial !== NONE ? timeline.since : timeline.times[0];
}

interface ClaimSpan extends Interval {
  /** The signal that made the claim. */
  entityId: string;
}

/** The spans in which some signal made `claim`, joined where signals overlap. */
function collectClaims(
  history: HomeHistory,
  signals: readonly number[],
  claim: ArmingClaim,
): ClaimSpan[] {
  const spans: ClaimSpan[] = [];
  for (const i of signals) {
    const timeline = history.timelines[i];
    const info = history.entities[i];
    if (timeline === undefined || info === undefined) {
      continue;
    }

    const claims = (code: number) => claimOf(info, history.states.nameOf(code)) === claim;
    const list = computeActivityIntervals(timeline, claims);
    for (let k = 0; k < list.length; k++) {
      spans.push({ start: list.starts[k] ?? 0, end: list.ends[k] ?? 0, entityId: info.entityId });
    }
  }

  spans.sort((a, b) => a.start - b.start);
  const joined: ClaimSpan[] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    if (last !== undefined && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      joined.push({ ...span });
    }
  }

  return joined;
}

function claimOf(entity: EntityInfo, state: string): ArmingClaim | undefined {
  if (entity.domain === 'alarm_control_panel') {
    return PANEL_CLAIMS[state];
  }

  // A camera system has no home mode: whether armed means out or asleep is for the indoor
  // sensors to tell.
  return state === 'on' ? 'away' : undefined;
}

interface IndoorSensor {
  index: number;
  marks: Mark[];
}

/**
 * The sensors that show the household's life indoors: motion, occupancy and presence sensors
 * when the home has any (a classless sensor may be the house itself, such as a workday flag
 * that flips at midnight), else every activity sensor. Each must fire less often while the
 * system is armed away than while it is not. A camera's own motion detection, which works only
 * while armed, and a sensor outdoors that catches passers-by do the opposite.
 */
function chooseIndoorSensors(
  history: HomeHistory,
  signals: ReadonlySet<number>,
  armed: IntervalList,
  coverage: Interval,
): IndoorSensor[] {
  const candidates = history.entities.flatMap((entity, i) =>
    !signals.has(i) && isActivitySensor(entity) ? [i] : [],
  );
  const presence = candidates.filter((i) => {
    const entity = history.entities[i];
    return entity !== undefined && isPresenceSensor(entity);
  });
  return (presence.length > 0 ? presence : candidates)
    .map((index) => ({ index, marks: collectMarks(history, [index]) }))
    .filter((sensor) => isQuieterWhileArmed(sensor.marks, armed, coverage));
}

function isQuieterWhileArmed(
  marks: readonly Mark[],
  armed: IntervalList,
  coverage: Interval,
): boolean {
  const armedMs = coveredMs(armed, coverage);
  const otherMs = coverage.end - coverage.start - armedMs;
  if (armedMs <= 0 || otherMs <= 0) {
    return marks.length > 0;
  }

  let inside = 0;
  let outside = 0;
  for (const mark of marks) {
    if (mark.start >= coverage.start) {
      if (containsTime(armed, mark.start)) {
        inside++;
      } else {
        outside++;
      }
    }
  }

  return inside / armedMs < outside / otherMs;
}

/**
 * Each armed span is judged against the indoor sensors where they were reporting. Where none
 * was, it can only be taken on the signal's record: the confidence the armed time they did
 * check earned on average, counting the time that did not hold up as zero.
 */
function judgeArmedSpans(
  spans: readonly ClaimSpan[],
  judge: SilenceJudge | null,
): PresenceInterval[] {
  const checked = spans.flatMap((span) =>
    judge === null ? [] : coveredParts(span, judge.known).map((part) => ({ ...span, ...part })),
  );
  const judged = checked.flatMap((part) => judgeCheckedPart(part, judge));
  const checkedMs = checked.reduce((total, part) => total + part.end - part.start, 0);
  const earned = judged.reduce(
    (total, i) => total + (i.state === 'away' ? i.confidence * (i.end - i.start) : 0),
    0,
  );
  const record = checkedMs === 0 ? 0.5 : earned / checkedMs;
  const unchecked = spans.flatMap((span) =>
    (judge === null ? [span] : uncoveredParts(span, judge.known)).map((part) =>
      judgeOnRecord({ ...span, ...part }, record),
    ),
  );
  return [...judged, ...unchecked];
}

/**
 * An armed span covers one outing. The arming is the departure, as the door is for
 * `computeSensorPresence`, so the silence that follows it (after any movement still going on
 * as it armed) is the first candidate. When life comes first (the system armed on a schedule
 * while the household was still getting ready), the outing is the span's longest silence,
 * provided it fills most of the span: a span in which the household moved about for longer was
 * armed while someone was in. A candidate is an absence where it holds up against the days the
 * system was off; the rest of the span is home where the sensors showed life, else unknown.
 */
function judgeCheckedPart(part: ClaimSpan, judge: SilenceJudge | null): PresenceInterval[] {
  if (judge === null) {
    return [];
  }

  const silences = uncoveredParts(part, judge.busy);
  const absences = pickOutings(silences, part)
    .map((gap) => judgeSilence(gap, judge))
    .filter(isTrusted);
  const intervals: PresenceInterval[] = [];
  let cursor = part.start;
  for (const verdict of absences) {
    if (verdict.gap.start > cursor) {
      intervals.push(
        ...describeRest({ start: cursor, end: verdict.gap.start }, part.entityId, judge),
      );
    }

    intervals.push(describeAbsence(verdict, part.entityId));
    cursor = verdict.gap.end;
  }

  if (cursor < part.end) {
    intervals.push(...describeRest({ start: cursor, end: part.end }, part.entityId, judge));
  }

  return intervals;
}

/** The silence after the arming, and the longest silence when it fills most of the span. */
function pickOutings(silences: readonly Interval[], span: Interval): Interval[] {
  const [first] = silences;
  const outing = longestOf(silences);
  if (first === undefined || outing === undefined) {
    return [];
  }

  const fills = 2 * (outing.end - outing.start) > span.end - span.start;
  return fills && outing !== first ? [first, outing] : [first];
}

function longestOf(gaps: readonly Interval[]): Interval | undefined {
  return gaps.reduce<Interval | undefined>(
    (best, gap) => (best === undefined || gap.end - gap.start > best.end - best.start ? gap : best),
    undefined,
  );
}

function describeAbsence(verdict: SilenceVerdict, entityId: string): PresenceInterval {
  const { gap, days, silentDays } = verdict;
  const reason =
    `${entityId} armed and indoor sensors silent for ${formatDuration(gap.end - gap.start)}; ` +
    `with the system off the home was that quiet at those hours on ${silentDays} of ${days} days`;
  return sensorInterval(gap, 'away', round(verdict.confidence), reason);
}

/**
 * A stretch of an armed span that is not an absence: unknown while the sensors stay as quiet
 * as the home often is, home from the first sign of life (someone is in from then on, even
 * sitting still).
 */
function describeRest(rest: Interval, entityId: string, judge: SilenceJudge): PresenceInterval[] {
  const life = firstLife(judge.busy, rest);
  const pieces: PresenceInterval[] = [];
  if (life > rest.start) {
    const quiet = { start: rest.start, end: life };
    const { days, silentDays } = judgeSilence(quiet, judge);
    const reason =
      `${entityId} armed and indoor sensors silent, but with the system off the home was as ` +
      `quiet at those hours on ${silentDays} of ${days} days`;
    pieces.push(sensorInterval(quiet, 'unknown', 0, reason));
  }

  if (life < rest.end) {
    const reason = `${entityId} armed, but indoor sensors showed life`;
    pieces.push(sensorInterval({ start: life, end: rest.end }, 'home', 0.5, reason));
  }

  return pieces;
}

/** When the sensors first show life inside `span`; its end when they never do. */
function firstLife(busy: IntervalList, span: Interval): number {
  const i = firstAtOrAfter(busy.starts, span.start);
  if ((busy.ends[i - 1] ?? -Infinity) > span.start) {
    return span.start;
  }

  return Math.min(busy.starts[i] ?? Infinity, span.end);
}

/**
 * An armed span no indoor sensor could check, trusted as far as the signal's record goes, and
 * not at all when the record is no better than a coin (or there is none).
 */
function judgeOnRecord(span: ClaimSpan, record: number): PresenceInterval {
  const reason =
    `${span.entityId} armed while no indoor sensor was reporting; ` +
    `taken on its record where they were: ${round(record)}`;
  return record > 0.5
    ? sensorInterval(span, 'away', round(record), reason)
    : sensorInterval(span, 'unknown', 0, reason);
}

/**
 * A home mode says someone is in, and is doubted as far as its longest silence would be
 * unusual with someone in: a home mode left on by a household that went out shows as a
 * daytime silence the home rarely has, while a night's sleep is as quiet as any other night.
 */
function judgeHomeModes(
  spans: readonly ClaimSpan[],
  judge: SilenceJudge | null,
): PresenceInterval[] {
  return spans.map((span) => {
    const reason = `${span.entityId} armed in a home mode`;
    if (judge === null) {
      return sensorInterval(span, 'home', 0.5, `${reason}; no indoor sensor to check it against`);
    }

    const longest = longestOf(uncoveredParts(span, judge.busy));
    const doubt = longest === undefined ? 0 : judgeSilence(longest, judge).confidence;
    return sensorInterval(span, 'home', round(1 - doubt), reason);
  });
}

/** The coverage, with what no claim covers marked unknown: disarmed says nothing. */
function fillUnclaimed(
  claimed: readonly PresenceInterval[],
  coverage: Interval,
  signals: readonly string[],
): PresenceInterval[] {
  const reason = `${signals.join(', ')} not armed: no claim`;
  const intervals: PresenceInterval[] = [];
  let cursor = coverage.start;
  for (const interval of claimed) {
    if (interval.start > cursor) {
      intervals.push(sensorInterval({ start: cursor, end: interval.start }, 'unknown', 0, reason));
    }

    intervals.push(interval);
    cursor = Math.max(cursor, interval.end);
  }

  if (cursor < coverage.end) {
    intervals.push(sensorInterval({ start: cursor, end: coverage.end }, 'unknown', 0, reason));
  }

  return intervals;
}
