import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';

/** The version the fake says it runs; new enough for `supported_features`. */
export const FAKE_HA_VERSION = '2026.12.1';

export interface FakeContext {
  /** A ULID, as Home Assistant gives every context. */
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

/** A state object in the shape of `get_states` and `state_changed` events. */
export interface FakeState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_reported: string;
  last_updated: string;
  context: FakeContext;
}

export interface SetStateOptions {
  /** Epoch ms (fractions are kept to the microsecond); now when absent. */
  time?: number;
  /** All attributes the entity has now; the previous ones are kept when absent. */
  attributes?: Record<string, unknown>;
  /** `parent_id` marks an automation's change, `user_id` a person's; a fresh `id` when absent. */
  context?: Partial<FakeContext>;
}

export interface FakeHomeAssistantOptions {
  /** The access token it accepts; `fake-token` by default. */
  token?: string;
  version?: string;
  timeZone?: string;
}

interface Client {
  socket: WebSocket;
  authenticated: boolean;
  lastId: number;
  /** Subscription ids and the event type each asked for (undefined: every type). */
  subscriptions: Map<number, string | undefined>;
  /** With `coalesce_messages`, what is waiting to go out as one array. */
  queue: unknown[] | undefined;
}

type Message = Record<string, unknown>;

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Home Assistant's WebSocket API as far as tandem uses it, on a loopback port: the handshake
 * (`auth_required`, `auth`, `auth_ok` or `auth_invalid` and a close), strictly increasing ids
 * (`id_reuse` otherwise), `supported_features` with coalesced messages, `get_states`,
 * `get_config`, `subscribe_events` with `state_changed` events in the real shape,
 * `unsubscribe_events`, `ping` and `unknown_command`. Tests change states with `setState` and
 * break the connection with `dropConnections` and `rejectConnections`.
 *
 * @example
 * const ha = await FakeHomeAssistant.start({ token: 'secret' });
 * const motion = ha.setState('binary_sensor.hall', 'on');
 * ha.setState('light.hall', 'on', { context: { parent_id: motion.context.id } });
 * await ha.close();
 */
export class FakeHomeAssistant {
  /** The base URL to hand a client, `http://127.0.0.1:PORT`. */
  readonly url: string;
  private token: string;
  private readonly version: string;
  private readonly timeZone: string;
  private readonly states = new Map<string, FakeState>();
  private readonly clients = new Set<Client>();
  private rejecting = false;
  private answeringPings = true;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    options: FakeHomeAssistantOptions,
  ) {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    this.url = `http://127.0.0.1:${port}`;
    this.token = options.token ?? 'fake-token';
    this.version = options.version ?? FAKE_HA_VERSION;
    this.timeZone = options.timeZone ?? 'Europe/Berlin';
  }

  static async start(options: FakeHomeAssistantOptions = {}): Promise<FakeHomeAssistant> {
    const server = createServer((_, response) => {
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const wss = new WebSocketServer({ noServer: true });
    const fake = new FakeHomeAssistant(server, wss, options);
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      fake.upgrade(request, socket, head);
    });

    return fake;
  }

  /** Clients that passed the handshake and are still connected. */
  get connections(): number {
    return [...this.clients].filter((client) => client.authenticated).length;
  }

  /** Clients subscribed to `state_changed`. */
  get subscribers(): number {
    return [...this.clients].filter((client) => subscribesTo(client, 'state_changed')).length;
  }

  /** The states as `get_states` returns them. */
  currentStates(): FakeState[] {
    return [...this.states.values()];
  }

  /** Accepts another token from now on, as when the old one is revoked. */
  setToken(token: string): void {
    this.token = token;
  }

  /**
   * Sets an entity's state as the state machine does: `last_changed` moves only when the state
   * does, and a write that changes neither state nor attributes only moves `last_reported` and
   * fires no `state_changed`. Returns the new state, whose `context.id` can be a later parent.
   */
  setState(entityId: string, state: string, options: SetStateOptions = {}): FakeState {
    const at = options.time ?? Date.now();
    const time = formatHomeAssistantTime(at);
    const old = this.states.get(entityId);
    const attributes = options.attributes ?? old?.attributes ?? {};
    if (old?.state === state && JSON.stringify(old.attributes) === JSON.stringify(attributes)) {
      old.last_reported = time;
      return old;
    }

    const context: FakeContext = {
      id: options.context?.id ?? createUlid(at),
      parent_id: options.context?.parent_id ?? null,
      user_id: options.context?.user_id ?? null,
    };
    const next: FakeState = {
      entity_id: entityId,
      state,
      attributes,
      last_changed: old?.state === state ? old.last_changed : time,
      last_reported: time,
      last_updated: time,
      context,
    };
    this.states.set(entityId, next);
    this.fireStateChanged(entityId, old ?? null, next, time);

    return next;
  }

  /** Removes an entity: its `state_changed` event has a null `new_state`. */
  removeState(entityId: string, time = Date.now()): void {
    const old = this.states.get(entityId);
    if (old === undefined) {
      return;
    }

    this.states.delete(entityId);
    this.fireStateChanged(entityId, old, null, formatHomeAssistantTime(time));
  }

  /** Cuts every connection at once, without a closing handshake, as a crash or network loss. */
  dropConnections(): void {
    for (const client of this.clients) {
      client.socket.terminate();
    }

    this.clients.clear();
  }

  /** While on, every new connection is refused with HTTP 503, as while Home Assistant restarts. */
  rejectConnections(on: boolean): void {
    this.rejecting = on;
  }

  /** While off, pings go unanswered, as on a connection that went silent. */
  answerPings(on: boolean): void {
    this.answeringPings = on;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => {
        resolve();
      });
    });
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', this.url).pathname;
    if (this.rejecting || path !== '/api/websocket') {
      const status = this.rejecting ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }

    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.accept(ws);
    });
  }

  private accept(socket: WebSocket): void {
    const client: Client = {
      socket,
      authenticated: false,
      lastId: 0,
      subscriptions: new Map(),
      queue: undefined,
    };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    socket.on('message', (data: RawData) => {
      this.receive(client, rawText(data));
    });
    this.send(client, { type: 'auth_required', ha_version: this.version });
  }

  private receive(client: Client, text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      // Home Assistant drops a client that sends something other than JSON.
      client.socket.close(1003);
      return;
    }

    if (!isMessage(message)) {
      client.socket.close(1003);
    } else if (!client.authenticated) {
      this.authenticate(client, message);
    } else {
      this.command(client, message);
    }
  }

  private authenticate(client: Client, message: Message): void {
    if (message.type !== 'auth' || typeof message.access_token !== 'string') {
      this.send(client, {
        type: 'auth_invalid',
        message: 'Auth message incorrectly formatted: expected an access_token',
      });
      client.socket.close();
      return;
    }

    if (message.access_token !== this.token) {
      this.send(client, { type: 'auth_invalid', message: 'Invalid access token or password' });
      client.socket.close();
      return;
    }

    client.authenticated = true;
    this.send(client, { type: 'auth_ok', ha_version: this.version });
  }

  private command(client: Client, message: Message): void {
    const { id, type } = message;
    if (typeof id !== 'number' || !Number.isInteger(id) || typeof type !== 'string') {
      const replyId = typeof id === 'number' ? id : 0;
      this.fail(client, replyId, 'invalid_format', 'Message incorrectly formatted.');
      return;
    }

    if (id <= client.lastId) {
      this.fail(client, id, 'id_reuse', 'Identifier values have to increase.');
      return;
    }

    client.lastId = id;
    const handler = this.commands[type];
    if (handler === undefined) {
      this.fail(client, id, 'unknown_command', 'Unknown command.');
      return;
    }

    handler(client, id, message);
  }

  private readonly commands: Record<string, (client: Client, id: number, m: Message) => void> = {
    supported_features: (client, id, message) => {
      const features = isMessage(message.features) ? message.features : {};
      if (features.coalesce_messages === 1) {
        client.queue = [];
      }

      this.succeed(client, id, null);
    },
    get_states: (client, id) => {
      this.succeed(client, id, this.currentStates());
    },
    get_config: (client, id) => {
      this.succeed(client, id, {
        version: this.version,
        time_zone: this.timeZone,
        location_name: 'Fake home',
        state: 'RUNNING',
        components: ['person', 'recorder', 'websocket_api'],
        unit_system: { length: 'km', mass: 'g', temperature: '°C', volume: 'L' },
      });
    },
    subscribe_events: (client, id, message) => {
      const eventType = typeof message.event_type === 'string' ? message.event_type : undefined;
      client.subscriptions.set(id, eventType);
      this.succeed(client, id, null);
    },
    unsubscribe_events: (client, id, message) => {
      const subscription = message.subscription;
      if (typeof subscription === 'number' && client.subscriptions.delete(subscription)) {
        this.succeed(client, id, null);
      } else {
        this.fail(client, id, 'not_found', 'Subscription not found.');
      }
    },
    ping: (client, id) => {
      if (this.answeringPings) {
        this.send(client, { id, type: 'pong' });
      }
    },
  };

  private fireStateChanged(
    entityId: string,
    oldState: FakeState | null,
    newState: FakeState | null,
    time: string,
  ): void {
    const context = newState?.context ?? {
      id: createUlid(Date.now()),
      parent_id: null,
      user_id: null,
    };
    const event = {
      event_type: 'state_changed',
      data: { entity_id: entityId, old_state: oldState, new_state: newState },
      origin: 'LOCAL',
      time_fired: time,
      context,
    };
    for (const client of this.clients) {
      for (const [subscription, eventType] of client.subscriptions) {
        if (eventType === undefined || eventType === 'state_changed') {
          this.send(client, { id: subscription, type: 'event', event });
        }
      }
    }
  }

  private succeed(client: Client, id: number, result: unknown): void {
    this.send(client, { id, type: 'result', success: true, result });
  }

  private fail(client: Client, id: number, code: string, message: string): void {
    this.send(client, { id, type: 'result', success: false, error: { code, message } });
  }

  /** With coalescing on, what is sent in one turn of the event loop goes out as one array. */
  private send(client: Client, message: unknown): void {
    if (client.queue === undefined) {
      client.socket.send(JSON.stringify(message));
      return;
    }

    client.queue.push(message);
    if (client.queue.length === 1) {
      setImmediate(() => {
        const batch = client.queue ?? [];
        client.queue = [];
        if (client.socket.readyState === client.socket.OPEN && batch.length > 0) {
          client.socket.send(JSON.stringify(batch.length === 1 ? batch[0] : batch));
        }
      });
    }
  }
}

/**
 * A time as Home Assistant writes it (Python's `isoformat`): microseconds, left out on a whole
 * second, and the UTC offset as `+00:00`.
 */
export function formatHomeAssistantTime(time: number): string {
  const micros = Math.round(time * 1000);
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);

  return `${whole}${fraction === 0 ? '' : `.${String(fraction).padStart(6, '0')}`}+00:00`;
}

/** A ULID: the time in ms in 10 base-32 characters, then 16 random ones. */
export function createUlid(time: number): string {
  let ms = Math.floor(time);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = (ULID_ALPHABET[ms % 32] ?? '0') + head;
    ms = Math.floor(ms / 32);
  }

  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail += ULID_ALPHABET[randomInt(32)] ?? '0';
  }

  return head + tail;
}

/** A user id as Home Assistant writes it: a UUID as 32 hex characters. */
export function createUserId(): string {
  return randomBytes(16).toString('hex');
}

function subscribesTo(client: Client, eventType: string): boolean {
  return [...client.subscriptions.values()].some(
    (type) => type === undefined || type === eventType,
  );
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }

  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
