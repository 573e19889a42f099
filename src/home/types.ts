/**
 * Why a state changed, read from its context: an automation or script (the context has a
 * parent), a person through the UI or API (the context names a user), or the device itself.
 */
export type ChangeCause = 'device' | 'user' | 'automation';

export const CHANGE_CAUSES: readonly ChangeCause[] = ['device', 'user', 'automation'];

/** One state an entity entered, as any source reports it. */
export interface StateChange {
  entityId: string;
  /** When the state was entered, epoch milliseconds. */
  time: number;
  state: string;
  cause: ChangeCause;
  /** The entity whose own change triggered this one through an automation, when known. */
  parentEntityId?: string;
  /** When that triggering change happened, epoch ms. */
  parentTime?: number;
}

export interface Area {
  id: string;
  name: string;
}

/** What tandem knows about an entity apart from its history. */
export interface EntityInfo {
  entityId: string;
  domain: string;
  /** The friendly name, or the entity id when there is none. */
  name: string;
  /** The effective area: the entity's own, else its device's. */
  areaId: string | null;
  deviceId: string | null;
  deviceClass: string | null;
  unitOfMeasurement: string | null;
}
