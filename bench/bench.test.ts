import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Scenario } from './harness.js';

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
  // Timings are the benchmarks' business; this only checks that each runs and says something.
  it('each run in quick mode and report well-formed figures', async () => {
    const scenarios = await loadScenarios();
    expect(scenarios.map((scenario) => scenario.id)).toEqual(
      expect.arrayContaining(['recorder', 'correlation', 'presence', 'validation']),
    );

    for (const scenario of scenarios) {
      const workDir = mkdtempSync(join(tmpdir(), `tandem-bench-test-${scenario.id}-`));
      try {
        const figures = await scenario.run({ quick: true, workDir });

        expect(figures.length, scenario.id).toBeGreaterThan(0);
        for (const figure of figures) {
          expect(Number.isFinite(figure.value), figure.id).toBe(true);
          expect(Number.isFinite(figure.target), figure.id).toBe(true);
          expect(figure.description.length, figure.id).toBeGreaterThan(10);
          expect(['lower', 'higher']).toContain(figure.better);
        }
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  }, 240_000);
});
