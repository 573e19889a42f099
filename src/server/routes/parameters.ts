import { TandemError } from '../../errors.js';

/**
 * An ISO 8601 date-time query parameter in epoch ms, `undefined` when absent. A time without an
 * offset is refused: a server cannot guess which zone its caller meant.
 */
export function parseIsoParameter(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }

  const time = Date.parse(value);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  if (!zoned.test(value) || Number.isNaN(time)) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `querystring/${name} must be an ISO 8601 date-time with an offset, e.g. ` +
        `2026-12-03T18:00:00Z; got "${value.slice(0, 40)}"`,
    );
  }

  return time;
}

/** Epoch ms as ISO 8601, or null for an open end (±Infinity). */
export function isoOrNull(time: number): string | null {
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
