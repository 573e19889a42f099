import type { CacheStats } from '../presence/index.js';
import { TtlLruCache } from '../presence/index.js';

/** What fastify's serializer makes of a response: the JSON text, as a string or bytes. */
export type SerializedAnswer = string | Buffer | ArrayBuffer;

interface Answer {
  json: SerializedAnswer;
}

/** Enough for every query a dashboard and a few scripts repeat. */
const MAX_ANSWERS = 256;

/**
 * Answers that depend only on the latest report and the query, kept as the JSON sent. The report
 * changes with an analysis or with feedback, while a dashboard or a script asks the same
 * questions every few seconds, and serializing a list of relations is most of such a request's
 * time.
 */
export class AnswerCache {
  readonly #answers = new TtlLruCache<Answer>({ ttlMs: Infinity, maxEntries: MAX_ANSWERS });
  /** The report the kept answers were made from; a new analysis or feedback makes a new one. */
  #report: object | undefined;

  /** The JSON for `key` made from `report`, from `serialize` when not kept yet. */
  answer(report: object, key: string, serialize: () => SerializedAnswer): SerializedAnswer {
    // Only the latest report is ever asked about: the answers of an older one go at once, and
    // with them the last reference to it.
    if (report !== this.#report) {
      this.#answers.clear();
      this.#report = report;
    }

    // Answers never age: only a new report outdates them, so the clock given is a constant.
    const kept = this.#answers.get(key, 0);
    if (kept !== undefined) {
      return kept.value.json;
    }

    const json = serialize();
    this.#answers.set(key, { json }, 0);
    return json;
  }

  stats(): CacheStats {
    return this.#answers.stats();
  }
}
