import type { Interval } from '../timeline/index.js';

export type PresenceState = 'home' | 'away' | 'unknown';

/**
 * Where the household is over an interval, according to one source: a calendar today, person
 * and device-tracker entities later. `unknown` carries confidence 0 and says why in `reason`.
 */
export interface PresenceInterval extends Interval {
  state: PresenceState;
  workFromHome: boolean;
  /** 0..1. */
  confidence: number;
  /** Where the answer came from, e.g. `ics:/home/me/family.ics`, or `calendar` for defaults. */
  source: string;
  reason: string;
  /** True when the answer rests on a source's last good data after it failed to refresh. */
  stale: boolean;
}

/** The answer to "where is the household at t?", with the interval it holds for. */
export interface PresenceAnswer {
  state: PresenceState;
  workFromHome: boolean;
  confidence: number;
  source: string;
  reason: string;
  stale: boolean;
  /** The interval this answer holds over: `since <= t < until`. */
  since: number;
  until: number;
}

export interface PresenceChange {
  at: number;
  confidence: number;
  reason: string;
}

/** The answer to "what happens in the next `horizon` ms after `at`?". */
export interface PresencePrediction {
  at: number;
  horizon: number;
  nextDeparture: PresenceChange | null;
  nextArrival: PresenceChange | null;
  /** Whether someone is expected home at `at + horizon`; `null` when that is unknown. */
  willBeHome: { value: boolean | null; confidence: number; reason: string };
}

/** How one source fared in the last fetch, as reported beside the intervals. */
export interface SourceStatus {
  source: string;
  ok: boolean;
  /** Serving the last good data after a failed refresh. */
  stale: boolean;
  events: number;
  fetchedAt: number | null;
  error?: { code: string; message: string };
}
