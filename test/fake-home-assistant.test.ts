import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import {
  FAKE_HA_VERSION,
  FakeHomeAssistant,
  formatHomeAssistantTime,
} from './fake-home-assistant.js';
import type { FakeState } from './fake-home-assistant.js';

const TOKEN = 'fake-test-token';
const T0 = Date.UTC(2026, 2, 1, 12);

type Message = Record<string, unknown>;

/** A bare client: every message it received, in order, arrays of coalesced ones flattened. */
class RawClient {
  readonly received: Message[] = [];
  readonly frames: unknown[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString('utf8')) as Message | Message[];
      this.frames.push(parsed);
      this.received.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      for (const wake of this.waiters.splice(0)) {
        wake();
      }
    });
  }

  static async open(url: string): Promise<RawClient> {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/websocket`);
    const client = new RawClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });

    return client;
  }

  send(message: Message): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Waits until `count` messages have arrived in all. */
  async receive(count: number): Promise<Message[]> {
    while (this.received.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }

    return this.received.slice(0, count);
  }

  closed(): Promise<number> {
    return new Promise((resolve) => this.socket.once('close', resolve));
  }
}

let ha: FakeHomeAssistant;

beforeEach(async () => {
  ha = await FakeHomeAssistant.start({ token: TOKEN });
});

afterEach(async () => {
  await ha.close();
});

async function authenticated(): Promise<RawClient> {
  const client = await RawClient.open(ha.url);
  client.send({ type: 'auth', access_token: TOKEN });
  await client.receive(2);
  return client;
}

describe('FakeHomeAssistant', () => {
  describe('when a client connects', () => {
    it('asks for auth and accepts the token', async () => {
      const client = await RawClient.open(ha.url);
      client.send({ type: 'auth', access_token: TOKEN });

      expect(await client.receive(2)).toEqual([
        { type: 'auth_required', ha_version: FAKE_HA_VERSION },
        { type: 'auth_ok', ha_version: FAKE_HA_VERSION },
      ]);
      expect(ha.connections).toBe(1);
    });

    it('answers a wrong token with auth_invalid and closes', async () => {
      const client = await RawClient.open(ha.url);
      const closed = client.closed();
      client.send({ type: 'auth', access_token: 'wrong' });

      const [, answer] = await client.receive(2);
      expect(answer).toEqual({ type: 'auth_invalid', message: 'Invalid access token or password' });
      await closed;
    });
  });

  describe('when authenticated', () => {
    it('answers get_states, get_config and ping', async () => {
      ha.setState('person.ana', 'home', { time: T0 });
      const client = await authenticated();

      client.send({ id: 1, type: 'get_states' });
      client.send({ id: 2, type: 'get_config' });
      client.send({ id: 3, type: 'ping' });

      const [states, config, pong] = (await client.receive(5)).slice(2);
      expect(states).toMatchObject({ id: 1, type: 'result', success: true });
      const [ana] = states?.result as FakeState[];
      expect(ana).toEqual({
        entity_id: 'person.ana',
        state: 'home',
        attributes: {},
        last_changed: '2026-03-01T12:00:00+00:00',
        last_reported: '2026-03-01T12:00:00+00:00',
        last_updated: '2026-03-01T12:00:00+00:00',
        context: { id: ana?.context.id, parent_id: null, user_id: null },
      });
      expect(ana?.context.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(config).toMatchObject({ id: 2, success: true, result: { version: FAKE_HA_VERSION } });
      expect(pong).toEqual({ id: 3, type: 'pong' });
    });

    it('refuses an id that does not increase, and an unknown command', async () => {
      const client = await authenticated();

      client.send({ id: 5, type: 'ping' });
      client.send({ id: 5, type: 'ping' });
      client.send({ id: 6, type: 'no_such_command' });

      const [, reused, unknown] = (await client.receive(5)).slice(2);
      expect(reused).toMatchObject({ id: 5, success: false, error: { code: 'id_reuse' } });
      expect(unknown).toMatchObject({ id: 6, success: false, error: { code: 'unknown_command' } });
    });

    it('sends state_changed events in the real shape until unsubscribed', async () => {
      ha.setState('light.hall', 'off', { time: T0 });
      const client = await authenticated();
      client.send({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
      await client.receive(3);

      const parent = ha.setState('light.hall', 'on', { time: T0 + 1000.5 });
      const [event] = (await client.receive(4)).slice(3);
      client.send({ id: 2, type: 'unsubscribe_events', subscription: 1 });
      await client.receive(5);
      ha.setState('light.hall', 'off', {
        time: T0 + 2000,
        context: { parent_id: parent.context.id },
      });
      client.send({ id: 3, type: 'ping' });

      expect(event).toMatchObject({
        id: 1,
        type: 'event',
        event: {
          event_type: 'state_changed',
          origin: 'LOCAL',
          time_fired: '2026-03-01T12:00:01.000500+00:00',
          context: parent.context,
          data: {
            entity_id: 'light.hall',
            old_state: { state: 'off', last_changed: '2026-03-01T12:00:00+00:00' },
            new_state: { state: 'on', last_changed: '2026-03-01T12:00:01.000500+00:00' },
          },
        },
      });
      expect((await client.receive(6))[5]).toEqual({ id: 3, type: 'pong' });
    });

    it('coalesces the messages of one turn into an array once asked to', async () => {
      const client = await authenticated();
      client.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
      await client.receive(3);

      client.send({ id: 2, type: 'ping' });
      client.send({ id: 3, type: 'subscribe_events' });
      await client.receive(5);
      ha.setState('light.hall', 'on', { time: T0 });
      ha.setState('light.kitchen', 'on', { time: T0 });
      await client.receive(7);

      expect(client.frames.some((frame) => Array.isArray(frame) && frame.length === 2)).toBe(true);
    });
  });

  describe('when connections are broken', () => {
    it('drops every socket and refuses new ones while asked to', async () => {
      const client = await authenticated();
      const closed = client.closed();

      ha.dropConnections();
      ha.rejectConnections(true);

      expect(await closed).toBe(1006);
      await expect(RawClient.open(ha.url)).rejects.toThrow('503');
    });
  });
});

describe('formatHomeAssistantTime', () => {
  it('writes microseconds, and leaves them out on a whole second', () => {
    expect(formatHomeAssistantTime(T0 + 1.5)).toBe('2026-03-01T12:00:00.001500+00:00');
    expect(formatHomeAssistantTime(T0)).toBe('2026-03-01T12:00:00+00:00');
  });
});
