import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FeedbackStore } from './feedback-store.js';

const DAY = 86_400_000;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-store-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('FeedbackStore', () => {
  it('keeps feedback across openings, the latest verdict per suggestion', () => {
    const file = join(dir, 'nested/tandem.db');
    const store = FeedbackStore.open(file, { create: true });
    store.record('tandem_a', 'rejected', 1000);
    store.record('tandem_b', 'snoozed', 1000, 1000 + DAY);
    store.record('tandem_a', 'accepted', 2000);
    store.close();

    const reopened = FeedbackStore.open(file);
    expect(reopened.list()).toEqual([
      { suggestionId: 'tandem_b', verdict: 'snoozed', until: 1000 + DAY, at: 1000 },
      { suggestionId: 'tandem_a', verdict: 'accepted', until: null, at: 2000 },
    ]);
    reopened.close();
  });

  it('returns a snooze as standing only until it runs out', () => {
    const store = FeedbackStore.open(join(dir, 'tandem.db'), { create: true });
    store.record('tandem_b', 'snoozed', 0, DAY);

    expect(store.standing(DAY - 1).has('tandem_b')).toBe(true);
    expect(store.standing(DAY + 1).has('tandem_b')).toBe(false);
    store.close();
  });

  it('names a file that is not a store', () => {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'not a database at all\n'.repeat(100));

    expect(() => FeedbackStore.open(file)).toThrow(/notes\.db: cannot open tandem's store/);
  });

  it('refuses a store written by a newer tandem', () => {
    const file = join(dir, 'newer.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();

    expect(() => FeedbackStore.open(file)).toThrow(/store version 99 is newer/);
  });
});
