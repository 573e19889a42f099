/**
 * The statistics behind every verdict, in log space where tails get small: a relation seen 40
 * times where 0.3 were expected has a tail probability far below what a double can hold.
 */

/** log P(X >= k) for X ~ Poisson(mean). */
export function logPoissonTail(k: number, mean: number): number {
  if (k <= 0) {
    return 0;
  }

  if (mean <= 0) {
    return -Infinity;
  }

  if (k <= mean) {
    // The upper tail is most of the mass: one minus the k terms below it is short and exact.
    return Math.log1p(-Math.exp(logPoissonHead(k, mean)));
  }

  // Sum the terms from k upwards in log space until they stop mattering.
  let logTerm = k * Math.log(mean) - mean - logFactorial(k);
  let logSum = logTerm;
  for (let i = k + 1; i < k + 1000; i++) {
    logTerm += Math.log(mean / i);
    const next = logAdd(logSum, logTerm);
    if (next - logSum < 1e-12) {
      break;
    }

    logSum = next;
  }

  return Math.min(0, logSum);
}

/**
 * log P(X >= k) for X hypergeometric: `drawn` items taken from `population`, of which `marked`
 * are marked; X is how many of those drawn are marked. Fisher's exact test, one-sided.
 */
export function logHypergeometricTail(
  k: number,
  marked: number,
  drawn: number,
  population: number,
): number {
  const highest = Math.min(marked, drawn);
  if (k <= Math.max(0, drawn - (population - marked))) {
    return 0;
  }

  const logChoose = (n: number, r: number) =>
    logFactorial(n) - logFactorial(r) - logFactorial(n - r);
  const total = logChoose(population, drawn);
  let logSum = -Infinity;
  for (let x = k; x <= highest; x++) {
    const term = logChoose(marked, x) + logChoose(population - marked, drawn - x) - total;
    logSum = logSum === -Infinity ? term : logAdd(logSum, term);
  }

  return Math.min(0, logSum);
}

/** log P(X <= k) for X ~ Poisson(mean). */
export function logPoissonAtMost(k: number, mean: number): number {
  return mean <= 0 ? 0 : logPoissonHead(k + 1, mean);
}

/** log P(X < k) for X ~ Poisson(mean). */
function logPoissonHead(k: number, mean: number): number {
  let logTerm = -mean;
  let logSum = logTerm;
  for (let i = 1; i < k; i++) {
    logTerm += Math.log(mean / i);
    logSum = logAdd(logSum, logTerm);
  }

  return Math.min(0, logSum);
}

function logAdd(a: number, b: number): number {
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(Math.min(a, b) - high));
}

const LOG_FACTORIALS: number[] = [0];

function logFactorial(n: number): number {
  for (let i = LOG_FACTORIALS.length; i <= n; i++) {
    LOG_FACTORIALS.push((LOG_FACTORIALS[i - 1] ?? 0) + Math.log(i));
  }

  return LOG_FACTORIALS[n] ?? 0;
}

/** P(Z >= z) for a standard normal Z (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalTail(z: number): number {
  if (z < 0) {
    return 1 - normalTail(-z);
  }

  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-(z * z) / 2);
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values) for `pValues`, counting `tests` hypotheses in
 * all: pairs never evaluated were tested too, with p = 1, and must not make the rest look rarer.
 */
export function adjustFalseDiscovery(pValues: readonly number[], tests: number): number[] {
  const m = Math.max(tests, pValues.length);
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(pValues.length).fill(1);
  let running = 1;
  for (let rank = order.length; rank >= 1; rank--) {
    const entry = order[rank - 1];
    if (entry === undefined) {
      continue;
    }

    running = Math.min(running, (entry.p * m) / rank);
    q[entry.i] = Math.min(1, running);
  }

  return q;
}

/**
 * How much the number of observations alone lets us believe in a relation: 0.28 for one, 0.49
 * for two, 0.63 for three, above 0.95 from nine. Multiplied into every confidence, so that no
 * number of coincidences below three reaches 0.5, however unlikely they looked.
 */
export function supportFactor(support: number): number {
  return 1 - Math.exp(-support / SUPPORT_SCALE);
}

const SUPPORT_SCALE = 3;
