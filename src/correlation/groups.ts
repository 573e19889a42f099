import type { HomeHistory, Interval } from '../timeline/index.js';
import { firstAtOrAfter, lastAtOrBefore } from '../timeline/index.js';
import type { EdgeActivity } from './group-activity.js';
import {
  computeCoincidentPairs,
  computeEdgeActivities,
  hasTimeNear,
  invertActivity,
  isActiveNear,
  measureCovered,
  unionOf,
} from './group-activity.js';

/**
 * `any`: active while at least one member is (a group, an "any motion" sensor); `all`: while
 * every member is.
 */
export type GroupRule = 'any' | 'all';

/**
 * An entity whose on/off state is, at every moment, the any-of or all-of its members' states:
 * a Home Assistant group or a template that restates them. Found from the history alone.
 */
export interface EntityGroup {
  entityId: string;
  rule: GroupRule;
  /** Sorted entity ids. */
  members: string[];
  evidence: GroupEvidence;
}

/** The figures a group was judged on; see docs/correlation.md. */
export interface GroupEvidence {
  /** Where the aggregate and all its members reported, epoch ms. */
  judged: Interval;
  /** The aggregate's changes into the rule's state (on for `any`, off for `all`) inside it… */
  rises: number;
  /** …and how many came within the tolerance of a member's change the same way. */
  risesMatched: number;
  falls: number;
  fallsMatched: number;
  /** How many of those matches the members' rates of change would give by chance. */
  expectedMatchedByChance: number;
  /** The share of the aggregate's time in the rule's state during which a member was in it too. */
  agreement: number;
  /** The least share of a member's time in that state during which the aggregate was too. */
  coverage: number;
}

export interface EntityGroupOptions {
  /** How far apart a member's change and the aggregate's may be, ms. */
  toleranceMs?: number;
  /** The share of edges and of time that must agree. */
  minShare?: number;
}

/**
 * Home Assistant writes a group's new state in the same pass of its event loop as the member's,
 * milliseconds later; two seconds allows for a busy host and stays far below any timeout a
 * person would give an automation.
 */
const TOLERANCE_MS = 2_000;
/**
 * A state derived from others disagrees with them only where a row was lost (a restart, an
 * excluded span); an entity that merely follows them disagrees on most of its edges in one
 * direction. Nine in ten leaves room for the first and none for the second.
 */
const MIN_SHARE = 0.9;
/** The engine's own floor: a state entered fewer times than this is too rare to judge. */
const MIN_EDGES = 5;

interface Judging {
  toleranceMs: number;
  minShare: number;
}

/**
 * The aggregates among a home's entities and their members, sorted by entity id. Pure: only the
 * timelines are read. See docs/correlation.md.
 */
export function computeEntityGroups(
  history: HomeHistory,
  options: EntityGroupOptions = {},
): EntityGroup[] {
  const judging = {
    toleranceMs: options.toleranceMs ?? TOLERANCE_MS,
    minShare: options.minShare ?? MIN_SHARE,
  };
  const activities = computeEdgeActivities(history, MIN_EDGES);
  const { toleranceMs } = judging;
  // An any-of group rises with a member, an all-of group falls with one: the pairs worth
  // judging are those whose edges of that kind coincide.
  const risingWith = computeCoincidentPairs(activities, (a) => a.rises, toleranceMs, MIN_EDGES);
  const fallingWith = computeCoincidentPairs(activities, (a) => a.falls, toleranceMs, MIN_EDGES);
  const groups: EntityGroup[] = [];
  activities.forEach((aggregate, i) => {
    const pick = (partners: number[][]) => (partners[i] ?? []).flatMap((j) => activities[j] ?? []);
    const found =
      judgeGroup('any', aggregate, pick(risingWith), judging) ??
      judgeGroup('all', aggregate, pick(fallingWith), judging);
    if (found !== null) {
      groups.push(found);
    }
  });

  return groups.sort((x, y) => x.entityId.localeCompare(y.entityId));
}

/**
 * The group `aggregate` forms with the candidates that pass as members under `rule`, or null.
 * An all-of group is judged as the any-of group of the entities read inverted.
 */
function judgeGroup(
  rule: GroupRule,
  aggregate: EdgeActivity,
  candidates: readonly EdgeActivity[],
  judging: Judging,
): EntityGroup | null {
  if (candidates.length < 2) {
    return null;
  }

  const read = rule === 'any' ? (a: EdgeActivity) => a : invertActivity;
  const group = read(aggregate);
  const members: { activity: EdgeActivity; coverage: number }[] = [];
  for (const candidate of candidates.map(read)) {
    const coverage = judgeMember(group, candidate, judging);
    if (coverage !== null) {
      members.push({ activity: candidate, coverage });
    }
  }

  if (members.length < 2) {
    return null;
  }

  const evidence = judgeWhole(
    group,
    members.map((m) => m.activity),
    judging,
  );
  if (evidence === null) {
    return null;
  }

  return {
    entityId: aggregate.entityId,
    rule,
    members: members.map((m) => m.activity.entityId).sort(),
    evidence: { ...evidence, coverage: Math.min(...members.map((m) => m.coverage)) },
  };
}

/**
 * Whether `member` is one: wherever both report, the aggregate is active within the tolerance
 * of nearly every one of its rises and through nearly all of its active time, and at least
 * `MIN_EDGES` of the aggregate's rises came with one of its own. Returns the time covered.
 */
function judgeMember(group: EdgeActivity, member: EdgeActivity, judging: Judging): number | null {
  const span = overlapOf([group.reporting, member.reporting]);
  const { toleranceMs, minShare } = judging;
  const rises = within(member.rises, span);
  const answered = (time: number) => isActiveNear(group.intervals, time, toleranceMs);
  if (!holdsMostly(rises, answered, minShare)) {
    return null;
  }

  const driven = within(group.rises, span).filter((t) => hasTimeNear(member.rises, t, toleranceMs));
  if (driven.length < MIN_EDGES) {
    return null;
  }

  const { total, covered } = measureCovered(member.intervals, group.intervals, span, toleranceMs);
  const coverage = total > 0 ? covered / total : 0;
  return coverage >= minShare ? coverage : null;
}

/**
 * Whether the aggregate is the members' any-of where they all report: its rises and its falls
 * each come with a member's, and it is not active while none of them is.
 */
function judgeWhole(
  group: EdgeActivity,
  members: readonly EdgeActivity[],
  judging: Judging,
): Omit<GroupEvidence, 'coverage'> | null {
  const { toleranceMs, minShare } = judging;
  const judged = overlapOf([group.reporting, ...members.map((m) => m.reporting)]);
  const matchedBy = (edges: Float64Array, pick: (m: EdgeActivity) => Float64Array) =>
    edges.filter((t) => members.some((m) => hasTimeNear(pick(m), t, toleranceMs))).length;
  const rises = within(group.rises, judged);
  const falls = within(group.falls, judged);
  const risesMatched = matchedBy(rises, (m) => m.rises);
  const fallsMatched = matchedBy(falls, (m) => m.falls);
  const union = unionOf(members.map((m) => m.intervals));
  const { total, covered } = measureCovered(group.intervals, union, judged, toleranceMs);
  const agreement = total > 0 ? covered / total : 0;
  const holds =
    risesMatched >= minShare * rises.length &&
    fallsMatched >= minShare * falls.length &&
    agreement >= minShare;
  if (!holds) {
    return null;
  }

  return {
    judged,
    rises: rises.length,
    risesMatched,
    falls: falls.length,
    fallsMatched,
    expectedMatchedByChance: expectedByChance(
      rises.length + falls.length,
      members,
      judged,
      judging,
    ),
    agreement,
  };
}

/**
 * How many of `edges` edges would find a member's edge within the tolerance if the members
 * changed at random at their own rates: a Poisson chance per edge.
 */
function expectedByChance(
  edges: number,
  members: readonly EdgeActivity[],
  judged: Interval,
  judging: Judging,
): number {
  const span = judged.end - judged.start;
  if (span <= 0) {
    return 0;
  }

  // Each edge is matched by a member edge of one direction: half of all of them.
  const rate = members.reduce(
    (sum, m) => sum + (within(m.rises, judged).length + within(m.falls, judged).length) / 2,
    0,
  );
  return edges * (1 - Math.exp((-rate / span) * 2 * judging.toleranceMs));
}

/**
 * Whether `test` holds for at least `share` of `times` (and there are some). Stops as soon as
 * too many have failed, which for an entity that is no member is within the first few.
 */
function holdsMostly(times: Float64Array, test: (time: number) => boolean, share: number): boolean {
  const allowed = (1 - share) * times.length;
  let failed = 0;
  for (let i = 0; i < times.length && failed <= allowed; i++) {
    if (!test(times[i] ?? 0)) {
      failed++;
    }
  }

  return times.length > 0 && failed <= allowed;
}

/** The times inside `span`, ends included, as a view of the same array. */
function within(times: Float64Array, span: Interval): Float64Array {
  return times.subarray(firstAtOrAfter(times, span.start), lastAtOrBefore(times, span.end) + 1);
}

function overlapOf(spans: readonly Interval[]): Interval {
  return {
    start: Math.max(...spans.map((span) => span.start)),
    end: Math.min(...spans.map((span) => span.end)),
  };
}

/** Each aggregate's members, to tell a relation that is a group's own structure. */
export type GroupIndex = ReadonlyMap<string, ReadonlySet<string>>;

export function computeGroupIndex(groups: readonly EntityGroup[]): GroupIndex {
  return new Map(groups.map((group) => [group.entityId, new Set(group.members)]));
}

/**
 * The aggregate when one of `a`, `b` is an aggregate and the other one of its own members: a
 * relation between them is true by construction. Null otherwise, also for two members of one
 * group, whose relation is real.
 */
export function structuralGroupOf(index: GroupIndex, a: string, b: string): string | null {
  if (index.get(a)?.has(b) === true) {
    return a;
  }

  return index.get(b)?.has(a) === true ? b : null;
}
