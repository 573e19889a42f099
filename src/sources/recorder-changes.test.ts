import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TandemError } from '../errors.js';
import { RecorderWriter } from '../simulate/index.js';
import { readRecorder, readRecorderChanges } from './recorder.js';

const T0 = Date.UTC(2026, 2, 1, 12);
const MINUTE = 60_000;

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-recorder-changes-'));
  file = join(dir, 'home-assistant_v2.db');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A motion sensor and the light it drives, a thermostat, a restart, and a person's switch. */
function writeHome(): void {
  const writer = RecorderWriter.create(file, { seed: 11 });
  const write = (entityId: string, minute: number, state: string, extra = {}) =>
    writer.write({ entityId, time: T0 + minute * MINUTE, state, cause: 'device', ...extra });

  write('binary_sensor.hall', 0, 'off');
  write('light.hall', 0, 'off');
  write('climate.living', 0, 'heat', { attributes: { current_temperature: 20 } });
  const motion = write('binary_sensor.hall', 10, 'on');
  write('light.hall', 10.02, 'on', { cause: 'automation', parentContextId: motion.contextId });
  write('climate.living', 11, 'heat', { attributes: { current_temperature: 21 } });
  write('binary_sensor.hall', 12, 'off');
  write('light.hall', 20, 'unavailable');
  write('light.hall', 21, 'on');
  write('light.hall', 30, 'off', { cause: 'user' });
  writer.close(T0 + 60 * MINUTE);
}

describe('readRecorderChanges', () => {
  it('returns the real changes of the window in time order, with causes and parents', () => {
    writeHome();

    const changes = readRecorderChanges(file, { from: T0 + 5 * MINUTE, to: T0 + 60 * MINUTE });

    expect(changes).toEqual([
      { entityId: 'binary_sensor.hall', time: T0 + 10 * MINUTE, state: 'on', cause: 'device' },
      {
        entityId: 'light.hall',
        time: T0 + 10.02 * MINUTE,
        state: 'on',
        cause: 'automation',
        parentEntityId: 'binary_sensor.hall',
        parentTime: T0 + 10 * MINUTE,
      },
      { entityId: 'binary_sensor.hall', time: T0 + 12 * MINUTE, state: 'off', cause: 'device' },
      { entityId: 'light.hall', time: T0 + 30 * MINUTE, state: 'off', cause: 'user' },
    ]);
  });

  it('includes a change at the start of the window and leaves out one at its end', () => {
    writeHome();

    const changes = readRecorderChanges(file, { from: T0 + 10 * MINUTE, to: T0 + 12 * MINUTE });

    expect(changes.map((change) => change.time)).toEqual([T0 + 10 * MINUTE, T0 + 10.02 * MINUTE]);
  });

  it('gives the same changes as the timelines of readRecorder', () => {
    writeHome();
    const window = { from: T0, to: T0 + 60 * MINUTE };

    const history = readRecorder(file, window);
    const changes = readRecorderChanges(file, window);

    const counted = history.timelines.reduce((sum, timeline) => sum + timeline.length, 0);
    expect(changes).toHaveLength(counted);
  });

  it('returns nothing for a window without changes', () => {
    writeHome();

    expect(readRecorderChanges(file, { from: T0 + 40 * MINUTE, to: T0 + 50 * MINUTE })).toEqual([]);
  });

  it('refuses a window that ends before it starts, naming the file', () => {
    writeHome();

    const read = () => readRecorderChanges(file, { from: T0, to: T0 });

    expect(read).toThrow(TandemError);
    expect(read).toThrow(file);
  });
});
