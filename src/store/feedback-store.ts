import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { TandemError } from '../errors.js';

/** What a person said about a suggestion. */
export type Verdict = 'accepted' | 'rejected' | 'snoozed';

export interface Feedback {
  suggestionId: string;
  verdict: Verdict;
  /** Snoozed until this time, epoch ms; null for the other verdicts. */
  until: number | null;
  /** When it was said, epoch ms. */
  at: number;
}

/**
 * Each step brings the store from the version before it to its own; `PRAGMA user_version`
 * records how far a file has come, so an older file is brought up to date when it is opened.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE feedback (
     suggestion_id TEXT PRIMARY KEY,
     verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'snoozed')),
     until REAL,
     at REAL NOT NULL
   )`,
];

/**
 * tandem's own SQLite database, kept apart from Home Assistant's files: what people said
 * about suggestions, so that rejected ones do not come back and accepted ones are not
 * suggested again.
 */
export class FeedbackStore {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Opens the store at `file`, creating it and its folder when `create` is set. */
  static open(file: string, { create = false } = {}): FeedbackStore {
    let db: Database.Database;
    try {
      if (create) {
        mkdirSync(dirname(file), { recursive: true });
      }

      db = new Database(file, { fileMustExist: !create });
      migrate(db, file);
    } catch (error) {
      if (error instanceof TandemError) {
        throw error;
      }

      throw new TandemError(
        'STORE_UNREADABLE',
        `${file}: cannot open tandem's store (${(error as Error).message})`,
        { cause: error },
      );
    }

    return new FeedbackStore(db, file);
  }

  record(suggestionId: string, verdict: Verdict, at: number, until: number | null = null): void {
    this.db
      .prepare(
        `INSERT INTO feedback (suggestion_id, verdict, until, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (suggestion_id) DO UPDATE
         SET verdict = excluded.verdict, until = excluded.until, at = excluded.at`,
      )
      .run(suggestionId, verdict, verdict === 'snoozed' ? until : null, at);
  }

  list(): Feedback[] {
    const rows = this.db
      .prepare('SELECT suggestion_id, verdict, until, at FROM feedback ORDER BY at')
      .all() as { suggestion_id: string; verdict: Verdict; until: number | null; at: number }[];
    return rows.map((row) => ({
      suggestionId: row.suggestion_id,
      verdict: row.verdict,
      until: row.until,
      at: row.at,
    }));
  }

  /** The feedback that still holds at `now`: a snooze that has run out no longer does. */
  standing(now: number): Map<string, Feedback> {
    const standing = this.list().filter(
      (feedback) => feedback.verdict !== 'snoozed' || (feedback.until ?? 0) > now,
    );
    return new Map(standing.map((feedback) => [feedback.suggestionId, feedback]));
  }

  close(): void {
    this.db.close();
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new TandemError(
      'STORE_UNREADABLE',
      `${file}: store version ${version} is newer than this tandem knows (${MIGRATIONS.length}); ` +
        'update tandem',
    );
  }

  const steps = MIGRATIONS.slice(version);
  db.transaction(() => {
    for (const step of steps) {
      db.exec(step);
    }

    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
