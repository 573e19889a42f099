import Database from 'better-sqlite3';

import { readRecorder } from '../src/sources/index.js';
import type { Figure, Scenario } from './harness.js';
import { collectGarbage, median } from './harness.js';
import { benchHome } from './homes.js';

const RUNS = 5;

/**
 * The same rows as the reader, in the same order, with nothing done to them: what SQLite and
 * better-sqlite3 can deliver at best.
 */
function readBare(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const select = db
      .prepare(
        `SELECT metadata_id, last_updated_ts, state, context_user_id_bin IS NOT NULL,
                context_parent_id_bin
         FROM states ORDER BY last_updated_ts, state_id`,
      )
      .raw(true);
    // Iterated like the reader does, each row handed to JavaScript and dropped.
    let rows = 0;
    const iterator = select.iterate();
    while (iterator.next().done !== true) {
      rows++;
    }

    return rows;
  } finally {
    db.close();
  }
}

/** The JS heap plus the typed arrays' backing stores, which live outside it. */
function heldMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function timeRuns(read: () => number): { rows: number; seconds: number[] } {
  const seconds: number[] = [];
  let rows = 0;
  read(); // warm the page cache and the JIT
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    const started = performance.now();
    rows = read();
    seconds.push((performance.now() - started) / 1000);
  }

  return { rows, seconds };
}

async function measure(entities: number, days: number): Promise<Figure[]> {
  const home = benchHome(entities, days);
  const tandem = timeRuns(() => readRecorder(home.recorder).rowsRead);
  const bare = timeRuns(() => readBare(home.recorder));
  const rate = tandem.rows / median(tandem.seconds);
  const bareRate = bare.rows / median(bare.seconds);

  collectGarbage();
  const heldBefore = heldMemory();
  const history = readRecorder(home.recorder);
  collectGarbage();
  const heapMb = (heldMemory() - heldBefore) / 2 ** 20;

  const size = `${entities} entities × ${days} days`;
  const figures: Figure[] = [
    {
      id: `recorder.rows_per_second.${entities}x${days}`,
      description: `recorder rows read into timelines per second, ${size}`,
      unit: 'rows/s',
      value: rate,
      // The reference sets no rate for reading, only 60 s for the whole analysis of a home:
      // the target is the rate that would read this home in that time. A million rows a
      // second is tandem's own aim.
      target: tandem.rows / 60,
      goal: 1_000_000,
      better: 'higher',
      detail: { rows: tandem.rows, median_s: median(tandem.seconds), runs: RUNS },
    },
    {
      id: `recorder.storage_ceiling_ratio.${entities}x${days}`,
      description:
        `tandem's read rate as a share of a bare better-sqlite3 SELECT of the same rows, ` + size,
      unit: 'ratio',
      value: rate / bareRate,
      target: 0.5,
      goal: null,
      better: 'higher',
      detail: { bare_rows_per_s: bareRate },
    },
    {
      id: `recorder.history_heap_mb.${entities}x${days}`,
      description:
        `memory held by the timelines of the whole home (heap and typed arrays), ` + size,
      unit: 'MB',
      value: heapMb,
      target: 200,
      goal: null,
      better: 'lower',
      detail: { entities: history.entities.length },
    },
  ];
  return Promise.resolve(figures);
}

export const scenarios: Scenario[] = [
  {
    id: 'recorder',
    description: 'reading a simulated recorder database into timelines',
    run: ({ quick }) => (quick ? measure(100, 7) : measure(1000, 30)),
  },
];
