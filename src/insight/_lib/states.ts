import { isActiveState } from '../../home/index.js';
import type { HomeView } from './home-clock.js';

/** The state an entity entered most often among its active (or inactive) states. */
export function commonStateOf(view: HomeView, entityId: string, active: boolean): string | null {
  const timeline = view.timelines.get(entityId);
  const info = view.infos.get(entityId);
  if (timeline === undefined || info === undefined) {
    return null;
  }

  const counts = new Map<number, number>();
  for (const code of timeline.states) {
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }

  let best: string | null = null;
  let bestCount = 0;
  for (const [code, count] of counts) {
    const name = view.history.states.nameOf(code);
    if ((isActiveState(info.domain, name) === true) === active && count > bestCount) {
      best = name;
      bestCount = count;
    }
  }

  return best;
}

/** The state an entity left when it entered `state`, when nearly always the same one. */
export function usualPreviousState(view: HomeView, entityId: string, state: string): string | null {
  const timeline = view.timelines.get(entityId);
  const code = view.history.states.find(state);
  if (timeline === undefined || code === undefined) {
    return null;
  }

  const counts = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < timeline.length; i++) {
    if (timeline.states[i] === code) {
      const previous = i === 0 ? timeline.initial : (timeline.states[i - 1] ?? -1);
      counts.set(previous, (counts.get(previous) ?? 0) + 1);
      total++;
    }
  }

  const [top, count] = [...counts].sort((x, y) => y[1] - x[1])[0] ?? [-1, 0];
  // Below this share, a `from:` would drop real triggers rather than restarts' noise.
  return total > 0 && count / total >= 0.95 && top >= 0 ? view.history.states.nameOf(top) : null;
}
