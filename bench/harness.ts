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
  return figure.better === 'lower' ? figure.value <= figure.target : figure.value >= figure.target;
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
