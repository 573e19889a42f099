import type { Context, HassEntity } from 'home-assistant-js-websocket';
import { LRUCache } from 'lru-cache';

import type { ChangeCause, StateChange } from '../../home/index.js';

/** `2026-03-01T12:00:00.123456+00:00`; Python leaves the fraction out on a whole second. */
const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * A Home Assistant time in epoch ms, rounded exactly as the recorder reader rounds its float
 * seconds, so that a change heard live and the same change read back from the recorder get the
 * same time. `Date.parse` drops the microseconds instead of rounding them, which would make the
 * two differ by a millisecond about half the time. NaN when the text is not such a time.
 */
export function parseHomeAssistantTime(text: string): number {
  const match = ISO_TIME.exec(text);
  if (match === null) {
    return NaN;
  }

  const [, wholeSeconds = '', fraction = '', zone = ''] = match;
  const seconds = Date.parse(`${wholeSeconds}${zone}`) / 1000;
  const micros = seconds * 1e6 + Number(fraction.padEnd(6, '0'));

  // The recorder stores `micros / 1e6` as a double, and the reader rounds that times 1000.
  return Math.round((micros / 1e6) * 1000);
}

/** The same rule as the recorder reader's: a parent context wins over a user. */
export function causeOfContext(context: Context | undefined): ChangeCause {
  if (context?.parent_id) {
    return 'automation';
  }

  return context?.user_id ? 'user' : 'device';
}

/** The change that carried a context: which entity, and when, epoch ms. */
interface ContextChange {
  entityId: string;
  time: number;
}

/**
 * The entity and time of recent changes by their context id, so that a change an automation
 * made can name the change that triggered it. Automations answer within seconds, so a bounded
 * memory of the latest contexts is enough; the oldest are forgotten first.
 */
export class ContextParents {
  private readonly changes: LRUCache<string, ContextChange>;

  constructor(maxContexts: number) {
    this.changes = new LRUCache({ max: maxContexts });
  }

  /** The first change with a context is the one that carried it, as the recorder reader has it. */
  remember(state: HassEntity): void {
    const id = state.context.id;
    if (!this.changes.has(id)) {
      this.changes.set(id, {
        entityId: state.entity_id,
        time: parseHomeAssistantTime(state.last_updated),
      });
    }
  }

  resolve(parentId: string): ContextChange | undefined {
    return this.changes.get(parentId);
  }
}

/**
 * The change that made `state` the entity's state: entered at `last_changed`, its cause and
 * parent read from the context.
 */
export function changeOfState(state: HassEntity, parents: ContextParents): StateChange {
  const cause = causeOfContext(state.context);
  const change: StateChange = {
    entityId: state.entity_id,
    time: parseHomeAssistantTime(state.last_changed),
    state: state.state,
    cause,
  };

  const parent =
    state.context.parent_id === null ? undefined : parents.resolve(state.context.parent_id);
  if (parent !== undefined) {
    change.parentEntityId = parent.entityId;
    change.parentTime = parent.time;
  }

  return change;
}
