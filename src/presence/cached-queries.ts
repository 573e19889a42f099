import { TtlLruCache } from './cache.js';
import type { CacheOptions, CacheStats } from './cache.js';
import type { PresenceTimeline } from './presence-timeline.js';
import type { PresenceAnswer, PresencePrediction } from './types.js';

interface CachedAnswer<T> {
  /** The timeline version the answer was computed from. */
  version: number;
  /** The answer holds for every query time in `[validFrom, validUntil)`. */
  validFrom: number;
  validUntil: number;
  value: T;
}

/**
 * Remembers each answer together with the span of query times it stays true for, so that a
 * caller asking "now?" once a minute computes anew only when the household's state changes.
 * Answers never outlive the timeline they came from: a new version is a miss.
 */
export class CachedPresenceQueries {
  readonly #cache: TtlLruCache<CachedAnswer<PresenceAnswer | PresencePrediction>>;

  /**
   * The TTL defaults to none here: an answer is bounded by its validity span and by the data
   * version, which the source cache's own TTL keeps fresh.
   */
  constructor(options: CacheOptions = {}) {
    this.#cache = new TtlLruCache({ ttlMs: Infinity, maxEntries: 256, ...options });
  }

  presenceAt(timeline: PresenceTimeline, version: number, t: number, now: number): PresenceAnswer {
    const cached = this.#lookup('at', version, t, now);
    if (cached !== undefined) {
      return cached as PresenceAnswer;
    }

    const answer = timeline.presenceAt(t);
    this.#cache.set(
      'at',
      { version, validFrom: answer.since, validUntil: answer.until, value: answer },
      now,
    );
    return answer;
  }

  predict(
    timeline: PresenceTimeline,
    version: number,
    t: number,
    horizon: number,
    now: number,
  ): PresencePrediction {
    const key = `predict:${horizon}`;
    const cached = this.#lookup(key, version, t, now) as PresencePrediction | undefined;
    if (cached !== undefined) {
      return cached.at === t ? cached : { ...cached, at: t };
    }

    const prediction = timeline.predict(t, horizon);
    // The answer stays the same while neither t nor t + horizon crosses an interval boundary.
    const here = timeline.presenceAt(t);
    const there = timeline.presenceAt(t + horizon);
    const validFrom = Math.max(here.since, there.since - horizon);
    const validUntil = Math.min(here.until, there.until - horizon);
    this.#cache.set(key, { version, validFrom, validUntil, value: prediction }, now);
    return prediction;
  }

  stats(): CacheStats {
    return this.#cache.stats();
  }

  #lookup(key: string, version: number, t: number, now: number) {
    const found = this.#cache.get(
      key,
      now,
      (entry) => entry.version === version && t >= entry.validFrom && t < entry.validUntil,
    );
    return found?.fresh === true ? found.value.value : undefined;
  }
}
