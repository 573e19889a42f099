import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import type { AnalysisReport } from '../report/index.js';
import { simulateHome } from '../simulate/index.js';

const MAIN = join(import.meta.dirname, 'main.ts');
const FIXTURES = join(import.meta.dirname, '../../../shared/data/home-assistant/robmarkcole');

function tandem(...args: string[]) {
  // A store of the machine's own must not hide suggestions from these tests.
  const env = { ...process.env, TANDEM_STORE: join(tmpdir(), 'tandem-tests-no-store.db') };
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface TruthEntity {
  entity_id: string;
  changes: number;
  area: string | null;
}

describe('tandem analyze', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-analyze-'));
    simulateHome({ out: join(dir, 'home'), seed: 11 });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when given a simulated config folder', () => {
    it('reports every entity with the planted number of real changes', () => {
      const { status, stdout } = tandem('analyze', '--config', join(dir, 'home/config'), '--json');
      const report = JSON.parse(stdout) as AnalysisReport;
      const truth = JSON.parse(readFileSync(join(dir, 'home/truth.json'), 'utf8')) as {
        entities: TruthEntity[];
      };

      expect(status).toBe(0);
      expect(report.version).toBe(1);
      const reported = new Map(report.entities.map((entity) => [entity.entity_id, entity]));
      for (const planted of truth.entities) {
        expect(reported.get(planted.entity_id)?.changes, planted.entity_id).toBe(planted.changes);
        expect(reported.get(planted.entity_id)?.area, planted.entity_id).toBe(planted.area);
      }

      expect(report.entities).toHaveLength(truth.entities.length);
    });

    it('reports the presence-driven devices and the observed presence', () => {
      const { stdout } = tandem('analyze', '--config', join(dir, 'home/config'), '--json');
      const report = JSON.parse(stdout) as AnalysisReport;
      const vacuum = report.presence_correlations.find((e) => e.entity_id === 'vacuum.robot');

      expect(vacuum).toMatchObject({ driver: 'away', presence_driven: true });
      expect(report.presence?.intervals.map((interval) => interval.state)).toContain('away');
      expect(report.correlations.every((r) => r.a.entity_id !== 'household')).toBe(true);
    });

    it("marks a device's return to rest as an echo, and finds no pattern in it", () => {
      const { stdout } = tandem('analyze', '--config', join(dir, 'home/config'), '--json');
      const report = JSON.parse(stdout) as AnalysisReport;
      const key = (end: { entity_id: string; state: string }) => `${end.entity_id}:${end.state}`;
      const echoes = report.correlations.filter((r) => r.echo_of !== null);
      const reported = new Set(
        report.correlations
          .filter((r) => r.confidence >= 0.5)
          .map((r) => `${key(r.a)}>${key(r.b)}`),
      );
      const patterns = new Set(report.patterns.map((p) => `${key(p.trigger)}>${key(p.response)}`));

      expect(echoes.length).toBeGreaterThan(0);
      for (const echo of echoes) {
        const explainer = `${key(echo.echo_of?.a ?? echo.a)}>${key(echo.echo_of?.b ?? echo.b)}`;
        expect(reported.has(explainer), explainer).toBe(true);
        expect(patterns.has(`${key(echo.a)}>${key(echo.b)}`)).toBe(false);
      }
    });

    it('reports suggestions with their automation, YAML and backtest', () => {
      const { stdout } = tandem('analyze', '--config', join(dir, 'home/config'), '--json');
      const report = JSON.parse(stdout) as AnalysisReport;
      const vacuum = report.suggestions.find((s) => s.entities.includes('vacuum.robot'));

      expect(report.patterns.length).toBeGreaterThan(0);
      expect(report.insights.length).toBeGreaterThan(0);
      expect(vacuum?.automation.actions).toEqual([
        { action: 'vacuum.start', target: { entity_id: 'vacuum.robot' } },
      ]);
      expect(vacuum?.backtest.fired).toBeGreaterThan(0);
    });

    it('prints every suggestion as one automations.yaml list with --yaml', () => {
      const { status, stdout } = tandem('analyze', '--config', join(dir, 'home/config'), '--yaml');
      const automations = parse(stdout, { version: '1.1' }) as {
        id: string;
        triggers: unknown[];
      }[];

      expect(status).toBe(0);
      expect(automations.length).toBeGreaterThan(3);
      expect(automations.every((a) => a.id.startsWith('tandem_') && a.triggers.length > 0)).toBe(
        true,
      );
      expect(stdout).toMatch(/to: "on"/);
    });

    it('prints a readable report without --json', () => {
      const { status, stdout } = tandem('analyze', '--config', join(dir, 'home/config'));

      expect(status).toBe(0);
      expect(stdout).toMatch(/^tandem analysis of .*home-assistant_v2\.db/);
      expect(stdout).toMatch(/Most active entities:/);
      expect(stdout).toMatch(
        /Presence-driven devices:\n(.*\n)*.*Robot vacuum runs only while nobody/,
      );
    });

    it('keeps progress out of the JSON', () => {
      const { stdout, stderr } = tandem('analyze', '--config', join(dir, 'home/config'), '--json');

      expect(() => JSON.parse(stdout) as unknown).not.toThrow();
      expect(stderr).toMatch(/read \d+ rows of \d+ entities/);
    });
  });

  describe('when given calendars', () => {
    it('adds the presence they predict over the whole window', () => {
      const config = join(dir, 'home/config');
      const calendar = join(dir, 'home/calendar.ics');
      const { status, stdout } = tandem(
        'analyze',
        '--config',
        config,
        '--calendar',
        calendar,
        '--json',
      );
      const report = JSON.parse(stdout) as AnalysisReport;
      const intervals = report.presence?.intervals ?? [];

      expect(status).toBe(0);
      expect(intervals[0]?.start).toBe(report.window.start);
      expect(intervals.at(-1)?.end).toBe(report.window.end);
      expect(intervals.some((interval) => interval.state === 'away')).toBe(true);
      expect(report.presence?.sources).toEqual([expect.objectContaining({ ok: true })]);
    });

    it('reports a calendar it cannot read and goes on', () => {
      const config = join(dir, 'home/config');
      const missing = join(dir, 'nowhere.ics');
      const { status, stdout } = tandem(
        'analyze',
        '--config',
        config,
        '--calendar',
        missing,
        '--json',
      );
      const report = JSON.parse(stdout) as AnalysisReport;

      // The residents' person entities still say where the household was.
      expect(status).toBe(0);
      expect(report.presence?.sources[0]).toMatchObject({ ok: false });
      const claimed = report.presence?.intervals.filter((interval) => interval.state !== 'unknown');
      expect(claimed?.length).toBeGreaterThan(0);
      expect(claimed?.every((interval) => interval.source === 'person')).toBe(true);
    });
  });

  describe('when a suggestion was answered', () => {
    it('leaves it out of the next report and says why', () => {
      const config = join(dir, 'home/config');
      const store = join(dir, 'feedback/tandem.db');
      const first = JSON.parse(
        tandem('analyze', '--config', config, '--store', store, '--json').stdout,
      ) as AnalysisReport;
      const [suggestion] = first.suggestions;

      expect(suggestion).toBeDefined();
      const said = tandem('feedback', suggestion?.id ?? '', 'reject', '--store', store);
      expect(said.status).toBe(0);

      const second = JSON.parse(
        tandem('analyze', '--config', config, '--store', store, '--json').stdout,
      ) as AnalysisReport;
      expect(second.suggestions.map((s) => s.id)).not.toContain(suggestion?.id);
      expect(second.suggestions_withheld).toEqual([
        expect.objectContaining({ id: suggestion?.id, verdict: 'rejected' }),
      ]);
      expect(tandem('feedback', '--list', '--store', store).stdout).toMatch(/rejected/);
    });

    it('exits with 2 for a verdict it does not know', () => {
      const store = join(dir, 'feedback/tandem.db');

      expect(tandem('feedback', 'tandem_x', 'maybe', '--store', store).status).toBe(2);
    });
  });

  describe('when given a public data set', () => {
    it('reports it, with presence inferred from the door and the silence indoors', () => {
      const folder = join(import.meta.dirname, '../../../shared/data/adl/kasteren-house-a');
      const { status, stdout } = tandem('analyze', '--source', `kasteren:${folder}`, '--json');
      const report = JSON.parse(stdout) as AnalysisReport;

      expect(status).toBe(0);
      expect(report.sources).toEqual([
        expect.objectContaining({ kind: 'kasteren', schema_version: null }),
      ]);
      expect(report.time_zone).toBe('Europe/Amsterdam');
      expect(report.presence?.intervals.some((i) => i.source === 'sensors')).toBe(true);
      const door = report.presence_correlations.find((e) => e.driver === 'arrival');
      expect(door).toBeDefined();
    });

    it('reads presence from a camera system armed while the motion sensors are silent', () => {
      const csv = join(FIXTURES, 'sensors_binary.csv');
      const { status, stdout } = tandem('analyze', '--source', `ha-csv:${csv}`);

      expect(status).toBe(0);
      expect(stdout).toMatch(/Household presence \(sensors\): \d{2} absences, \d{3} h away/);
      expect(stdout).toMatch(/Presence-driven devices:\n(.*\n)*.*blink_armed_status/);
    });

    it('exits with 2 for an unknown format', () => {
      const { status, stderr } = tandem('analyze', '--source', 'parquet:/tmp/x');

      expect(status).toBe(2);
      expect(stderr).toMatch(/parquet/);
    });
  });

  describe('when the input is bad', () => {
    it('exits with 3 and one line for an old schema', () => {
      const file = join(FIXTURES, 'home-assistant_v2.2018-12-04.db');
      const { status, stderr, stdout } = tandem('analyze', '--recorder', file);

      expect(status).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^tandem: .*schema version 7 is older than 38/m);
      expect(stderr).not.toMatch(/\n\s+at /);
    });

    it('exits with 3 for a missing config folder', () => {
      const { status, stderr } = tandem('analyze', '--config', join(dir, 'nowhere'));

      expect(status).toBe(3);
      expect(stderr).toMatch(/nowhere: no such folder/);
    });

    it('exits with 2 for a malformed date', () => {
      const { status, stderr } = tandem('analyze', '--sample', '--from', 'last tuesday');

      expect(status).toBe(2);
      expect(stderr).toMatch(/"last tuesday" is not an ISO 8601 date/);
    });

    it('exits with 5 for a window without data', () => {
      const { status, stderr } = tandem(
        'analyze',
        '--config',
        join(dir, 'home/config'),
        '--from',
        '2001-01-01',
        '--to',
        '2001-02-01',
      );

      expect(status).toBe(5);
      expect(stderr).toMatch(/no states between 2001-01-01/);
    });

    it('exits with 2 when no home is named', () => {
      expect(tandem('analyze').status).toBe(2);
    });
  });
});
