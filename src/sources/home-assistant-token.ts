import { readFileSync } from 'node:fs';

import { TandemError } from '../errors.js';

/** Where an add-on reaches Home Assistant's API through the supervisor's proxy. */
export const SUPERVISOR_URL = 'http://supervisor/core';

export interface HomeAssistantToken {
  /** Set when the token says where Home Assistant is: the supervisor's, for an add-on. */
  url?: string;
  token: string;
}

export interface ReadHomeAssistantTokenOptions {
  /** A file holding the token (`--ha-token-file`); when given, the environment is not read. */
  file?: string;
  /** `process.env` when omitted. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The access token to reach Home Assistant with: from a file when one is named, else the
 * supervisor's `SUPERVISOR_TOKEN` (inside an add-on), else a long-lived token in `HA_TOKEN`.
 * Never from the command line, where every process on the machine could read it. Errors name
 * the file and never its content. Undefined when no token is configured.
 *
 * @example
 * const found = readHomeAssistantToken({ file: options.haTokenFile });
 */
export function readHomeAssistantToken(
  options: ReadHomeAssistantTokenOptions = {},
): HomeAssistantToken | undefined {
  if (options.file !== undefined) {
    return { token: readTokenFile(options.file) };
  }

  const env = options.env ?? process.env;
  const supervisor = env.SUPERVISOR_TOKEN?.trim();
  if (supervisor) {
    return { url: SUPERVISOR_URL, token: supervisor };
  }

  const token = env.HA_TOKEN?.trim();
  return token ? { token } : undefined;
}

function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TandemError('INVALID_ARGUMENT', `${file}: ${whyUnreadable(error)}`, {
      cause: error,
    });
  }

  const token = text.trim();
  if (token === '') {
    throw new TandemError('INVALID_ARGUMENT', `${file}: the Home Assistant token file is empty`);
  }

  if (/\s/.test(token)) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `${file}: the Home Assistant token file holds more than one word; it should hold only ` +
        'the token',
    );
  }

  return token;
}

function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return 'no such Home Assistant token file';
  }

  if (code === 'EISDIR') {
    return 'a folder, not a Home Assistant token file';
  }

  return `cannot read the Home Assistant token file (${code ?? 'unknown error'})`;
}
