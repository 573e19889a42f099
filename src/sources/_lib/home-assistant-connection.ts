/**
 * The connection to Home Assistant's WebSocket API as home-assistant-js-websocket makes it, and
 * what its failures mean in tandem's errors.
 */

import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
} from 'home-assistant-js-websocket';
import type { Connection } from 'home-assistant-js-websocket';
import { WebSocket } from 'ws';

import { TandemError } from '../../errors.js';

/** How long closing waits for the socket to close before it returns anyway. */
const CLOSE_WAIT_MS = 1000;

/** Home Assistant's base URL without a trailing slash; only http and https are Home Assistant's. */
export function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TandemError('INVALID_ARGUMENT', 'the Home Assistant URL is not a URL', {
      cause: error,
    });
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `the Home Assistant URL ${withoutCredentials(url)} must start with http:// or https://`,
    );
  }

  return url.replace(/\/+$/, '');
}

/** The URL as it may be shown and logged: without a user name or password in it. */
export function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';

  return parsed.toString().replace(/\/+$/, '');
}

/** Node 20 has no WebSocket of its own, and the library opens its sockets with the global one. */
function useWsAsGlobalWebSocket(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
}

export function openConnection(url: string, token: string): Promise<Connection> {
  useWsAsGlobalWebSocket();
  return createConnection({ auth: createLongLivedTokenAuth(url, token), setupRetry: 0 });
}

/**
 * Calls `onLost` when the connection drops, and guards the steps of connecting: a step still
 * open when the connection drops, or when the attempt is abandoned, rejects instead of hanging
 * (the library leaves a subscription in flight open across a drop).
 */
export function watchConnection(connection: Connection, onLost: () => void) {
  let reject: (reason: unknown) => void = () => undefined;
  const lost = new Promise<never>((_, rejectLost) => {
    reject = rejectLost;
  });
  lost.catch(() => undefined);
  connection.addEventListener('disconnected', () => {
    reject(ERR_CONNECTION_LOST);
    onLost();
  });

  return {
    untilLost: <T>(step: Promise<T>): Promise<T> => Promise.race([step, lost]),
    abandon: () => {
      reject(ERR_CONNECTION_LOST);
    },
  };
}

/** Closes the connection for good and waits, a little, for Home Assistant to see it close. */
export async function closeConnection(connection: Connection): Promise<void> {
  const socket = connection.socket;
  connection.close();
  if (socket === undefined || socket.readyState === socket.CLOSED) {
    return;
  }

  await settlesWithin(
    new Promise<void>((resolve) => {
      socket.addEventListener('close', () => {
        resolve();
      });
    }),
    CLOSE_WAIT_MS,
  );
}

/** Whether `promise` settled, either way, within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The library rejects with bare numbers or with Home Assistant's `{ code, message }`. */
export function toTandemError(error: unknown, url: string): TandemError {
  if (error instanceof TandemError) {
    return error;
  }

  if (error === ERR_INVALID_AUTH) {
    return new TandemError(
      'HOME_ASSISTANT_AUTH_INVALID',
      `Home Assistant at ${url} answered auth_invalid: it does not accept the access token; ` +
        'create a long-lived access token on your Home Assistant profile page',
    );
  }

  if (error === ERR_CANNOT_CONNECT) {
    return new TandemError(
      'HOME_ASSISTANT_UNAVAILABLE',
      `cannot connect to Home Assistant's WebSocket API at ${url}/api/websocket`,
    );
  }

  if (error === ERR_CONNECTION_LOST || codeOf(error) === ERR_CONNECTION_LOST) {
    return new TandemError(
      'HOME_ASSISTANT_UNAVAILABLE',
      `the connection to Home Assistant at ${url} was lost while connecting`,
    );
  }

  return new TandemError(
    'HOME_ASSISTANT_UNAVAILABLE',
    `Home Assistant at ${url} failed: ${messageOf(error)}`,
    { cause: error },
  );
}

/** The code of an error result, as the library rejects a command cut off by a lost connection. */
function codeOf(error: unknown): unknown {
  const result = error as { error?: { code?: unknown } } | null;
  return typeof result === 'object' && result !== null ? result.error?.code : undefined;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }

  const answer = error as { code?: unknown; message?: unknown } | null;
  if (typeof answer === 'object' && answer !== null && typeof answer.message === 'string') {
    return typeof answer.code === 'string' ? `${answer.code}: ${answer.message}` : answer.message;
  }

  return String(error);
}
