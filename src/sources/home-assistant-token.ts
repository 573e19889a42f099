import { readTokenFile } from '../token-file.js';

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
    return { token: readTokenFile(options.file, 'Home Assistant token') };
  }

  const env = options.env ?? process.env;
  const supervisor = env.SUPERVISOR_TOKEN?.trim();
  if (supervisor) {
    return { url: SUPERVISOR_URL, token: supervisor };
  }

  const token = env.HA_TOKEN?.trim();
  return token ? { token } : undefined;
}
