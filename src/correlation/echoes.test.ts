import { describe, expect, it } from 'vitest';

import { computeEchoes } from './echoes.js';
import type { SequentialRelation } from './types.js';

interface Measured {
  support: number;
  lagS: number;
  /** The share of B's events that A preceded. */
  pPrecedes?: number;
  confidence?: number;
}

/** A relation "A enters x, then B enters y", with the figures the echo rules read. */
function relation(a: string, b: string, measured: Measured): SequentialRelation {
  const [aEntity = '', aState = ''] = a.split(':');
  const [bEntity = '', bState = ''] = b.split(':');
  return {
    kind: 'sequential',
    a: { entityId: aEntity, state: aState },
    b: { entityId: bEntity, state: bState },
    support: measured.support,
    triggers: 800,
    responses: 250,
    pFollows: measured.support / 800,
    pPrecedes: measured.pPrecedes ?? 0.2,
    windowS: 300,
    lagS: { median: measured.lagS, p90: measured.lagS * 1.5 },
    expected: 1,
    expectedBySlot: 1,
    expectedByDayShift: null,
    pValue: 1e-12,
    qValue: 1e-10,
    confidence: measured.confidence ?? 1,
    automatedShare: 0,
    alreadyAutomated: false,
  };
}

const MOTION_ON = 'binary_sensor.hall_motion:on';
const MOTION_OFF = 'binary_sensor.hall_motion:off';
const LIGHT_ON = 'light.hall:on';
const LIGHT_OFF = 'light.hall:off';

describe('computeEchoes', () => {
  describe('when a light comes on with the motion and goes off on its timer', () => {
    const lightOn = relation(MOTION_ON, LIGHT_ON, { support: 250, lagS: 1, pPrecedes: 1 });
    const timerOff = relation(MOTION_ON, LIGHT_OFF, { support: 165, lagS: 230 });
    const cooldown = relation(LIGHT_ON, MOTION_OFF, { support: 247, lagS: 135 });
    const motionOff = relation(MOTION_OFF, LIGHT_OFF, { support: 220, lagS: 120 });
    const echoes = computeEchoes([lightOn, timerOff, cooldown, motionOff]);

    it("returns the light's going off after the motion as an echo of its coming on", () => {
      expect(echoes.get(timerOff)).toBe(lightOn);
    });

    it("returns the sensor's going quiet after the light as an echo of the light's answer", () => {
      expect(echoes.get(cooldown)).toBe(lightOn);
    });

    it('keeps the relations that say something of their own', () => {
      expect(echoes.has(lightOn)).toBe(false);
      expect(echoes.has(motionOff)).toBe(false);
      expect(echoes.size).toBe(2);
    });
  });

  describe('when the sooner answer is rarer than the later one', () => {
    it('returns no echo: someone leaving the bedroom stops its motion too', () => {
      const living = 'binary_sensor.living_room_motion:on';
      const bedroomOn = relation(living, 'binary_sensor.bedroom_motion:on', {
        support: 1993,
        lagS: 8,
      });
      const bedroomOff = relation(living, 'binary_sensor.bedroom_motion:off', {
        support: 2800,
        lagS: 23,
      });

      expect(computeEchoes([bedroomOn, bedroomOff]).size).toBe(0);
    });
  });

  describe('when the later change is no return to rest', () => {
    it('returns no echo', () => {
      const living = 'binary_sensor.living_room_motion:off';
      const hallOff = relation(living, MOTION_OFF, { support: 4000, lagS: 18 });
      const hallOn = relation(living, MOTION_ON, { support: 3317, lagS: 48 });

      expect(computeEchoes([hallOff, hallOn]).size).toBe(0);
    });
  });

  describe('when A answered B only now and then', () => {
    it('returns no echo', () => {
      const sometimes = relation(MOTION_ON, LIGHT_ON, { support: 80, lagS: 1, pPrecedes: 0.3 });
      const later = relation(LIGHT_ON, MOTION_OFF, { support: 70, lagS: 135 });

      expect(computeEchoes([sometimes, later]).size).toBe(0);
    });
  });

  describe('when the relation that would explain it is not reported on its own', () => {
    it('returns no echo', () => {
      const weak = relation(MOTION_ON, LIGHT_ON, { support: 250, lagS: 1, confidence: 0.3 });
      const timerOff = relation(MOTION_ON, LIGHT_OFF, { support: 165, lagS: 230 });

      expect(computeEchoes([weak, timerOff]).size).toBe(0);
    });
  });
});
