import { isRealState } from '../../home/index.js';
import type { StateChange } from '../../home/index.js';

/** The last state handed on for one entity, and when it was entered. */
interface Delivered {
  state: string;
  time: number;
}

/**
 * What has been handed on, per entity, so that the same change heard twice (live and again from
 * a backfill, or from the recorder and from the states read on reconnect) goes out once. It keeps
 * the rule a timeline is built by: a non-state or a repeat of the state in force is no change.
 */
export class ChangeLedger {
  private readonly last = new Map<string, Delivered>();

  /** Takes `state` as the entity's state in force without handing anything on. */
  baseline(entityId: string, state: string, time: number): void {
    if (!this.last.has(entityId) && isRealState(state)) {
      this.last.set(entityId, { state, time });
    }
  }

  has(entityId: string): boolean {
    return this.last.has(entityId);
  }

  /**
   * Whether `change` is new, recording it if so. `previous`, the state the change left as Home
   * Assistant reported it, is the baseline when the entity was not seen before.
   */
  accept(change: StateChange, previous?: string): boolean {
    if (!isRealState(change.state)) {
      return false;
    }

    if (previous !== undefined) {
      this.baseline(change.entityId, previous, -Infinity);
    }

    const last = this.last.get(change.entityId);
    if (last !== undefined && (change.state === last.state || change.time < last.time)) {
      return false;
    }

    this.last.set(change.entityId, { state: change.state, time: change.time });
    return true;
  }
}
