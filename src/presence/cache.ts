import { LRUCache } from 'lru-cache';

export interface CacheOptions {
  /** How long an entry counts as fresh, in ms; default one hour. */
  ttlMs?: number;
  /** The most entries kept; the least recently used go first. */
  maxEntries?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Lookups answered with an expired entry while a refresh was due. */
  stale: number;
  size: number;
  maxEntries: number;
  hitRate: number;
}

export type CacheLookup<V> = { value: V; fresh: boolean } | undefined;

interface Entry<V> {
  value: V;
  storedAt: number;
}

const HOUR_MS = 3_600_000;

/**
 * A size-bounded LRU whose freshness is judged against the caller's clock rather than the
 * process clock, so that tests and replays can age entries at will. Expired entries are kept
 * (until evicted) because a stale answer beats none when a source is down.
 */
export class TtlLruCache<V extends object> {
  readonly #entries: LRUCache<string, Entry<V>>;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #hits = 0;
  #misses = 0;
  #stale = 0;

  constructor({ ttlMs = HOUR_MS, maxEntries = 500 }: CacheOptions = {}) {
    this.#entries = new LRUCache({ max: maxEntries });
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /**
   * Looks a key up and counts the outcome. `accepts` lets a caller reject an entry that exists
   * but does not answer this lookup (another range, another data version): that is a miss.
   */
  get(key: string, now: number, accepts?: (value: V) => boolean): CacheLookup<V> {
    const entry = this.#entries.get(key);
    if (entry === undefined || (accepts !== undefined && !accepts(entry.value))) {
      this.#misses++;
      return undefined;
    }

    const fresh = now - entry.storedAt < this.#ttlMs;
    if (fresh) {
      this.#hits++;
    } else {
      this.#stale++;
    }

    return { value: entry.value, fresh };
  }

  /** Reads an entry without counting or reordering it, e.g. to fall back on after a failure. */
  peek(key: string): V | undefined {
    return this.#entries.peek(key)?.value;
  }

  set(key: string, value: V, now: number): void {
    this.#entries.set(key, { value, storedAt: now });
  }

  /** Drops every entry; the counts of hits and misses go on. */
  clear(): void {
    this.#entries.clear();
  }

  stats(): CacheStats {
    const lookups = this.#hits + this.#misses + this.#stale;
    return {
      hits: this.#hits,
      misses: this.#misses,
      stale: this.#stale,
      size: this.#entries.size,
      maxEntries: this.#maxEntries,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }
}
