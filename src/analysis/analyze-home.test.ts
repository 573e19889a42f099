import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { analyzeHome, reportOf } from './analyze-home.js';
import type { HomeAnalysis } from './analyze-home.js';
import { readHome } from './read-home.js';

const ROBMARKCOLE = join(
  import.meta.dirname,
  '../../../shared/data/home-assistant/robmarkcole/sensors_binary.csv',
);
const AGGREGATE = 'binary_sensor.motion_at_home';
const MEMBERS = [
  'binary_sensor.bedroom_motion_sensor',
  'binary_sensor.hall_motion_sensor',
  'binary_sensor.living_room_motion_sensor',
];

describe('analyzeHome', () => {
  describe("when the home is robmarkcole's export, with an any-motion aggregate", () => {
    let analysis: HomeAnalysis;

    beforeAll(async () => {
      const home = readHome({ source: [`ha-csv:${ROBMARKCOLE}`] });
      analysis = await analyzeHome(home, { calendars: [], now: Date.UTC(2026, 0, 1) });
    });

    const touchesAggregate = (a: string, b: string) =>
      (a === AGGREGATE && MEMBERS.includes(b)) || (b === AGGREGATE && MEMBERS.includes(a));

    it('returns motion_at_home as any of exactly the three room sensors', () => {
      expect(analysis.groups.map((group) => [group.entityId, group.rule, group.members])).toEqual([
        [AGGREGATE, 'any', MEMBERS],
      ]);
    });

    it('returns its relations with its members marked as its structure', () => {
      const report = reportOf(analysis, new Map());
      const structural = report.correlations.filter((r) => r.structural_group !== null);
      const between = report.correlations.filter((r) =>
        touchesAggregate(r.a.entity_id, r.b.entity_id),
      );

      expect(structural.length).toBeGreaterThan(0);
      expect(structural).toEqual(between);
      expect(structural.every((r) => r.structural_group === AGGREGATE)).toBe(true);
      expect(report.groups.map((group) => group.entity_id)).toEqual([AGGREGATE]);
    });

    it('leaves the aggregate out of the presence-driven devices: its members stand for it', () => {
      const analysed = analysis.presenceDrivers.map((driver) => driver.entityId);

      expect(analysed).not.toContain(AGGREGATE);
      expect(analysed).toEqual(expect.arrayContaining(MEMBERS));
    });

    it('returns no pattern, insight or suggestion between the aggregate and a member', () => {
      const { patterns, insights, suggestions } = analysis.insights;
      const patternPairs = patterns.map((p) => [p.trigger.entityId, p.response.entityId] as const);

      const entitiesOfKey = (key: string) => key.split(/[>~]/).map((end) => end.split(':')[0]);
      const insightPairs = insights.map((insight) => entitiesOfKey(insight.key));
      const structuralSuggestions = suggestions.filter(
        (s) => s.entities.includes(AGGREGATE) && MEMBERS.some((m) => s.entities.includes(m)),
      );

      expect(patterns.length).toBeGreaterThan(0);
      expect(patternPairs.filter(([a, b]) => touchesAggregate(a, b))).toEqual([]);
      expect(insightPairs.filter(([a, b]) => touchesAggregate(a ?? '', b ?? ''))).toEqual([]);
      expect(structuralSuggestions).toEqual([]);
    });

    it('keeps the relations between two members, which are real', () => {
      const report = reportOf(analysis, new Map());
      const hallAndLivingRoom = report.correlations.filter(
        (r) =>
          r.confidence >= 0.5 &&
          [r.a.entity_id, r.b.entity_id].sort().join() === [MEMBERS[1], MEMBERS[2]].join(),
      );

      expect(hallAndLivingRoom.length).toBeGreaterThan(0);
      expect(hallAndLivingRoom.every((r) => r.structural_group === null)).toBe(true);
    });
  });
});
