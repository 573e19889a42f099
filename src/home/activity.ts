/**
 * What "active" means for each kind of entity: the one table every analysis consults, so that a
 * light being on, a door being open and a vacuum cleaning are all the same thing to the engine.
 */

/** States an entity reports when Home Assistant does not know its real state. */
const NOT_A_STATE = new Set(['unavailable', 'unknown', '']);

/**
 * Whether `state` describes the device. `unavailable`, `unknown` and the empty string (written
 * when an entity is removed) say something about Home Assistant, not about the device: a light
 * that goes `on → unavailable → on` around a restart never went off.
 */
export function isRealState(state: string): boolean {
  return !NOT_A_STATE.has(state);
}

interface ActivityRule {
  /** Active when the state is one of these. */
  activeStates?: ReadonlySet<string>;
  /** Active in every real state except these. */
  inactiveStates?: ReadonlySet<string>;
}

const ON: ActivityRule = { activeStates: new Set(['on']) };

const DOMAIN_RULES: Readonly<Record<string, ActivityRule>> = {
  light: ON,
  switch: ON,
  fan: ON,
  input_boolean: ON,
  binary_sensor: ON,
  humidifier: ON,
  siren: ON,
  remote: ON,
  lock: { activeStates: new Set(['unlocked', 'unlocking', 'open', 'opening']) },
  cover: { activeStates: new Set(['open', 'opening']) },
  valve: { activeStates: new Set(['open', 'opening']) },
  media_player: { activeStates: new Set(['playing', 'on']) },
  climate: { inactiveStates: new Set(['off']) },
  water_heater: { inactiveStates: new Set(['off']) },
  vacuum: { activeStates: new Set(['cleaning']) },
  lawn_mower: { activeStates: new Set(['mowing']) },
  // Armed in any mode, or on the way there (`arming` is the exit delay), or sounding.
  alarm_control_panel: {
    activeStates: new Set([
      'armed_away',
      'armed_home',
      'armed_night',
      'armed_vacation',
      'armed_custom_bypass',
      'arming',
      'pending',
      'triggered',
    ]),
  },
  // A group takes its members' kind of state: any light on, anyone home, any door open.
  group: { activeStates: new Set(['on', 'home', 'open', 'unlocked', 'problem']) },
  person: { activeStates: new Set(['home']) },
  device_tracker: { activeStates: new Set(['home']) },
};

/** What `on` means for a binary sensor of each device class; `active` when the class is unset. */
const BINARY_SENSOR_MEANINGS: Readonly<Record<string, string>> = {
  battery: 'battery low',
  battery_charging: 'charging',
  carbon_monoxide: 'carbon monoxide detected',
  cold: 'cold',
  connectivity: 'connected',
  door: 'open',
  garage_door: 'open',
  gas: 'gas detected',
  heat: 'hot',
  light: 'light detected',
  lock: 'unlocked',
  moisture: 'wet',
  motion: 'motion detected',
  moving: 'moving',
  occupancy: 'occupied',
  opening: 'open',
  plug: 'plugged in',
  power: 'power detected',
  presence: 'home',
  problem: 'problem',
  running: 'running',
  safety: 'unsafe',
  smoke: 'smoke detected',
  sound: 'sound detected',
  tamper: 'tampering detected',
  update: 'update available',
  vibration: 'vibration detected',
  window: 'open',
};

/**
 * Domains whose state follows the sky, the weather or the clock. A device may answer them, but
 * nothing in the home changes them, so none is ever the response of a relation.
 */
const OUTSIDE_DRIVEN_DOMAINS = new Set(['calendar', 'schedule', 'sun', 'weather']);

export function isDrivenFromOutside(domain: string): boolean {
  return OUTSIDE_DRIVEN_DOMAINS.has(domain);
}

/** Whether entities of this domain have an on/off activity at all (numeric sensors do not). */
export function hasActivity(domain: string): boolean {
  return domain in DOMAIN_RULES;
}

/**
 * Whether `state` is an active state for an entity of `domain`. Returns `undefined` for domains
 * without on/off activity (sensors, numbers, selects) and for states that are not real states.
 */
export function isActiveState(domain: string, state: string): boolean | undefined {
  const rule = DOMAIN_RULES[domain];
  if (rule === undefined || !isRealState(state)) {
    return undefined;
  }

  if (rule.activeStates !== undefined) {
    return rule.activeStates.has(state);
  }

  return !(rule.inactiveStates?.has(state) ?? false);
}

/**
 * A few words for what being active means, for reports: "motion detected" for a motion sensor,
 * "unlocked" for a lock, "on" for a light.
 */
export function describeActive(domain: string, deviceClass?: string): string {
  if (domain === 'binary_sensor') {
    return (deviceClass !== undefined ? BINARY_SENSOR_MEANINGS[deviceClass] : undefined) ?? 'on';
  }

  const rule = DOMAIN_RULES[domain];
  if (rule?.activeStates !== undefined) {
    return [...rule.activeStates][0] ?? 'active';
  }

  return rule === undefined ? 'active' : `not ${[...(rule.inactiveStates ?? [])].join(' or ')}`;
}
