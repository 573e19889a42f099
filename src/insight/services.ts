/** The service that puts an entity of a domain into a state, and its data. */
export interface ServiceCall {
  action: string;
  data?: Record<string, string>;
}

const ON_OFF_DOMAINS = new Set([
  'light',
  'switch',
  'fan',
  'input_boolean',
  'humidifier',
  'siren',
  'media_player',
]);

const BY_STATE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  media_player: { playing: 'media_play', paused: 'media_pause' },
  cover: { open: 'open_cover', closed: 'close_cover' },
  valve: { open: 'open_valve', closed: 'close_valve' },
  lock: { locked: 'lock', unlocked: 'unlock' },
  vacuum: { cleaning: 'start', docked: 'return_to_base', returning: 'return_to_base' },
  lawn_mower: { mowing: 'start_mowing', docked: 'dock' },
  // Arming only: a rule that disarms the home because of a pattern is never worth its risk.
  alarm_control_panel: {
    armed_away: 'alarm_arm_away',
    armed_home: 'alarm_arm_home',
    armed_night: 'alarm_arm_night',
    armed_vacation: 'alarm_arm_vacation',
  },
};

const CLIMATE_MODES = new Set(['heat', 'cool', 'heat_cool', 'auto', 'dry', 'fan_only']);

/** The call that makes `domain` enter `state`, or null when none can (sensors, persons). */
export function serviceFor(domain: string, state: string): ServiceCall | null {
  const named = BY_STATE[domain]?.[state];
  if (named !== undefined) {
    return { action: `${domain}.${named}` };
  }

  if (ON_OFF_DOMAINS.has(domain) && (state === 'on' || state === 'off')) {
    return { action: `${domain}.turn_${state}` };
  }

  if (domain === 'climate') {
    if (state === 'off') {
      return { action: 'climate.turn_off' };
    }

    return CLIMATE_MODES.has(state)
      ? { action: 'climate.set_hvac_mode', data: { hvac_mode: state } }
      : null;
  }

  return null;
}

/**
 * How much a person gains from automating a domain, 0 to 1. Locks and covers rank below lights:
 * a wrong unlock or an opened garage door costs more than a lamp left on.
 */
export const DOMAIN_USEFULNESS: Readonly<Record<string, number>> = {
  light: 1,
  switch: 0.9,
  fan: 0.9,
  media_player: 0.8,
  climate: 0.8,
  vacuum: 0.8,
  lawn_mower: 0.8,
  humidifier: 0.8,
  input_boolean: 0.6,
  cover: 0.7,
  valve: 0.6,
  lock: 0.6,
  alarm_control_panel: 0.6,
  siren: 0.3,
};
