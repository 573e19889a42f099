import { describe, expect, it } from 'vitest';

import { serviceFor } from './services.js';

describe('serviceFor', () => {
  it('arms an alarm panel in the mode the household used', () => {
    expect(serviceFor('alarm_control_panel', 'armed_away')).toEqual({
      action: 'alarm_control_panel.alarm_arm_away',
    });
    expect(serviceFor('alarm_control_panel', 'armed_night')?.action).toBe(
      'alarm_control_panel.alarm_arm_night',
    );
  });

  it('never disarms one', () => {
    expect(serviceFor('alarm_control_panel', 'disarmed')).toBeNull();
  });

  it('has nothing for entities no service sets', () => {
    expect(serviceFor('person', 'home')).toBeNull();
    expect(serviceFor('sensor', '21.5')).toBeNull();
  });
});
