import { domainOf } from '../home/index.js';
import type { HomePlan } from './home-plan.js';

/** Home Assistant's `.storage` files: the registries a real home keeps beside its database. */
export function writeRegistries(plan: HomePlan, createdAt: string): Record<string, unknown> {
  const areas = plan.areas.map((area) => ({
    aliases: [],
    created_at: createdAt,
    floor_id: null,
    humidity_entity_id: null,
    icon: null,
    id: area.id,
    labels: [],
    modified_at: createdAt,
    name: area.name,
    picture: null,
    temperature_entity_id: null,
  }));
  const devices = plan.devices.map((device) => ({
    area_id: device.area,
    config_entries: [configEntryOf(device.model)],
    config_entries_subentries: { [configEntryOf(device.model)]: [null] },
    configuration_url: null,
    connections: [],
    created_at: createdAt,
    disabled_by: null,
    entry_type: null,
    hw_version: null,
    id: device.id,
    identifiers: [[platformOf(device.model), device.id.slice(0, 12)]],
    labels: [],
    manufacturer: device.manufacturer,
    model: device.model,
    model_id: null,
    modified_at: createdAt,
    name_by_user: null,
    name: device.name,
    primary_config_entry: configEntryOf(device.model),
    serial_number: null,
    sw_version: null,
    via_device_id: null,
  }));
  const models = new Map(plan.devices.map((device) => [device.id, device.model]));
  const entities = plan.entities.map((entity) => {
    const model = entity.deviceId === null ? null : (models.get(entity.deviceId) ?? null);
    const domain = domainOf(entity.entityId);

    return {
      aliases: [],
      area_id: entity.ownArea,
      categories: {},
      capabilities: null,
      config_entry_id: model === null ? null : configEntryOf(model),
      config_subentry_id: null,
      created_at: createdAt,
      device_class: null,
      device_id: entity.deviceId,
      disabled_by: null,
      entity_category: null,
      entity_id: entity.entityId,
      has_entity_name: false,
      hidden_by: null,
      icon: null,
      id: entity.entityId
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 32)
        .padEnd(32, '0'),
      labels: [],
      modified_at: createdAt,
      name: null,
      options: {},
      original_device_class: entity.deviceClass ?? null,
      original_icon: null,
      original_name: entity.name,
      platform: model === null ? domain : platformOf(model),
      suggested_object_id: null,
      supported_features: 0,
      translation_key: null,
      unique_id: `${entity.entityId}-sim`,
      previous_unique_id: null,
      unit_of_measurement: entity.unit ?? null,
    };
  });

  return {
    'core.area_registry': {
      version: 1,
      minor_version: 8,
      key: 'core.area_registry',
      data: { areas },
    },
    'core.device_registry': {
      version: 1,
      minor_version: 10,
      key: 'core.device_registry',
      data: { devices, deleted_devices: [] },
    },
    'core.entity_registry': {
      version: 1,
      minor_version: 18,
      key: 'core.entity_registry',
      data: { entities, deleted_entities: [] },
    },
  };
}

const PLATFORMS: Record<string, string> = {
  Aqara: 'zha',
  Philips: 'hue',
  IKEA: 'zha',
  Shelly: 'shelly',
  Sonos: 'sonos',
  LG: 'webostv',
  Somfy: 'somfy_mylink',
  tado: 'tado',
  Nuki: 'nuki',
  Roborock: 'roborock',
  Meross: 'meross_lan',
  Gardena: 'gardena_bluetooth',
  Innr: 'zha',
  Reolink: 'reolink',
  Google: 'mobile_app',
};

function platformOf(model: string): string {
  return PLATFORMS[model.split(' ')[0] ?? ''] ?? 'template';
}

function configEntryOf(model: string): string {
  const platform = platformOf(model).toUpperCase().replace(/_/g, '');

  return `01J${platform.padEnd(23, '0').slice(0, 23)}`;
}
