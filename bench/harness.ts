/**
 * The shape every benchmark scenario shares: a scenario measures one or more figures and says,
 * for each, the reference target and tandem's own goal. `run.ts` collects them into
 * `bench/results/latest.json` and `docs/performance.md`.
 */
export interface Figure {
  id: string;
  description: string;
  unit: string;
  value: number;
  /** The reference target the figure must meet. */
  target: number;
  /** tandem's own, usually stricter, goal; `null` where the target is the goal. */
  goal: number | null;
  /** Whether smaller values are better (latency, memory) or larger ones (throughput). */
  better: 'lower' | 'higher';
  /** Percentiles or other context shown beside the value, e.g. `{ p50: 1.2, p95: 3 }`. */
  detail?: Record<string, number | string>;
}

export interface ScenarioContext {
  /** A reduced run: the whole quick suite must finish in under a minute. */
  quick: boolean;
  /** A scratch folder for files the scenario writes; removed afterwards. */
  workDir: string;
}

export interface Scenario {
  id: string;
  description: string;
  run(context: ScenarioContext): Promise<Figure[]>;
}

export function meets(figure: Pick<Figure, 'value' | 'target' | 'better'>): boolean {
  return isWithin(figure.value, figure.target, figure.better);
}

/** Whether the figure meets tandem's own goal; `null` where it has none beyond the target. */
export function meetsGoal(figure: Pick<Figure, 'value' | 'goal' | 'better'>): boolean | null {
  return figure.goal === null ? null : isWithin(figure.value, figure.goal, figure.better);
}

function isWithin(value: number, bound: number, better: Figure['better']): boolean {
  return better === 'lower' ? value <= bound : value >= bound;
}

/** Forces a full collection where the process was started with `--expose-gc`. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }

  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}

/** One implementation in a comparison: `run` does its work once and returns what it measured. */
export interface Side<T> {
  name: string;
  run(): T;
}

/**
 * Runs every side once per round, with a full collection before each run and the side that
 * starts rotating from round to round, so that a change of load on a shared machine falls on
 * all sides alike. The first round is a warm-up and is not kept. Returns each side's results
 * by name, one per kept round.
 */
export function runInTurns<T>(sides: readonly Side<T>[], rounds: number): Map<string, T[]> {
  const results = new Map(sides.map((side) => [side.name, [] as T[]]));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const side = sides[(round + turn) % sides.length] as Side<T>;
      collectGarbage();
      const result = side.run();
      if (round > 0) {
        results.get(side.name)?.push(result);
      }
    }
  }

  return results;
}

/** Runs `work` once and returns its value with the wall time it took, in ms. */
export function timed<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}
