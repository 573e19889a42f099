import { TandemError } from '../errors.js';
import type { PlannedChange } from './behaviour.js';

/**
 * One entity's planned changes, computed lazily and read by several readers: the writer and the
 * behaviours that react to the entity. A change is kept only until every reader has passed it,
 * so memory holds the gap between the fastest and the slowest reader, not the whole period.
 * Readers share the change objects, which is how a response sees whether its trigger was
 * written and with which context.
 */
export class ChangeChannel {
  private readonly source: Iterator<PlannedChange>;
  /** Changes not yet passed by every reader; `buffer[head]` has position `base`. */
  private buffer: PlannedChange[] = [];
  private head = 0;
  private base = 0;
  private readonly cursors: number[] = [];
  private started = false;

  constructor(
    readonly entityId: string,
    source: Iterator<PlannedChange>,
  ) {
    this.source = source;
  }

  /**
   * A new reader from the first change. All readers must exist before the first read: a late
   * one would miss changes already dropped.
   */
  reader(): IterableIterator<PlannedChange> {
    if (this.started) {
      throw new TandemError(
        'INVALID_ARGUMENT',
        `"${this.entityId}" is read by a behaviour planned after its changes were consumed`,
      );
    }

    const id = this.cursors.push(0) - 1;
    const iterator: IterableIterator<PlannedChange> = {
      next: () => this.read(id),
      [Symbol.iterator]: () => iterator,
    };

    return iterator;
  }

  private read(id: number): IteratorResult<PlannedChange, undefined> {
    this.started = true;
    const position = this.cursors[id] ?? 0;
    const index = this.head + position - this.base;
    if (index >= this.buffer.length) {
      const next = this.source.next();
      if (next.done === true) {
        return { done: true, value: undefined };
      }

      this.buffer.push(next.value);
    }

    const value = this.buffer[index];
    if (value === undefined) {
      return { done: true, value: undefined };
    }

    this.cursors[id] = position + 1;
    this.drop();

    return { done: false, value };
  }

  /** Forgets the changes every reader has passed; compacts now and then, not on every read. */
  private drop(): void {
    let slowest = Infinity;
    for (const cursor of this.cursors) {
      slowest = Math.min(slowest, cursor);
    }

    this.head += slowest - this.base;
    this.base = slowest;
    if (this.head > 32 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
  }
}
