export {
  describeActive,
  hasActivity,
  isActiveState,
  isDrivenFromOutside,
  isRealState,
} from './activity.js';
export { domainOf, isEntityId } from './entity-id.js';
export { CHANGE_CAUSES } from './types.js';
export type { Area, ChangeCause, EntityInfo, StateChange } from './types.js';
