import type { CacheStats, CalendarPresence, PresenceAnswer } from '../presence/index.js';
import type { PresenceInterval, PresencePrediction } from '../presence/index.js';
import { CachedPresenceQueries, fusePresence, PresenceTimeline } from '../presence/index.js';
import type { Interval } from '../timeline/index.js';

/** What the residents' entities say right now, from Home Assistant's live states. */
export interface LivePresence {
  home: boolean;
  /** When the household last became home or away, epoch ms. */
  since: number;
  /** Who is home, by entity id. */
  residentsHome: string[];
}

/**
 * A live observation is trusted for this long past the moment it was taken; a query after it
 * rebuilds the timeline with the observation carried forward to the new moment.
 */
const LIVE_HOLD_MS = 60_000;
const LIVE_SOURCE = 'home_assistant';
/** As for recorded person entities: a phone's location lags a real arrival now and then. */
const LIVE_CONFIDENCE = 0.95;

/**
 * The household's presence as the server answers it: the analysed history (observed where the
 * residents' entities saw it, calendars elsewhere), the calendars ahead of it, and Home
 * Assistant's live states for the present moment, fused into one timeline. Queries go through a
 * cache that remembers each answer with the span of times it holds for; any new input is a new
 * version, so a cached answer never outlives what it was computed from.
 */
export class PresenceModel {
  readonly #queries = new CachedPresenceQueries({ maxEntries: 1024 });
  #history: readonly PresenceInterval[] = [];
  #historyWindow: Interval = { start: 0, end: 0 };
  #live: LivePresence | undefined;
  #timeline = new PresenceTimeline([]);
  #version = 0;
  #builtFor = { version: -1, calendarVersion: -1, liveUntil: -Infinity };
  #calendar: CalendarPresence | undefined;

  /** The calendars, for the time ahead of the history. */
  attachCalendar(calendar: CalendarPresence | undefined): void {
    this.#calendar = calendar;
    this.#version++;
  }

  /** The presence over the analysed window, from the last analysis. */
  setHistory(intervals: readonly PresenceInterval[], window: Interval): void {
    this.#history = intervals;
    this.#historyWindow = window;
    this.#version++;
  }

  setLive(live: LivePresence | undefined): void {
    const same =
      live?.home === this.#live?.home &&
      live?.since === this.#live?.since &&
      live?.residentsHome.join() === this.#live?.residentsHome.join();
    if (!same) {
      this.#live = live;
      this.#version++;
    }
  }

  presenceAt(t: number, now: number): PresenceAnswer {
    const timeline = this.#timelineAt(now);
    return this.#queries.presenceAt(timeline, this.#combinedVersion(), t, now);
  }

  predict(t: number, horizonMs: number, now: number): PresencePrediction {
    const timeline = this.#timelineAt(now);
    return this.#queries.predict(timeline, this.#combinedVersion(), t, horizonMs, now);
  }

  /** The intervals that overlap `[from, to)`, clipped to it. */
  intervals(from: number, to: number, now: number): PresenceInterval[] {
    return this.#timelineAt(now)
      .intervals.filter((interval) => interval.end > from && interval.start < to)
      .map((interval) => ({
        ...interval,
        start: Math.max(interval.start, from),
        end: Math.min(interval.end, to),
      }));
  }

  stats(): CacheStats {
    return this.#queries.stats();
  }

  #combinedVersion(): number {
    // The calendar service counts its own rebuilds; both counts together name one timeline.
    return this.#version * 1_000_003 + (this.#calendar?.stats().version ?? 0);
  }

  #timelineAt(now: number): PresenceTimeline {
    const calendarVersion = this.#calendar?.stats().version ?? 0;
    const built = this.#builtFor;
    const liveExpired = this.#live !== undefined && now >= built.liveUntil;
    if (built.version === this.#version && built.calendarVersion === calendarVersion) {
      if (!liveExpired) {
        return this.#timeline;
      }
    }

    // A query also keeps the calendars fresh: the service refreshes them in the background.
    this.#calendar?.presenceAt(now, now);
    const liveUntil = now + LIVE_HOLD_MS;
    this.#timeline = new PresenceTimeline(this.#fuse(liveUntil));
    this.#builtFor = { version: this.#version, calendarVersion, liveUntil };
    return this.#timeline;
  }

  #fuse(liveUntil: number): PresenceInterval[] {
    const predicted = this.#calendar?.intervals() ?? [];
    const observed = [...this.#history];
    const live = this.#live;
    if (live !== undefined) {
      const start = Math.max(live.since, this.#historyWindow.end);
      trimAfter(observed, start);
      observed.push(liveInterval(live, start, liveUntil));
    }

    const start = Math.min(
      this.#historyWindow.start,
      predicted[0]?.start ?? Infinity,
      observed[0]?.start ?? Infinity,
    );
    const end = Math.max(this.#historyWindow.end, predicted.at(-1)?.end ?? -Infinity, liveUntil);
    return Number.isFinite(start)
      ? fillGaps(fusePresence(observed, predicted, { start, end }))
      : [];
  }
}

/** Spans that neither the history, the calendars nor the live states speak for are unknown. */
function fillGaps(intervals: readonly PresenceInterval[]): PresenceInterval[] {
  const filled: PresenceInterval[] = [];
  for (const interval of intervals) {
    const last = filled.at(-1);
    if (last !== undefined && last.end < interval.start) {
      filled.push({
        start: last.end,
        end: interval.start,
        state: 'unknown',
        workFromHome: false,
        confidence: 0,
        source: 'none',
        reason: 'no history, calendar or live state covers this time',
        stale: false,
      });
    }

    filled.push(interval);
  }

  return filled;
}

function trimAfter(intervals: PresenceInterval[], time: number): void {
  while (intervals.length > 0 && (intervals.at(-1)?.start ?? 0) >= time) {
    intervals.pop();
  }

  const last = intervals.at(-1);
  if (last !== undefined && last.end > time) {
    intervals[intervals.length - 1] = { ...last, end: time };
  }
}

function liveInterval(live: LivePresence, start: number, end: number): PresenceInterval {
  const who = live.residentsHome.join(', ');
  return {
    start,
    end,
    state: live.home ? 'home' : 'away',
    workFromHome: false,
    confidence: LIVE_CONFIDENCE,
    source: LIVE_SOURCE,
    reason: live.home ? `home now: ${who}` : 'no resident is home now',
    stale: false,
  };
}
