/** Index of the first value ≥ `value` in an ascending array; its length when there is none. */
export function firstAtOrAfter(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }

  return lo;
}

/** Index of the last value ≤ `value` in an ascending array, or -1 when there is none. */
export function lastAtOrBefore(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) <= value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }

  return lo - 1;
}
