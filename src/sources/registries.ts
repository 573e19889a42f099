import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Area } from '../home/index.js';
import { isTimeZone } from './_lib/wall-clock.js';

/** What the `.storage` registries say about one entity. */
export interface RegistryEntity {
  entityId: string;
  name: string | null;
  areaId: string | null;
  deviceId: string | null;
  deviceClass: string | null;
}

export interface Registries {
  /** The home's IANA time zone from `core.config`, or null when it could not be read. */
  timeZone: string | null;
  areas: Area[];
  /** By entity id; the area is already the effective one (the entity's own, else its device's). */
  entities: Map<string, RegistryEntity>;
  /** One message per registry that could not be read; the others still count. */
  warnings: string[];
}

interface StoredRegistry<T> {
  version: number;
  key: string;
  data: T;
}

interface StoredArea {
  id: string;
  name: string;
}

interface StoredDevice {
  id: string;
  area_id: string | null;
}

interface StoredEntity {
  entity_id: string;
  name: string | null;
  original_name?: string | null;
  area_id: string | null;
  device_id: string | null;
  device_class: string | null;
  original_device_class?: string | null;
}

/**
 * Reads areas, devices and entities from `<config>/.storage`. Home Assistant rewrites these
 * files on its own schedule, so a missing or malformed one is a warning, never a failure: the
 * analysis goes on without the areas or names it would have given.
 */
export function readRegistries(configDir: string): Registries {
  const warnings: string[] = [];
  const read = <T>(key: string, field: string): T[] => {
    const result = readRegistryList(join(configDir, '.storage', key), field);
    if (typeof result === 'string') {
      warnings.push(result);
      return [];
    }

    // Home Assistant wrote these entries; only the fields read here need to be there.
    return result as T[];
  };

  const timeZone = readTimeZone(join(configDir, '.storage', 'core.config'), warnings);
  const areas = read<StoredArea>('core.area_registry', 'areas');
  const devices = read<StoredDevice>('core.device_registry', 'devices');
  const stored = read<StoredEntity>('core.entity_registry', 'entities');

  const deviceAreas = new Map(devices.map((device) => [device.id, device.area_id]));
  const entities = new Map<string, RegistryEntity>();
  for (const entry of stored) {
    const deviceArea = entry.device_id === null ? null : deviceAreas.get(entry.device_id);
    entities.set(entry.entity_id, {
      entityId: entry.entity_id,
      name: entry.name ?? entry.original_name ?? null,
      areaId: entry.area_id ?? deviceArea ?? null,
      deviceId: entry.device_id,
      deviceClass: entry.device_class ?? entry.original_device_class ?? null,
    });
  }

  return {
    timeZone,
    areas: areas.map((area) => ({ id: area.id, name: area.name })),
    entities,
    warnings,
  };
}

/** The `time_zone` Home Assistant was configured with, if it names a zone this machine knows. */
function readTimeZone(file: string, warnings: string[]): string | null {
  let zone: unknown;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: { time_zone?: unknown } };
    zone = parsed.data?.time_zone;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    warnings.push(
      `${file}: ${missing ? 'missing' : 'unreadable'}; the home's time zone is unknown`,
    );
    return null;
  }

  if (typeof zone !== 'string' || !isTimeZone(zone)) {
    warnings.push(`${file}: time_zone ${JSON.stringify(zone)} is not a zone this machine knows`);
    return null;
  }

  return zone;
}

/** The list under `data[field]`, or a one-line warning saying why it could not be had. */
function readRegistryList(file: string, field: string): object[] | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    return `${file}: registry ${reason}; going on without it`;
  }

  try {
    const parsed = JSON.parse(text) as Partial<StoredRegistry<Record<string, unknown> | null>>;
    const list = parsed.data?.[field];
    if (!Array.isArray(list) || !list.every(isObject)) {
      return `${file}: not a Home Assistant registry (no data.${field} list); ignoring it`;
    }

    return list;
  } catch (error) {
    return `${file}: malformed JSON (${(error as Error).message}); ignoring it`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
