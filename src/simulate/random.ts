/**
 * A small seeded pseudo-random generator (mulberry32), so that one seed always yields the same
 * home. `Math.random` is never used by the simulator: it cannot be seeded.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) {
      throw new RangeError('cannot pick from an empty list');
    }

    return item;
  }

  /** A roughly normal value (sum of uniforms), cheap and good enough for jitter. */
  normal(mean: number, deviation: number): number {
    const sum = this.next() + this.next() + this.next() + this.next() - 2;

    return mean + sum * deviation * Math.sqrt(3);
  }

  /** The wait before the next event of a Poisson process whose mean gap is `meanMs`. */
  exponential(meanMs: number): number {
    return -Math.log(1 - this.next()) * meanMs;
  }

  /** `count` random bytes. */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = Math.floor(this.next() * 256);
    }

    return out;
  }

  /** A child generator whose sequence does not depend on how much of this one is used later. */
  fork(label: string): Random {
    let hash = this.state ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) {
      hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    }

    return new Random(hash >>> 0);
  }
}
