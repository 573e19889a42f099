import { CHANGE_CAUSES } from '../home/index.js';
import type { ChangeCause } from '../home/index.js';
import type { Interval } from './interval.js';
import { lastAtOrBefore } from './search.js';
import type { StateTable } from './state-table.js';

/** Marks "no state known" in `initial` and "no parent" in `parents`. */
export const NONE = -1;

/**
 * One entity's real state changes inside a window, as parallel typed arrays so that a home of a
 * thousand entities over months stays compact and can be scanned without allocating. Built once
 * by a `TimelineBuilder`, then shared read-only.
 */
export interface Timeline {
  readonly entityId: string;
  readonly window: Interval;
  /** The state code in force from `since`, or `NONE` when the entity never had a real state. */
  readonly initial: number;
  /** `window.start`, or the time of the entity's first state when it appeared later. */
  readonly since: number;
  /** When each change happened, epoch ms, ascending. */
  readonly times: Float64Array;
  /** The state code each change entered; never equal to the one before it. */
  readonly states: Int32Array;
  /** Each change's cause, an index into `CHANGE_CAUSES`. */
  readonly causes: Uint8Array;
  /** The index (in the home's entity list) of the entity whose change triggered this one. */
  readonly parents: Int32Array;
  /** When that triggering change happened, epoch ms; NaN when there is none. */
  readonly parentTimes: Float64Array;
  readonly length: number;
}

const INITIAL_CAPACITY = 16;

/**
 * Accumulates raw state rows in time order and keeps only real changes: `unavailable`,
 * `unknown` and the empty state are skipped, and a row repeating the state in force is an
 * attribute update, not a change.
 */
export class TimelineBuilder {
  private initial = NONE;
  private since: number;
  private current = NONE;
  private length = 0;
  private times = new Float64Array(INITIAL_CAPACITY);
  private states = new Int32Array(INITIAL_CAPACITY);
  private causes = new Uint8Array(INITIAL_CAPACITY);
  private parents = new Int32Array(INITIAL_CAPACITY);
  private parentTimes = new Float64Array(INITIAL_CAPACITY);

  constructor(
    private readonly entityId: string,
    private readonly window: Interval,
    private readonly table: StateTable,
  ) {
    this.since = window.start;
  }

  /** The state in force at the window's start, read from before it. Call before any `push`. */
  setInitial(state: string): void {
    const code = this.table.codeOf(state);
    if (this.table.isReal(code)) {
      this.initial = code;
      this.current = code;
    }
  }

  /**
   * Adds one row; returns whether it was a real change. `cause` is a name or its index in
   * `CHANGE_CAUSES`, which readers of millions of rows pass to skip the lookup.
   */
  push(
    time: number,
    state: string,
    cause: ChangeCause | number = 0,
    parent = NONE,
    parentTime = NaN,
  ): boolean {
    const code = this.table.codeOf(state);
    if (!this.table.isReal(code)) {
      return false;
    }

    if (this.current === NONE) {
      this.initial = code;
      this.current = code;
      this.since = time;
      return false;
    }

    if (code === this.current) {
      return false;
    }

    this.append(
      time,
      code,
      typeof cause === 'number' ? cause : CHANGE_CAUSES.indexOf(cause),
      parent,
      parentTime,
    );
    this.current = code;
    return true;
  }

  build(): Timeline {
    const n = this.length;
    return {
      entityId: this.entityId,
      window: this.window,
      initial: this.initial,
      since: this.since,
      times: this.times.slice(0, n),
      states: this.states.slice(0, n),
      causes: this.causes.slice(0, n),
      parents: this.parents.slice(0, n),
      parentTimes: this.parentTimes.slice(0, n),
      length: n,
    };
  }

  private append(
    time: number,
    code: number,
    cause: number,
    parent: number,
    parentTime: number,
  ): void {
    if (this.length === this.times.length) {
      this.grow();
    }

    const i = this.length++;
    this.times[i] = time;
    this.states[i] = code;
    this.causes[i] = cause;
    this.parents[i] = parent;
    this.parentTimes[i] = parentTime;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = copyInto(new Float64Array(capacity), this.times);
    this.states = copyInto(new Int32Array(capacity), this.states);
    this.causes = copyInto(new Uint8Array(capacity), this.causes);
    this.parents = copyInto(new Int32Array(capacity), this.parents);
    this.parentTimes = copyInto(new Float64Array(capacity), this.parentTimes);
  }
}

function copyInto<T extends Float64Array | Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}

/** The state code in force at `time`, or `NONE`. Binary search: O(log n). */
export function stateAt(timeline: Timeline, time: number): number {
  if (time < timeline.since) {
    return NONE;
  }

  const i = lastAtOrBefore(timeline.times, time);
  return i < 0 ? timeline.initial : (timeline.states[i] ?? NONE);
}

/** The cause of change `index` as a name. */
export function causeOf(timeline: Timeline, index: number): ChangeCause {
  return CHANGE_CAUSES[timeline.causes[index] ?? 0] ?? 'device';
}
