import type { Area, EntityInfo } from '../home/index.js';
import type { Interval } from './interval.js';
import type { StateTable } from './state-table.js';
import type { Timeline } from './timeline.js';

/**
 * Everything a source read about a home over one window: the entities, one timeline each (same
 * order), the shared state table, and what went wrong without stopping the read.
 */
export interface HomeHistory {
  readonly window: Interval;
  readonly entities: readonly EntityInfo[];
  readonly timelines: readonly Timeline[];
  readonly states: StateTable;
  readonly areas: readonly Area[];
  /** Rows read from the source, for throughput figures. */
  readonly rowsRead: number;
  /** Problems that degraded the result, e.g. a malformed registry. */
  readonly warnings: readonly string[];
}
