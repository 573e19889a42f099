import type { EntityInfo } from '../../home/index.js';
import { activeStatePredicate, computeActivityIntervals } from '../../timeline/index.js';
import type { HomeHistory } from '../../timeline/index.js';

/**
 * One sign of life from one sensor: a motion or occupancy sensor's whole `on` span (someone is
 * there all along), or the instant of a contact's change (someone opened or closed it; a door
 * left open says nothing after that moment).
 */
export interface Mark {
  start: number;
  end: number;
  /** Index into the history's entities. */
  entity: number;
}

/** Device classes whose `on` state means a person is there for as long as it lasts. */
const PRESENCE_CLASSES = new Set(['motion', 'occupancy', 'presence']);

/** Device classes a person sets off by doing something; the rest report on the house itself. */
const HUMAN_CLASSES = new Set([
  ...PRESENCE_CLASSES,
  'door',
  'garage_door',
  'opening',
  'window',
  'power',
  'moisture',
  'sound',
  'vibration',
]);

/** Whether the sensor's `on` state means a person is there: motion, occupancy, presence. */
export function isPresenceSensor(entity: EntityInfo): boolean {
  return entity.domain === 'binary_sensor' && PRESENCE_CLASSES.has(entity.deviceClass ?? '');
}

/** The classes a door to the outside carries in Home Assistant. */
export const DOOR_CLASSES = new Set(['door', 'garage_door', 'opening']);

/**
 * Binary sensors with a class a person sets off, and those without a class: data sets and
 * older integrations leave it unset. Connectivity, battery, problem and the like are the house
 * talking, not the household.
 */
export function isActivitySensor(entity: EntityInfo): boolean {
  return (
    entity.domain === 'binary_sensor' &&
    (entity.deviceClass === null || HUMAN_CLASSES.has(entity.deviceClass))
  );
}

/** Every mark of the chosen sensors, in order of start. */
export function collectMarks(history: HomeHistory, entities: readonly number[]): Mark[] {
  const marks: Mark[] = [];
  for (const entity of entities) {
    const timeline = history.timelines[entity];
    const info = history.entities[entity];
    if (timeline === undefined || info === undefined) {
      continue;
    }

    if (PRESENCE_CLASSES.has(info.deviceClass ?? '')) {
      const spans = computeActivityIntervals(
        timeline,
        activeStatePredicate(info.domain, history.states),
      );
      for (let i = 0; i < spans.length; i++) {
        marks.push({ start: spans.starts[i] ?? 0, end: spans.ends[i] ?? 0, entity });
      }
    } else {
      for (const time of timeline.times) {
        marks.push({ start: time, end: time, entity });
      }
    }
  }

  return marks.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** A stretch with no mark at all, and the sensors on either side of it. */
export interface Silence {
  start: number;
  end: number;
  before: number;
  after: number;
}

/** The gaps between marks, where no sensor showed a sign of life. */
export function computeSilences(marks: readonly Mark[]): Silence[] {
  const silences: Silence[] = [];
  let busyUntil = -Infinity;
  let last: Mark | undefined;
  for (const mark of marks) {
    if (last !== undefined && mark.start > busyUntil) {
      silences.push({ start: busyUntil, end: mark.start, before: last.entity, after: mark.entity });
    }

    if (mark.end >= busyUntil) {
      busyUntil = mark.end;
      last = mark;
    }
  }

  return silences;
}
