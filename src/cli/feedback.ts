import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { Command, InvalidArgumentError } from 'commander';

import type { SuggestionFeedback } from '../insight/index.js';
import type { Verdict } from '../store/index.js';
import { FeedbackStore } from '../store/index.js';
import { parsePositiveInteger } from './options.js';

const DAY_MS = 86_400_000;
const DEFAULT_SNOOZE_DAYS = 30;

const VERDICTS: Readonly<Record<string, Verdict>> = {
  accept: 'accepted',
  reject: 'rejected',
  snooze: 'snoozed',
};

/** tandem's own store: `TANDEM_STORE`, else `~/.tandem/tandem.db`. */
export function defaultStorePath(): string {
  return process.env.TANDEM_STORE ?? join(homedir(), '.tandem', 'tandem.db');
}

/** The feedback that still stands, from a store that may not exist yet (then none). */
export function readStandingFeedback(file: string, now: number) {
  if (!existsSync(file)) {
    return new Map<string, SuggestionFeedback>();
  }

  const store = FeedbackStore.open(file);
  try {
    return store.standing(now);
  } finally {
    store.close();
  }
}

interface FeedbackOptions {
  store: string;
  days?: number;
  list?: boolean;
}

export function feedbackCommand(): Command {
  return new Command('feedback')
    .description('accept, reject or snooze a suggestion, so that analyze stops offering it')
    .argument('[suggestion-id]', 'the id shown with the suggestion, e.g. tandem_39169c45b027')
    .argument('[verdict]', 'accept, reject or snooze', parseVerdict)
    .option(
      '--days <n>',
      `how long to snooze (default ${DEFAULT_SNOOZE_DAYS})`,
      parsePositiveInteger,
    )
    .option('--store <file>', "tandem's own database", defaultStorePath())
    .option('--list', 'list the feedback given so far')
    .action((id: string | undefined, verdict: Verdict | undefined, options: FeedbackOptions) => {
      runFeedback(id, verdict, options, Date.now());
    });
}

function parseVerdict(value: string): Verdict {
  const verdict = VERDICTS[value];
  if (verdict === undefined) {
    throw new InvalidArgumentError(`"${value}" is not one of accept, reject, snooze`);
  }

  return verdict;
}

function runFeedback(
  id: string | undefined,
  verdict: Verdict | undefined,
  options: FeedbackOptions,
  now: number,
): void {
  if (options.list === true) {
    listFeedback(options.store);
    return;
  }

  if (id === undefined || verdict === undefined) {
    throw new InvalidArgumentError('give a suggestion id and accept, reject or snooze');
  }

  const until = verdict === 'snoozed' ? now + (options.days ?? DEFAULT_SNOOZE_DAYS) * DAY_MS : null;
  const store = FeedbackStore.open(options.store, { create: true });
  try {
    store.record(id, verdict, now, until);
  } finally {
    store.close();
  }

  const snooze = until === null ? '' : ` until ${new Date(until).toISOString().slice(0, 10)}`;
  process.stderr.write(`${id}: ${verdict}${snooze} (in ${options.store})\n`);
}

function listFeedback(file: string): void {
  if (!existsSync(file)) {
    process.stdout.write('No feedback given yet.\n');
    return;
  }

  const store = FeedbackStore.open(file);
  try {
    for (const feedback of store.list()) {
      const until =
        feedback.until === null ? '' : ` until ${new Date(feedback.until).toISOString()}`;
      process.stdout.write(`${feedback.suggestionId}  ${feedback.verdict}${until}\n`);
    }
  } finally {
    store.close();
  }
}
