import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { CacheStats } from '../presence/index.js';

/** A named cache whose hits and misses `/metrics` reports. */
export interface MetricsCache {
  name: string;
  stats(): CacheStats;
}

export interface MetricsSources {
  caches(): readonly MetricsCache[];
  /** Each source by name, up (1) or not (0). */
  sourcesUp(): readonly { name: string; up: boolean }[];
  eventsIngested(): number;
  analysis(): { durationMs: number; analyzedAt: number; runs: number };
}

/**
 * Buckets from half a millisecond to a few seconds: the routes answer in well under 5 ms, and
 * the buckets must tell 1 ms from 2 ms to show it.
 */
const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5];

/**
 * The Prometheus metrics of one server: request latencies observed as requests end, and the
 * rest (caches, events, sources, analysis) read from the service when scraped, so they cost
 * nothing between scrapes.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Histogram<'method' | 'route' | 'status_code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tandem_' });
    this.#requests = new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'Time from request to response, by route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });

    // Counters the service already keeps are copied at each scrape; prom-client's collect hook
    // is the one place where a counter may be set rather than incremented.
    const cacheCounter = (name: string, help: string, read: (stats: CacheStats) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['cache'],
        registers,
        collect() {
          this.reset();
          for (const cache of sources.caches()) {
            this.inc({ cache: cache.name }, read(cache.stats()));
          }
        },
      });
    cacheCounter('tandem_cache_hits_total', 'Lookups answered from the cache', (s) => s.hits);
    cacheCounter(
      'tandem_cache_misses_total',
      'Lookups the cache could not answer',
      (s) => s.misses,
    );
    new Gauge({
      name: 'tandem_cache_hit_ratio',
      help: 'Hits over all lookups since the start (0 before any)',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const cache of sources.caches()) {
          this.set({ cache: cache.name }, cache.stats().hitRate);
        }
      },
    });

    new Counter({
      name: 'tandem_events_ingested_total',
      help: 'State changes received live from Home Assistant',
      registers,
      collect() {
        this.reset();
        this.inc(sources.eventsIngested());
      },
    });
    new Gauge({
      name: 'tandem_source_up',
      help: 'Whether a source (recorder, Home Assistant, a calendar) answered last time',
      labelNames: ['source'],
      registers,
      collect() {
        for (const source of sources.sourcesUp()) {
          this.set({ source: source.name }, source.up ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'tandem_analysis_duration_seconds',
      help: 'How long the latest analysis of the home took',
      registers,
      collect() {
        this.set(sources.analysis().durationMs / 1000);
      },
    });
    new Gauge({
      name: 'tandem_analysis_timestamp_seconds',
      help: 'When the latest analysis ran, Unix time',
      registers,
      collect() {
        this.set(sources.analysis().analyzedAt / 1000);
      },
    });
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#requests.observe({ method, route, status_code: statusCode }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
