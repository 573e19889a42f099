import { firstAtOrAfter, lastAtOrBefore } from '../../timeline/index.js';

/**
 * The binary searches of timeline/ over one ascending list, asked for many times in a row. The
 * insight pass asks them for every event of a trigger, and those times ascend: walking on from
 * the previous answer costs a step or two per time where a search costs a dozen. A time that
 * steps back gets a fresh search, so the answers are the searches' whatever the order.
 */
export class SearchCursor {
  /** The previous answer of `firstAtOrAfter`, and the time it was for. */
  private lower = 0;
  private lowerTime = -Infinity;
  /** One past the previous answer of `lastAtOrBefore`, and the time it was for. */
  private upper = 0;
  private upperTime = -Infinity;

  constructor(private readonly values: ArrayLike<number>) {}

  firstAtOrAfter(time: number): number {
    const { values } = this;
    if (time < this.lowerTime) {
      this.lower = firstAtOrAfter(values, time);
    }

    while (this.lower < values.length && (values[this.lower] ?? 0) < time) {
      this.lower++;
    }

    this.lowerTime = time;
    return this.lower;
  }

  lastAtOrBefore(time: number): number {
    const { values } = this;
    if (time < this.upperTime) {
      this.upper = lastAtOrBefore(values, time) + 1;
    }

    while (this.upper < values.length && (values[this.upper] ?? 0) <= time) {
      this.upper++;
    }

    this.upperTime = time;
    return this.upper - 1;
  }
}
