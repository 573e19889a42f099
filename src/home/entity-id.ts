import { TandemError } from '../errors.js';

/** `<domain>.<object_id>`: lowercase letters, digits and underscores on both sides of one dot. */
const ENTITY_ID = /^(?!_)[a-z0-9_]+(?<!_)\.(?!_)[a-z0-9_]+(?<!_)$/;

/** Home Assistant caps entity ids at 255 characters. */
const MAX_ENTITY_ID_LENGTH = 255;

export function isEntityId(value: string): boolean {
  return value.length <= MAX_ENTITY_ID_LENGTH && ENTITY_ID.test(value);
}

/** The domain of an entity id, e.g. `light` for `light.kitchen`. Throws on a malformed id. */
export function domainOf(entityId: string): string {
  if (!isEntityId(entityId)) {
    throw new TandemError('INVALID_ENTITY_ID', `"${entityId}" is not an entity id (domain.name)`);
  }

  return entityId.slice(0, entityId.indexOf('.'));
}
