import { hasActivity } from '../home/index.js';
import type { HomeHistory, Interval, IntervalList } from '../timeline/index.js';
import {
  activeStatePredicate,
  computeActivityIntervals,
  firstAtOrAfter,
  lastAtOrBefore,
} from '../timeline/index.js';

/**
 * One entity's on/off history as group detection reads it: when it was active, when it became
 * active (rises) and inactive (falls), and the span in which it reported at all.
 */
export interface EdgeActivity {
  index: number;
  entityId: string;
  intervals: IntervalList;
  rises: Float64Array;
  falls: Float64Array;
  /** From its first real state to its last change: after that, silence may be a dead device. */
  reporting: Interval;
}

/** The activity of every entity with an on/off meaning that rose and fell at least `minEdges`. */
export function computeEdgeActivities(history: HomeHistory, minEdges: number): EdgeActivity[] {
  const activities: EdgeActivity[] = [];
  history.timelines.forEach((timeline, index) => {
    const entity = history.entities[index];
    if (entity === undefined || !hasActivity(entity.domain) || timeline.length < 2 * minEdges) {
      return;
    }

    const intervals = computeActivityIntervals(
      timeline,
      activeStatePredicate(entity.domain, history.states),
    );
    const last = timeline.times[timeline.length - 1] ?? timeline.since;
    const activity = edgeActivityOf(index, entity.entityId, intervals, {
      start: timeline.since,
      end: last,
    });
    if (activity.rises.length >= minEdges && activity.falls.length >= minEdges) {
      activities.push(activity);
    }
  });

  return activities;
}

function edgeActivityOf(
  index: number,
  entityId: string,
  intervals: IntervalList,
  reporting: Interval,
): EdgeActivity {
  // An interval open at the entity's first state or still open at the window's end has no
  // edge there: nothing changed at that moment. Only the first and the last can be such.
  const n = intervals.length;
  const openAtStart = n > 0 && (intervals.starts[0] ?? 0) <= reporting.start;
  const openAtEnd = n > 0 && (intervals.ends[n - 1] ?? 0) > reporting.end;
  const rises = intervals.starts.subarray(openAtStart ? 1 : 0);
  const falls = intervals.ends.subarray(0, openAtEnd ? n - 1 : n);
  return { index, entityId, intervals, rises, falls, reporting };
}

/**
 * The same entity read the other way round: active while it was inactive. "All members on" is
 * "no member off", so an all-of group is an any-of group of the inverted entities.
 */
export function invertActivity(activity: EdgeActivity): EdgeActivity {
  const { intervals, reporting } = activity;
  const n = intervals.length;
  const starts = new Float64Array(n + 1);
  const ends = new Float64Array(n + 1);
  let length = 0;
  for (let i = 0; i <= n; i++) {
    const start = i === 0 ? reporting.start : (intervals.ends[i - 1] ?? 0);
    const end = i === n ? Math.max(reporting.end, start) : (intervals.starts[i] ?? 0);
    if (end > start) {
      starts[length] = start;
      ends[length] = end;
      length++;
    }
  }

  return {
    ...activity,
    intervals: { starts: starts.subarray(0, length), ends: ends.subarray(0, length), length },
    rises: activity.falls,
    falls: activity.rises,
  };
}

/**
 * For each entity, the others whose edges of one kind (rises, or falls) came within
 * `toleranceMs` of its own at least `minCount` times. A member's change and its aggregate's
 * coincide every time, two unrelated entities' almost never, so this one pass over every edge
 * of the home, in time order, leaves only a handful of pairs to judge.
 */
export function computeCoincidentPairs(
  activities: readonly EdgeActivity[],
  edgesOf: (activity: EdgeActivity) => Float64Array,
  toleranceMs: number,
  minCount: number,
): number[][] {
  const n = activities.length;
  const { keys, unitMs } = sortedEdgeKeys(activities, edgesOf);
  const bits = Math.ceil(Math.log2(n + 1));
  const scale = 2 ** bits;
  const counts = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? 0;
    const time = Math.floor(key / scale);
    const entity = key - time * scale;
    for (let j = i + 1; j < keys.length; j++) {
      const other = keys[j] ?? 0;
      const otherTime = Math.floor(other / scale);
      if ((otherTime - time) * unitMs > toleranceMs) {
        break;
      }

      const otherEntity = other - otherTime * scale;
      if (otherEntity !== entity) {
        const pair = Math.min(entity, otherEntity) * n + Math.max(entity, otherEntity);
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
  }

  const partners: number[][] = activities.map(() => []);
  for (const [pair, count] of counts) {
    if (count >= minCount) {
      const x = Math.floor(pair / n);
      partners[x]?.push(pair - x * n);
      partners[pair - x * n]?.push(x);
    }
  }

  return partners;
}

/**
 * Every edge as one number, time since the window's start times 2^bits plus the entity's
 * index, so that one native sort of a typed array puts them in time order. The time unit is a
 * millisecond unless the window is too long for 53 bits.
 */
function sortedEdgeKeys(
  activities: readonly EdgeActivity[],
  edgesOf: (activity: EdgeActivity) => Float64Array,
): { keys: Float64Array; unitMs: number } {
  const start = Math.min(...activities.map((a) => a.reporting.start));
  const end = Math.max(...activities.map((a) => a.reporting.end));
  const scale = 2 ** Math.ceil(Math.log2(activities.length + 1));
  const unitMs = Math.max(1, Math.ceil(((end - start + 1) * scale) / 2 ** 53));
  const total = activities.reduce((sum, a) => sum + edgesOf(a).length, 0);
  const keys = new Float64Array(total);
  let k = 0;
  activities.forEach((activity, index) => {
    const edges = edgesOf(activity);
    for (let i = 0; i < edges.length; i++) {
      keys[k++] = Math.floor(((edges[i] ?? 0) - start) / unitMs) * scale + index;
    }
  });

  return { keys: keys.sort(), unitMs };
}

/**
 * The time of `inner`'s intervals inside `span`, each trimmed by `trimMs` at both ends, and how
 * much of that time `outer` covers.
 */
export function measureCovered(
  inner: IntervalList,
  outer: IntervalList,
  span: Interval,
  trimMs: number,
): { total: number; covered: number } {
  let total = 0;
  let covered = 0;
  let j = 0;
  for (let i = 0; i < inner.length; i++) {
    const start = Math.max((inner.starts[i] ?? 0) + trimMs, span.start);
    const end = Math.min((inner.ends[i] ?? 0) - trimMs, span.end);
    if (end <= start) {
      continue;
    }

    total += end - start;
    while (j < outer.length && (outer.ends[j] ?? 0) <= start) {
      j++;
    }

    for (let k = j; k < outer.length && (outer.starts[k] ?? 0) < end; k++) {
      covered += Math.min(end, outer.ends[k] ?? 0) - Math.max(start, outer.starts[k] ?? 0);
    }
  }

  return { total, covered };
}

/** Whether some time in `times` lies within `toleranceMs` of `time`. */
export function hasTimeNear(times: Float64Array, time: number, toleranceMs: number): boolean {
  const i = firstAtOrAfter(times, time - toleranceMs);
  return i < times.length && (times[i] ?? 0) <= time + toleranceMs;
}

/** Whether `intervals` holds an active moment within `toleranceMs` of `time`. */
export function isActiveNear(intervals: IntervalList, time: number, toleranceMs: number): boolean {
  const i = lastAtOrBefore(intervals.starts, time + toleranceMs);
  return i >= 0 && (intervals.ends[i] ?? 0) > time - toleranceMs;
}

/** The union of several interval lists, as one ascending list: a merge, each list being sorted. */
export function unionOf(lists: readonly IntervalList[]): IntervalList {
  const total = lists.reduce((sum, list) => sum + list.length, 0);
  const starts = new Float64Array(total);
  const ends = new Float64Array(total);
  const next = lists.map(() => 0);
  let length = 0;
  for (;;) {
    const k = earliestStart(lists, next);
    const list = lists[k];
    if (list === undefined) {
      break;
    }

    const i = next[k] ?? 0;
    next[k] = i + 1;
    const start = list.starts[i] ?? 0;
    const end = list.ends[i] ?? 0;
    if (length > 0 && start <= (ends[length - 1] ?? 0)) {
      ends[length - 1] = Math.max(ends[length - 1] ?? 0, end);
    } else {
      starts[length] = start;
      ends[length] = end;
      length++;
    }
  }

  return { starts: starts.subarray(0, length), ends: ends.subarray(0, length), length };
}

/** The list whose next interval starts first, or -1 when all are done. */
function earliestStart(lists: readonly IntervalList[], next: readonly number[]): number {
  let best = -1;
  let bestStart = Infinity;
  lists.forEach((list, k) => {
    const i = next[k] ?? 0;
    if (i < list.length && (list.starts[i] ?? 0) < bestStart) {
      best = k;
      bestStart = list.starts[i] ?? 0;
    }
  });

  return best;
}
