import { createClassifier } from '../calendar/index.js';
import type { CalendarEvent, CalendarSource, Classification } from '../calendar/index.js';
import type { ClassificationRule } from '../calendar/index.js';
import { TandemError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import type { Interval } from '../timeline/index.js';
import { TtlLruCache } from './cache.js';
import type { CacheOptions, CacheStats } from './cache.js';
import { CachedPresenceQueries } from './cached-queries.js';
import { computeCalendarPresence } from './calendar-presence.js';
import type { CommuteMargins, SourceCoverage, TripHours } from './calendar-presence.js';
import { PresenceTimeline } from './presence-timeline.js';
import type {
  PresenceAnswer,
  PresenceInterval,
  PresencePrediction,
  SourceStatus,
} from './types.js';

export interface CalendarPresenceOptions {
  sources: readonly CalendarSource[];
  homeLocation?: string | readonly string[];
  rules?: readonly ClassificationRule[];
  commute?: CommuteMargins;
  /** Learned margins that replace every rule's travel time; see `computeCalendarPresence`. */
  learned?: CommuteMargins;
  tripHours?: TripHours;
  /** How many people live in the home; see `computeCalendarPresence`. */
  residents?: number;
  /** The cache in front of the sources: TTL one hour and 100 entries unless set. */
  sourceCache?: CacheOptions;
  /** The cache in front of the queries. */
  queryCache?: CacheOptions;
  /** How far before and after `now` the calendars are read; one and fourteen days by default. */
  lookBehindMs?: number;
  lookAheadMs?: number;
  logger?: Logger;
}

export interface CalendarPresenceStats {
  sources: CacheStats;
  queries: CacheStats;
  refreshes: number;
  version: number;
}

interface SourceEntry {
  range: Interval;
  events: CalendarEvent[];
  fetchedAt: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The calendar-derived presence of a household, kept up to date. Queries are synchronous and
 * answer from the current timeline; when the sources' data is older than the cache TTL, a
 * query starts a refresh in the background. A source that fails keeps serving its last good
 * events, marked stale; a source with no data at all makes the answer `unknown`.
 */
export class CalendarPresence {
  readonly #options: CalendarPresenceOptions;
  readonly #logger: Logger;
  readonly #classify: (event: CalendarEvent) => Classification;
  readonly #sourceCache: TtlLruCache<SourceEntry>;
  readonly #queries: CachedPresenceQueries;
  readonly #ttlMs: number;
  #timeline = new PresenceTimeline([]);
  #statuses: SourceStatus[] = [];
  #version = 0;
  #refreshes = 0;
  #nextRefreshAt = -Infinity;
  #inFlight: Promise<void> | undefined;
  /** What the current timeline was built from: the window and each source's cache entry. */
  #inputs: readonly unknown[] = [];

  constructor(options: CalendarPresenceOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#classify = createClassifier({ rules: options.rules, homeLocation: options.homeLocation });
    this.#ttlMs = options.sourceCache?.ttlMs ?? HOUR_MS;
    this.#sourceCache = new TtlLruCache({
      ttlMs: this.#ttlMs,
      maxEntries: 100,
      ...options.sourceCache,
    });
    this.#queries = new CachedPresenceQueries(options.queryCache);
  }

  /**
   * Reads the sources (through the cache) for `window`, by default the days around `now`, and
   * rebuilds the timeline. Concurrent calls share one refresh.
   */
  refresh(now: number, window: Interval = this.#defaultWindow(now)): Promise<void> {
    this.#inFlight ??= this.#refresh(now, window).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Resolves once no refresh is running, e.g. before shutting down. */
  async whenIdle(): Promise<void> {
    await this.#inFlight;
  }

  presenceAt(t: number, now: number): PresenceAnswer {
    this.#refreshIfDue(now);
    return this.#queries.presenceAt(this.#timeline, this.#version, t, now);
  }

  predict(t: number, horizon: number, now: number): PresencePrediction {
    this.#refreshIfDue(now);
    return this.#queries.predict(this.#timeline, this.#version, t, horizon, now);
  }

  intervals(): readonly PresenceInterval[] {
    return this.#timeline.intervals;
  }

  sourceStatus(): readonly SourceStatus[] {
    return this.#statuses;
  }

  stats(): CalendarPresenceStats {
    return {
      sources: this.#sourceCache.stats(),
      queries: this.#queries.stats(),
      refreshes: this.#refreshes,
      version: this.#version,
    };
  }

  /** Whole days, so that the window, and with it the timeline, changes once a day at most. */
  #defaultWindow(now: number): Interval {
    const start = Math.floor((now - (this.#options.lookBehindMs ?? DAY_MS)) / DAY_MS) * DAY_MS;
    const end = Math.ceil((now + (this.#options.lookAheadMs ?? 14 * DAY_MS)) / DAY_MS) * DAY_MS;
    return { start, end };
  }

  #refreshIfDue(now: number): void {
    if (this.#inFlight !== undefined || now < this.#nextRefreshAt) {
      return;
    }

    this.refresh(now).catch((error: unknown) => {
      this.#logger.error({ error: String(error) }, 'calendar refresh failed');
    });
  }

  async #refresh(now: number, window: Interval): Promise<void> {
    const started = performance.now();
    this.#nextRefreshAt = now + this.#ttlMs;
    const results = await Promise.all(
      this.#options.sources.map((source) => this.#readSource(source, window, now)),
    );

    const inputs = [window.start, window.end, ...results.map((result) => result.entry)];
    if (isSameList(inputs, this.#inputs)) {
      // Every source answered from the cache for the same window: the timeline stands.
      this.#refreshes++;
      return;
    }

    this.#inputs = inputs;
    const events = results.flatMap((result) => result.events);
    const classified = events.map((event) => ({ event, classification: this.#classify(event) }));
    const intervals = computeCalendarPresence(
      classified,
      results.map((result) => result.coverage),
      {
        window,
        commute: this.#options.commute,
        ...(this.#options.learned === undefined ? {} : { learned: this.#options.learned }),
        tripHours: this.#options.tripHours,
        residents: this.#options.residents,
      },
    );
    this.#install(
      intervals,
      results.map((result) => result.status),
    );
    this.#logger.info(
      {
        events: events.length,
        intervals: intervals.length,
        durationMs: performance.now() - started,
      },
      'calendar presence refreshed',
    );
  }

  #install(intervals: PresenceInterval[], statuses: SourceStatus[]): void {
    this.#refreshes++;
    this.#statuses = statuses;
    if (!isSameTimeline(this.#timeline.intervals, intervals)) {
      this.#timeline = new PresenceTimeline(intervals);
      this.#version++;
    }
  }

  async #readSource(source: CalendarSource, window: Interval, now: number) {
    const cached = this.#sourceCache.get(source.id, now, (entry) => covers(entry.range, window));
    if (cached?.fresh === true) {
      return this.#fromEntry(source.id, cached.value, window, null);
    }

    try {
      const events = await source.fetchEvents(window, { now });
      const entry = { range: window, events, fetchedAt: now };
      this.#sourceCache.set(source.id, entry, now);
      return this.#fromEntry(source.id, entry, window, null);
    } catch (error) {
      const failure = toFailure(error);
      this.#logger.warn({ source: source.id, ...failure }, 'calendar source failed');
      const lastGood = this.#sourceCache.peek(source.id);
      return lastGood === undefined
        ? noData(source.id, failure)
        : this.#fromEntry(source.id, lastGood, window, failure);
    }
  }

  #fromEntry(
    source: string,
    entry: SourceEntry,
    window: Interval,
    failure: { code: string; message: string } | null,
  ) {
    const start = Math.max(entry.range.start, window.start);
    const end = Math.min(entry.range.end, window.end);
    const covered = start < end ? { start, end } : null;
    const stale = failure !== null;
    const reason = failure?.message;
    const coverage: SourceCoverage = { source, covered, stale, reason };
    const status: SourceStatus = {
      source,
      ok: !stale,
      stale,
      events: entry.events.length,
      fetchedAt: entry.fetchedAt,
      ...(failure === null ? {} : { error: failure }),
    };
    return { events: entry.events, coverage, status, entry: failure === null ? entry : failure };
  }
}

function noData(source: string, failure: { code: string; message: string }) {
  const coverage: SourceCoverage = { source, covered: null, stale: false, reason: failure.message };
  const status: SourceStatus = {
    source,
    ok: false,
    stale: false,
    events: 0,
    fetchedAt: null,
    error: failure,
  };
  return { events: [] as CalendarEvent[], coverage, status, entry: failure };
}

function isSameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function toFailure(error: unknown): { code: string; message: string } {
  if (error instanceof TandemError) {
    return { code: error.code, message: error.message };
  }

  return {
    code: 'CALENDAR_UNAVAILABLE',
    message: error instanceof Error ? error.message : String(error),
  };
}

function covers(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && outer.end >= inner.end;
}

function isSameTimeline(a: readonly PresenceInterval[], b: readonly PresenceInterval[]): boolean {
  if (a.length !== b.length) {
    return false;
  }

  return a.every((interval, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      interval.start === other.start &&
      interval.end === other.end &&
      interval.state === other.state &&
      interval.workFromHome === other.workFromHome &&
      interval.confidence === other.confidence &&
      interval.reason === other.reason &&
      interval.stale === other.stale
    );
  });
}
