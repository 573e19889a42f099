import { readFileSync } from 'node:fs';

/** tandem's version, from the package it was installed from (`src/` and `dist/` sit beside it). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
