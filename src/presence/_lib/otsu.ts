/**
 * The cut that best splits values into two groups (Otsu's method: the largest variance between
 * the groups), as the value halfway between the two neighbours it falls between. `undefined`
 * when there are fewer than two distinct values.
 */
export function computeOtsuCut(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  let best = -1;
  let cut: number | undefined;
  let lowSum = 0;
  for (let i = 0; i < n - 1; i++) {
    const value = sorted[i] ?? 0;
    const next = sorted[i + 1] ?? 0;
    lowSum += value;
    if (next === value) {
      continue;
    }

    const low = i + 1;
    const between = low * (n - low) * (lowSum / low - (total - lowSum) / (n - low)) ** 2;
    if (between > best) {
      best = between;
      cut = (value + next) / 2;
    }
  }

  return cut;
}
