import { domainOf, isActiveState, isEntityId } from '../home/index.js';
import type { Relation, RelationEnd, SequentialRelation } from './types.js';

/** The confidence from which a relation is reported, and so may explain another. */
const MIN_EXPLAINING_CONFIDENCE = 0.5;

/**
 * Relations that only show a device's own cycle through another relation, each with the
 * relation that explains it. B's return to its resting state after it was set off says nothing
 * new about A, in two forms:
 *
 * - **B answered first.** "Motion → light on within 2 s" and "motion → light off within 5 min":
 *   the light goes off because its own timer runs out after it came on, not because of the
 *   motion. (A, x) → (B, rest) echoes (A, x) → (B, active) that answered sooner and at least as
 *   often, so that every one of its answers may be that return.
 * - **A answered B.** "Motion → light on" and "light on → motion stops within 5 min": the sensor
 *   goes quiet by its own cooldown after the motion that turned the light on. (A, x) →
 *   (B, rest) echoes (B, active) → (A, x) when most of A's x events were that answer.
 *
 * Only relations reported on their own (confidence 0.5 or more) explain others. See
 * docs/correlation.md.
 */
export function computeEchoes(
  relations: readonly Relation[],
): ReadonlyMap<Relation, SequentialRelation> {
  const explaining = relations.filter(
    (r): r is SequentialRelation =>
      r.kind === 'sequential' && r.confidence >= MIN_EXPLAINING_CONFIDENCE,
  );
  const byTrigger = groupBy(explaining, (r) => pairKey(r.a, r.b.entityId));
  const byResponse = groupBy(explaining, (r) => pairKey(r.b, r.a.entityId));
  const echoes = new Map<Relation, SequentialRelation>();
  for (const relation of relations) {
    if (relation.kind !== 'sequential' || !isResting(relation.b)) {
      continue;
    }

    const explainer =
      answeredFirst(relation, byTrigger.get(pairKey(relation.a, relation.b.entityId))) ??
      answeredB(byResponse.get(pairKey(relation.a, relation.b.entityId)));
    if (explainer !== undefined) {
      echoes.set(relation, explainer);
    }
  }

  return echoes;
}

/** B's sooner answer, in its active state, to the same change of A. */
function answeredFirst(
  relation: SequentialRelation,
  sameTrigger: readonly SequentialRelation[] | undefined,
): SequentialRelation | undefined {
  return sameTrigger?.find(
    (other) =>
      isActive(other.b) &&
      other.lagS.median < relation.lagS.median &&
      other.support >= relation.support,
  );
}

/** The change of B into its active state that most of A's changes answered. */
function answeredB(
  answering: readonly SequentialRelation[] | undefined,
): SequentialRelation | undefined {
  return answering?.find((other) => isActive(other.a) && other.pPrecedes > 0.5);
}

function isActive(end: RelationEnd): boolean {
  return activityOf(end) === true;
}

/** Off, closed, locked, idle: the state a device returns to. */
function isResting(end: RelationEnd): boolean {
  return activityOf(end) === false;
}

/** Undefined for the household's own streams and for states without an on/off meaning. */
function activityOf(end: RelationEnd): boolean | undefined {
  return isEntityId(end.entityId) ? isActiveState(domainOf(end.entityId), end.state) : undefined;
}

/** One end of a relation and the entity at its other end. */
function pairKey(end: RelationEnd, otherEntityId: string): string {
  return `${end.entityId}\n${end.state}\n${otherEntityId}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [item]);
    } else {
      group.push(item);
    }
  }

  return groups;
}
