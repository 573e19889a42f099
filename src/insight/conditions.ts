import type { HomeView } from './_lib/home-clock.js';
import {
  isDarkAt,
  isRecentArrival,
  isSomeoneHomeAt,
  isWeekdayAt,
  localMinuteOf,
  MINUTES_PER_DAY,
} from './_lib/home-clock.js';
import type { Condition, TriggerEvidence } from './types.js';

/** Arrivals this recent count as "just came home": the planted door habits need 10 minutes. */
export const RECENT_ARRIVAL_S = 600;
/** A condition must keep this share of the followed events... */
const MIN_RECALL = 0.85;
/** ...and raise the share followed by at least this factor, or it explains nothing. */
const MIN_LIFT = 1.3;
/** Fewer followed events than this say nothing about when a relation holds. */
const MIN_FOLLOWED = 4;
const MAX_CONDITIONS = 2;
/** Time windows are rounded outwards to this many minutes, so they read like a person's. */
const WINDOW_STEP_MIN = 30;
/** A time window must leave out at least this much of the day to be worth a condition. */
const MAX_WINDOW_MIN = 16 * 60;

/** Per trigger event: whether the response followed, and the facts conditions are made of. */
export interface TriggerEvents {
  times: Float64Array;
  followed: Uint8Array;
  lagsMs: number[];
  windowMs: number;
}

interface Candidate {
  condition: Condition;
  holds: (time: number) => boolean;
}

/**
 * The conditions under which the response follows the trigger clearly more often: after dark,
 * within minutes of someone coming home, on weekdays, while someone is home, or inside a time
 * of day. Chosen greedily, each keeping most of the followed events.
 */
export function computeConditions(view: HomeView, events: TriggerEvents): Condition[] {
  const followedCount = events.followed.reduce((sum, f) => sum + f, 0);
  if (followedCount < MIN_FOLLOWED) {
    return [];
  }

  const chosen: Candidate[] = [];
  let mask = new Uint8Array(events.times.length).fill(1);
  for (let round = 0; round < MAX_CONDITIONS; round++) {
    const fresh = candidatesFor(view, events, mask).filter(
      (c) => !chosen.some((taken) => taken.condition.kind === c.condition.kind),
    );
    const best = bestCandidate(fresh, events, mask);
    if (best === null) {
      break;
    }

    chosen.push(best);
    mask = mask.map((m, i) => (m === 1 && best.holds(events.times[i] ?? 0) ? 1 : 0));
  }

  return chosen.map((candidate) => candidate.condition);
}

function candidatesFor(view: HomeView, events: TriggerEvents, mask: Uint8Array): Candidate[] {
  const candidates: Candidate[] = [
    {
      condition: { kind: 'after_dark', source: view.sun === null ? 'hour' : 'sun' },
      holds: (t) => isDarkAt(view, t),
    },
    { condition: { kind: 'weekdays' }, holds: (t) => isWeekdayAt(view, t) },
  ];
  if (view.residents.length > 0) {
    candidates.push({
      condition: { kind: 'recent_arrival', withinS: RECENT_ARRIVAL_S },
      holds: (t) => isRecentArrival(view, t, RECENT_ARRIVAL_S * 1000),
    });
    candidates.push({
      condition: { kind: 'someone_home' },
      holds: (t) => isSomeoneHomeAt(view, t) === true,
    });
  }

  const window = computeTimeWindow(view, events, mask);
  if (window !== null) {
    candidates.push({ condition: window, holds: (t) => holdsTime(window, localMinuteOf(view, t)) });
  }

  return candidates;
}

function bestCandidate(
  candidates: readonly Candidate[],
  events: TriggerEvents,
  mask: Uint8Array,
): Candidate | null {
  const all = countWhere(events, mask, () => true);
  let best: Candidate | null = null;
  let bestLift = MIN_LIFT;
  for (const candidate of candidates) {
    const inside = countWhere(events, mask, candidate.holds);
    if (inside.triggers === 0 || inside.followed < MIN_RECALL * all.followed) {
      continue;
    }

    const lift = inside.followed / inside.triggers / (all.followed / all.triggers);
    if (lift > bestLift) {
      best = candidate;
      bestLift = lift;
    }
  }

  return best;
}

function countWhere(
  events: TriggerEvents,
  mask: Uint8Array,
  holds: (time: number) => boolean,
): { triggers: number; followed: number } {
  let triggers = 0;
  let followed = 0;
  events.times.forEach((time, i) => {
    if (mask[i] === 1 && holds(time)) {
      triggers++;
      followed += events.followed[i] ?? 0;
    }
  });
  return { triggers, followed };
}

/**
 * The shortest stretch of the day, wrapping past midnight, holding 90 % of the followed events'
 * local times, rounded outwards to half hours; null when it covers most of the day.
 */
function computeTimeWindow(
  view: HomeView,
  events: TriggerEvents,
  mask: Uint8Array,
): Extract<Condition, { kind: 'time' }> | null {
  const minutes = Array.from(events.times)
    .filter((_, i) => mask[i] === 1 && events.followed[i] === 1)
    .map((time) => localMinuteOf(view, time))
    .sort((a, b) => a - b);
  const keep = Math.ceil(minutes.length * 0.9);
  if (keep < MIN_FOLLOWED) {
    return null;
  }

  let best = { from: 0, span: MINUTES_PER_DAY };
  for (let i = 0; i < minutes.length; i++) {
    const from = minutes[i] ?? 0;
    const to = minutes[(i + keep - 1) % minutes.length] ?? 0;
    const span = (to - from + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    if (span < best.span) {
      best = { from, span };
    }
  }

  const afterMin = Math.floor(best.from / WINDOW_STEP_MIN) * WINDOW_STEP_MIN;
  const beforeMin =
    (Math.ceil((best.from + best.span + 1) / WINDOW_STEP_MIN) * WINDOW_STEP_MIN) % MINUTES_PER_DAY;
  const span = (beforeMin - afterMin + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return span > MAX_WINDOW_MIN ? null : { kind: 'time', afterMin, beforeMin };
}

/** Whether a local minute of the day lies in [after, before), wrapping past midnight. */
export function holdsTime(
  window: { afterMin: number; beforeMin: number },
  minute: number,
): boolean {
  const { afterMin, beforeMin } = window;
  return afterMin <= beforeMin
    ? minute >= afterMin && minute < beforeMin
    : minute >= afterMin || minute < beforeMin;
}

/** Whether `condition` held at `time`. */
export function holdsAt(view: HomeView, condition: Condition, time: number): boolean {
  switch (condition.kind) {
    case 'after_dark':
      return isDarkAt(view, time);
    case 'time':
      return holdsTime(condition, localMinuteOf(view, time));
    case 'weekdays':
      return isWeekdayAt(view, time);
    case 'someone_home':
      return isSomeoneHomeAt(view, time) === true;
    case 'nobody_home':
      return isSomeoneHomeAt(view, time) === false;
    case 'recent_arrival':
      return isRecentArrival(view, time, condition.withinS * 1000);
  }
}

export function holdsAll(view: HomeView, conditions: readonly Condition[], time: number): boolean {
  return conditions.every((condition) => holdsAt(view, condition, time));
}

/** The counts behind an explanation: all events, inside and outside the conditions. */
export function summarizeEvents(
  view: HomeView,
  events: TriggerEvents,
  conditions: readonly Condition[],
): TriggerEvidence {
  const all = new Uint8Array(events.times.length).fill(1);
  const inside = countWhere(events, all, (t) => holdsAll(view, conditions, t));
  const total = countWhere(events, all, () => true);
  const lags = [...events.lagsMs].sort((a, b) => a - b);
  const at = (q: number) =>
    (lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0) / 1000;
  return {
    triggers: total.triggers,
    followed: total.followed,
    inside,
    outside: {
      triggers: total.triggers - inside.triggers,
      followed: total.followed - inside.followed,
    },
    lagS: { median: at(0.5), p90: at(0.9) },
    windowS: events.windowMs / 1000,
  };
}
