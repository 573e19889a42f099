import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TandemError } from '../errors.js';
import { readHomeAssistantToken, SUPERVISOR_URL } from './home-assistant-token.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.long-lived.token';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-token-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The error `read` throws, which must be a TandemError. */
function errorOf(read: () => unknown): TandemError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(TandemError);
    return error as TandemError;
  }

  throw new Error('expected an error');
}

describe('readHomeAssistantToken', () => {
  describe('when a token file is named', () => {
    it('returns its content trimmed, ignoring the environment', () => {
      const file = join(dir, 'token');
      writeFileSync(file, `  ${TOKEN}\n`);

      const found = readHomeAssistantToken({ file, env: { HA_TOKEN: 'from-env' } });

      expect(found).toEqual({ token: TOKEN });
    });

    it('refuses an empty file, naming it', () => {
      const file = join(dir, 'token');
      writeFileSync(file, ' \n');

      const error = errorOf(() => readHomeAssistantToken({ file }));

      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toBe(`${file}: the Home Assistant token file is empty`);
    });

    it('refuses a missing file, naming it', () => {
      const file = join(dir, 'missing');

      const error = errorOf(() => readHomeAssistantToken({ file }));

      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toBe(`${file}: no such Home Assistant token file`);
    });

    it('refuses a folder, naming it', () => {
      const folder = join(dir, 'folder');
      mkdirSync(folder);

      const error = errorOf(() => readHomeAssistantToken({ file: folder }));

      expect(error.message).toContain(folder);
    });

    it('refuses a file holding more than the token without echoing it', () => {
      const file = join(dir, 'token');
      writeFileSync(file, `${TOKEN}\nsecond line\n`);

      const error = errorOf(() => readHomeAssistantToken({ file }));

      expect(error.message).toContain(file);
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain('second line');
    });
  });

  describe('when no file is named', () => {
    it('prefers the supervisor token, with the supervisor URL', () => {
      const env = { SUPERVISOR_TOKEN: TOKEN, HA_TOKEN: 'other' };

      expect(readHomeAssistantToken({ env })).toEqual({ url: SUPERVISOR_URL, token: TOKEN });
    });

    it('falls back to HA_TOKEN', () => {
      expect(readHomeAssistantToken({ env: { SUPERVISOR_TOKEN: ' ', HA_TOKEN: TOKEN } })).toEqual({
        token: TOKEN,
      });
    });

    it('returns undefined when no token is configured', () => {
      expect(readHomeAssistantToken({ env: {} })).toBeUndefined();
    });
  });
});
