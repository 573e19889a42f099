import type { HomeHistory } from '../timeline/index.js';
import type { CoActivityOptions } from './co-activity.js';
import { computeCoActivity } from './co-activity.js';
import type { AnalysisContext } from './context.js';
import { computeEventStreams } from './event-streams.js';
import type { EventStreamOptions } from './event-streams.js';
import { computeHouseholdStreams } from './household-streams.js';
import type { SequentialOptions } from './sequential.js';
import { computeSequentialRelations } from './sequential.js';
import type { Relation } from './types.js';

export interface CorrelationOptions {
  streams?: EventStreamOptions;
  sequential?: SequentialOptions;
  coActivity?: CoActivityOptions;
}

/** Every relation found in a home's history, strongest first. See docs/correlation.md. */
export function computeCorrelations(
  history: HomeHistory,
  context: AnalysisContext,
  options: CorrelationOptions = {},
): Relation[] {
  const streams = [
    ...computeEventStreams(history, options.streams),
    ...computeHouseholdStreams(history, context),
  ];
  const relations: Relation[] = [
    ...computeSequentialRelations(streams, context, options.sequential),
    ...computeCoActivity(history, context, options.coActivity),
  ];
  return relations.sort((x, y) => y.confidence - x.confidence);
}

export { computeCoActivity } from './co-activity.js';
export { HOUSEHOLD_ENTITY_ID, isHouseholdRelation } from './household-streams.js';
export { computePresenceDrivers } from './presence-drivers.js';
export type {
  PresenceAnchor,
  PresenceCorrelation,
  PresenceDriver,
  PresenceDriverOptions,
  PresenceEvidence,
} from './presence-drivers.js';
export type { CoActivityOptions } from './co-activity.js';
export { computeEchoes } from './echoes.js';
export { computeEntityGroups, computeGroupIndex, structuralGroupOf } from './groups.js';
export type {
  EntityGroup,
  EntityGroupOptions,
  GroupEvidence,
  GroupIndex,
  GroupRule,
} from './groups.js';
export { computeAnalysisContext } from './context.js';
export type { AnalysisContext } from './context.js';
export { computeEventStreams } from './event-streams.js';
export type { EventStream, EventStreamOptions } from './event-streams.js';
export { computeSequentialRelations } from './sequential.js';
export type { SequentialOptions } from './sequential.js';
export type { CoActivityRelation, Relation, RelationEnd, SequentialRelation } from './types.js';
export { CorrelationStream } from './stream.js';
export type { CorrelationStreamOptions } from './stream.js';
