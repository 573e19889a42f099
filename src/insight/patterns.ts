import type { EntityInfo } from '../home/index.js';
import type { Condition, PatternTag } from './types.js';
import { MINUTES_PER_DAY } from './_lib/home-clock.js';

/**
 * Device types that work together, as "trigger kind → response kinds". A kind is a binary
 * sensor's device class or an entity's domain. The pairs are the ones a person wires up first:
 * motion → light, door → lock, temperature → climate.
 */
const COMPLEMENTARY: Readonly<Record<string, readonly string[]>> = {
  motion: ['light', 'switch', 'fan', 'media_player'],
  occupancy: ['light', 'switch', 'fan', 'climate'],
  presence: ['light', 'switch', 'climate'],
  door: ['light', 'lock', 'cover', 'switch'],
  garage_door: ['light', 'lock', 'cover'],
  opening: ['light', 'lock', 'climate'],
  window: ['climate', 'fan'],
  temperature: ['climate', 'fan'],
  humidity: ['fan', 'humidifier'],
  light: ['fan', 'light'],
  media_player: ['light', 'cover'],
  switch: ['light', 'media_player', 'switch'],
  lock: ['light', 'cover'],
  cover: ['light', 'lock'],
  sun: ['light', 'cover'],
};

/** Words in an entity id that stand in for a missing device class. */
const ID_KINDS: readonly [word: string, kind: string][] = [
  ['motion', 'motion'],
  ['occupancy', 'occupancy'],
  ['door', 'door'],
  ['window', 'window'],
];

export function kindOf(info: Pick<EntityInfo, 'domain' | 'deviceClass' | 'entityId'>): string {
  if (info.domain === 'binary_sensor' || info.domain === 'sensor') {
    return info.deviceClass ?? ID_KINDS.find(([word]) => info.entityId.includes(word))?.[1] ?? '';
  }

  return info.domain;
}

interface TypingInput {
  trigger: Pick<EntityInfo, 'domain' | 'deviceClass' | 'entityId' | 'areaId'> | undefined;
  response: Pick<EntityInfo, 'domain' | 'deviceClass' | 'entityId' | 'areaId'> | undefined;
  sequential: { strength: number } | null;
  presence: { strength: number } | null;
  conditions: readonly Condition[];
  confidence: number;
}

/** The pattern types a finding shows, each with its strength and the finding's confidence. */
export function computePatternTags(input: TypingInput): PatternTag[] {
  const { trigger, response, confidence } = input;
  const tags: PatternTag[] = [];
  if (input.sequential !== null) {
    tags.push({ type: 'sequential', strength: input.sequential.strength, confidence });
  }

  if (trigger !== undefined && response !== undefined) {
    if (COMPLEMENTARY[kindOf(trigger)]?.includes(kindOf(response)) === true) {
      tags.push({ type: 'complementary', strength: 1, confidence });
    }

    if (trigger.areaId !== null && trigger.areaId === response.areaId) {
      tags.push({ type: 'spatial', strength: 1, confidence });
    }
  }

  const temporal = temporalTag(input.conditions, confidence);
  if (temporal !== null) {
    tags.push(temporal);
  }

  if (input.presence !== null) {
    tags.push({ type: 'presence', strength: input.presence.strength, confidence });
  }

  return tags;
}

/** A time-of-day window (or darkness, which is one) makes a finding temporal. */
function temporalTag(conditions: readonly Condition[], confidence: number): PatternTag | null {
  for (const condition of conditions) {
    if (condition.kind === 'time') {
      const span = (condition.beforeMin - condition.afterMin + MINUTES_PER_DAY) % MINUTES_PER_DAY;
      return {
        type: 'temporal',
        strength: 1 - span / MINUTES_PER_DAY,
        confidence,
        window: `${clock(condition.afterMin)}–${clock(condition.beforeMin)}`,
      };
    }

    if (condition.kind === 'after_dark') {
      return { type: 'temporal', strength: 0.5, confidence, window: 'after dark' };
    }
  }

  return null;
}

function clock(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}
