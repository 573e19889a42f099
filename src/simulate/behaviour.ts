import type { ChangeCause } from '../home/index.js';
import type { Household } from './household.js';
import type { Random } from './random.js';
import { weekdayOf } from './zone.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A state the simulator means to set; the writer fills in what actually happened. */
export interface PlannedChange {
  time: number;
  state: string;
  attributes?: Record<string, unknown>;
  cause: ChangeCause;
  /** The change whose context this one descends from (automations) or reacts to (habits). */
  parent?: PlannedChange;
  /** Index of the habit this change plants, for counting occurrences. */
  habit?: number;
  /** For automation runs: share the context of this change (the automation entity's update). */
  sameContextAs?: PlannedChange;
  /** Also write an `automation_triggered` event with this change's context. */
  automationEvent?: { name: string; entityId: string; source: string };
  contextId?: Uint8Array;
  /** Set by the writer: whether a row with a new state was written. */
  changed?: boolean;
}

/** A stretch of time in the active state, with what started and ended it. */
export interface ActiveSpan {
  start: number;
  end: number;
  cause: ChangeCause;
  parent?: PlannedChange;
  habit?: number;
  sameContextAs?: PlannedChange;
  endCause?: ChangeCause;
  endParent?: PlannedChange;
  endSameContextAs?: PlannedChange;
}

/**
 * Turns active spans, sorted by start, into alternating changes. A span that starts while the
 * entity is already active only prolongs it, and so plants nothing. Lazy: it reads one span past
 * the open one to know when that ends.
 */
export function* spansToChanges(
  spans: Iterable<ActiveSpan>,
  states: { on: string; off: string },
  household: Household,
): Generator<PlannedChange> {
  yield { time: household.start, state: states.off, cause: 'device' };
  let open: ActiveSpan | undefined;
  for (const span of spans) {
    if (span.end <= household.start || span.start >= household.end) {
      continue;
    }

    if (open !== undefined && span.start <= open.end + SECOND) {
      prolong(open, span);
      continue;
    }

    if (open !== undefined) {
      yield* closing(open, states.off, household);
    }

    open = span.start > household.start ? { ...span } : undefined;
    if (open !== undefined) {
      yield opening(open, states.on);
    }
  }

  if (open !== undefined) {
    yield* closing(open, states.off, household);
  }
}

function prolong(open: ActiveSpan, span: ActiveSpan): void {
  if (span.end > open.end) {
    open.end = span.end;
    open.endCause = span.endCause;
    open.endParent = span.endParent;
    open.endSameContextAs = span.endSameContextAs;
  }
}

function opening(span: ActiveSpan, state: string): PlannedChange {
  return {
    time: span.start,
    state,
    cause: span.cause,
    parent: span.parent,
    habit: span.habit,
    sameContextAs: span.sameContextAs,
  };
}

function* closing(span: ActiveSpan, state: string, household: Household): Generator<PlannedChange> {
  if (span.end < household.end) {
    yield {
      time: span.end,
      state,
      cause: span.endCause ?? span.cause,
      parent: span.endParent,
      sameContextAs: span.endSameContextAs,
    };
  }
}

/** The spans of a small, unordered list in start order, for {@link spansToChanges}. */
export function byStart(spans: ActiveSpan[]): ActiveSpan[] {
  return [...spans].sort((a, b) => a.start - b.start);
}

/**
 * Merges span streams that are each sorted by start into one sorted stream; on equal starts the
 * earlier stream comes first.
 */
export function* mergeByStart(...streams: Iterable<ActiveSpan>[]): Generator<ActiveSpan> {
  const iterators = streams.map((stream) => stream[Symbol.iterator]());
  const heads = iterators.map((iterator) => nextOf(iterator));
  for (;;) {
    let best = -1;
    let bestStart = Infinity;
    heads.forEach((head, i) => {
      if (head !== undefined && head.start < bestStart) {
        best = i;
        bestStart = head.start;
      }
    });
    const head = heads[best];
    const iterator = iterators[best];
    if (head === undefined || iterator === undefined) {
      return;
    }

    yield head;
    heads[best] = nextOf(iterator);
  }
}

/** The next value of an iterator, or undefined once it is done. */
export function nextOf<T>(iterator: Iterator<T>): T | undefined {
  const result = iterator.next();

  return result.done === true ? undefined : result.value;
}

/** A local-time window in which a session may start, and how likely that is each day. */
export interface SessionWindow {
  from: number;
  to: number;
  probability: number;
  minutes: [number, number];
  /** 0 = Monday; every day when absent. */
  weekdays?: number[];
}

/**
 * Uses that need someone at home: each day, each window may start one session, which ends
 * early if the last person leaves. Yields day by day, each day's sessions in start order.
 */
export function* sessionSpans(
  household: Household,
  random: Random,
  windows: SessionWindow[],
  cause: ChangeCause,
): Generator<ActiveSpan> {
  for (const { date, weekday } of days(household)) {
    const spans: ActiveSpan[] = [];
    for (const window of windows) {
      if (window.weekdays !== undefined && !window.weekdays.includes(weekday)) {
        continue;
      }

      if (!random.chance(window.probability)) {
        continue;
      }

      const start = household.zone.toUtc(date, random.between(window.from, window.to));
      const end = start + random.between(window.minutes[0], window.minutes[1]) * MINUTE;
      const home = household.homeSpans(start, end)[0];
      if (home !== undefined && home.start === start) {
        spans.push({ start, end: home.end, cause });
      }
    }

    yield* byStart(spans);
  }
}

/**
 * Random events of a Poisson process whose rate follows the hour of day, e.g. motion in a
 * room, optionally only while someone is home. Starts come out in order: each lies in the five
 * minutes before its step.
 */
export function* poissonSpans(
  household: Household,
  random: Random,
  options: {
    perHour: (hour: number) => number;
    seconds: [number, number];
    homeOnly: boolean;
    cause: ChangeCause;
  },
): Generator<ActiveSpan> {
  let time = household.start;
  while (time < household.end) {
    time += 5 * MINUTE;
    const rate = options.perHour(household.zone.hourAt(time));
    if (!random.chance(1 - Math.exp(-rate / 12))) {
      continue;
    }

    const start = time - random.between(0, 5 * MINUTE);
    if (options.homeOnly && !household.isHome(start)) {
      continue;
    }

    const end = start + random.between(options.seconds[0], options.seconds[1]) * SECOND;
    yield { start, end, cause: options.cause };
  }
}

/** Every local day of the period, with its weekday (0 = Monday). */
export function* days(
  household: Household,
): Generator<{ date: { year: number; month: number; day: number }; weekday: number }> {
  let date = household.zone.dateAt(household.start);
  for (;;) {
    const midnight = household.zone.toUtc(date, 0);
    if (midnight >= household.end) {
      return;
    }

    yield { date, weekday: weekdayOf(date) };
    date = household.zone.dateAt(household.zone.toUtc(date, 36));
  }
}

/**
 * A numeric sensor: a daily cycle plus a slow random walk, reported every few minutes with a
 * fixed number of decimals. Reports that round to the same value write no row.
 */
export function* numericChanges(
  household: Household,
  random: Random,
  options: {
    base: number;
    dailySwing: number;
    noise: number;
    decimals: number;
    everyMinutes: [number, number];
    attributes: Record<string, unknown>;
    min?: number;
  },
): Generator<PlannedChange> {
  let walk = 0;
  for (let time = household.start; time < household.end;) {
    const hour = household.zone.hourAt(time);
    walk = walk * 0.98 + random.normal(0, options.noise);
    const raw =
      options.base + options.dailySwing * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + walk;
    const value = Math.max(options.min ?? -Infinity, raw);
    yield {
      time,
      state: value.toFixed(options.decimals),
      attributes: options.attributes,
      cause: 'device',
    };
    time += random.between(options.everyMinutes[0], options.everyMinutes[1]) * MINUTE;
  }
}

/** A thermostat that stays in one mode and reports temperature and activity as attributes. */
export function* thermostatChanges(
  household: Household,
  random: Random,
  attributes: Record<string, unknown>,
): Generator<PlannedChange> {
  let current = 20.5;
  for (let time = household.start; time < household.end;) {
    const hour = household.zone.hourAt(time);
    const target = hour >= 6 && hour < 22 ? 21 : 18;
    current += (target - current) * 0.08 + random.normal(0, 0.05);
    const heating = current < target - 0.2;
    yield {
      time,
      state: 'heat',
      attributes: {
        ...attributes,
        current_temperature: Math.round(current * 10) / 10,
        temperature: target,
        hvac_action: heating ? 'heating' : 'idle',
      },
      cause: 'device',
    };
    time += random.between(4, 6) * MINUTE;
  }
}

export { HOUR, MINUTE, SECOND };
