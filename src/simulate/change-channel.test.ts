import { describe, expect, it } from 'vitest';

import type { PlannedChange } from './behaviour.js';
import { ChangeChannel } from './change-channel.js';

function* changes(count: number, computed: number[]): Generator<PlannedChange> {
  for (let i = 0; i < count; i++) {
    computed.push(i);
    yield { time: i * 1000, state: i % 2 === 0 ? 'on' : 'off', cause: 'device' };
  }
}

describe('ChangeChannel', () => {
  it('gives every reader the same change objects, computing each once', () => {
    const computed: number[] = [];
    const channel = new ChangeChannel('light.test', changes(200, computed));
    const writer = channel.reader();
    const response = channel.reader();

    const ahead = [...response];
    const behind = [...writer];

    expect(behind).toHaveLength(200);
    expect(behind.every((change, i) => change === ahead[i])).toBe(true);
    expect(computed).toHaveLength(200);
  });

  it('computes changes only as far as the fastest reader has read', () => {
    const computed: number[] = [];
    const channel = new ChangeChannel('light.test', changes(200, computed));
    const writer = channel.reader();
    channel.reader();
    writer.next();
    writer.next();

    expect(computed).toEqual([0, 1]);
  });

  describe('when a reader comes after the first read', () => {
    it('throws, since it would miss the changes already dropped', () => {
      const channel = new ChangeChannel('light.test', changes(3, []));
      channel.reader().next();

      expect(() => channel.reader()).toThrow(/light\.test/);
    });
  });
});
