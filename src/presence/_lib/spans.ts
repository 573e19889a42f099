import { firstAtOrAfter, lastAtOrBefore } from '../../timeline/index.js';
import type { Interval, IntervalList } from '../../timeline/index.js';

/**
 * Spans sorted and joined where they overlap or touch, as parallel arrays for binary search.
 * Instants (start = end) are kept: a door opened is a moment of life all the same.
 */
export function mergeSpans(spans: readonly Interval[]): IntervalList {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const span of sorted) {
    const last = ends.length - 1;
    if (last >= 0 && span.start <= (ends[last] ?? 0)) {
      ends[last] = Math.max(ends[last] ?? 0, span.end);
    } else {
      starts.push(span.start);
      ends.push(span.end);
    }
  }

  return {
    starts: Float64Array.from(starts),
    ends: Float64Array.from(ends),
    length: starts.length,
  };
}

/**
 * Whether any span of the merged `list` reaches inside `span`. Merged spans end in ascending
 * order, so the last one starting before `span` ends is the only one to look at.
 */
export function overlapsAny(list: IntervalList, span: Interval): boolean {
  const i = firstAtOrAfter(list.starts, span.end) - 1;
  return i >= 0 && (list.ends[i] ?? 0) > span.start;
}

/** Whether `time` falls inside a span of the merged `list`. */
export function containsTime(list: IntervalList, time: number): boolean {
  const i = lastAtOrBefore(list.starts, time);
  return i >= 0 && time < (list.ends[i] ?? 0);
}

/** How much of `span` the merged `list` covers, ms. */
export function coveredMs(list: IntervalList, span: Interval): number {
  return coveredParts(span, list).reduce((total, part) => total + part.end - part.start, 0);
}

/** The parts of `span` that no span of the merged `list` covers, in order. */
export function uncoveredParts(span: Interval, list: IntervalList): Interval[] {
  const parts: Interval[] = [];
  let cursor = span.start;
  const first = Math.max(0, firstAtOrAfter(list.starts, span.start) - 1);
  for (let i = first; i < list.length && (list.starts[i] ?? 0) < span.end; i++) {
    const start = list.starts[i] ?? 0;
    if (start > cursor) {
      parts.push({ start: cursor, end: start });
    }

    cursor = Math.max(cursor, list.ends[i] ?? 0);
  }

  if (cursor < span.end) {
    parts.push({ start: cursor, end: span.end });
  }

  return parts;
}

/** The parts of `span` that the merged `list` covers, in order. */
export function coveredParts(span: Interval, list: IntervalList): Interval[] {
  const parts: Interval[] = [];
  const first = Math.max(0, firstAtOrAfter(list.starts, span.start) - 1);
  for (let i = first; i < list.length && (list.starts[i] ?? 0) < span.end; i++) {
    const start = Math.max(span.start, list.starts[i] ?? 0);
    const end = Math.min(span.end, list.ends[i] ?? 0);
    if (end > start) {
      parts.push({ start, end });
    }
  }

  return parts;
}
