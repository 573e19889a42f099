import type { AnalysisContext } from '../../correlation/index.js';
import type { EntityInfo } from '../../home/index.js';
import { isHomeAt } from '../../presence/index.js';
import { hourIndex, lastAtOrBefore, stateAt } from '../../timeline/index.js';
import type { HomeHistory, Timeline } from '../../timeline/index.js';
import type { EventSet } from './event-set.js';
import { addEvent, createEventSet } from './event-set.js';
import { createSearchCursor, lastAtOrBeforeFrom } from './search-cursor.js';

const MINUTE_MS = 60_000;
const DAY_MIN = 1440;
/** Without `sun.sun`, evenings and nights by the clock stand in for darkness. */
const DARK_FROM_MIN = 19 * 60;
const DARK_UNTIL_MIN = 7 * 60;

/**
 * What the insight pass asks of a home over and over: an entity's timeline by id, the local
 * clock at an event, whether it was dark and whether anyone was home. Built once per pass.
 */
export interface HomeView {
  history: HomeHistory;
  context: AnalysisContext;
  timelines: ReadonlyMap<string, Timeline>;
  infos: ReadonlyMap<string, EntityInfo>;
  /** Residents' person entities, and the times any of them came home. */
  residents: string[];
  arrivals: Float64Array;
  sun: { timeline: Timeline; below: number } | null;
}

export function computeHomeView(history: HomeHistory, context: AnalysisContext): HomeView {
  const timelines = new Map<string, Timeline>();
  const infos = new Map<string, EntityInfo>();
  history.entities.forEach((info, i) => {
    const timeline = history.timelines[i];
    if (timeline !== undefined) {
      timelines.set(info.entityId, timeline);
      infos.set(info.entityId, info);
    }
  });

  const sunTimeline = timelines.get('sun.sun');
  const below = history.states.find('below_horizon');
  const residents = context.household?.residents ?? [];
  return {
    history,
    context,
    timelines,
    infos,
    residents: residents.map((resident) => resident.entityId),
    arrivals: residentArrivals(context),
    sun: sunTimeline === undefined || below === undefined ? null : { timeline: sunTimeline, below },
  };
}

/** Every time a resident came home, whether or not someone else already was. */
function residentArrivals(context: AnalysisContext): Float64Array {
  const household = context.household;
  if (household === undefined) {
    return new Float64Array(0);
  }

  const times = household.residents.flatMap((resident) =>
    Array.from(resident.home.starts).filter((start) => start > household.knownFrom),
  );
  return Float64Array.from(times).sort();
}

/** Minutes since local midnight at `time`. */
export function localMinuteOf(view: HomeView, time: number): number {
  const { grid } = view.context;
  const offset = grid.offsetMinutes[hourIndex(grid, time)] ?? 0;
  const minutes = Math.floor(time / MINUTE_MS) + offset;
  return ((minutes % DAY_MIN) + DAY_MIN) % DAY_MIN;
}

/** Monday to Friday, local. */
export function isWeekdayAt(view: HomeView, time: number): boolean {
  const { grid } = view.context;
  return (grid.hourOfWeek[hourIndex(grid, time)] ?? 0) < 5 * 24;
}

export function isDarkAt(view: HomeView, time: number): boolean {
  if (view.sun !== null) {
    return stateAt(view.sun.timeline, time) === view.sun.below;
  }

  const minute = localMinuteOf(view, time);
  return minute >= DARK_FROM_MIN || minute < DARK_UNTIL_MIN;
}

/** Whether anyone was home; undefined when the home's presence is not known. */
export function isSomeoneHomeAt(view: HomeView, time: number): boolean | undefined {
  const household = view.context.household;
  return household === undefined ? undefined : isHomeAt(household, time);
}

/** Whether a resident came home within `withinMs` before `time`. */
export function isRecentArrival(view: HomeView, time: number, withinMs: number): boolean {
  const i = lastAtOrBefore(view.arrivals, time);
  return i >= 0 && time - (view.arrivals[i] ?? 0) <= withinMs;
}

export const MINUTES_PER_DAY = DAY_MIN;

/*
 * The same questions for every event of a trigger at once: the set of events at which the answer
 * is yes. The answers are those of the functions above, each list searched with a cursor.
 */

export function computeDarkEvents(view: HomeView, times: Float64Array): EventSet {
  const events = createEventSet(times.length);
  const { sun } = view;
  if (sun === null) {
    for (let i = 0; i < times.length; i++) {
      if (isDarkAt(view, times[i] ?? 0)) {
        addEvent(events, i);
      }
    }

    return events;
  }

  const { timeline, below } = sun;
  const cursor = createSearchCursor(timeline.times);
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    const j = lastAtOrBeforeFrom(cursor, time);
    const state = j < 0 ? timeline.initial : timeline.states[j];
    if (time >= timeline.since && state === below) {
      addEvent(events, i);
    }
  }

  return events;
}

export function computeWeekdayEvents(view: HomeView, times: Float64Array): EventSet {
  const events = createEventSet(times.length);
  for (let i = 0; i < times.length; i++) {
    if (isWeekdayAt(view, times[i] ?? 0)) {
      addEvent(events, i);
    }
  }

  return events;
}

/** Where `isSomeoneHomeAt` is `home`; nowhere when the home's presence is not known. */
export function computeHomeEvents(view: HomeView, times: Float64Array, home: boolean): EventSet {
  const events = createEventSet(times.length);
  const household = view.context.household;
  if (household === undefined) {
    return events;
  }

  const { starts, ends } = household.home;
  const cursor = createSearchCursor(starts);
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    const j = lastAtOrBeforeFrom(cursor, time);
    const isHome = j >= 0 && time < (ends[j] ?? 0);
    if (time >= household.knownFrom && isHome === home) {
      addEvent(events, i);
    }
  }

  return events;
}

export function computeRecentArrivalEvents(
  view: HomeView,
  times: Float64Array,
  withinMs: number,
): EventSet {
  const events = createEventSet(times.length);
  const cursor = createSearchCursor(view.arrivals);
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    const j = lastAtOrBeforeFrom(cursor, time);
    if (j >= 0 && time - (view.arrivals[j] ?? 0) <= withinMs) {
      addEvent(events, i);
    }
  }

  return events;
}
