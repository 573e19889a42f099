import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readRegistries } from './registries.js';

let config: string;

beforeEach(() => {
  config = mkdtempSync(join(tmpdir(), 'tandem-registries-'));
  mkdirSync(join(config, '.storage'));
});

afterEach(() => {
  rmSync(config, { recursive: true, force: true });
});

function store(key: string, data: unknown): void {
  const body = { version: 1, minor_version: 1, key, data };
  writeFileSync(join(config, '.storage', key), JSON.stringify(body));
}

describe('readRegistries', () => {
  it("returns each entity's own area, else its device's", () => {
    store('core.config', { time_zone: 'Europe/Vienna', latitude: 48.2 });
    store('core.area_registry', { areas: [{ id: 'hall', name: 'Hall' }] });
    store('core.device_registry', { devices: [{ id: 'd1', area_id: 'hall' }] });
    store('core.entity_registry', {
      entities: [
        { entity_id: 'light.hall', device_id: 'd1', area_id: null, name: null },
        { entity_id: 'light.lamp', device_id: 'd1', area_id: 'den', name: 'Reading lamp' },
        { entity_id: 'sensor.free', device_id: null, area_id: null, name: null },
      ],
    });

    const registries = readRegistries(config);

    expect(registries.areas).toEqual([{ id: 'hall', name: 'Hall' }]);
    expect(registries.entities.get('light.hall')?.areaId).toBe('hall');
    expect(registries.entities.get('light.lamp')).toMatchObject({
      areaId: 'den',
      name: 'Reading lamp',
    });
    expect(registries.entities.get('sensor.free')?.areaId).toBeNull();
    expect(registries.timeZone).toBe('Europe/Vienna');
    expect(registries.warnings).toEqual([]);
  });

  it('returns a warning per missing or malformed registry and goes on', () => {
    store('core.area_registry', { areas: [{ id: 'hall', name: 'Hall' }] });
    writeFileSync(join(config, '.storage', 'core.entity_registry'), '{"data": ');

    const registries = readRegistries(config);

    expect(registries.areas).toHaveLength(1);
    expect(registries.timeZone).toBeNull();
    expect(registries.warnings).toHaveLength(3);
    expect(registries.warnings[0]).toMatch(
      /core\.config: missing; the home's time zone is unknown/,
    );
    expect(registries.warnings[1]).toMatch(/core\.device_registry: registry missing/);
    expect(registries.warnings[2]).toMatch(/core\.entity_registry: malformed JSON/);
  });

  it('returns a warning for JSON that is not a registry', () => {
    store('core.area_registry', { rooms: [] });

    expect(readRegistries(config).warnings).toContainEqual(
      expect.stringMatching(/no data\.areas list/),
    );
  });

  it('returns a warning for a time zone the machine does not know', () => {
    store('core.config', { time_zone: 'Mars/Olympus_Mons' });

    expect(readRegistries(config).warnings[0]).toMatch(/"Mars\/Olympus_Mons" is not a zone/);
  });
});
