/**
 * Runs every benchmark scenario (`bench/*.bench.ts`), prints each figure as it comes, and writes
 * `bench/results/latest.json` and the table of `docs/performance.md`. A `--quick` or `--only`
 * run writes `bench/results/partial.json` only, so the published table always comes from a full
 * run.
 *
 * Usage: npm run bench [-- --quick] [-- --only ID_PREFIX]
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import type { Figure, Scenario } from './harness.js';
import { meets, meetsGoal } from './harness.js';
import { handWrittenSections, renderPerformanceDoc, replaceReadmeSummary } from './report.js';

const BENCH_DIR = import.meta.dirname;

interface Args {
  quick: boolean;
  only: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const onlyAt = argv.indexOf('--only');
  return { quick: argv.includes('--quick'), only: onlyAt >= 0 ? argv[onlyAt + 1] : undefined };
}

async function loadScenarios(): Promise<Scenario[]> {
  const files = readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(join(BENCH_DIR, file))) as { scenarios?: Scenario[] };
    scenarios.push(...(module.scenarios ?? []));
  }

  return scenarios;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (globalThis.gc === undefined) {
    console.warn('warning: run with --expose-gc (npm run bench does) for stable memory figures');
  }

  const scenarios = (await loadScenarios()).filter(
    (scenario) => args.only === undefined || scenario.id.startsWith(args.only),
  );
  const figures: Figure[] = [];
  for (const scenario of scenarios) {
    console.log(`\n${scenario.id}: ${scenario.description}`);
    const workDir = mkdtempSync(join(tmpdir(), `tandem-bench-${scenario.id}-`));
    try {
      for (const figure of await scenario.run({ quick: args.quick, workDir })) {
        figures.push(figure);
        console.log(`  ${formatFigure(figure)}`);
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }

  writeResults(figures, args);
}

function formatFigure(figure: Figure): string {
  const verdict = meets(figure) ? 'meets' : 'MISSES';
  const value = `${figure.value.toPrecision(4)} ${figure.unit}`;
  const goal = meetsGoal(figure);
  const goalVerdict = goal === null ? '' : `; goal ${figure.goal}, ${goal ? 'meets' : 'misses'}`;
  return `${figure.id}: ${value} (target ${figure.target}, ${verdict}${goalVerdict})`;
}

function writeResults(figures: readonly Figure[], args: Args): void {
  const results = figures.map((figure) => ({
    id: figure.id,
    description: figure.description,
    unit: figure.unit,
    value: figure.value,
    target: figure.target,
    goal: figure.goal,
    meets: meets(figure),
    meets_goal: meetsGoal(figure),
    better: figure.better,
    detail: figure.detail ?? {},
  }));
  const resultsDir = join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  // Only a full run may stand for the published figures.
  const full = !args.quick && args.only === undefined;
  const name = full ? 'latest.json' : 'partial.json';
  writeFileSync(join(resultsDir, name), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/results/${name}`);

  if (full) {
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
    };
    const page = join(BENCH_DIR, '../docs/performance.md');
    const sections = existsSync(page) ? handWrittenSections(readFileSync(page, 'utf8')) : '';
    writeFileSync(page, renderPerformanceDoc(figures, machine, sections));
    const readme = join(BENCH_DIR, '../README.md');
    writeFileSync(readme, replaceReadmeSummary(readFileSync(readme, 'utf8'), figures, machine));
    console.log('wrote docs/performance.md and the figures in README.md');
  }
}

await main();
