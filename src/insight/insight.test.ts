import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { loadSimulatedHome } from '../../test/simulated-home.js';
import {
  computeAnalysisContext,
  computeCorrelations,
  computePresenceDrivers,
} from '../correlation/index.js';
import { buildHouseholdTimeline, fetchCalendarPresence } from '../presence/index.js';
import { simulateHome } from '../simulate/index.js';
import { readRecorder, readRegistries } from '../sources/index.js';
import { collectEntities, computeInsights } from './index.js';
import type { InsightResults, Suggestion } from './index.js';

interface Truth {
  time_zone: string;
  habits: {
    trigger: { entity_id: string; state: string };
    response: { entity_id: string; state: string };
    probability: number;
    automated: boolean;
  }[];
  presence_driven: { entity_id: string; driver: string }[];
  independent: string[];
}

const SEEDS = [1, 2, 4];

/** The automation shape tandem writes, checked by hand: what Home Assistant's loader needs. */
function problemsOf(automation: unknown): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => (ok ? undefined : problems.push(what));
  const record = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!record(automation)) {
    return ['not a mapping'];
  }

  check(typeof automation.id === 'string' && automation.id !== '', 'id');
  check(typeof automation.alias === 'string', 'alias');
  check(typeof automation.description === 'string', 'description');
  check(['single', 'restart', 'queued', 'parallel'].includes(String(automation.mode)), 'mode');
  const list = (key: string, head: string) => {
    const items = automation[key];
    check(Array.isArray(items) && (key === 'conditions' || items.length > 0), key);
    for (const item of Array.isArray(items) ? (items as unknown[]) : []) {
      check(record(item) && typeof item[head] === 'string', `${key}[].${head}`);
    }
  };
  list('triggers', 'trigger');
  list('conditions', 'condition');
  list('actions', 'action');
  for (const trigger of automation.triggers as Record<string, unknown>[]) {
    if (trigger.trigger === 'state') {
      check(typeof trigger.to === 'string', 'state trigger `to` is a string');
    }
  }

  return problems;
}

describe('computeInsights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-insight-'));
  const homes = new Map<
    number,
    { truth: Truth; results: InsightResults; entities: Set<string>; rerun: () => InsightResults }
  >();

  beforeAll(() => {
    for (const seed of SEEDS) {
      const out = join(dir, `home-${seed}`);
      simulateHome({ out, seed });
      const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as Truth;
      const history = readRecorder(join(out, 'config/home-assistant_v2.db'), {
        registries: readRegistries(join(out, 'config')),
      });
      const context = computeAnalysisContext(history, truth.time_zone);
      const relations = computeCorrelations(history, context);
      const drivers = computePresenceDrivers(history, context, relations);
      const results = computeInsights(history, context, relations, drivers);
      const entities = new Set(history.entities.map((entity) => entity.entityId));
      const rerun = () => computeInsights(history, context, relations, drivers);
      homes.set(seed, { truth, results, entities, rerun });
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(SEEDS)('on the simulated home with seed %i', (seed) => {
    const home = () => {
      const found = homes.get(seed);
      if (found === undefined) {
        throw new Error(`home ${seed} was not simulated`);
      }

      return found;
    };
    const suggestionFor = (suggestions: Suggestion[], trigger: string, response: string) =>
      suggestions.find((s) => s.entities.includes(trigger) && s.entities.includes(response));

    it('returns a suggestion for every planted manual habit', () => {
      const { truth, results } = home();
      for (const habit of truth.habits.filter((h) => !h.automated)) {
        const { trigger, response } = habit;
        const found = suggestionFor(results.suggestions, trigger.entity_id, response.entity_id);

        expect(found, `${trigger.entity_id} → ${response.entity_id}`).toBeDefined();
      }
    });

    it('returns a suggestion for every planted presence-driven device', () => {
      const { truth, results } = home();
      for (const planted of truth.presence_driven) {
        const found = results.suggestions.find((s) => s.entities.includes(planted.entity_id));

        expect(found, `${planted.entity_id} (${planted.driver})`).toBeDefined();
      }
    });

    it('returns no suggestion touching an independent device', () => {
      const { truth, results } = home();
      const independent = new Set(truth.independent);
      const touching = results.suggestions.filter((s) =>
        s.entities.some((e) => independent.has(e)),
      );

      expect(touching.map((s) => s.title)).toEqual([]);
    });

    it('returns the automated habit as already automated, not as a suggestion', () => {
      const { truth, results } = home();
      for (const habit of truth.habits.filter((h) => h.automated)) {
        const { trigger, response } = habit;
        const key = `${trigger.entity_id}:${trigger.state}>${response.entity_id}:${response.state}`;

        expect(suggestionFor(results.suggestions, trigger.entity_id, response.entity_id)).toBe(
          undefined,
        );
        expect(results.insights.find((i) => i.key === key)?.status).toBe('already_automated');
      }
    });

    it('returns YAML that parses to the automation, names known entities, fits the shape', () => {
      const { results, entities } = home();
      for (const suggestion of results.suggestions) {
        const parsed = parse(suggestion.yaml, { version: '1.1' }) as unknown[];

        expect(parsed).toEqual([suggestion.automation]);
        expect(problemsOf(parsed[0]), suggestion.id).toEqual([]);
        expect(collectEntities(parsed).filter((id) => !entities.has(id))).toEqual([]);
      }
    });

    it('returns backtests that agree with the planted probabilities', () => {
      const { truth, results } = home();
      for (const habit of truth.habits.filter((h) => !h.automated)) {
        const { trigger, response } = habit;
        const key = `${trigger.entity_id}:${trigger.state}>${response.entity_id}:${response.state}`;
        const suggestion = results.suggestions.find((s) => s.insight === key);
        const precision = suggestion?.backtest.precision ?? null;
        if (precision === null) {
          continue;
        }

        expect(Math.abs(precision - habit.probability), key).toBeLessThan(0.3);
      }
    });
  });

  it('returns the same suggestion ids on a second run', () => {
    const home = homes.get(SEEDS[0] ?? 1);
    const ids = (results: InsightResults | undefined) => results?.suggestions.map((s) => s.id);
    const first = ids(home?.results) ?? [];

    expect(ids(home?.rerun())).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((id) => /^tandem_[0-9a-f]{12}$/.test(id))).toBe(true);
  });
});

describe('computeInsights with a Home Assistant calendar', () => {
  it('returns a rule on the arrival the calendar predicts, replayed over its events', async () => {
    const home = loadSimulatedHome({ seed: 1 });
    try {
      const { history, context } = home;
      const calendar = join(home.dir, 'calendar.ics');
      const timeline = await buildHouseholdTimeline({
        grid: context.grid,
        household: context.household,
        calendars: [calendar],
        now: 0,
      });
      // The calendar's own away events, as a Home Assistant calendar entity would hold them.
      const events = await fetchCalendarPresence({
        sources: [calendar],
        window: history.window,
        now: 0,
        timeZone: context.grid.timeZone,
        learned: { beforeMs: 0, afterMs: 0 },
      });
      const relations = computeCorrelations(history, context);
      const drivers = computePresenceDrivers(history, context, relations);
      const hint = {
        entityId: 'calendar.family',
        awayEnds: events.intervals.filter((i) => i.state === 'away').map((i) => i.end),
        arrivalLagMs: (timeline?.calibration?.arrivalLagMin ?? 0) * 60_000,
      };
      const results = computeInsights(history, context, relations, drivers, hint);
      const predicted = results.suggestions.filter(
        (s) => s.automation.triggers[0]?.trigger === 'calendar',
      );

      expect(predicted.length).toBeGreaterThan(0);
      for (const suggestion of predicted) {
        expect(suggestion.automation.triggers[0]).toMatchObject({
          entity_id: 'calendar.family',
          event: 'end',
          offset: expect.stringMatching(/^[+-]\d\d:\d\d:00$/) as unknown,
        });
        expect(suggestion.automation.mode).toBe('queued');
        expect(suggestion.backtest.fired).toBeGreaterThan(0);
        // Locks and covers never act on a prediction.
        expect(suggestion.entities.some((e) => /^(lock|cover)\./.test(e))).toBe(false);
      }
    } finally {
      home.remove();
    }
  });
});
