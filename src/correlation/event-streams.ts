import { CHANGE_CAUSES, hasActivity } from '../home/index.js';
import type { HomeHistory } from '../timeline/index.js';

/**
 * Every moment one entity entered one state: "the hall light turned on", as a sorted list of
 * times. Relations are found between streams, not between entities, so that "door opens → light
 * on" and "door closes → light off" are told apart.
 */
export interface EventStream {
  /** The entity's index in the history. */
  entity: number;
  entityId: string;
  state: string;
  times: Float64Array;
  /** Per event: the entity index whose change triggered it through an automation, or -1. */
  parents: Int32Array;
  /** Per event: when that triggering change happened; NaN when none. */
  parentTimes: Float64Array;
  /** Per event: whether an automation caused it. */
  automated: Uint8Array;
}

export interface EventStreamOptions {
  /** Entities with more distinct states than this (and no on/off meaning) are skipped. */
  maxStates?: number;
}

/** Entities whose state says nothing about the home's behaviour, or only restates another's. */
const SKIPPED_DOMAINS = new Set([
  'automation',
  'button',
  'event',
  'image',
  'input_button',
  'persistent_notification',
  'scene',
  'script',
  'update',
  'weather',
  'zone',
]);

export const DEFAULT_MAX_STATES = 12;
export const CAUSE_AUTOMATION = CHANGE_CAUSES.indexOf('automation');

export function computeEventStreams(
  history: HomeHistory,
  options: EventStreamOptions = {},
): EventStream[] {
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const streams: EventStream[] = [];

  for (const [entity, timeline] of history.timelines.entries()) {
    const info = history.entities[entity];
    const initial = timeline.initial < 0 ? '' : history.states.nameOf(timeline.initial);
    if (info === undefined || !isRelatable(info.domain, initial)) {
      continue;
    }

    const codes = [...new Set(timeline.states)];
    if (!hasActivity(info.domain) && codes.length > maxStates) {
      continue;
    }

    for (const code of codes) {
      streams.push(collectStream(history, entity, code));
    }
  }

  return streams;
}

/**
 * Whether an entity's changes can relate to others at all: not one of the domains that only
 * restate something else, and not a measurement, whose every new value is a new state.
 */
export function isRelatable(domain: string, firstState: string): boolean {
  if (SKIPPED_DOMAINS.has(domain)) {
    return false;
  }

  return hasActivity(domain) || firstState.trim() === '' || !Number.isFinite(Number(firstState));
}

function collectStream(history: HomeHistory, entity: number, code: number): EventStream {
  const timeline = history.timelines[entity];
  const info = history.entities[entity];
  if (timeline === undefined || info === undefined) {
    throw new RangeError(`no entity at index ${entity}`);
  }

  const times: number[] = [];
  const parents: number[] = [];
  const parentTimes: number[] = [];
  const automated: number[] = [];
  for (let i = 0; i < timeline.length; i++) {
    if (timeline.states[i] === code) {
      times.push(timeline.times[i] ?? 0);
      parents.push(timeline.parents[i] ?? -1);
      parentTimes.push(timeline.parentTimes[i] ?? NaN);
      automated.push(timeline.causes[i] === CAUSE_AUTOMATION ? 1 : 0);
    }
  }

  return {
    entity,
    entityId: info.entityId,
    state: history.states.nameOf(code),
    times: Float64Array.from(times),
    parents: Int32Array.from(parents),
    parentTimes: Float64Array.from(parentTimes),
    automated: Uint8Array.from(automated),
  };
}
