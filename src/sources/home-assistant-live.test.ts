import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FAKE_HA_VERSION, FakeHomeAssistant } from '../../test/fake-home-assistant.js';
import type { FakeState } from '../../test/fake-home-assistant.js';
import { TandemError } from '../errors.js';
import type { ChangeCause, StateChange } from '../home/index.js';
import type { LogFields, Logger } from '../logger.js';
import { RecorderWriter } from '../simulate/index.js';
import type { WriteResult } from '../simulate/index.js';
import { HomeAssistantLive, retryDelay } from './home-assistant-live.js';
import type { HomeAssistantLiveOptions } from './home-assistant-live.js';
import { readRecorderChanges } from './recorder.js';

const TOKEN = 'secret-token-3f9c2e71';
const T0 = Date.UTC(2026, 2, 1, 12);
const USER_ID = '0123456789abcdef0123456789abcdef';

/** Short waits, so that retries take milliseconds; no ping unless a test asks for one. */
const FAST: Partial<HomeAssistantLiveOptions> = {
  retry: { initialMs: 10, maxMs: 40 },
  heartbeat: { intervalMs: 60_000, timeoutMs: 1000 },
  backfillDelayMs: 0,
};

/** Seconds after T0 plus 0.7 ms: the fraction checks that both paths round it the same way. */
function at(seconds: number): number {
  return T0 + seconds * 1000 + 0.7;
}

/** The epoch ms a change made `at(seconds)` is reported at. */
function ms(seconds: number): number {
  return T0 + seconds * 1000 + 1;
}

interface LogCall {
  level: string;
  fields: LogFields;
  message: string;
}

function recordingLogger(calls: LogCall[]): Logger {
  const record = (level: string) => (fields: LogFields, message: string) => {
    calls.push({ level, fields, message });
  };
  return {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

let ha: FakeHomeAssistant;
let dir: string;
let lives: HomeAssistantLive[];
let logs: LogCall[];

beforeEach(async () => {
  ha = await FakeHomeAssistant.start({ token: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'tandem-live-'));
  lives = [];
  logs = [];
});

afterEach(async () => {
  await Promise.all(lives.map((live) => live.stop()));
  await ha.close();
  rmSync(dir, { recursive: true, force: true });
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
});

/** A live source on the fake, and every change it hands on. */
function connect(options: Partial<HomeAssistantLiveOptions> = {}) {
  const received: StateChange[] = [];
  const live = new HomeAssistantLive({
    url: ha.url,
    token: TOKEN,
    onChanges: (changes) => received.push(...changes),
    logger: recordingLogger(logs),
    ...FAST,
    ...options,
  });
  lives.push(live);
  return { live, received };
}

function contextOf(cause: ChangeCause, parent?: FakeState) {
  if (cause === 'user') {
    return { user_id: USER_ID };
  }

  return cause === 'automation' ? { parent_id: parent?.context.id ?? null } : {};
}

describe('HomeAssistantLive', () => {
  describe('when created', () => {
    it('shows its URL without credentials and refuses one that is not http', () => {
      const { live } = connect({ url: 'http://tandem:hunter2@127.0.0.1:8123/' });

      expect(live.status()).toMatchObject({ state: 'stopped', url: 'http://127.0.0.1:8123' });
      expect(() => connect({ url: 'ftp://127.0.0.1' })).toThrow('must start with http');
    });

    it('refuses waits that are not positive', () => {
      const create = () => connect({ retry: { initialMs: 0, maxMs: 1000 } });

      expect(create).toThrow(TandemError);
      expect(create).toThrow('retry.initialMs must be a positive number of milliseconds, not 0');
    });
  });

  describe('when connected', () => {
    it('hands on changes with their causes and the changes automations answered', async () => {
      ha.setState('binary_sensor.hall', 'off', { time: at(0) });
      ha.setState('light.hall', 'off', { time: at(0) });
      const { live, received } = connect();
      await live.start();

      const motion = ha.setState('binary_sensor.hall', 'on', { time: at(10) });
      ha.setState('light.hall', 'on', { time: at(10.8), context: contextOf('automation', motion) });
      ha.setState('light.hall', 'off', { time: at(60), context: contextOf('user') });

      await vi.waitFor(() => {
        expect(received).toHaveLength(3);
      });
      expect(received).toEqual([
        { entityId: 'binary_sensor.hall', time: ms(10), state: 'on', cause: 'device' },
        {
          entityId: 'light.hall',
          time: ms(10.8),
          state: 'on',
          cause: 'automation',
          parentEntityId: 'binary_sensor.hall',
          parentTime: ms(10),
        },
        { entityId: 'light.hall', time: ms(60), state: 'off', cause: 'user' },
      ]);
    });

    it('drops attribute-only updates, unavailable states and removals', async () => {
      ha.setState('climate.living', 'heat', { time: at(0), attributes: { temperature: 20 } });
      ha.setState('light.hall', 'on', { time: at(0) });
      const { live, received } = connect();
      await live.start();

      ha.setState('climate.living', 'heat', { time: at(5), attributes: { temperature: 21 } });
      ha.setState('light.hall', 'unavailable', { time: at(6) });
      ha.setState('light.hall', 'on', { time: at(7) });
      ha.removeState('climate.living', at(8));
      ha.setState('light.hall', 'off', { time: at(9) });

      await vi.waitFor(() => {
        expect(live.status().events_received).toBe(5);
      });
      expect(received).toEqual([
        { entityId: 'light.hall', time: ms(9), state: 'off', cause: 'device' },
      ]);
    });

    it('keeps the current states, including who is home', async () => {
      ha.setState('person.ana', 'home', { time: at(0), attributes: { friendly_name: 'Ana' } });
      ha.setState('person.ben', 'home', { time: at(0) });
      const { live } = connect();
      expect(live.currentStates().size).toBe(0);
      await live.start();

      ha.setState('person.ben', 'not_home', { time: at(30) });

      await vi.waitFor(() => {
        expect(live.currentStates().get('person.ben')?.state).toBe('not_home');
      });
      expect(live.currentStates().get('person.ana')).toEqual({
        entityId: 'person.ana',
        state: 'home',
        attributes: { friendly_name: 'Ana' },
        lastChanged: ms(0),
        lastUpdated: ms(0),
      });
    });

    it('reports the connection in its status', async () => {
      const { live } = connect();
      await live.start();

      expect(live.status()).toMatchObject({
        state: 'connected',
        url: ha.url,
        ha_version: FAKE_HA_VERSION,
        reconnects: 0,
        failed_attempts: 0,
        last_error: null,
      });
      expect(JSON.parse(JSON.stringify(live.status()))).toEqual(live.status());
    });
  });

  describe('when the token is wrong', () => {
    it('rejects start with a one-line error naming the answer, never the token', async () => {
      ha.setToken('another-token');
      const { live } = connect();

      const error = await live.start().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(TandemError);
      expect((error as TandemError).code).toBe('HOME_ASSISTANT_AUTH_INVALID');
      expect((error as TandemError).message).toContain('auth_invalid');
      expect((error as TandemError).message).not.toContain(TOKEN);
      expect((error as TandemError).message).not.toContain('\n');
      expect(live.status()).toMatchObject({ state: 'auth_invalid', next_attempt_at: null });
      expect(live.status().last_error).toBe((error as TandemError).message);
    });

    it('stops for good when the token is revoked while disconnected', async () => {
      const { live } = connect();
      await live.start();

      ha.setToken('another-token');
      ha.dropConnections();

      await vi.waitFor(() => {
        expect(live.status().state).toBe('auth_invalid');
      });
      expect(live.status().last_error).toContain('auth_invalid');
    });
  });

  describe('when Home Assistant cannot be reached', () => {
    it('keeps trying with a bounded backoff and connects once it answers', async () => {
      ha.rejectConnections(true);
      const { live } = connect();

      await live.start();
      expect(live.status()).toMatchObject({ state: 'connecting', failed_attempts: 1 });
      expect(live.status().last_error).toContain('cannot connect');
      expect(live.status().next_attempt_at).not.toBeNull();
      await vi.waitFor(() => {
        expect(live.status().failed_attempts).toBeGreaterThanOrEqual(4);
      });

      ha.rejectConnections(false);
      await vi.waitFor(() => {
        expect(live.status().state).toBe('connected');
      });
      expect(live.status()).toMatchObject({ failed_attempts: 0, next_attempt_at: null });
    });

    it('doubles the wait after each failure up to the longest', () => {
      const waits = [0, 1, 2, 3, 4, 50].map((failures) =>
        retryDelay({ initialMs: 100, maxMs: 1000 }, failures),
      );

      expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    });
  });

  describe('when the connection drops', () => {
    it('backfills the gap from the recorder in time order and without duplicates', async () => {
      const file = join(dir, 'home-assistant_v2.db');
      const writer = RecorderWriter.create(file, { seed: 5, userId: USER_ID });
      const rows = new Map<FakeState, WriteResult>();
      /** Sets a state in Home Assistant and writes it to the recorder, as Home Assistant does. */
      const change = (
        entityId: string,
        seconds: number,
        state: string,
        cause: ChangeCause = 'device',
        parent?: FakeState,
      ) => {
        const time = at(seconds);
        const fake = ha.setState(entityId, state, { time, context: contextOf(cause, parent) });
        const parentRow = parent === undefined ? undefined : rows.get(parent);
        rows.set(
          fake,
          writer.write({ entityId, time, state, cause, parentContextId: parentRow?.contextId }),
        );
        return fake;
      };

      change('binary_sensor.hall', 0, 'off');
      change('light.hall', 0, 'off');
      const { live, received } = connect({
        backfill: (from, to) => readRecorderChanges(file, { from, to }),
      });
      await live.start();
      const motion = change('binary_sensor.hall', 10, 'on');
      change('light.hall', 10.8, 'on', 'automation', motion);
      await vi.waitFor(() => {
        expect(received).toHaveLength(2);
      });

      ha.rejectConnections(true);
      ha.dropConnections();
      await vi.waitFor(() => {
        expect(live.status().state).toBe('reconnecting');
        expect(live.status().failed_attempts).toBeGreaterThan(0);
      });
      change('binary_sensor.hall', 20, 'off');
      change('light.hall', 20.5, 'off', 'user');
      const again = change('binary_sensor.hall', 30, 'on');
      change('binary_sensor.hall', 31, 'off');
      change('light.hall', 40, 'on', 'automation', again);
      writer.close(at(50));
      ha.rejectConnections(false);
      await vi.waitFor(() => {
        expect(live.status().state).toBe('connected');
      });
      ha.setState('light.hall', 'off', { time: at(60) });

      await vi.waitFor(() => {
        expect(received).toHaveLength(8);
      });
      expect(received.slice(2)).toEqual([
        { entityId: 'binary_sensor.hall', time: ms(20), state: 'off', cause: 'device' },
        { entityId: 'light.hall', time: ms(20.5), state: 'off', cause: 'user' },
        { entityId: 'binary_sensor.hall', time: ms(30), state: 'on', cause: 'device' },
        { entityId: 'binary_sensor.hall', time: ms(31), state: 'off', cause: 'device' },
        {
          entityId: 'light.hall',
          time: ms(40),
          state: 'on',
          cause: 'automation',
          parentEntityId: 'binary_sensor.hall',
          parentTime: ms(30),
        },
        { entityId: 'light.hall', time: ms(60), state: 'off', cause: 'device' },
      ]);
      const gapRead = logs.find((call) => call.message === 'gap read from the recorder');
      expect(gapRead?.fields.changes).toBe(6);
      expect(live.status()).toMatchObject({
        reconnects: 1,
        changes_delivered: 8,
        changes_backfilled: 5,
        backfill_failures: 0,
      });
    });

    it('fills the gap from the states read when the recorder cannot be read', async () => {
      ha.setState('light.hall', 'off', { time: at(0) });
      const { live, received } = connect({
        backfill: () => {
          throw new TandemError('RECORDER_LOCKED', 'recorder.db: locked');
        },
      });
      await live.start();

      ha.rejectConnections(true);
      ha.dropConnections();
      await vi.waitFor(() => {
        expect(live.status().failed_attempts).toBeGreaterThan(0);
      });
      ha.setState('light.hall', 'on', { time: at(20) });
      ha.rejectConnections(false);

      await vi.waitFor(() => {
        expect(received).toHaveLength(1);
      });
      expect(received[0]).toEqual({
        entityId: 'light.hall',
        time: ms(20),
        state: 'on',
        cause: 'device',
      });
      expect(live.status()).toMatchObject({ state: 'connected', backfill_failures: 1 });
      expect(live.status().last_error).toContain('recorder.db: locked');
    });

    it('reconnects when Home Assistant stops answering pings', async () => {
      const { live } = connect({ heartbeat: { intervalMs: 20, timeoutMs: 20 } });
      await live.start();

      ha.answerPings(false);
      await vi.waitFor(() => {
        expect(logs.map((call) => call.message)).toContain('home assistant stopped answering');
      });
      ha.answerPings(true);

      await vi.waitFor(() => {
        expect(live.status()).toMatchObject({ state: 'connected', reconnects: 1 });
      });
    });
  });

  describe('when stopped', () => {
    it('closes the connection and hands nothing on', async () => {
      const { live, received } = connect();
      await live.start();
      await vi.waitFor(() => {
        expect(ha.subscribers).toBe(1);
      });

      await live.stop();
      ha.setState('light.hall', 'on', { time: at(5) });

      await vi.waitFor(() => {
        expect(ha.connections).toBe(0);
      });
      expect(live.status().state).toBe('stopped');
      expect(received).toEqual([]);
    });

    it('gives up a connection still catching up', async () => {
      let backfillCalls = 0;
      const { live, received } = connect({
        since: T0,
        backfill: () => {
          backfillCalls++;
          return new Promise<StateChange[]>(() => undefined);
        },
      });
      const starting = live.start();
      await vi.waitFor(() => {
        expect(backfillCalls).toBe(1);
      });

      await live.stop();
      await starting;

      expect(live.status().state).toBe('stopped');
      expect(received).toEqual([]);
      await vi.waitFor(() => {
        expect(ha.connections).toBe(0);
      });
    });
  });

  it('logs its lifecycle without the token', async () => {
    const { live } = connect();
    await live.start();
    ha.dropConnections();
    await vi.waitFor(() => {
      expect(live.status().reconnects).toBe(1);
    });
    await live.stop();

    expect(logs.map((call) => call.message)).toEqual([
      'home assistant live events starting',
      'home assistant connected',
      'home assistant connection lost',
      'home assistant reconnected',
      'home assistant live events stopped',
    ]);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});
