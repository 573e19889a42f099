import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import type { Figure, Scenario } from './harness.js';

/** Every scenario file's scenarios, as `npm run bench` finds them. */
async function loadScenarios(): Promise<Scenario[]> {
  const files = readdirSync(import.meta.dirname).filter((file) => file.endsWith('.bench.ts'));
  const modules = await Promise.all(
    files.map(
      async (file) =>
        (await import(join(import.meta.dirname, file))) as {
          scenarios?: Scenario[];
        },
    ),
  );
  return modules.flatMap((module) => module.scenarios ?? []);
}

describe('the benchmarks', () => {
  // Timings are the benchmarks' business; these only check that each runs and says something.
  const figures = new Map<string, Figure[]>();

  beforeAll(async () => {
    for (const scenario of await loadScenarios()) {
      const workDir = mkdtempSync(join(tmpdir(), `tandem-bench-test-${scenario.id}-`));
      try {
        figures.set(scenario.id, await scenario.run({ quick: true, workDir }));
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  }, 240_000);

  it('each run in quick mode and report well-formed figures', () => {
    expect([...figures.keys()]).toEqual(
      expect.arrayContaining([
        'recorder',
        'correlation',
        'presence',
        'insight',
        'memory',
        'scale',
        'validation',
      ]),
    );

    for (const [id, reported] of figures) {
      expect(reported.length, id).toBeGreaterThan(0);
      for (const figure of reported) {
        expect(Number.isFinite(figure.value), figure.id).toBe(true);
        expect(Number.isFinite(figure.target), figure.id).toBe(true);
        expect(figure.description.length, figure.id).toBeGreaterThan(10);
        expect(['lower', 'higher']).toContain(figure.better);
      }
    }
  });

  describe('when the insight pass is timed per relation', () => {
    const insightFigure = (prefix: string) =>
      figures.get('insight')?.find((figure) => figure.id.startsWith(prefix));

    it.each(['insight.pattern_ms.', 'insight.explanation_ms.'])(
      'reports %s as percentiles over the relations and presence drivers',
      (prefix) => {
        const figure = insightFigure(prefix);

        expect(figure).toMatchObject({ unit: 'ms', better: 'lower', goal: 0.2 });
        expect(figure?.value).toBe(figure?.detail?.p99);
        expect(figure?.detail?.relations).toBeGreaterThan(0);
        expect(figure?.detail?.drivers).toBeGreaterThan(0);
      },
    );
  });

  it('reports the memory of each advanced feature and the process RSS beside their sum', () => {
    const figure = figures.get('memory')?.[0];

    expect(figure).toMatchObject({ unit: 'MB', target: 40 });
    expect(Object.keys(figure?.detail ?? {})).toEqual(
      expect.arrayContaining(['presence_mb', 'insights_mb', 'calendar_mb', 'rss_mb']),
    );
  });

  it('reports rows read per second beside the wall time and peak RSS of each home', () => {
    const ids = (figures.get('scale') ?? []).map((figure) => figure.id.replace(/\.\d+x\d+$/, ''));

    expect(ids).toEqual(
      expect.arrayContaining([
        'scale.analyze_s',
        'scale.analyze_rows_per_s',
        'scale.analyze_peak_rss_mb',
      ]),
    );
  });

  describe('when the calendar is expanded beside ical.js and node-ical', () => {
    const calendarFigure = (id: string) =>
      figures.get('calendar-presence')?.find((figure) => figure.id === id);

    it('reports each peer as a ratio over tandem, for the queries and the expansion', () => {
      const ids = [
        'calendar-query-ical-js-over-tandem-cached',
        'calendar-query-ical-js-over-tandem-uncached',
        'calendar-expand-ical-js-over-tandem',
        'calendar-expand-node-ical-over-tandem',
      ];

      for (const id of ids) {
        expect(calendarFigure(id), id).toMatchObject({ unit: 'ratio', better: 'higher' });
      }
    });

    it.each(['ical-js', 'node-ical'])('finds the occurrences tandem finds with %s', (peer) => {
      const detail = calendarFigure(`calendar-expand-${peer}-over-tandem`)?.detail ?? {};

      expect(detail.tandem_occurrences).toBeGreaterThan(0);
      expect(detail.occurrences).toBe(detail.tandem_occurrences);
      expect(detail.timed_missing).toBe(0);
    });
  });
});
