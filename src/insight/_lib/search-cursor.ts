import { firstAtOrAfter, lastAtOrBefore } from '../../timeline/index.js';

/**
 * Where the binary searches of timeline/ last answered over one ascending list. The insight pass
 * asks them for every event of a trigger, and those times ascend: walking on from the previous
 * answer costs a step or two per time where a search costs a dozen. A time that steps back gets a
 * fresh search, so the answers are the searches' whatever the order.
 *
 * A plain record rather than a class: cursors live for one relation, and when a full collection
 * finds no instance of a class alive, V8 drops its hidden classes and with them the optimised code
 * of every function that used one.
 */
export interface SearchCursor {
  readonly values: ArrayLike<number>;
  /** The previous answer of `firstAtOrAfterFrom`, and the time it was for. */
  lower: number;
  lowerTime: number;
  /** One past the previous answer of `lastAtOrBeforeFrom`, and the time it was for. */
  upper: number;
  upperTime: number;
}

export function createSearchCursor(values: ArrayLike<number>): SearchCursor {
  return { values, lower: 0, lowerTime: -Infinity, upper: 0, upperTime: -Infinity };
}

/** `firstAtOrAfter(cursor.values, time)`. */
export function firstAtOrAfterFrom(cursor: SearchCursor, time: number): number {
  const { values } = cursor;
  if (time < cursor.lowerTime) {
    cursor.lower = firstAtOrAfter(values, time);
  }

  while (cursor.lower < values.length && (values[cursor.lower] ?? 0) < time) {
    cursor.lower++;
  }

  cursor.lowerTime = time;
  return cursor.lower;
}

/** `lastAtOrBefore(cursor.values, time)`. */
export function lastAtOrBeforeFrom(cursor: SearchCursor, time: number): number {
  const { values } = cursor;
  if (time < cursor.upperTime) {
    cursor.upper = lastAtOrBefore(values, time) + 1;
  }

  while (cursor.upper < values.length && (values[cursor.upper] ?? 0) <= time) {
    cursor.upper++;
  }

  cursor.upperTime = time;
  return cursor.upper - 1;
}
