import { domainOf, hasActivity, isRealState } from '../home/index.js';
import type { StateChange } from '../home/index.js';
import type { CacheStats } from '../presence/index.js';
import { TtlLruCache } from '../presence/index.js';
import type { AnalysisContext } from './context.js';
import type { EventStream } from './event-streams.js';
import { DEFAULT_MAX_STATES, isRelatable } from './event-streams.js';
import { LagCounts, MAX_LAG_MS } from './lag-scan.js';
import type { MeasuredPair, PairVerdicts, SequentialOptions } from './sequential.js';
import { judgeSequential } from './sequential.js';
import type { SequentialRelation } from './types.js';

export interface CorrelationStreamOptions extends SequentialOptions {
  /** Entities with more distinct states than this (and no on/off meaning) are left out. */
  maxStates?: number;
  /** Judged pairs kept between queries; the least recently used go first. */
  cacheSize?: number;
  /** How long a judged pair is trusted when nothing touched it, ms; one hour by default. */
  cacheTtlMs?: number;
}

interface EntityState {
  index: number;
  domain: string;
  current: string | null;
  /** Set once its states show it is a measurement or has too many states to relate. */
  excluded: boolean;
  states: Set<string>;
}

/** One event still within the longest lag of the newest, and the streams seen after it. */
interface RecentEvent {
  time: number;
  stream: number;
  entity: number;
  followers: Set<number>;
}

interface GrowingStream {
  entity: number;
  entityId: string;
  state: string;
  times: number[];
  parents: number[];
  parentTimes: number[];
  automated: number[];
  /** Bumped by every event, so that a cached verdict on a pair can tell it is out of date. */
  version: number;
}

interface CachedVerdict {
  versionA: number;
  versionB: number;
  contextVersion: number;
  verdict: MeasuredPair | null;
}

const DEFAULT_CACHE_SIZE = 200_000;

/**
 * The sequential relations of a home kept up to date one state change at a time, as Home
 * Assistant reports them: each change updates the lag counts of the pairs it completes, in
 * O(events within the longest lag), and a query judges only the pairs that changed since they
 * were last judged. Over the same history it gives the same relations as
 * `computeSequentialRelations`.
 */
export class CorrelationStream {
  private readonly entities = new Map<string, EntityState>();
  private readonly streams: GrowingStream[] = [];
  private readonly streamIds = new Map<string, number>();
  private readonly recent: RecentEvent[] = [];
  private counts = new LagCounts(64);
  private readonly verdicts: TtlLruCache<CachedVerdict>;
  private contextVersion = 0;
  private lastContext: AnalysisContext | undefined;
  private lastTime = -Infinity;

  constructor(private readonly options: CorrelationStreamOptions = {}) {
    this.verdicts = new TtlLruCache({
      maxEntries: options.cacheSize ?? DEFAULT_CACHE_SIZE,
      ttlMs: options.cacheTtlMs,
    });
  }

  /**
   * Takes one state an entity entered. The first real state of an entity is where it starts,
   * not a change; repeats and `unavailable`/`unknown` are not changes either, exactly as when
   * a timeline is built. Changes must come in time order.
   */
  add(change: StateChange): void {
    if (change.time < this.lastTime) {
      throw new RangeError(
        `${change.entityId} changed at ${new Date(change.time).toISOString()}, before the ` +
          'last change taken; a stream takes changes in time order',
      );
    }

    const entity = this.entityOf(change.entityId);
    if (!isRealState(change.state) || change.state === entity.current) {
      return;
    }

    const first = entity.current === null;
    entity.current = change.state;
    if (first) {
      entity.excluded = !isRelatable(entity.domain, change.state);
      return;
    }

    this.lastTime = change.time;
    entity.states.add(change.state);
    if (!hasActivity(entity.domain) && entity.states.size > this.maxStates) {
      entity.excluded = true;
    }

    if (!entity.excluded) {
      this.record(change, entity);
    }
  }

  /** The relations as they stand, judged in `context` (the clock and presence of the home). */
  relations(context: AnalysisContext, now: number): SequentialRelation[] {
    if (context !== this.lastContext) {
      this.lastContext = context;
      this.contextVersion++;
    }

    const snapshot = this.snapshot();
    return judgeSequential(snapshot, this.counts, context, this.options, this.cachedVerdicts(now));
  }

  /** Hits, misses and size of the cache of judged pairs. */
  cacheStats(): CacheStats {
    return this.verdicts.stats();
  }

  private get maxStates(): number {
    return this.options.maxStates ?? DEFAULT_MAX_STATES;
  }

  private entityOf(entityId: string): EntityState {
    let entity = this.entities.get(entityId);
    if (entity === undefined) {
      entity = {
        index: this.entities.size,
        domain: domainOf(entityId),
        current: null,
        excluded: false,
        states: new Set(),
      };
      this.entities.set(entityId, entity);
    }

    return entity;
  }

  private record(change: StateChange, entity: EntityState): void {
    const stream = this.streamOf(change.entityId, change.state, entity.index);
    const event = {
      time: change.time,
      stream,
      entity: entity.index,
      followers: new Set<number>(),
    };
    this.forgetOlderThan(change.time - MAX_LAG_MS);

    // This event answers every earlier one it is the first of its stream after, and any at the
    // same instant answers it: the same pairs the batch scan counts.
    for (const earlier of this.recent) {
      if (earlier.entity === event.entity) {
        continue;
      }

      if (!earlier.followers.has(stream)) {
        earlier.followers.add(stream);
        this.counts.add(earlier.stream, stream, change.time - earlier.time);
      }

      if (earlier.time === change.time && !event.followers.has(earlier.stream)) {
        event.followers.add(earlier.stream);
        this.counts.add(stream, earlier.stream, 0);
      }
    }

    this.recent.push(event);
    const target = this.streams[stream];
    if (target !== undefined) {
      target.times.push(change.time);
      target.parents.push(this.parentIndex(change.parentEntityId));
      target.parentTimes.push(change.parentTime ?? NaN);
      target.automated.push(change.cause === 'automation' ? 1 : 0);
      target.version++;
    }
  }

  private forgetOlderThan(time: number): void {
    let drop = 0;
    while (drop < this.recent.length && (this.recent[drop]?.time ?? Infinity) < time) {
      drop++;
    }

    this.recent.splice(0, drop);
  }

  private parentIndex(parentEntityId: string | undefined): number {
    return parentEntityId === undefined ? -1 : this.entityOf(parentEntityId).index;
  }

  private streamOf(entityId: string, state: string, entity: number): number {
    const key = `${entityId}\u0000${state}`;
    let id = this.streamIds.get(key);
    if (id === undefined) {
      id = this.streams.length;
      this.streamIds.set(key, id);
      this.streams.push({
        entity,
        entityId,
        state,
        times: [],
        parents: [],
        parentTimes: [],
        automated: [],
        version: 0,
      });
      this.counts = this.counts.withCapacity(this.streams.length);
    }

    return id;
  }

  /** The streams as typed arrays; those of excluded entities are empty, so never eligible. */
  private snapshot(): EventStream[] {
    return this.streams.map((stream) => {
      const excluded = this.entities.get(stream.entityId)?.excluded ?? true;
      return {
        entity: stream.entity,
        entityId: stream.entityId,
        state: stream.state,
        times: Float64Array.from(excluded ? [] : stream.times),
        parents: Int32Array.from(excluded ? [] : stream.parents),
        parentTimes: Float64Array.from(excluded ? [] : stream.parentTimes),
        automated: Uint8Array.from(excluded ? [] : stream.automated),
      };
    });
  }

  private cachedVerdicts(now: number): PairVerdicts {
    const versionOf = (stream: number) => this.streams[stream]?.version ?? -1;
    return {
      get: (a, b) => {
        const current = (entry: CachedVerdict) =>
          entry.versionA === versionOf(a) &&
          entry.versionB === versionOf(b) &&
          entry.contextVersion === this.contextVersion;
        const found = this.verdicts.get(`${a}:${b}`, now, current);
        return found?.fresh === true ? found.value.verdict : undefined;
      },
      set: (a, b, verdict) => {
        const entry = {
          versionA: versionOf(a),
          versionB: versionOf(b),
          contextVersion: this.contextVersion,
          verdict,
        };
        this.verdicts.set(`${a}:${b}`, entry, now);
      },
    };
  }
}
