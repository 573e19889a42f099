/** A span of time in epoch milliseconds, half-open: `start` is inside, `end` is not. */
export interface Interval {
  start: number;
  end: number;
}

export function durationOf(interval: Interval): number {
  return interval.end - interval.start;
}
