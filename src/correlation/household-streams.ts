import type { HomeHistory } from '../timeline/index.js';
import type { AnalysisContext } from './context.js';
import type { EventStream } from './event-streams.js';
import type { Relation } from './types.js';

/** The entity id that relations with the household's arrivals and departures carry. */
export const HOUSEHOLD_ENTITY_ID = 'household';

export function isHouseholdRelation(relation: Relation): boolean {
  return relation.a.entityId === HOUSEHOLD_ENTITY_ID || relation.b.entityId === HOUSEHOLD_ENTITY_ID;
}

/**
 * The household's arrivals and departures as two more streams, so that "the lock is unlocked
 * within a minute of someone coming home" is found and judged like any relation between devices.
 */
export function computeHouseholdStreams(
  history: HomeHistory,
  context: AnalysisContext,
): EventStream[] {
  if (context.household === undefined) {
    return [];
  }

  const entity = history.entities.length;
  const stream = (state: string, times: Float64Array): EventStream => ({
    entity,
    entityId: HOUSEHOLD_ENTITY_ID,
    state,
    times,
    parents: new Int32Array(times.length).fill(-1),
    parentTimes: new Float64Array(times.length).fill(NaN),
    automated: new Uint8Array(times.length),
  });
  return [
    stream('arrival', context.household.arrivals),
    stream('departure', context.household.departures),
  ];
}
