import type {
  PresenceAnswer,
  PresenceChange,
  PresenceInterval,
  PresencePrediction,
} from './types.js';

/**
 * A read-only, gap-free presence timeline that answers "now?" and "next?" by binary search over
 * a typed array of interval starts. Answers are built once, when the timeline is, so a query
 * allocates nothing but its prediction.
 */
export class PresenceTimeline {
  readonly intervals: readonly PresenceInterval[];
  readonly #starts: Float64Array;
  readonly #answers: readonly PresenceAnswer[];
  readonly #end: number;

  constructor(intervals: readonly PresenceInterval[]) {
    this.intervals = intervals;
    this.#starts = Float64Array.from(intervals, (interval) => interval.start);
    this.#answers = intervals.map(answerOf);
    this.#end = intervals.at(-1)?.end ?? -Infinity;
  }

  /** The window the timeline covers; outside it every answer is `unknown`. */
  get window(): { start: number; end: number } {
    return { start: this.#starts[0] ?? Infinity, end: this.#end };
  }

  presenceAt(t: number): PresenceAnswer {
    const index = this.#indexAt(t);
    return index === -1 ? outsideWindow(t, this.window) : (this.#answers[index] as PresenceAnswer);
  }

  /** Looks `horizon` ms ahead of `t` for the next departure and arrival. */
  predict(t: number, horizon: number): PresencePrediction {
    const first = this.#indexAt(t);
    const limit = t + horizon;
    let nextDeparture: PresenceChange | null = null;
    let nextArrival: PresenceChange | null = null;

    // Past the end nothing lies ahead; before the start the first interval is the next.
    const from = t >= this.#end ? this.#answers.length : Math.max(first, 0) + 1;
    for (let i = from; i < this.#answers.length; i++) {
      const start = this.#starts[i] ?? Infinity;
      if (start > limit || (nextDeparture !== null && nextArrival !== null)) {
        break;
      }

      const before = this.#answers[i - 1] as PresenceAnswer;
      const after = this.#answers[i] as PresenceAnswer;
      if (nextDeparture === null && before.state === 'home' && after.state === 'away') {
        nextDeparture = changeOf(start, before, after);
      } else if (nextArrival === null && before.state === 'away' && after.state === 'home') {
        nextArrival = changeOf(start, before, after);
      }
    }

    return { at: t, horizon, nextDeparture, nextArrival, willBeHome: this.#willBeHome(limit) };
  }

  /** The index of the interval holding `t`, or -1 outside the window. */
  #indexAt(t: number): number {
    const starts = this.#starts;
    if (starts.length === 0 || t < (starts[0] ?? Infinity) || t >= this.#end) {
      return -1;
    }

    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((starts[mid] ?? Infinity) <= t) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }

    return low;
  }

  #willBeHome(t: number): PresencePrediction['willBeHome'] {
    const answer = this.presenceAt(t);
    const value = answer.state === 'unknown' ? null : answer.state === 'home';
    return { value, confidence: answer.confidence, reason: answer.reason };
  }
}

function answerOf(interval: PresenceInterval): PresenceAnswer {
  const { start, end, state, workFromHome, confidence, source, reason, stale } = interval;
  return Object.freeze({
    state,
    workFromHome,
    confidence,
    source,
    reason,
    stale,
    since: start,
    until: end,
  });
}

function changeOf(at: number, before: PresenceAnswer, after: PresenceAnswer): PresenceChange {
  const reason = after.state === 'away' ? after.reason : before.reason;
  return { at, confidence: Math.min(before.confidence, after.confidence), reason };
}

function outsideWindow(t: number, window: { start: number; end: number }): PresenceAnswer {
  const before = t < window.start;
  return {
    state: 'unknown',
    workFromHome: false,
    confidence: 0,
    source: 'calendar',
    reason: 'outside the time the calendars were read for',
    stale: false,
    since: before ? -Infinity : window.end,
    until: before ? window.start : Infinity,
  };
}
