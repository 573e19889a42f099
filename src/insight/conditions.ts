import type { HomeView } from './_lib/home-clock.js';
import type { Entries } from './_lib/entries.js';
import { lagsToEntries } from './_lib/entries.js';
import type { EventSet } from './_lib/event-set.js';
import {
  addEvent,
  countInAll,
  createEventSet,
  fullEventSet,
  indexesIn,
  keepOnly,
} from './_lib/event-set.js';
import {
  computeDarkEvents,
  computeHomeEvents,
  computeRecentArrivalEvents,
  computeWeekdayEvents,
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
  /** The events the response followed within the window. */
  followed: EventSet;
  lagsMs: number[];
  windowMs: number;
  facts: EventFacts;
}

/**
 * Each of the trigger's events (`times`, ascending), whether the response entered its state
 * within the window after it, and the lags of those that it followed.
 */
export function computeTriggerEvents(
  view: HomeView,
  times: Float64Array,
  response: Entries,
  windowMs: number,
): TriggerEvents {
  const lags = lagsToEntries(response, times, windowMs);
  const followed = createEventSet(times.length);
  const lagsMs: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const lag = lags[i] ?? -1;
    if (lag >= 0) {
      addEvent(followed, i);
      lagsMs.push(lag);
    }
  }

  return { times, followed, lagsMs, windowMs, facts: computeEventFacts(view, times) };
}

/**
 * Which events each condition held at. A relation's conditions are weighed, counted and replayed
 * over the same events again and again, so each condition is judged once per event and kept.
 */
export interface EventFacts {
  holds(condition: Condition): EventSet;
  /** Minutes since local midnight at each event. */
  minutes: Uint16Array;
}

function computeEventFacts(view: HomeView, times: Float64Array): EventFacts {
  const minutes = new Uint16Array(times.length);
  for (let i = 0; i < times.length; i++) {
    minutes[i] = localMinuteOf(view, times[i] ?? 0);
  }

  const known = new Map<string, EventSet>();
  return {
    minutes,
    holds(condition) {
      const key = keyOf(condition);
      let events = known.get(key);
      if (events === undefined) {
        events = computeHoldingEvents(view, condition, times, minutes);
        known.set(key, events);
      }

      return events;
    },
  };
}

/** Conditions that hold at the same events share a key. */
function keyOf(condition: Condition): string {
  switch (condition.kind) {
    case 'time':
      return `time ${condition.afterMin}-${condition.beforeMin}`;
    case 'recent_arrival':
      return `recent_arrival ${condition.withinS}`;
    // After dark is judged by the sun whenever the home has one, whatever the condition says.
    case 'after_dark':
    case 'weekdays':
    case 'someone_home':
    case 'nobody_home':
      return condition.kind;
  }
}

/** The events at which `holdsAt` is true, from the local minutes already known. */
function computeHoldingEvents(
  view: HomeView,
  condition: Condition,
  times: Float64Array,
  minutes: Uint16Array,
): EventSet {
  switch (condition.kind) {
    case 'after_dark':
      return computeDarkEvents(view, times);
    case 'someone_home':
      return computeHomeEvents(view, times, true);
    case 'nobody_home':
      return computeHomeEvents(view, times, false);
    case 'recent_arrival':
      return computeRecentArrivalEvents(view, times, condition.withinS * 1000);
    case 'weekdays':
      return computeWeekdayEvents(view, times);
    case 'time': {
      const events = createEventSet(times.length);
      for (let i = 0; i < times.length; i++) {
        if (holdsTime(condition, minutes[i] ?? 0)) {
          addEvent(events, i);
        }
      }

      return events;
    }
  }
}

/** The events at which every condition held. */
function holdsAllAt(facts: EventFacts, conditions: readonly Condition[]): EventSet {
  const all = fullEventSet(facts.minutes.length);
  for (const condition of conditions) {
    keepOnly(all, facts.holds(condition));
  }

  return all;
}

/** The times of the events at which every condition held: when a rule with them would fire. */
export function timesWhereAll(
  events: Pick<TriggerEvents, 'times' | 'facts'>,
  conditions: readonly Condition[],
): number[] {
  const holding = holdsAllAt(events.facts, conditions);
  const times: number[] = [];
  for (const i of indexesIn(holding)) {
    times.push(events.times[i] ?? 0);
  }

  return times;
}

interface Candidate {
  condition: Condition;
  /** The events at which it held. */
  holding: EventSet;
}

/**
 * The conditions under which the response follows the trigger clearly more often: after dark,
 * within minutes of someone coming home, on weekdays, while someone is home, or inside a time
 * of day. Chosen greedily, each keeping most of the followed events.
 */
export function computeConditions(view: HomeView, events: TriggerEvents): Condition[] {
  if (countInAll(events.followed) < MIN_FOLLOWED) {
    return [];
  }

  const chosen: Candidate[] = [];
  const mask = fullEventSet(events.times.length);
  for (let round = 0; round < MAX_CONDITIONS; round++) {
    const fresh = candidatesFor(view, events, mask).filter(
      (c) => !chosen.some((taken) => taken.condition.kind === c.condition.kind),
    );
    const best = bestCandidate(fresh, events, mask);
    if (best === null) {
      break;
    }

    chosen.push(best);
    keepOnly(mask, best.holding);
  }

  return chosen.map((candidate) => candidate.condition);
}

function candidatesFor(view: HomeView, events: TriggerEvents, mask: EventSet): Candidate[] {
  const conditions: Condition[] = [
    { kind: 'after_dark', source: view.sun === null ? 'hour' : 'sun' },
    { kind: 'weekdays' },
  ];
  if (view.residents.length > 0) {
    conditions.push(
      { kind: 'recent_arrival', withinS: RECENT_ARRIVAL_S },
      { kind: 'someone_home' },
    );
  }

  const window = computeTimeWindow(events, mask);
  if (window !== null) {
    conditions.push(window);
  }

  return conditions.map((condition) => ({ condition, holding: events.facts.holds(condition) }));
}

function bestCandidate(
  candidates: readonly Candidate[],
  events: TriggerEvents,
  mask: EventSet,
): Candidate | null {
  const all = countWhere(events, mask);
  let best: Candidate | null = null;
  let bestLift = MIN_LIFT;
  for (const candidate of candidates) {
    const inside = countWhere(events, mask, candidate.holding);
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

/** The events in `mask` (and in `holding`, when given), and how many were followed. */
function countWhere(
  events: TriggerEvents,
  mask: EventSet,
  holding: EventSet = mask,
): { triggers: number; followed: number } {
  return {
    triggers: countInAll(mask, holding),
    followed: countInAll(mask, holding, events.followed),
  };
}

/**
 * The shortest stretch of the day, wrapping past midnight, holding 90 % of the followed events'
 * local times, rounded outwards to half hours; null when it covers most of the day.
 */
function computeTimeWindow(
  events: TriggerEvents,
  mask: EventSet,
): Extract<Condition, { kind: 'time' }> | null {
  const minutes = followedMinutes(events, mask);
  const keep = Math.ceil(minutes.length * 0.9);
  if (keep < MIN_FOLLOWED) {
    return null;
  }

  let bestFrom = 0;
  let bestSpan = MINUTES_PER_DAY;
  for (let i = 0; i < minutes.length; i++) {
    const from = minutes[i] ?? 0;
    const to = minutes[(i + keep - 1) % minutes.length] ?? 0;
    const span = to >= from ? to - from : to - from + MINUTES_PER_DAY;
    if (span < bestSpan) {
      bestFrom = from;
      bestSpan = span;
    }
  }

  const afterMin = Math.floor(bestFrom / WINDOW_STEP_MIN) * WINDOW_STEP_MIN;
  const beforeMin =
    (Math.ceil((bestFrom + bestSpan + 1) / WINDOW_STEP_MIN) * WINDOW_STEP_MIN) % MINUTES_PER_DAY;
  const span = (beforeMin - afterMin + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return span > MAX_WINDOW_MIN ? null : { kind: 'time', afterMin, beforeMin };
}

/** The local minutes of the followed events in `mask`, ascending: counted per minute of the day. */
function followedMinutes(events: TriggerEvents, mask: EventSet): Uint16Array {
  const indexes = indexesIn(mask, events.followed);
  const perMinute = new Uint32Array(MINUTES_PER_DAY);
  for (const i of indexes) {
    const minute = events.facts.minutes[i] ?? 0;
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
  }

  const minutes = new Uint16Array(indexes.length);
  for (let minute = 0, at = 0; minute < MINUTES_PER_DAY; minute++) {
    for (let n = perMinute[minute] ?? 0; n > 0; n--) {
      minutes[at++] = minute;
    }
  }

  return minutes;
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
  events: TriggerEvents,
  conditions: readonly Condition[],
): TriggerEvidence {
  const all = fullEventSet(events.times.length);
  const inside = countWhere(events, all, holdsAllAt(events.facts, conditions));
  const total = countWhere(events, all);
  const lags = Float64Array.from(events.lagsMs);
  return {
    triggers: total.triggers,
    followed: total.followed,
    inside,
    outside: {
      triggers: total.triggers - inside.triggers,
      followed: total.followed - inside.followed,
    },
    lagS: { median: lagQuantileS(lags, 0.5), p90: lagQuantileS(lags, 0.9) },
    windowS: events.windowMs / 1000,
  };
}

/** The lag at quantile `q` (the one sorting would put at `floor(q × n)`), in seconds; 0 for none. */
function lagQuantileS(lagsMs: Float64Array, q: number): number {
  const n = lagsMs.length;
  return n === 0 ? 0 : nthSmallest(lagsMs, Math.min(n - 1, Math.floor(q * n))) / 1000;
}

/**
 * The `n`th smallest of `values` (0: the smallest), as sorting would put it, in linear time on
 * average: a quickselect, which reorders `values`.
 */
function nthSmallest(values: Float64Array, n: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] ?? 0;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) {
        i++;
      }

      while ((values[j] ?? 0) > pivot) {
        j--;
      }

      if (i <= j) {
        const swap = values[i] ?? 0;
        values[i] = values[j] ?? 0;
        values[j] = swap;
        i++;
        j--;
      }
    }

    if (n <= j) {
      hi = j;
    } else if (n >= i) {
      lo = i;
    } else {
      break;
    }
  }

  return values[n] ?? 0;
}
