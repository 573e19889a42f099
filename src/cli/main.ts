#!/usr/bin/env node
import { Command, CommanderError } from 'commander';

import { isTandemError } from '../errors.js';
import { VERSION } from '../version.js';
import { analyzeCommand } from './analyze.js';
import { feedbackCommand } from './feedback.js';
import { presenceCommand } from './presence.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';

/** Usage errors exit with 2, as a malformed option value does. */
const USAGE_EXIT_CODE = 2;

const program = new Command('tandem')
  .description('Finds what moves together in a Home Assistant home')
  .version(VERSION)
  .showHelpAfterError()
  .addCommand(analyzeCommand())
  .addCommand(simulateCommand())
  .addCommand(presenceCommand())
  .addCommand(feedbackCommand())
  .addCommand(serveCommand());

// Commander exits by itself unless told otherwise; the boundary below decides the exit code.
for (const command of [program, ...program.commands]) {
  command.exitOverride();
}

/**
 * The CLI's one error boundary: an error tandem expected is one line naming the input and the
 * problem, with its own exit code; anything else is a bug and keeps its stack.
 */
try {
  await program.parseAsync();
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the message, or the help it was asked for.
    return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  }

  if (isTandemError(error)) {
    process.stderr.write(`tandem: ${error.message}\n`);
    return error.exitCode;
  }

  process.stderr.write(`tandem: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
