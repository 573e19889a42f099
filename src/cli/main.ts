#!/usr/bin/env node
import { Command } from 'commander';

import { isTandemError } from '../errors.js';
import { analyzeCommand } from './analyze.js';

const program = new Command('tandem')
  .description('Finds what moves together in a Home Assistant home')
  .version('0.1.0')
  .showHelpAfterError()
  .addCommand(analyzeCommand());

/**
 * The CLI's one error boundary: an error tandem expected is one line naming the input and the
 * problem, with its own exit code; anything else is a bug and keeps its stack.
 */
try {
  await program.parseAsync();
} catch (error) {
  if (isTandemError(error)) {
    process.stderr.write(`tandem: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`tandem: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
