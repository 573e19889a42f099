import { TandemError } from '../errors.js';
import type { HomeHistory } from './home-history.js';
import { StateTable } from './state-table.js';
import type { Timeline } from './timeline.js';
import { NONE } from './timeline.js';

/**
 * One history from several read separately (two data sets of the same home, say): entities
 * side by side over the union of their windows, states interned anew in one table. An entity
 * id that two of them hold is an error, since its timelines cannot both be right.
 */
export function mergeHistories(histories: readonly HomeHistory[]): HomeHistory {
  const [first, ...rest] = histories;
  if (first === undefined) {
    throw new RangeError('mergeHistories needs at least one history');
  }

  if (rest.length === 0) {
    return first;
  }

  const seen = new Set<string>();
  for (const entity of histories.flatMap((history) => history.entities)) {
    if (seen.has(entity.entityId)) {
      throw new TandemError('INVALID_ARGUMENT', `${entity.entityId} is in more than one source`);
    }

    seen.add(entity.entityId);
  }

  const window = {
    start: Math.min(...histories.map((history) => history.window.start)),
    end: Math.max(...histories.map((history) => history.window.end)),
  };
  const states = new StateTable();
  const timelines: Timeline[] = [];
  let offset = 0;
  for (const history of histories) {
    const recode = (code: number) =>
      code === NONE ? NONE : states.codeOf(history.states.nameOf(code));
    for (const timeline of history.timelines) {
      timelines.push({
        ...timeline,
        window,
        initial: recode(timeline.initial),
        states: timeline.states.map(recode),
        parents: timeline.parents.map((parent) => (parent === NONE ? NONE : parent + offset)),
      });
    }

    offset += history.entities.length;
  }

  return {
    window,
    entities: histories.flatMap((history) => history.entities),
    timelines,
    states,
    areas: histories.flatMap((history) => history.areas),
    rowsRead: histories.reduce((sum, history) => sum + history.rowsRead, 0),
    warnings: histories.flatMap((history) => history.warnings),
  };
}
