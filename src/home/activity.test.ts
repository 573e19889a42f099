import { describe, expect, it } from 'vitest';

import { describeActive, hasActivity, isActiveState, isRealState } from './activity.js';
import { domainOf, isEntityId } from './entity-id.js';

describe('isActiveState', () => {
  it.each([
    ['light', 'on', true],
    ['light', 'off', false],
    ['binary_sensor', 'on', true],
    ['lock', 'unlocked', true],
    ['lock', 'open', true],
    ['lock', 'locked', false],
    ['cover', 'opening', true],
    ['cover', 'closed', false],
    ['media_player', 'playing', true],
    ['media_player', 'paused', false],
    ['climate', 'heat_cool', true],
    ['climate', 'off', false],
    ['vacuum', 'cleaning', true],
    ['vacuum', 'docked', false],
    ['alarm_control_panel', 'armed_away', true],
    ['alarm_control_panel', 'arming', true],
    ['alarm_control_panel', 'disarmed', false],
    ['person', 'home', true],
    ['device_tracker', 'not_home', false],
  ])('returns %s %s → %s', (domain, state, expected) => {
    expect(isActiveState(domain, state)).toBe(expected);
  });

  it('returns undefined for numeric sensors', () => {
    expect(isActiveState('sensor', '21.5')).toBeUndefined();
    expect(hasActivity('sensor')).toBe(false);
  });

  it('returns undefined for states that are not states of the device', () => {
    expect(isActiveState('light', 'unavailable')).toBeUndefined();
    expect(isRealState('unknown')).toBe(false);
    expect(isRealState('')).toBe(false);
  });
});

describe('describeActive', () => {
  it('names what on means for a binary sensor class', () => {
    expect(describeActive('binary_sensor', 'motion')).toBe('motion detected');
    expect(describeActive('binary_sensor', 'door')).toBe('open');
    expect(describeActive('binary_sensor')).toBe('on');
    expect(describeActive('lock')).toBe('unlocked');
  });
});

describe('domainOf', () => {
  it('returns the domain of an entity id', () => {
    expect(domainOf('binary_sensor.hall_motion')).toBe('binary_sensor');
  });

  it('throws a typed error naming a malformed id', () => {
    expect(() => domainOf('Light.Kitchen')).toThrow(/"Light.Kitchen" is not an entity id/);
    expect(isEntityId('light.')).toBe(false);
    expect(isEntityId('light.kitchen_2')).toBe(true);
  });
});
