import { InvalidArgumentError } from 'commander';

import { isTimeZone } from '../sources/index.js';

/**
 * Parses an ISO 8601 date or date-time option into epoch ms. A time without an offset is read
 * in the machine's time zone, as a person at that machine would mean it.
 */
export function parseTimeOption(value: string): number {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new InvalidArgumentError(`"${value}" is not an ISO 8601 date or date-time`);
  }

  return time;
}

export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  }

  return n;
}

/** Gathers a repeatable option's values in the order given. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** An IANA time zone this machine knows, e.g. `Europe/Berlin`. */
export function parseTimeZoneOption(value: string): string {
  if (!isTimeZone(value)) {
    throw new InvalidArgumentError(`"${value}" is not a time zone this machine knows`);
  }

  return value;
}
