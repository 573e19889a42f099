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
  /** Per event: whether an automation caused it. */
  automated: Uint8Array;
}

export interface EventStreamOptions {
  /** A state entered fewer times than this is too rare to relate to anything. */
  minEvents?: number;
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

const DEFAULT_MIN_EVENTS = 5;
const DEFAULT_MAX_STATES = 12;
const CAUSE_AUTOMATION = CHANGE_CAUSES.indexOf('automation');

export function computeEventStreams(
  history: HomeHistory,
  options: EventStreamOptions = {},
): EventStream[] {
  const minEvents = options.minEvents ?? DEFAULT_MIN_EVENTS;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const streams: EventStream[] = [];

  for (const [entity, timeline] of history.timelines.entries()) {
    const info = history.entities[entity];
    if (info === undefined || SKIPPED_DOMAINS.has(info.domain) || timeline.length < minEvents) {
      continue;
    }

    const counts = new Map<number, number>();
    for (const code of timeline.states) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }

    if (!hasActivity(info.domain) && counts.size > maxStates) {
      continue;
    }

    for (const [code, count] of counts) {
      if (count < minEvents) {
        continue;
      }

      const times = new Float64Array(count);
      const parents = new Int32Array(count);
      const automated = new Uint8Array(count);
      let n = 0;
      for (let i = 0; i < timeline.length; i++) {
        if (timeline.states[i] === code) {
          times[n] = timeline.times[i] ?? 0;
          parents[n] = timeline.parents[i] ?? -1;
          automated[n] = timeline.causes[i] === CAUSE_AUTOMATION ? 1 : 0;
          n++;
        }
      }

      streams.push({
        entity,
        entityId: info.entityId,
        state: history.states.nameOf(code),
        times,
        parents,
        automated,
      });
    }
  }

  return streams;
}
