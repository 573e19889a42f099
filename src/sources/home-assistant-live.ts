import { getStates } from 'home-assistant-js-websocket';
import type { Connection, HassEntity, StateChangedEvent } from 'home-assistant-js-websocket';

import { TandemError } from '../errors.js';
import type { StateChange } from '../home/index.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { ChangeLedger } from './_lib/change-ledger.js';
import {
  checkUrl,
  closeConnection,
  messageOf,
  openConnection,
  settlesWithin,
  toTandemError,
  watchConnection,
  withoutCredentials,
} from './_lib/home-assistant-connection.js';
import {
  changeOfState,
  ContextParents,
  parseHomeAssistantTime,
} from './_lib/home-assistant-events.js';

export interface RetryOptions {
  /** The wait before the second attempt, ms; each failure doubles it. */
  initialMs: number;
  /** The longest wait between attempts, ms. */
  maxMs: number;
}

export interface HeartbeatOptions {
  /** How often to ping Home Assistant, ms. */
  intervalMs: number;
  /** How long a ping may go unanswered before the connection counts as dead, ms. */
  timeoutMs: number;
}

export interface HomeAssistantLiveOptions {
  /** Home Assistant's base URL, e.g. `http://homeassistant.local:8123`. */
  url: string;
  /** A long-lived access token, or the supervisor's. */
  token: string;
  /**
   * Takes each batch of real changes, in time order, synchronously; what it throws is logged and
   * the source goes on.
   */
  onChanges: (changes: StateChange[]) => void;
  /**
   * The real changes Home Assistant made in `[from, to)`, epoch ms, read from the recorder
   * (`readRecorderChanges`); called after every reconnect to fill the gap. Without it a gap is
   * filled from the states read on reconnect, which hold only each entity's latest change.
   */
  backfill?: (from: number, to: number) => StateChange[] | Promise<StateChange[]>;
  /**
   * Where the caller's history ends, epoch ms: the first connection then backfills from here, so
   * nothing is lost between reading the recorder and going live.
   */
  since?: number;
  logger?: Logger;
  /** 1 s doubling up to 30 s by default. */
  retry?: RetryOptions;
  /** A ping every 30 s, 10 s to answer, by default. */
  heartbeat?: HeartbeatOptions;
  /**
   * How long to wait after subscribing before reading the recorder, ms; 1.5 s by default. Home
   * Assistant commits the recorder once a second, so after this wait every change made before
   * the subscription is in the file, and every change after it arrives live.
   */
  backfillDelayMs?: number;
  /** How many recent contexts are kept to find what triggered an automation; 10,000. */
  contextsKept?: number;
  /** The clock, epoch ms. */
  now?: () => number;
}

/**
 * `connecting` until the first connection is up, `reconnecting` after it dropped, and
 * `auth_invalid` for good once Home Assistant refused the token: retrying cannot fix that.
 * `stopped` before `start` and after `stop`.
 */
export type LiveState = 'connecting' | 'connected' | 'reconnecting' | 'auth_invalid' | 'stopped';

/**
 * What the live source reports about itself, for `/health` and `/metrics`. Times are ISO. A
 * type rather than an interface, so that it passes where a JSON record is expected.
 */
export type LiveStatus = {
  state: LiveState;
  /** Home Assistant's URL without credentials. */
  url: string;
  ha_version: string | null;
  connected_since: string | null;
  /** When the last `state_changed` event arrived, by tandem's clock. */
  last_event_at: string | null;
  events_received: number;
  /** Real changes handed on, live and backfilled. */
  changes_delivered: number;
  /** Of those, the changes that filled a gap after a reconnect. */
  changes_backfilled: number;
  /** Gaps the recorder could not be read for; each was filled from the latest states only. */
  backfill_failures: number;
  reconnects: number;
  /** Connection attempts that failed since the last success. */
  failed_attempts: number;
  /** When the next attempt is due, while waiting for one. */
  next_attempt_at: string | null;
  last_error: string | null;
  /** Entities in the current states. */
  entities: number;
};

/** One entity's state as Home Assistant holds it now. */
export interface CurrentState {
  entityId: string;
  state: string;
  attributes: Readonly<Record<string, unknown>>;
  /** When the entity entered the state, epoch ms. */
  lastChanged: number;
  lastUpdated: number;
}

/** A change heard or read, with what it came from. */
interface Candidate {
  change: StateChange;
  /** The state Home Assistant said it left, for a change heard live. */
  previous?: string;
  /** Whether it fills a gap rather than arriving live. */
  gap: boolean;
}

/** Live changes held back while a gap is read, and how far in time they reach. */
interface Pending {
  candidates: Candidate[];
  heardUntil: number;
}

/** What was read to fill the gap before a connection goes live. */
interface Gap {
  from: number | undefined;
  /** The newest update among the states read, in Home Assistant's clock. */
  statesTime: number;
  candidates: Candidate[];
}

const DEFAULT_RETRY: RetryOptions = { initialMs: 1000, maxMs: 30_000 };
const DEFAULT_HEARTBEAT: HeartbeatOptions = { intervalMs: 30_000, timeoutMs: 10_000 };
const DEFAULT_BACKFILL_DELAY_MS = 1500;
const DEFAULT_CONTEXTS_KEPT = 10_000;

/**
 * Home Assistant's `state_changed` events as tandem's `StateChange`s, kept going across dropped
 * connections. Only real changes are handed on: attribute-only updates, removals, `unavailable`
 * and `unknown` are dropped here, by the rule a timeline is built by, so the stream matches what
 * `readRecorderChanges` reads back for the same period. After a reconnect the gap is filled
 * from the recorder (`backfill`) and the states read on reconnect, in time order and without
 * the changes already handed on, before live changes resume.
 *
 * A wrong token rejects `start`; an unreachable Home Assistant does not: a service started with
 * Home Assistant (an add-on at boot) should wait for it, so attempts go on with backoff and
 * `status()` says why it is not connected.
 *
 * @example
 * const live = new HomeAssistantLive({
 *   url: 'http://homeassistant.local:8123',
 *   token,
 *   onChanges: (changes) => changes.forEach((change) => stream.add(change)),
 *   backfill: (from, to) => readRecorderChanges(recorderFile, { from, to }),
 * });
 * await live.start();
 */
export class HomeAssistantLive {
  readonly #token: string;
  private readonly url: string;
  private readonly safeUrl: string;
  private readonly onChanges: (changes: StateChange[]) => void;
  private readonly backfill: HomeAssistantLiveOptions['backfill'];
  private readonly since: number | undefined;
  private readonly logger: Logger;
  private readonly retry: RetryOptions;
  private readonly heartbeat: HeartbeatOptions;
  private readonly backfillDelayMs: number;
  private readonly now: () => number;
  private readonly parents: ContextParents;
  private readonly ledger = new ChangeLedger();
  private readonly current = new Map<string, CurrentState>();

  private started = false;
  private state: LiveState = 'stopped';
  private connection: Connection | undefined;
  /** Abandons the attempt under way, so that `stop` does not leave it waiting forever. */
  private abandonAttempt: (() => void) | undefined;
  /** Set while a connection catches up; undefined once live. */
  private pending: Pending | undefined;
  /** Up to when, in Home Assistant's clock, every change has been handed on or ruled out. */
  private heardUntil: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly counts = {
    events: 0,
    delivered: 0,
    backfilled: 0,
    backfillFailures: 0,
    reconnects: 0,
    failedAttempts: 0,
  };
  private haVersion: string | null = null;
  private connectedSince: number | undefined;
  private lastEventAt: number | undefined;
  private nextAttemptAt: number | undefined;
  private lastError: string | undefined;

  constructor(options: HomeAssistantLiveOptions) {
    this.url = checkUrl(options.url);
    this.safeUrl = withoutCredentials(this.url);
    if (options.token.trim() === '') {
      throw new TandemError('INVALID_ARGUMENT', 'the Home Assistant access token is empty');
    }

    this.#token = options.token.trim();
    this.onChanges = options.onChanges;
    this.backfill = options.backfill;
    this.since = options.since;
    this.logger = options.logger ?? silentLogger;
    this.retry = checkPositive('retry', options.retry ?? DEFAULT_RETRY);
    this.heartbeat = checkPositive('heartbeat', options.heartbeat ?? DEFAULT_HEARTBEAT);
    this.backfillDelayMs = options.backfillDelayMs ?? DEFAULT_BACKFILL_DELAY_MS;
    this.now = options.now ?? Date.now;
    this.parents = new ContextParents(options.contextsKept ?? DEFAULT_CONTEXTS_KEPT);
  }

  /**
   * Connects, reads the current states and subscribes. Resolves after the first attempt,
   * connected or not; rejects only when Home Assistant refuses the token
   * (`HOME_ASSISTANT_AUTH_INVALID`).
   */
  async start(): Promise<void> {
    if (this.started) {
      throw new Error('this Home Assistant live source was started before');
    }

    this.started = true;
    this.state = 'connecting';
    this.logger.info({ url: this.safeUrl }, 'home assistant live events starting');
    const failure = await this.attempt();
    if (failure?.code === 'HOME_ASSISTANT_AUTH_INVALID') {
      throw failure;
    }
  }

  /** Closes the connection and stops retrying; nothing is handed on afterwards. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    this.connectedSince = undefined;
    this.nextAttemptAt = undefined;
    this.pending = undefined;
    this.abandonAttempt?.();
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) {
      await closeConnection(connection);
      this.logger.info({ url: this.safeUrl }, 'home assistant live events stopped');
    }
  }

  status(): LiveStatus {
    return {
      state: this.state,
      url: this.safeUrl,
      ha_version: this.haVersion,
      connected_since: isoOrNull(this.connectedSince),
      last_event_at: isoOrNull(this.lastEventAt),
      events_received: this.counts.events,
      changes_delivered: this.counts.delivered,
      changes_backfilled: this.counts.backfilled,
      backfill_failures: this.counts.backfillFailures,
      reconnects: this.counts.reconnects,
      failed_attempts: this.counts.failedAttempts,
      next_attempt_at: isoOrNull(this.nextAttemptAt),
      last_error: this.lastError ?? null,
      entities: this.current.size,
    };
  }

  /**
   * Every entity's state as last heard, a view kept current by the events. Empty until the
   * states were first read and out of date while the status is not `connected`: an entity
   * missing from it is unknown, not gone.
   */
  currentStates(): ReadonlyMap<string, CurrentState> {
    return this.current;
  }

  /** One connection attempt; on failure the next is scheduled. Never rejects. */
  private async attempt(): Promise<TandemError | undefined> {
    this.retryTimer = undefined;
    this.nextAttemptAt = undefined;
    if (this.state === 'stopped') {
      return undefined;
    }

    try {
      await this.connect();
      return undefined;
    } catch (error) {
      this.abandonAttempt = undefined;
      const failure = toTandemError(error, this.safeUrl);
      this.onFailure(failure);
      return failure;
    }
  }

  private onFailure(failure: TandemError): void {
    if (this.state === 'stopped') {
      return;
    }

    this.lastError = failure.message;
    if (failure.code === 'HOME_ASSISTANT_AUTH_INVALID') {
      this.state = 'auth_invalid';
      this.logger.error({ url: this.safeUrl, error: failure.message }, 'home assistant refused');
      return;
    }

    const delayMs = retryDelay(this.retry, this.counts.failedAttempts++);
    this.nextAttemptAt = this.now() + delayMs;
    this.logger.warn(
      { url: this.safeUrl, attempts: this.counts.failedAttempts, delayMs, error: failure.message },
      'home assistant unreachable',
    );
    this.retryTimer = setTimeout(() => void this.attempt(), delayMs);
  }

  /**
   * Subscribes first and reads the states second, so no change falls between them; changes
   * heard meanwhile wait in `pending` until the gap before them is handed on.
   */
  private async connect(): Promise<void> {
    const connection = await openConnection(this.url, this.#token);
    if (this.state === 'stopped') {
      connection.close();
      return;
    }

    this.connection = connection;
    this.haVersion = connection.haVersion;
    this.pending = { candidates: [], heardUntil: -Infinity };
    const { untilLost, abandon } = watchConnection(connection, () => {
      this.onDisconnected(connection);
    });
    this.abandonAttempt = abandon;

    await untilLost(
      connection.subscribeEvents<StateChangedEvent>((event) => {
        this.onEvent(event);
      }, 'state_changed'),
    );
    const states = await untilLost(getStates(connection));
    const gap = await untilLost(this.readGap(states));
    this.abandonAttempt = undefined;
    this.goLive(connection, gap, states);
  }

  /** The changes of the gap since `heardUntil` (or `since`): from the states and the recorder. */
  private async readGap(states: HassEntity[]): Promise<Gap> {
    this.applyStates(states);
    // A millisecond early: times are rounded to the millisecond, and the recorder's window
    // compares the unrounded seconds, so a change just after the last one heard could round to
    // the same millisecond and still fall before it. What is read twice is dropped later.
    const from = this.heardUntil === undefined ? this.since : this.heardUntil - 1;
    const statesTime = states.reduce(
      (latest, state) => Math.max(latest, timeOf(state.last_updated)),
      -Infinity,
    );
    if (from === undefined) {
      return { from, statesTime, candidates: [] };
    }

    const fromStates = states
      .filter((state) => timeOf(state.last_changed) >= from)
      .map((state): Candidate => ({ change: changeOfState(state, this.parents), gap: true }));
    const fromRecorder = await this.readBackfill(from, statesTime);

    return { from, statesTime, candidates: [...fromRecorder, ...fromStates] };
  }

  private async readBackfill(from: number, statesTime: number): Promise<Candidate[]> {
    if (this.backfill === undefined) {
      return [];
    }

    // TODO(recorder-backlog): a recorder that fell behind (its queue backs up under heavy load)
    // may not have committed the last changes before the subscription after this wait; only each
    // entity's latest state then covers them. Goes when the wait asks the recorder how far it got.
    await delay(this.backfillDelayMs);
    // Changes after the states were read arrive live; the later of the two clocks covers them.
    const to = Math.max(this.now(), statesTime + 1, from + 1);
    try {
      const changes = await this.backfill(from, to);
      this.logger.info(
        { url: this.safeUrl, from: isoOrNull(from), to: isoOrNull(to), changes: changes.length },
        'gap read from the recorder',
      );
      return changes.map((change) => ({ change, gap: true }));
    } catch (error) {
      this.counts.backfillFailures++;
      this.lastError = `the gap since ${isoOrNull(from)} could not be read: ${messageOf(error)}`;
      this.logger.error(
        { url: this.safeUrl, from: isoOrNull(from), error: messageOf(error) },
        'gap not backfilled; only the latest state of each entity fills it',
      );
      return [];
    }
  }

  /** Hands on the gap and the changes heard meanwhile, then every change as it comes. */
  private goLive(connection: Connection, gap: Gap, states: readonly HassEntity[]): void {
    const pending = this.pending ?? { candidates: [], heardUntil: -Infinity };
    this.pending = undefined;
    this.baseline(states, gap.from, pending.candidates);
    this.heardUntil = latestOf(this.heardUntil, gap.statesTime, pending.heardUntil);

    const reconnected = this.state === 'reconnecting';
    this.state = 'connected';
    this.connectedSince = this.now();
    this.counts.failedAttempts = 0;
    if (reconnected) {
      this.counts.reconnects++;
    }

    this.logger.info(
      { url: this.safeUrl, haVersion: this.haVersion, entities: this.current.size },
      reconnected ? 'home assistant reconnected' : 'home assistant connected',
    );
    this.deliver([...gap.candidates, ...pending.candidates]);
    this.startHeartbeat(connection);
  }

  /**
   * States older than the gap are where their entities stand, not changes; an entity heard
   * during the catch-up takes its baseline from the event instead, which knows the state before.
   */
  private baseline(
    states: readonly HassEntity[],
    from: number | undefined,
    heard: readonly Candidate[],
  ): void {
    const heardIds = new Set(heard.map((candidate) => candidate.change.entityId));
    for (const state of states) {
      const time = timeOf(state.last_changed);
      if (!heardIds.has(state.entity_id) && (from === undefined || time < from)) {
        this.ledger.baseline(state.entity_id, state.state, time);
      }
    }
  }

  private applyStates(states: readonly HassEntity[]): void {
    this.current.clear();
    for (const state of states) {
      this.current.set(state.entity_id, currentStateOf(state));
      this.parents.remember(state);
    }
  }

  private onEvent(event: StateChangedEvent): void {
    this.counts.events++;
    this.lastEventAt = this.now();
    try {
      const fired = timeOf(event.time_fired);
      const candidate = this.candidateOf(event);
      if (this.pending !== undefined) {
        this.pending.heardUntil = Math.max(this.pending.heardUntil, fired);
        if (candidate !== undefined) {
          this.pending.candidates.push(candidate);
        }

        return;
      }

      this.heardUntil = latestOf(this.heardUntil, fired);
      if (candidate !== undefined) {
        this.deliver([candidate]);
      }
    } catch (error) {
      this.logger.warn(
        { url: this.safeUrl, entityId: event.data.entity_id, error: messageOf(error) },
        'unreadable state_changed event skipped',
      );
    }
  }

  /** The change an event makes, if any; keeps the current states and contexts up to date. */
  private candidateOf(event: StateChangedEvent): Candidate | undefined {
    const { entity_id: entityId, old_state: oldState, new_state: newState } = event.data;
    if (newState === null) {
      this.current.delete(entityId);
      return undefined;
    }

    this.current.set(entityId, currentStateOf(newState));
    this.parents.remember(newState);
    if (oldState !== null && oldState.state === newState.state) {
      return undefined;
    }

    const change = changeOfState(newState, this.parents);
    return { change, previous: oldState?.state, gap: false };
  }

  /** Hands on the candidates that are new changes, in time order. */
  private deliver(candidates: readonly Candidate[]): void {
    const sorted = [...candidates].sort((a, b) => a.change.time - b.change.time);
    const changes: StateChange[] = [];
    for (const candidate of sorted) {
      if (this.ledger.accept(candidate.change, candidate.previous)) {
        changes.push(candidate.change);
        this.counts.backfilled += candidate.gap ? 1 : 0;
      }
    }

    if (changes.length === 0) {
      return;
    }

    this.counts.delivered += changes.length;
    try {
      this.onChanges(changes);
    } catch (error) {
      // One boundary for the consumer: its failure must not take the connection down.
      this.logger.error(
        { changes: changes.length, error: messageOf(error) },
        'state changes not taken by their consumer',
      );
    }
  }

  private onDisconnected(connection: Connection): void {
    if (connection !== this.connection) {
      return;
    }

    // The library would reconnect by itself, on a schedule that cannot be tuned, and resubscribe
    // before the gap is read; closing it leaves reconnecting to `attempt`.
    connection.close();
    this.connection = undefined;
    this.pending = undefined;
    this.stopHeartbeat();
    if (this.state !== 'connected') {
      return;
    }

    this.state = 'reconnecting';
    this.connectedSince = undefined;
    this.logger.warn({ url: this.safeUrl }, 'home assistant connection lost');
    void this.attempt();
  }

  /** The library sends no pings, and a half-open connection would look alive for hours. */
  private startHeartbeat(connection: Connection): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      void this.ping(connection);
    }, this.heartbeat.intervalMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async ping(connection: Connection): Promise<void> {
    const answered = await settlesWithin(connection.ping(), this.heartbeat.timeoutMs);
    if (!answered && connection === this.connection) {
      this.lastError = `Home Assistant left a ping unanswered for ${this.heartbeat.timeoutMs} ms`;
      this.logger.warn(
        { url: this.safeUrl, timeoutMs: this.heartbeat.timeoutMs },
        'home assistant stopped answering',
      );
      // Drops the socket at once; the library then reports the disconnection.
      connection.reconnect(true);
    }
  }
}

/** Zero or negative waits would retry in a tight loop, or ping without pause. */
function checkPositive<T extends object>(name: string, waits: T): T {
  for (const [key, value] of Object.entries(waits)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new TandemError(
        'INVALID_ARGUMENT',
        `${name}.${key} must be a positive number of milliseconds, not ${String(value)}`,
      );
    }
  }

  return waits;
}

/** The wait before attempt `failures + 1`: doubling from `initialMs`, never above `maxMs`. */
export function retryDelay(retry: RetryOptions, failures: number): number {
  return Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(failures, 30));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function currentStateOf(state: HassEntity): CurrentState {
  return {
    entityId: state.entity_id,
    state: state.state,
    attributes: state.attributes,
    lastChanged: timeOf(state.last_changed),
    lastUpdated: timeOf(state.last_updated),
  };
}

function timeOf(text: string): number {
  const time = parseHomeAssistantTime(text);
  if (Number.isNaN(time)) {
    throw new TandemError('SOURCE_FORMAT_INVALID', `"${text}" is not a Home Assistant time`);
  }

  return time;
}

/** The latest of the finite times given, or undefined when there is none. */
function latestOf(...times: (number | undefined)[]): number | undefined {
  const finite = times.filter(
    (time): time is number => time !== undefined && Number.isFinite(time),
  );
  return finite.length === 0 ? undefined : Math.max(...finite);
}

function isoOrNull(time: number | undefined): string | null {
  return time === undefined || !Number.isFinite(time) ? null : new Date(time).toISOString();
}
