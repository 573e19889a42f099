import type { Random } from './random.js';

/**
 * A ULID as the recorder stores it: 16 bytes, the first 6 the creation time in milliseconds
 * (big-endian) and the other 10 random. Home Assistant gives every context such an id.
 */
export function createContextId(time: number, random: Random): Buffer {
  // From Node's pool: one id is written per row, and a fresh ArrayBuffer each time showed up in
  // the profile. Every byte is set below.
  const id = Buffer.allocUnsafe(16);
  let ms = Math.floor(time);
  for (let i = 5; i >= 0; i--) {
    id[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }

  for (let i = 6; i < 16; i++) {
    id[i] = Math.floor(random.next() * 256);
  }

  return id;
}

/** A user id (a UUID written as 32 hex characters) as the 16 bytes the recorder stores. */
export function userIdToBytes(userId: string): Buffer {
  if (!/^[0-9a-f]{32}$/.test(userId)) {
    throw new RangeError(`"${userId}" is not a user id of 32 lowercase hex characters`);
  }

  return Buffer.from(userId, 'hex');
}

/** A random version-4 UUID as 32 hex characters, the form Home Assistant uses for user ids. */
export function createUserId(random: Random): string {
  const bytes = random.bytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;

  return Buffer.from(bytes).toString('hex');
}
