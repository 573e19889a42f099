const MINUTE_MS = 60_000;

/** A duration for a reason a person reads: minutes up to two hours, then hours. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** Two decimals, as confidences and hours are reported. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
