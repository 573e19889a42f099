import type { EventStream } from './event-streams.js';

/**
 * The upper edges of the lag buckets, in seconds. Habits take from a second (a motion sensor
 * switching a light) to ten minutes or so (the fan after a shower); the buckets grow with the
 * lag so that each is about as wide as the uncertainty of lags at that scale. The longest lag
 * bounds the cost of the scan: every event is compared with all events that follow it within
 * it, so doubling it doubles the work.
 */
export const LAG_EDGES_S = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900] as const;
export const BUCKETS = LAG_EDGES_S.length;
export const MAX_LAG_MS = (LAG_EDGES_S[BUCKETS - 1] ?? 0) * 1000;

/**
 * For a memoryless stream at `ratePerHour`, the share of its first events within the longest
 * lag that fall within each bucket edge: the same for every pair it answers, so worked out once.
 */
export function computeLagShares(ratePerHour: number): Float64Array {
  const rate = ratePerHour / 3_600_000;
  const atMax = -Math.expm1(-rate * MAX_LAG_MS);
  return Float64Array.from(LAG_EDGES_S, (seconds) =>
    atMax > 0 ? -Math.expm1(-rate * seconds * 1000) / atMax : (seconds * 1000) / MAX_LAG_MS,
  );
}

/** Every event of every stream in one time-ordered sequence. */
export interface MergedEvents {
  times: Float64Array;
  streams: Int32Array;
}

/** Merges the sorted streams pairwise, log2(streams) linear passes in all. */
export function mergeEvents(streams: readonly EventStream[]): MergedEvents {
  let runs: MergedEvents[] = streams.map((stream, i) => ({
    times: stream.times,
    streams: new Int32Array(stream.times.length).fill(i),
  }));
  if (runs.length === 0) {
    return { times: new Float64Array(0), streams: new Int32Array(0) };
  }

  while (runs.length > 1) {
    const next: MergedEvents[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const left = runs[i];
      const right = runs[i + 1];
      if (left !== undefined) {
        next.push(right === undefined ? left : mergeTwo(left, right));
      }
    }

    runs = next;
  }

  return runs[0] ?? { times: new Float64Array(0), streams: new Int32Array(0) };
}

function mergeTwo(left: MergedEvents, right: MergedEvents): MergedEvents {
  const n = left.times.length + right.times.length;
  const times = new Float64Array(n);
  const streams = new Int32Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const takeLeft =
      j >= right.times.length ||
      (i < left.times.length && (left.times[i] ?? 0) <= (right.times[j] ?? 0));
    if (takeLeft) {
      times[k] = left.times[i] ?? 0;
      streams[k] = left.streams[i++] ?? 0;
    } else {
      times[k] = right.times[j] ?? 0;
      streams[k] = right.streams[j++] ?? 0;
    }
  }

  return { times, streams };
}

const EDGES_MS = Float64Array.from(LAG_EDGES_S, (seconds) => seconds * 1000);

/**
 * The first bucket whose upper edge is at or above the lag, by binary search over the eleven
 * edges: a few comparisons in registers beat a lookup table that falls out of the cache.
 */
export function bucketOf(lagMs: number): number {
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lagMs > (EDGES_MS[mid] ?? 0)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }

  return lo;
}

/**
 * For every ordered pair of streams of different entities, how many of A's events were followed
 * by B's first event after it in each lag bucket. Pairs that never met within the longest lag
 * take no memory beyond their slot in the index.
 */
export class LagCounts {
  private readonly index: Int32Array;
  private buckets = new Uint32Array(1024 * BUCKETS);
  private pairA = new Int32Array(1024);
  private pairB = new Int32Array(1024);
  private size = 0;

  constructor(readonly streamCount: number) {
    this.index = new Int32Array(streamCount * streamCount).fill(-1);
  }

  get pairs(): number {
    return this.size;
  }

  /** The same counts with room for `streamCount` streams; itself when there is room already. */
  withCapacity(streamCount: number): LagCounts {
    if (streamCount <= this.streamCount) {
      return this;
    }

    const grown = new LagCounts(Math.max(streamCount, this.streamCount * 2));
    this.forEach((a, b, buckets) => {
      const p = grown.allocate(a, b);
      grown.index[a * grown.streamCount + b] = p;
      grown.buckets.set(buckets, p * BUCKETS);
    });
    return grown;
  }

  add(a: number, b: number, lagMs: number): void {
    this.addAt(a * this.streamCount + b, a, b, lagMs);
  }

  /** `add` with the pair's key, `a * streamCount + b`, already worked out by the caller. */
  addAt(key: number, a: number, b: number, lagMs: number): void {
    let p = this.index[key] ?? -1;
    if (p < 0) {
      p = this.allocate(a, b);
      this.index[key] = p;
    }

    const cell = p * BUCKETS + bucketOf(lagMs);
    this.buckets[cell] = (this.buckets[cell] ?? 0) + 1;
  }

  /**
   * Calls `visit` with each pair that met and its bucket counts. The counts array is reused
   * for every pair (a million views would keep the garbage collector busy): copy it to keep it.
   */
  forEach(visit: (a: number, b: number, counts: Uint32Array) => void): void {
    const counts = new Uint32Array(BUCKETS);
    for (let p = 0; p < this.size; p++) {
      for (let k = 0; k < BUCKETS; k++) {
        counts[k] = this.buckets[p * BUCKETS + k] ?? 0;
      }

      visit(this.pairA[p] ?? 0, this.pairB[p] ?? 0, counts);
    }
  }

  private allocate(a: number, b: number): number {
    if (this.size === this.pairA.length) {
      const capacity = this.size * 2;
      this.pairA = grow(this.pairA, capacity);
      this.pairB = grow(this.pairB, capacity);
      const buckets = new Uint32Array(capacity * BUCKETS);
      buckets.set(this.buckets);
      this.buckets = buckets;
    }

    this.pairA[this.size] = a;
    this.pairB[this.size] = b;
    return this.size++;
  }
}

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

/**
 * For every event of A, the first event of every other entity's stream within the longest lag.
 * Events at the same instant count in both directions, since the order Home Assistant wrote
 * them in says nothing about cause.
 *
 * The events are taken trigger stream by trigger stream rather than in time order: every count
 * one trigger stream adds lands in the same row of `counts`, which then stays in the cache,
 * where time order would scatter the adds over the whole table.
 */
export function scanLags(
  merged: MergedEvents,
  entityOfStream: Int32Array,
  counts: LagCounts,
): void {
  const { times, streams } = merged;
  const n = times.length;
  const entities = streams.map((stream) => entityOfStream[stream] ?? -1);
  const groupStarts = computeGroupStarts(times);
  const seen = new Int32Array(counts.streamCount).fill(-1);
  for (const [a, positions] of positionsByStream(streams, counts.streamCount).entries()) {
    const row = a * counts.streamCount;
    for (const i of positions) {
      const t = times[i] ?? 0;
      const entity = entities[i];
      // The events before i at the same instant, then everything after it within the longest lag.
      for (let j = groupStarts[i] ?? i; j < n; j++) {
        const lag = (times[j] ?? 0) - t;
        if (lag > MAX_LAG_MS) {
          break;
        }

        const b = streams[j] ?? 0;
        if (seen[b] !== i && entities[j] !== entity) {
          seen[b] = i;
          counts.addAt(row + b, a, b, lag);
        }
      }
    }
  }
}

/** For each event, the index of the first event at the same instant. */
function computeGroupStarts(times: Float64Array): Int32Array {
  const starts = new Int32Array(times.length);
  for (let i = 1; i < times.length; i++) {
    starts[i] = times[i] === times[i - 1] ? (starts[i - 1] ?? i) : i;
  }

  return starts;
}

/** Where each stream's events sit in the merged sequence. */
function positionsByStream(streams: Int32Array, streamCount: number): Int32Array[] {
  const sizes = new Int32Array(streamCount);
  for (const stream of streams) {
    sizes[stream] = (sizes[stream] ?? 0) + 1;
  }

  const positions = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(streamCount);
  streams.forEach((stream, i) => {
    const slot = filled[stream] ?? 0;
    const list = positions[stream];
    if (list !== undefined) {
      list[slot] = i;
    }

    filled[stream] = slot + 1;
  });
  return positions;
}
