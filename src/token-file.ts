import { readFileSync } from 'node:fs';

import { TandemError } from './errors.js';

/**
 * A secret token from a file, where it is safer than on the command line, which every process
 * on the machine can read. Errors name the file and what it should hold (`what`, e.g. "API
 * token"), never its content.
 */
export function readTokenFile(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TandemError('INVALID_ARGUMENT', `${file}: ${whyUnreadable(error, what)}`, {
      cause: error,
    });
  }

  const token = text.trim();
  if (token === '') {
    throw new TandemError('INVALID_ARGUMENT', `${file}: the ${what} file is empty`);
  }

  if (/\s/.test(token)) {
    throw new TandemError(
      'INVALID_ARGUMENT',
      `${file}: the ${what} file holds more than one word; it should hold only the token`,
    );
  }

  return token;
}

function whyUnreadable(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return `no such ${what} file`;
  }

  if (code === 'EISDIR') {
    return `a folder, not a ${what} file`;
  }

  return `cannot read the ${what} file (${code ?? 'unknown error'})`;
}
